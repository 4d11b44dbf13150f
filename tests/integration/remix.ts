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
  return { db, env: testEnv, logger: createLogger("silent"), cspNonce: "test", clientIp: "127.0.0.1", ...overrides };
}

/** Arguments for calling a route's loader directly, as Remix would. */
export function loaderArgs(
  path: string,
  db: Db,
  init: RequestInit & { params?: Record<string, string> } = {},
): LoaderFunctionArgs {
  const { params = {}, ...rest } = init;
  return { request: new Request(`http://localhost${path}`, rest), params, context: testContext(db) };
}

export function actionArgs(
  path: string,
  db: Db,
  form: Record<string, string | string[]>,
  init: RequestInit & { params?: Record<string, string> } = {},
): ActionFunctionArgs {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
  const { params = {}, headers, ...rest } = init;
  return {
    request: new Request(`http://localhost${path}`, {
      method: "POST",
      body,
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "http://localhost", ...headers },
      ...rest,
    }),
    params,
    context: testContext(db),
  };
}
