import { request } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { describe, expect, it } from "vitest";
import { bodySizeLimit, MAX_REQUEST_BYTES, redactPath, securityHeaders } from "./security";

describe("redactPath", () => {
  it("hides the token of personal and response links", () => {
    expect(redactPath("/i/3q2-abcDEF_xyz")).toBe("/i/[token]");
    expect(redactPath("/r/3q2-abcDEF_xyz/p/needs")).toBe("/r/[token]/p/needs");
    expect(redactPath("/r/abc/review")).toBe("/r/[token]/review");
  });
  it("leaves other paths as they are", () => {
    expect(redactPath("/s/health-2026")).toBe("/s/health-2026");
    expect(redactPath("/staff/groups/energy")).toBe("/staff/groups/energy");
    expect(redactPath("/")).toBe("/");
  });
});

/** An Express app with the middleware under test in front of a handler that reads the whole body. */
async function serve(
  setup: (app: express.Express) => void,
): Promise<{ base: string; port: number; close: () => Promise<void> }> {
  const app = express();
  app.use((_req, res, next) => {
    res.locals.cspNonce = "bm9uY2Utbm9uY2Utbm9uY2U=";
    next();
  });
  setup(app);
  app.all("*", (req, res) => {
    let size = 0;
    req.on("data", (c: Buffer) => (size += c.length));
    req.on("end", () => res.send(`read ${size} bytes`));
  });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    base: `http://127.0.0.1:${port}`,
    port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A POST on its own connection; the reply is read even when the server answers before the body is sent. */
function post(
  port: number,
  path: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; type: string; text: string }> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path,
        method: "POST",
        headers: { Connection: "close", ...headers },
        agent: false,
      },
      (res) => {
        answered = true;
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            type: String(res.headers["content-type"] ?? ""),
            text,
          }),
        );
      },
    );
    req.on("error", (e) => {
      if (!answered) reject(e);
    });
    req.end(body);
  });
}

describe("securityHeaders", () => {
  it("sends a CSP that runs scripts only from the origin or with the request's nonce, nosniff, Referrer-Policy and frame-ancestors", async () => {
    const s = await serve((app) => app.use(securityHeaders()));
    try {
      const res = await fetch(`${s.base}/`);
      const csp = res.headers.get("Content-Security-Policy") ?? "";
      const directives = new Map(
        csp.split(/;\s*/).map((d) => [d.split(" ")[0], d.split(" ").slice(1)] as const),
      );
      expect(directives.get("script-src")).toEqual(["'self'", "'nonce-bm9uY2Utbm9uY2Utbm9uY2U='"]);
      expect(csp).not.toMatch(/script-src[^;]*(unsafe-inline|unsafe-eval|\*|data:)/);
      expect(directives.get("default-src")).toEqual(["'self'"]);
      expect(directives.get("object-src")).toEqual(["'none'"]);
      expect(directives.get("base-uri")).toEqual(["'self'"]);
      expect(directives.get("form-action")).toEqual(["'self'"]);
      expect(directives.get("frame-ancestors")).toEqual(["'none'"]);
      expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
      expect(res.headers.get("Referrer-Policy")).toBe("same-origin");
      expect(res.headers.get("X-Frame-Options")).toBe("DENY");
    } finally {
      await s.close();
    }
  });
});

describe("bodySizeLimit", () => {
  const FORM = "application/x-www-form-urlencoded";

  it(`reads bodies up to ${MAX_REQUEST_BYTES / (1024 * 1024)} MB`, async () => {
    const s = await serve((app) => app.use(bodySizeLimit()));
    try {
      const body = "x".repeat(MAX_REQUEST_BYTES);
      const r = await post(s.port, "/login", body, {
        "Content-Type": FORM,
        "Content-Length": String(body.length),
      });
      expect(r).toMatchObject({ status: 200, text: `read ${MAX_REQUEST_BYTES} bytes` });
    } finally {
      await s.close();
    }
  });

  it("refuses a larger body with 413 and a message, as a page or as JSON, without passing it on", async () => {
    const s = await serve((app) => app.use(bodySizeLimit(1000)));
    try {
      const body = "x".repeat(1001);
      const page = await post(s.port, "/login", body, {
        "Content-Type": FORM,
        "Content-Length": "1001",
        Accept: "text/html",
      });
      expect(page.status).toBe(413);
      expect(page.type).toMatch(/^text\/html/);
      expect(page.text).toContain("The request body is larger than");
      const api = await post(s.port, "/api/surveys/x/responses", body, {
        "Content-Type": "application/json",
        "Content-Length": "1001",
      });
      expect(api.status).toBe(413);
      expect(api.type).toMatch(/^application\/json/);
      expect(JSON.parse(api.text)).toEqual({
        error: expect.stringContaining("larger than") as unknown,
      });
      const json = await post(s.port, "/login", body, {
        "Content-Type": FORM,
        "Content-Length": "1001",
        Accept: "application/json",
      });
      expect(json.status).toBe(413);
      expect(json.type).toMatch(/^application\/json/);
      // A declared length far over the limit is refused before a byte of the body is sent.
      const declared = await post(s.port, "/login", "", {
        "Content-Type": FORM,
        "Content-Length": String(50 * 1024 * 1024),
      }).catch(() => null);
      if (declared) expect(declared.status).toBe(413);
    } finally {
      await s.close();
    }
  });

  it("refuses a body without a Content-Length (chunked) with 411 and lets bodiless requests through", async () => {
    const s = await serve((app) => app.use(bodySizeLimit(1000)));
    try {
      const chunked = await post(s.port, "/login", "email=a", {
        "Content-Type": FORM,
        "Transfer-Encoding": "chunked",
      });
      expect(chunked.status).toBe(411);
      expect(chunked.text).toContain("Content-Length");
      const get = await fetch(`${s.base}/login`);
      expect(get.status).toBe(200);
      const empty = await post(s.port, "/logout", "", { "Content-Length": "0" });
      expect(empty.status).toBe(200);
    } finally {
      await s.close();
    }
  });
});
