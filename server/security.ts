import type { RequestHandler } from "express";

/**
 * Security headers for every response. Scripts run only from our own origin or with the
 * per-request nonce that entry.server.tsx puts on Remix's inline scripts.
 */
export function securityHeaders(): RequestHandler {
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
    next();
  };
}

/** Largest request body the server reads (uploads are at most 1 MB, respondent forms and the API 1 MB). */
export const MAX_REQUEST_BYTES = 2 * 1024 * 1024;

const BODYLESS_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Request body limit, before anything reads a body: 413 when Content-Length is over
 * `maxBytes`; 411 when a body is sent without a Content-Length (chunked), since its size could
 * not be bounded before reading it. Node's HTTP parser never delivers more bytes than the
 * Content-Length, so the declared length bounds what is read. Browsers and ordinary HTTP
 * clients always send a Content-Length with forms and JSON.
 */
export function bodySizeLimit(maxBytes = MAX_REQUEST_BYTES): RequestHandler {
  return (req, res, next) => {
    if (BODYLESS_METHODS.has(req.method)) return next();
    const length = req.get("Content-Length");
    let status = 0;
    let message = "";
    if (length === undefined) {
      if (req.get("Transfer-Encoding")) {
        status = 411;
        message = "Send the request body with a Content-Length header.";
      }
    } else if (!/^\d+$/.test(length) || Number(length) > maxBytes) {
      status = 413;
      message = `The request body is larger than ${Math.round(maxBytes / (1024 * 1024))} MB.`;
    }
    if (!status) return next();
    // The body is not read: close the connection rather than leave it unread on a kept-alive socket.
    res.setHeader("Connection", "close");
    res.status(status);
    if (req.path.startsWith("/api/") || req.accepts(["html", "json"]) === "json") {
      res.json({ error: message });
    } else {
      res
        .type("html")
        .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Request refused — Needsmap</title></head><body><main><h1>Request refused</h1><p>${message}</p></main></body></html>`);
    }
  };
}

export { redactPath } from "~/server/logger.server";
