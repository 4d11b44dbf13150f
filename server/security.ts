import type { RequestHandler } from "express";
import type { MessageKey } from "~/i18n/translate";
import { type Logger, redactPath } from "~/server/logger.server";
import { requestUrl } from "./proxy";
import { RefusedBodyError, refusalMessage, sendRefusal } from "./refusal";

/** One year, for browsers to reach the site over HTTPS only (RFC 6797). */
export const HSTS = "max-age=31536000; includeSubDomains";

/**
 * Security headers for every response. Scripts run only from our own origin or with the
 * per-request nonce that entry.server.tsx puts on Remix's inline scripts. With `hsts` (that is,
 * NODE_ENV=production, where cookies are Secure and the site is served over HTTPS) browsers are
 * also told to use HTTPS only.
 */
export function securityHeaders(options: { hsts?: boolean } = {}): RequestHandler {
  return (_req, res, next) => {
    const nonce = res.locals.cspNonce as string;
    res.setHeader(
      "Content-Security-Policy",
      [
        "default-src 'self'",
        `script-src 'self' 'nonce-${nonce}'`,
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
      ].join("; "),
    );
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "same-origin");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    if (options.hsts) res.setHeader("Strict-Transport-Security", HSTS);
    next();
  };
}

/**
 * What pages and data (everything the Remix handler answers) send unless the route sets its own
 * Cache-Control: staff pages, respondents' pages (/i/, /r/, receipts) and even public pages show
 * answers, names or the signed-in account, so no browser or proxy cache may keep them. Static
 * files (build/client) keep their own caching.
 */
export const PAGE_CACHE_CONTROL = "private, no-store";

export function privatePages(): RequestHandler {
  return (_req, res, next) => {
    res.setHeader("Cache-Control", PAGE_CACHE_CONTROL);
    next();
  };
}

/**
 * Methods that no route answers and that the Fetch API refuses to carry. (TRACK and CONNECT never
 * get here: Node refuses TRACK with 400, and closes CONNECT requests since the server has no tunnel.)
 */
const REFUSED_METHODS = new Set(["TRACE"]);

/** Whether a path's percent-encoding can be decoded (Express and Remix decode it before routing). */
export function isDecodablePath(p: string): boolean {
  try {
    decodeURIComponent(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Refuses, before anything else looks at them, requests that no route can answer: TRACE gets
 * 405 (with Allow), an address whose path is not valid percent-encoding (`/%`,
 * `/s/%E0%A4%A`, `/staff/groups/%ff`) or whose Host cannot make an address (`Host: a b`,
 * `Host: [::1`) gets 400. These are the client's mistakes, logged at
 * info level ("request refused"), not errors of the server.
 */
export function refuseMalformedRequests(logger: Pick<Logger, "info">): RequestHandler {
  return (req, res, next) => {
    let status = 0;
    let reason = "";
    let key: MessageKey = "common.refused.badAddress";
    if (REFUSED_METHODS.has(req.method)) {
      status = 405;
      reason = "method not allowed";
      key = "common.refused.methodNotAllowed";
      res.setHeader("Allow", "GET, HEAD, POST");
    } else if (!isDecodablePath(req.path)) {
      status = 400;
      reason = "malformed address";
    } else if (!requestUrl(req)) {
      status = 400;
      reason = "malformed host";
    }
    if (!status) return next();
    logger.info("request refused", { method: req.method, path: redactPath(req.path), status, reason });
    sendRefusal(req, res, status, key).catch(next);
  };
}

/** Largest request body the server reads (uploads are at most 1 MB, respondent forms and the API 1 MB). */
export const MAX_REQUEST_BYTES = 2 * 1024 * 1024;

/**
 * How much of a refused body is read (and thrown away) before the refusal is sent. A client that
 * is still sending its body when the server closes the connection gets a connection reset
 * instead of the reply (a browser shows "connection reset", not the page): so the server reads
 * the body to its end first, up to this much. Beyond it the reply is sent at once and the
 * connection closed.
 */
export const REFUSED_BODY_DRAIN_BYTES = 16 * 1024 * 1024;

const BODYLESS_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** A request of the page's JavaScript for Remix data (single fetch: the path ends in .data). */
function isRemixDataRequest(p: string): boolean {
  return p.endsWith(".data");
}

/**
 * Request body limit, before anything reads a body: 413 when Content-Length is over
 * `maxBytes`; 411 when a body is sent without a Content-Length (chunked), since its size could
 * not be bounded before reading it. Node's HTTP parser never delivers more bytes than the
 * Content-Length, so the declared length bounds what is read. Browsers and ordinary HTTP
 * clients always send a Content-Length with forms and JSON.
 *
 * The refused body is read to its end and discarded (up to `drainBytes`) before the reply, so
 * that the reply reaches the client (see REFUSED_BODY_DRAIN_BYTES) and the connection stays
 * usable.
 */
export function bodySizeLimit(maxBytes = MAX_REQUEST_BYTES, drainBytes = REFUSED_BODY_DRAIN_BYTES): RequestHandler {
  return (req, res, next) => {
    if (BODYLESS_METHODS.has(req.method)) return next();
    const length = req.get("Content-Length");
    let status = 0;
    let key: MessageKey = "common.refused.tooLarge";
    if (length === undefined) {
      if (req.get("Transfer-Encoding")) {
        status = 411;
        key = "common.refused.lengthRequired";
      }
    } else if (!/^\d+$/.test(length) || Number(length) > maxBytes) {
      status = 413;
    }
    if (!status) return next();
    let replied = false;
    const vars = { size: Math.round(maxBytes / (1024 * 1024)) };
    const reply = (close: boolean) => {
      if (replied) return;
      replied = true;
      // Unread bytes would be left on the connection: close it rather than keep it alive.
      if (close) res.setHeader("Connection", "close");
      else if (isRemixDataRequest(req.path)) {
        // A form sent by the page's JavaScript: the page can show only an answer of Remix's own,
        // so the route gets the request with a body that fails when read (RefusedBodyError).
        refusalMessage(req, key, vars)
          .then((message) => {
            res.locals.refusedBody = new RefusedBodyError(status, message);
            next();
          })
          .catch(next);
        return;
      }
      sendRefusal(req, res, status, key, vars).catch(next);
    };
    const declared = length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined;
    if (status === 413 && (declared === undefined || declared > drainBytes)) return reply(true);
    let read = 0;
    req.on("data", (chunk: Buffer) => {
      read += chunk.length;
      if (read > drainBytes) {
        req.pause();
        reply(true);
      }
    });
    req.once("end", () => reply(false));
    // The client went away while sending: there is nobody to reply to.
    req.once("error", () => (replied = true));
  };
}

export { redactPath } from "~/server/logger.server";
