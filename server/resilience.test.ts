import type { AddressInfo } from "node:net";
import express from "express";
import { describe, expect, it } from "vitest";
import {
  finalErrorHandler,
  isDatabaseUnavailable,
  isRejectedValue,
  responseForError,
  RETRY_AFTER_SECONDS,
  UNAVAILABLE_MESSAGE,
  withErrorMapping,
} from "./resilience";
import { RefusedBodyError } from "./refusal";

const STACK_TRACE = /\n\s+at |node_modules|\.tsx?:\d+/;

const err = (message: string, code?: string) =>
  Object.assign(new Error(message), code ? { code } : {});

describe("isDatabaseUnavailable", () => {
  it("recognises a server that is down, restarting, shutting down or out of connections", () => {
    for (const e of [
      err("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED"),
      err("read ECONNRESET", "ECONNRESET"),
      err("terminating connection due to administrator command", "57P01"),
      err("the database system is starting up", "57P03"),
      err("the database system is shutting down", "57P03"),
      err("sorry, too many clients already", "53300"),
      err("connection failure", "08006"),
      err("Connection terminated unexpectedly"),
      err("timeout exceeded when trying to connect"),
      err("Client was closed and is not queryable"),
      Object.assign(new AggregateError([err("connect ECONNREFUSED ::1:5432", "ECONNREFUSED")], "")),
      Object.assign(new Error("wrapped"), { cause: err("x", "57P01") }),
    ]) {
      expect(isDatabaseUnavailable(e), String(e)).toBe(true);
    }
  });

  it("does not take bugs or bad input for an outage", () => {
    for (const e of [
      err('relation "nope" does not exist', "42P01"),
      err("duplicate key value violates unique constraint", "23505"),
      err("invalid input syntax for type integer", "22P02"),
      new TypeError("Cannot read properties of undefined"),
      null,
      "ECONNREFUSED",
    ]) {
      expect(isDatabaseUnavailable(e), String(e)).toBe(false);
    }
    expect(isRejectedValue(err("invalid byte sequence", "22021"))).toBe(true);
    expect(isRejectedValue(err("division by zero", "22012"))).toBe(false);
  });
});

describe("responseForError and withErrorMapping", () => {
  it("answers an outage with 503, Retry-After and a clear JSON message, no stack trace", async () => {
    const r = responseForError(
      err("terminating connection due to administrator command", "57P01"),
    )!;
    expect(r.status).toBe(503);
    expect(r.headers.get("Retry-After")).toBe(String(RETRY_AFTER_SECONDS));
    expect(r.headers.get("Cache-Control")).toBe("no-store");
    const text = await r.text();
    expect(JSON.parse(text)).toEqual({
      error: UNAVAILABLE_MESSAGE,
      message: UNAVAILABLE_MESSAGE,
      reason: "database_unavailable",
    });
    expect(text).not.toMatch(STACK_TRACE);
    expect(text).not.toMatch(/57P01|administrator/);
  });

  it("throws the mapped Response from a loader or action, logs it, and leaves bugs alone", async () => {
    const warnings: unknown[] = [];
    const context = {
      logger: { warn: (msg: string, fields?: unknown) => warnings.push({ msg, fields }) },
    };
    const request = new Request("http://localhost/s/x");
    const down = withErrorMapping(() =>
      Promise.reject(err("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED")),
    );
    const thrown = await down({ request, context }).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(503);
    expect(warnings).toEqual([
      {
        msg: "database unavailable",
        fields: expect.objectContaining({ path: "/s/x", status: 503 }) as unknown,
      },
    ]);
    const bug = withErrorMapping(() => {
      throw new TypeError("x is undefined");
    });
    await expect(bug({ request, context })).rejects.toThrow(TypeError);
    const redirect = new Response(null, { status: 302, headers: { Location: "/login" } });
    await expect(
      withErrorMapping(() => Promise.reject(redirect))({ request, context }),
    ).rejects.toBe(redirect);
    expect(await withErrorMapping(() => 42)({ request, context })).toBe(42);
  });
});

describe("finalErrorHandler", () => {
  it("answers what escapes Remix with a short page or JSON: 503 for an outage, 500 otherwise, never a stack trace", async () => {
    const logged: unknown[] = [];
    const app = express();
    app.get("/down", () => {
      throw err("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED");
    });
    app.get("/api/down", () => {
      throw err("the database system is starting up", "57P03");
    });
    app.get("/bug", () => {
      throw new TypeError("secret internals");
    });
    app.use(finalErrorHandler({ error: (msg, fields) => logged.push({ msg, fields }), info: () => {} }));
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const page = await fetch(`${base}/down`, { headers: { Accept: "text/html" } });
      expect(page.status).toBe(503);
      expect(page.headers.get("Retry-After")).toBe(String(RETRY_AFTER_SECONDS));
      const html = await page.text();
      expect(html).toContain("Temporarily unavailable");
      expect(html).toContain(UNAVAILABLE_MESSAGE);
      expect(html).not.toMatch(STACK_TRACE);
      const json = await fetch(`${base}/api/down`);
      expect(json.status).toBe(503);
      expect(await json.json()).toEqual({ error: UNAVAILABLE_MESSAGE });
      const bug = await fetch(`${base}/bug`, { headers: { Accept: "text/html" } });
      expect(bug.status).toBe(500);
      const bugText = await bug.text();
      expect(bugText).toContain("Something went wrong");
      expect(bugText).not.toMatch(/secret internals|TypeError/);
      expect(bugText).not.toMatch(STACK_TRACE);
      // The details go to the log, not to the client.
      expect(JSON.stringify(logged)).toContain("secret internals");
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("answers a request that Express refuses as malformed with its 4xx, logged at info level, not as a failure", async () => {
    const logged: Array<{ level: string; msg: string }> = [];
    const app = express();
    app.get("/groups/:group", (_req, res) => {
      res.send("ok");
    });
    app.use(
      finalErrorHandler({
        error: (msg) => logged.push({ level: "error", msg }),
        info: (msg) => logged.push({ level: "info", msg }),
      }),
    );
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      // Express cannot decode the parameter: its own error, with status 400.
      const res = await fetch(`${base}/groups/%ff`, { headers: { Accept: "text/html" } });
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain("The request could not be processed");
      expect(html).not.toMatch(STACK_TRACE);
      expect(logged).toEqual([{ level: "info", msg: "request refused" }]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("maps the body limit's refusal, met while a route reads the body, to its status and message", async () => {
    const refused = new RefusedBodyError(413, "The request body is larger than 2 MB.");
    for (const error of [refused, new TypeError("Failed to read the body", { cause: refused })]) {
      const r = responseForError(error);
      expect(r?.status).toBe(413);
      expect(await r?.json()).toEqual({ error: refused.message, message: refused.message, reason: "too_large" });
    }
  });
});
