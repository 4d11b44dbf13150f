/**
 * The database is unreachable: every loader and action of every route module (read from
 * app/routes, so that a new route cannot be forgotten), wrapped as server/main.ts serves them
 * (server/resilience.ts), answers either without the database (a redirect to sign-in, 405) or
 * with a clear 503: a JSON body `{ error, message }` saying what happened, `Retry-After`, and
 * no stack trace. Nothing answers 500. /healthz reports the outage.
 *
 * The same over HTTP, with a real database server stopped and started again during load, is
 * part of `npm run test:load` (scripts/load-test.ts).
 */
import { randomBytes, randomUUID } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { afterAll, describe, expect, it } from "vitest";
import { loader as healthz } from "~/routes/healthz";
import { commitSession } from "~/server/auth.server";
import {
  RETRY_AFTER_SECONDS,
  UNAVAILABLE_MESSAGE,
  withErrorMapping,
} from "../../server/resilience";
import { unreachableDb } from "./db";
import { loaderArgs, testContext, testEnv } from "./remix";

const ROUTES_DIR = path.resolve("app/routes");
const STACK_TRACE = /\n\s+at |node_modules|\.tsx?:\d+/;

/** Route ids and URL patterns of app/routes (Remix flat routes). */
function routeModules(): Array<{ id: string; file: string; pattern: string }> {
  return readdirSync(ROUTES_DIR)
    .filter((name) => /\.(tsx|ts)$/.test(name) && !/\.test\./.test(name))
    .map((name) => {
      const id = name.replace(/\.(tsx|ts)$/, "");
      const segments = id
        .split(/\.(?![^[]*\])/)
        .filter((s) => s !== "_index")
        .map((s) => s.replace(/\[(.*)\]/g, "$1").replace(/_$/, ""))
        .map((s) => (s.startsWith("$") ? `:${s.slice(1)}` : s));
      return { id, file: path.join(ROUTES_DIR, name), pattern: `/${segments.join("/")}` };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

const db = unreachableDb();
afterAll(() => db.destroy());

const PARAMS: Record<string, string> = {
  slug: "health-needs-2026",
  group: "health",
  survey: "health-needs-2026",
  token: randomBytes(32).toString("base64url"),
  page: "profile",
  file: "1.yaml",
};

interface Reply {
  status: number;
  location: string | null;
  retryAfter: string | null;
  body: string;
}

async function callRoute(
  file: string,
  pattern: string,
  kind: "loader" | "action",
  cookie?: string,
): Promise<Reply> {
  const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const fn = withErrorMapping(
    mod[kind] as (args: LoaderFunctionArgs | ActionFunctionArgs) => unknown,
  );
  const params: Record<string, string> = {};
  for (const m of pattern.matchAll(/:([A-Za-z]+)/g)) params[m[1]] = PARAMS[m[1]];
  const url = `http://localhost${pattern.replace(/:([A-Za-z]+)/g, (_m, name: string) => params[name])}`;
  const headers = new Headers({ "Accept-Language": "en" });
  if (cookie) headers.set("Cookie", cookie);
  let init: RequestInit = { headers };
  if (kind === "action") {
    headers.set("Origin", "http://localhost");
    if (pattern.startsWith("/api/")) {
      headers.set("Content-Type", "application/json");
      init = {
        method: "POST",
        headers,
        body: JSON.stringify({ idempotencyKey: randomUUID(), locale: "en", answers: {} }),
      };
    } else {
      headers.set("Content-Type", "application/x-www-form-urlencoded");
      const form = new URLSearchParams({
        intent: "start",
        idempotencyKey: randomUUID(),
        locale: "en",
        email: "a@example.org",
        password: "long enough password",
        page: "profile",
      });
      if (pattern.includes("/review")) form.set("intent", "submit");
      init = { method: "POST", headers, body: form };
    }
  }
  let result: unknown;
  try {
    result = await fn({ request: new Request(url, init), params, context: testContext(db) });
  } catch (e) {
    result = e;
  }
  if (result instanceof Response) {
    const body = await result.text();
    return {
      status: result.status,
      location: result.headers.get("Location"),
      retryAfter: result.headers.get("Retry-After"),
      body,
    };
  }
  const d = result as { type?: string; init?: ResponseInit | null } | null;
  if (d && typeof d === "object" && d.type === "DataWithResponseInit")
    return {
      status: d.init?.status ?? 200,
      location: null,
      retryAfter: null,
      body: JSON.stringify(d),
    };
  if (result instanceof Error) {
    // What Remix would answer with a 500.
    return {
      status: 500,
      location: null,
      retryAfter: null,
      body: `${result.name}: ${result.message}\n${result.stack ?? ""}`,
    };
  }
  return { status: 200, location: null, retryAfter: null, body: JSON.stringify(result ?? null) };
}

function expectClear503(r: Reply, what: string) {
  expect(r.status, `${what}: ${r.body.slice(0, 300)}`).toBe(503);
  expect(r.retryAfter, what).toBe(String(RETRY_AFTER_SECONDS));
  const body = JSON.parse(r.body) as { error?: string; message?: string; reason?: string };
  expect(body, what).toEqual({
    error: UNAVAILABLE_MESSAGE,
    message: UNAVAILABLE_MESSAGE,
    reason: "database_unavailable",
  });
  expect(r.body, what).not.toMatch(STACK_TRACE);
}

const routes = routeModules().filter((r) => r.id !== "healthz");
/** Pages that an anonymous visitor gets without any data: the sign-in form. */
const NO_DATA_PAGES = new Set(["login", "logout"]);

describe("with the database unreachable", () => {
  it("finds the route modules", () => {
    expect(routes.length).toBeGreaterThan(30);
    expect(routes.some((r) => r.id === "api.surveys.$slug.responses")).toBe(true);
    expect(
      routes.find((r) => r.id === "staff.groups.$group_.surveys.$survey.export[.csv]")?.pattern,
    ).toBe("/staff/groups/:group/surveys/:survey/export.csv");
  });

  for (const route of routes) {
    for (const kind of ["loader", "action"] as const) {
      it(`${kind === "loader" ? "GET " : "POST"} ${route.pattern}: a clear 503 or an answer that needs no database, never a 500`, async () => {
        const mod = (await import(pathToFileURL(route.file).href)) as Record<string, unknown>;
        if (typeof mod[kind] !== "function") return;
        // Signed in (the session lookup needs the database) and anonymous.
        const cookie = (
          await commitSession(testEnv, {
            id: randomBytes(32).toString("base64url"),
            expiresAt: new Date(Date.now() + 3_600_000),
          })
        ).split(";")[0];
        for (const who of ["staff", "anonymous"] as const) {
          const r = await callRoute(
            route.file,
            route.pattern,
            kind,
            who === "staff" ? cookie : undefined,
          );
          const what = `${kind} ${route.pattern} as ${who}`;
          expect(r.body, what).not.toMatch(STACK_TRACE);
          if (r.status === 503) expectClear503(r, what);
          else {
            expect(r.status, `${what}: ${r.body.slice(0, 300)}`).toBeLessThan(500);
            // Without the database, the only answers possible are those that need no data.
            const noData =
              who === "anonymous" && kind === "loader" && NO_DATA_PAGES.has(route.id) ? [200] : [];
            expect([...noData, 301, 302, 303, 401, 405], what).toContain(r.status);
          }
          // Everything a signed-in user, a respondent or the JSON API asks of the database gets the 503.
          const needsDatabase =
            who === "staff" ||
            route.pattern.startsWith("/r/") ||
            route.pattern.startsWith("/i/") ||
            route.pattern.startsWith("/s/") ||
            route.pattern.startsWith("/api/");
          if (needsDatabase && !(kind === "loader" && r.status === 405))
            expect(r.status, what).toBe(503);
        }
      });
    }
  }

  it("GET /healthz answers 503 and says that the database does not answer", async () => {
    const res = (await healthz(loaderArgs("/healthz", db))) as Response;
    expect(res.status).toBe(503);
    const body = (await res.json()) as Record<string, unknown>;
    expect(JSON.stringify(body)).toMatch(/"db"/);
    expect(JSON.stringify(body)).not.toMatch(STACK_TRACE);
  });
});
