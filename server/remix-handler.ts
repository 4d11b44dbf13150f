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
  const port = (value: string | undefined) => {
    const n = Number.parseInt(value?.split(":")[1] ?? "", 10);
    return Number.isSafeInteger(n) ? n : undefined;
  };
  const p = port(req.get("X-Forwarded-Host")) ?? port(req.get("host"));
  const url = new URL(`${req.protocol}://${req.hostname}${p ? `:${p}` : ""}${req.originalUrl}`);
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
    init.body = createReadableStreamFromReadable(req);
    init.duplex = "half";
  }
  return new globalThis.Request(url.href, init);
}

async function sendResponse(res: Response, response: globalThis.Response): Promise<void> {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
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
