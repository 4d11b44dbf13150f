import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import {
  createReadableStreamFromReadable,
  createRequestHandler as createRemixHandler,
  type AppLoadContext,
  type ServerBuild,
} from "@remix-run/node";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { requestUrl } from "./proxy";
import type { RefusedBodyError } from "./refusal";

/**
 * The Remix request handler for Express, as @remix-run/express builds it, except that the
 * response body is piped with backpressure: a slow client downloading a large export holds the
 * server's reads from the database instead of letting the whole file pile up in memory.
 */
export function createRequestHandler(options: {
  build: ServerBuild | (() => Promise<ServerBuild>);
  mode: string;
  getLoadContext: (req: Request, res: Response) => AppLoadContext;
}): RequestHandler {
  const handleRequest = createRemixHandler(options.build, options.mode);
  return (req: Request, res: Response, next: NextFunction) => {
    void (async () => {
      try {
        const request = createRemixRequest(req, res);
        const response = await handleRequest(request, options.getLoadContext(req, res));
        await readUnreadBody(req);
        await sendResponse(res, response);
      } catch (error) {
        if (res.headersSent) res.destroy(error instanceof Error ? error : undefined);
        else next(error);
      }
    })();
  };
}

/** The Fetch API request for an Express request (as @remix-run/express makes it). */
function createRemixRequest(req: Request, res: Response): globalThis.Request {
  // refuseMalformedRequests (server/security.ts) answered requests whose address is unusable.
  const url = requestUrl(req);
  if (!url) throw new Error("malformed request address");
  const headers = new Headers();
  for (const [key, values] of Object.entries(req.headers)) {
    if (values === undefined) continue;
    if (Array.isArray(values)) for (const v of values) headers.append(key, v);
    else headers.set(key, values);
  }
  // Abort loaders and actions when the client goes away before the response is complete.
  let controller: AbortController | null = new AbortController();
  res.on("finish", () => (controller = null));
  res.on("close", () => controller?.abort());
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers, signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") {
    const refused = res.locals.refusedBody as RefusedBodyError | undefined;
    // A body the body limit refused (and already read): reading it fails with the refusal.
    init.body = refused
      ? new ReadableStream<Uint8Array>({ start: (controller) => controller.error(refused) })
      : createReadableStreamFromReadable(req);
    init.duplex = "half";
  }
  return new globalThis.Request(url.href, init);
}

/**
 * Reads (and discards) the rest of a request body that the route answered without reading, for
 * example a 413 decided from the Content-Length. Otherwise a client still sending the body gets
 * a connection reset instead of the reply. Bodies are at most MAX_REQUEST_BYTES
 * (server/security.ts), so this is bounded.
 */
function readUnreadBody(req: Request): Promise<void> {
  if (req.complete || req.destroyed || req.readableEnded) return Promise.resolve();
  return new Promise((resolve) => {
    // The request's web stream stopped pulling when the route stopped reading: take its place.
    req.removeAllListeners("data");
    req.on("data", () => {});
    req.once("end", () => resolve());
    req.once("close", () => resolve());
    req.once("error", () => resolve());
    req.resume();
  });
}

/**
 * Writes a Fetch API response to Express's response, its body piped with backpressure: the body
 * is pulled only as fast as the socket takes it.
 */
export async function sendResponse(res: Response, response: globalThis.Response): Promise<void> {
  res.statusMessage = response.statusText;
  res.status(response.status);
  // A header the route sets replaces the server's default (Cache-Control); cookies add up.
  for (const [key, value] of response.headers.entries()) {
    if (key.toLowerCase() === "set-cookie") res.append(key, value);
    else res.setHeader(key, value);
  }
  if (!response.body) {
    res.end();
    return;
  }
  const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
  try {
    await pipeline(body, res);
  } catch (error) {
    // The client went away before the end: nothing more to send, nothing to report.
    if ((error as { code?: string }).code === "ERR_STREAM_PREMATURE_CLOSE") return;
    throw error;
  }
}
