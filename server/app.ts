import { randomBytes } from "node:crypto";
import path from "node:path";
import { constants as zlib } from "node:zlib";
import type { ServerBuild } from "@remix-run/node";
import type { AppContext } from "~/context";
import compression from "compression";
import express, { type RequestHandler } from "express";
import type { Env } from "~/env.server";
import type { Logger } from "~/server/logger.server";
import { csrfOriginCheck } from "./csrf";
import { applyTrustProxy, clientAddress, warnUndeclaredProxy } from "./proxy";
import { createRequestHandler } from "./remix-handler";
import { finalErrorHandler } from "./resilience";
import { bodySizeLimit, privatePages, redactPath, refuseMalformedRequests, securityHeaders } from "./security";

export interface ServerAppOptions {
  config: Pick<Env, "NODE_ENV" | "PUBLIC_URL" | "TRUST_PROXY">;
  logger: Logger;
  /**
   * Production: the directory holding build/client, served as static files with the security
   * headers. Unset in development, where `devMiddleware` (Vite) serves the assets.
   */
  clientDir?: string;
  devMiddleware?: RequestHandler;
  /** The Remix build; or, in tests, any handler of pages in its place. */
  build?: ServerBuild | (() => Promise<ServerBuild>);
  pages?: (getLoadContext: (req: express.Request, res: express.Response) => RequestContext) => RequestHandler;
  /** What the load context of the Remix handler holds besides the logger and what the server computes per request. */
  context?: Omit<AppContext, "cspNonce" | "clientIp" | "logger">;
}

/** A response that the browser saves as a file (an export or a report). */
function isDownload(res: express.Response): boolean {
  return /^\s*attachment/i.test(String(res.getHeader("Content-Disposition") ?? ""));
}

/** What the server computes for each request: the CSP nonce and the client address. */
export interface RequestContext {
  cspNonce: string;
  clientIp: string;
}

/**
 * The Express application: request log, security headers (production), refusal of malformed
 * requests, static files, body limit, CSRF origin check, `Cache-Control: private, no-store` for pages,
 * the Remix handler, and the last-resort error handler, in that order.
 */
export function createServerApp(options: ServerAppOptions): express.Express {
  const { config, logger } = options;
  const app = express();
  app.disable("x-powered-by");
  applyTrustProxy(app, config.TRUST_PROXY);
  // Downloads (exports, reports: `Content-Disposition: attachment`) are deflated at the fastest
  // level: a CSV or JSON export runs to hundreds of megabytes, and zlib's default level costs
  // three to four times the CPU for a file about a quarter smaller (the wide CSV of 20 000
  // responses, 13.6 MB: 0.42 s of CPU for 2.4 MB, against 0.11 to 0.14 s for 3.2 MB). Pages keep
  // the default level.
  app.use(compression({ level: zlib.Z_BEST_SPEED, filter: (req, res) => isDownload(res) && compression.filter(req, res) }));
  app.use(compression({ filter: (req, res) => !isDownload(res) && compression.filter(req, res) }));

  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.locals.cspNonce = randomBytes(16).toString("base64");
    res.on("finish", () => {
      logger.info("request", {
        method: req.method,
        path: redactPath(req.path),
        status: res.statusCode,
        durationMs: Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10,
      });
    });
    next();
  });
  app.use(warnUndeclaredProxy(config.TRUST_PROXY, logger));
  // Security headers first, so that every response carries them, refusals included.
  if (options.clientDir !== undefined) app.use(securityHeaders({ hsts: config.NODE_ENV === "production" }));
  app.use(refuseMalformedRequests(logger));

  if (options.clientDir !== undefined) {
    app.use(
      "/assets",
      express.static(path.join(options.clientDir, "assets"), { immutable: true, maxAge: "1y" }),
    );
    app.use(express.static(options.clientDir, { maxAge: "1h" }));
  }
  if (options.devMiddleware) app.use(options.devMiddleware);

  app.use(bodySizeLimit());
  app.use(csrfOriginCheck({ publicUrl: config.PUBLIC_URL }));
  app.use(privatePages());
  const requestContext = (req: express.Request, res: express.Response): RequestContext => ({
    cspNonce: res.locals.cspNonce as string,
    clientIp: clientAddress(req),
  });
  if (options.pages) {
    app.all("*", options.pages(requestContext));
  } else if (options.build && options.context) {
    const context = options.context;
    app.all(
      "*",
      createRequestHandler({
        build: options.build,
        mode: options.clientDir !== undefined ? "production" : "development",
        getLoadContext: (req, res) => ({
          ...context,
          logger,
          ...requestContext(req, res),
        }),
      }),
    );
  }
  app.use(finalErrorHandler(logger));
  return app;
}
