import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs } from "@remix-run/node";
import type { Db } from "#db/client";
import { parseEnv } from "~/env.server";
import { createLogger } from "~/server/logger.server";
import type { AppContext } from "~/context";

export const testEnv = parseEnv({
  NODE_ENV: "test",
  SESSION_SECRET: "test-secret-test-secret-test-secret-0123",
  LOG_LEVEL: "silent",
});

export function testContext(db: Db, overrides: Partial<AppContext> = {}): AppLoadContext {
  return { db, readDb: db, env: testEnv, logger: createLogger("silent"), cspNonce: "test", clientIp: "127.0.0.1", ...overrides };
}

export type ArgsInit = RequestInit & {
  params?: Record<string, string>;
  /** A Cookie header value, e.g. the session cookie from a sign-in (see cookieFrom). */
  cookie?: string;
  /** Load-context overrides, e.g. `{ clientIp }`. */
  context?: Partial<AppContext>;
};

/** The `name=value` part of a response's Set-Cookie header, to send back as a Cookie header. */
export function cookieFrom(response: Response): string {
  const header = response.headers.get("Set-Cookie");
  if (!header) throw new Error("the response sets no cookie");
  return header.split(";")[0];
}

/** Arguments for calling a route's loader directly, as Remix would. */
export function loaderArgs(path: string, db: Db, init: ArgsInit = {}): LoaderFunctionArgs {
  const { params = {}, cookie, context, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (cookie) headers.set("Cookie", cookie);
  return {
    request: new Request(`http://localhost${path}`, { ...rest, headers }),
    params,
    context: testContext(db, context),
  };
}

export function actionArgs(
  path: string,
  db: Db,
  form: Record<string, string | string[]>,
  init: ArgsInit = {},
): ActionFunctionArgs {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
  const { params = {}, headers, cookie, context, ...rest } = init;
  return {
    request: new Request(`http://localhost${path}`, {
      method: "POST",
      body,
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Origin: "http://localhost",
        ...(cookie ? { Cookie: cookie } : {}),
        ...headers,
      },
      ...rest,
    }),
    params,
    context: testContext(db, context),
  };
}
