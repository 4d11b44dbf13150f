import { existsSync } from "node:fs";
import path from "node:path";
import v8 from "node:v8";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import type { RequestHandler } from "express";
import { ConfigError, env as loadEnv } from "~/env.server";
import {
  databaseFromEnv,
  describeDatabase,
  healthDatabase,
  readReplicaFromEnv,
} from "~/server/db.server";
import { startAggregateDrainer } from "~/server/aggregates.server";
import { startEmailSender } from "~/server/email.server";
import { createLogger } from "~/server/logger.server";
import { prepareDatabase } from "~/server/startup.server";
import { createServerApp } from "./app";
import { mapRouteErrors } from "./resilience";
import { createShutdown, holdStopRequestsWhileStarting } from "./shutdown";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/**
 * How far V8 lets the old generation grow past what was live at its last full collection before
 * the next one: 1.5 times instead of its default of up to 4 times (decision 064). A long download
 * keeps each page of responses alive across a few young-generation collections, so they end up
 * in the old generation; with the default, an export of 100 000 responses took the server from
 * 150 MB to 370 MB before a full collection freed it.
 */
const HEAP_GROWING_PERCENT = 50;

async function main() {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  let config;
  try {
    config = loadEnv();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  const logger = createLogger(config.LOG_LEVEL);
  const starting = holdStopRequestsWhileStarting({ logger });
  if (config.sessionSecretGenerated) {
    logger.warn(
      "SESSION_SECRET is not set: using a generated development secret stored in DATA_DIR; set it in production",
    );
  }

  const db = await databaseFromEnv();
  logger.info("database", { using: describeDatabase() });
  await prepareDatabase(db, config, logger);
  const healthDb = await healthDatabase(db);
  // Dashboards, reports and exports read from DATABASE_REPLICA_URL while it is current.
  const replica = await readReplicaFromEnv(db, logger);
  // Invitations and reminders queued in the outbox go out every 30 s when SMTP_URL is set.
  const stopEmailSender = startEmailSender(db, config, logger);
  // Submissions and erasures reach the dashboard aggregates within about a second.
  const stopAggregateDrainer = startAggregateDrainer(db, logger);

  const production = !process.argv.includes("--dev");
  if (production && !existsSync(path.join(root, "build/server/index.js"))) {
    logger.error(
      "no production build found: run `npm run build` first (or `npm start`, which builds when needed)",
    );
    process.exit(1);
  }
  let build: ServerBuild | (() => Promise<ServerBuild>);
  let devMiddleware: RequestHandler | undefined;
  if (production) {
    build = mapRouteErrors(
      (await import(pathToFileURL(path.join(root, "build/server/index.js")).href)) as ServerBuild,
    );
  } else {
    const vite = await import("vite");
    const viteDevServer = await vite.createServer({ server: { middlewareMode: true } });
    devMiddleware = viteDevServer.middlewares;
    build = async () =>
      mapRouteErrors(
        (await viteDevServer.ssrLoadModule("virtual:remix/server-build")) as ServerBuild,
      );
  }
  const app = createServerApp({
    config,
    logger,
    clientDir: production ? path.join(root, "build/client") : undefined,
    devMiddleware,
    build,
    context: { db, readDb: replica?.db ?? db, replica: replica ?? undefined, healthDb, env: config },
  });

  const server = app.listen(config.PORT, config.HOST, () => {
    logger.info("listening", {
      url: `http://localhost:${config.PORT}`,
      mode: production ? "production" : "development",
    });
  });

  // Stop requests (SIGTERM, SIGINT): finish requests in progress, then close the database.
  const shutdown = createShutdown({
    server,
    logger,
    timeoutMs: config.SHUTDOWN_TIMEOUT * 1000,
    close: async () => {
      stopEmailSender();
      stopAggregateDrainer();
      await replica?.destroy();
      await Promise.all([db.destroy(), healthDb === db ? null : healthDb.destroy()]);
    },
  });
  server.once("listening", () => void starting.handOver(shutdown));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
