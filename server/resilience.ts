import type { ErrorRequestHandler } from "express";
import type { ServerBuild } from "@remix-run/node";
import { redactPath } from "~/server/logger.server";
import { RefusedBodyError, sendRefusal } from "./refusal";

/**
 * What loaders and actions answer when something outside the request's control fails:
 *
 * - the database cannot be reached (down, restarting, refusing connections, connection lost
 *   mid-request): 503 with Retry-After, a JSON body `{ error, message }`, and in pages the error
 *   boundary's "temporarily unavailable" text, never a stack trace;
 * - the body cannot be read as a form (wrong Content-Type, broken multipart): 400;
 * - the database refuses a value the request carried (NUL characters, a number or date out of
 *   range: SQLSTATE class 22, "data exception"): 400, and nothing of the request is stored
 *   because the statement (and its transaction) failed.
 *
 * `mapRouteErrors(build)` wraps every loader and action of the Remix build with this mapping;
 * server/main.ts serves the wrapped build.
 */

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "ECONNABORTED",
]);

/** SQLSTATEs of a server that is going away, starting, or out of connections. */
const UNAVAILABLE_SQLSTATES = new Set(["57P01", "57P02", "57P03", "53300", "58000", "58030"]);

const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|not queryable|Connection ended unexpectedly|terminating connection|the database system is (starting up|shutting down|in recovery mode)|connect ECONNREFUSED|Client was closed and is not queryable/i;

/** Whether an error means that the database cannot be reached right now (rather than a bug or bad input). */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 3) return false;
  const e = error as { code?: unknown; message?: unknown; errors?: unknown; cause?: unknown };
  const code = typeof e.code === "string" ? e.code : "";
  if (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || /^08/.test(code)) return true;
  if (typeof e.message === "string" && UNAVAILABLE_MESSAGES.test(e.message)) return true;
  if (Array.isArray(e.errors) && e.errors.some((x) => isDatabaseUnavailable(x, depth + 1))) return true;
  return e.cause !== undefined && isDatabaseUnavailable(e.cause, depth + 1);
}

/** A data exception (SQLSTATE class 22) except division by zero, which is a bug, not input. */
export function isRejectedValue(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^22[0-9A-Z]{3}$/.test(code) && code !== "22012";
}

const UNREADABLE_BODY =
  /Failed to parse body as FormData|Content-Type was not one of|multipart|Unexpected end of form|boundary|Malformed part header/i;

/** Whether an error comes from reading a request body that is not a well-formed form. */
export function isUnreadableBody(error: unknown): boolean {
  if (error instanceof TypeError) return UNREADABLE_BODY.test(error.message);
  // The multipart parser of @remix-run/node throws plain Errors for bad part headers.
  return error instanceof Error && !("code" in error) && /malformed (content-disposition|multipart|part)|multipart/i.test(error.message);
}

/** The refusal of the body limit, when reading the request body failed with it (possibly as a cause). */
function refusedBody(error: unknown, depth = 0): RefusedBodyError | null {
  if (error instanceof RefusedBodyError) return error;
  const cause = (error as { cause?: unknown } | null)?.cause;
  return cause !== undefined && depth < 3 ? refusedBody(cause, depth + 1) : null;
}

export const RETRY_AFTER_SECONDS = 5;

export const UNAVAILABLE_MESSAGE =
  "The service cannot reach its database right now. Nothing you have saved is lost; please try again in a minute.";

function jsonResponse(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", ...headers },
  });
}

/** The 503 a request gets while the database is unreachable. */
export function unavailableResponse(): Response {
  return jsonResponse(
    503,
    { error: UNAVAILABLE_MESSAGE, message: UNAVAILABLE_MESSAGE, reason: "database_unavailable" },
    { "Retry-After": String(RETRY_AFTER_SECONDS) },
  );
}

interface Logger {
  warn(msg: string, fields?: Record<string, unknown>): void;
}

/** The Response an error maps to, or null when it stays an error (a 500: a bug). */
export function responseForError(error: unknown): Response | null {
  if (error instanceof Response) return null;
  const refused = refusedBody(error);
  if (refused) return jsonResponse(refused.status, { error: refused.message, message: refused.message, reason: refused.status === 411 ? "length_required" : "too_large" });
  if (isDatabaseUnavailable(error)) return unavailableResponse();
  if (isUnreadableBody(error)) {
    const message = "The form could not be read: send it as application/x-www-form-urlencoded or multipart/form-data.";
    return jsonResponse(400, { error: message, message, reason: "bad_form" });
  }
  if (isRejectedValue(error)) {
    const message = "The request contains a value that cannot be stored (for example a NUL character, or a number or date out of range).";
    return jsonResponse(400, { error: message, message, reason: "bad_form" });
  }
  return null;
}

interface RouteArgs {
  request: Request;
  context?: unknown;
}

/** A loader or action whose errors are mapped as described above (a mapped error is thrown as a Response). */
export function withErrorMapping<A extends RouteArgs, R>(fn: (args: A) => R): (args: A) => Promise<Awaited<R>> {
  return async (args: A): Promise<Awaited<R>> => {
    try {
      return (await fn(args)) as Awaited<R>;
    } catch (error) {
      const response = responseForError(error);
      if (!response) throw error;
      const logger = (args.context as { logger?: Logger } | undefined)?.logger;
      logger?.warn(response.status === 503 ? "database unavailable" : "request refused", {
        path: new URL(args.request.url).pathname,
        status: response.status,
        error: error instanceof Error ? `${(error as { code?: string }).code ?? error.name}: ${error.message}` : String(error),
      });
      throw response;
    }
  };
}

const wrappedBuilds = new WeakMap<ServerBuild, ServerBuild>();

/** The build with every route's loader and action wrapped by `withErrorMapping`. */
export function mapRouteErrors(build: ServerBuild): ServerBuild {
  const cached = wrappedBuilds.get(build);
  if (cached) return cached;
  const routes: ServerBuild["routes"] = {};
  for (const [id, route] of Object.entries(build.routes)) {
    if (!route) continue;
    const module = { ...route.module } as Record<string, unknown>;
    for (const name of ["loader", "action"] as const) {
      if (typeof module[name] === "function") module[name] = withErrorMapping(module[name] as (args: RouteArgs) => unknown);
    }
    routes[id] = { ...route, module: module as unknown as typeof route.module };
  }
  const wrapped = { ...build, routes };
  wrappedBuilds.set(build, wrapped);
  return wrapped;
}

/**
 * The status of an error that Express or the libraries it uses raise for a malformed request
 * (a 4xx `status` with http-errors' `expose`, or Express's URIError for a route parameter whose
 * percent-encoding cannot be decoded), else null.
 */
export function clientErrorStatus(error: unknown): number | null {
  const e = error as { status?: unknown; statusCode?: unknown; expose?: unknown } | null;
  const status = typeof e?.status === "number" ? e.status : typeof e?.statusCode === "number" ? e.statusCode : 0;
  return status >= 400 && status < 500 && (e?.expose === true || error instanceof URIError) ? status : null;
}

/**
 * The last Express error handler: whatever escapes (an error outside Remix) gets a short page
 * or JSON without any stack trace: the request's own 4xx when Express refused a malformed request
 * (logged at info level: the client's mistake), 503 when the database is unreachable, else 500.
 */
export function finalErrorHandler(logger: {
  error(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
}): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const clientStatus = clientErrorStatus(error);
    if (clientStatus !== null) {
      logger.info("request refused", {
        method: req.method,
        path: redactPath(req.path),
        status: clientStatus,
        reason: error instanceof Error ? error.message.slice(0, 200) : String(error),
      });
      sendRefusal(req, res, clientStatus, "common.errors.badRequestTitle").catch(() => res.status(clientStatus).end());
      return;
    }
    const unavailable = isDatabaseUnavailable(error);
    const status = unavailable ? 503 : 500;
    logger.error("request failed", {
      path: req.path,
      status,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
    const message = unavailable ? UNAVAILABLE_MESSAGE : "Something went wrong on our side. Please try again.";
    if (unavailable) res.setHeader("Retry-After", String(RETRY_AFTER_SECONDS));
    res.status(status);
    if (req.accepts(["html", "json"]) === "json" || req.path.startsWith("/api/")) {
      res.json({ error: message });
      return;
    }
    res
      .type("html")
      .send(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${unavailable ? "Temporarily unavailable" : "Error"} — Needsmap</title></head>` +
          `<body><main><h1>${unavailable ? "Temporarily unavailable" : "Something went wrong"}</h1><p>${message}</p><p><a href="/">Needsmap</a></p></main></body></html>`,
      );
  };
}
