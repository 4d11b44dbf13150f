import path from "node:path";
import { createDb, type Db, dbConfigFromUrl } from "#db/client";
import { createReadReplica, type ReadReplica } from "#db/replica";
import { env } from "~/env.server";
import type { Logger } from "~/server/logger.server";

/** The database described by the environment: DATABASE_URL, else PGlite in DATA_DIR. */
export function databaseFromEnv(): Promise<Db> {
  const e = env();
  return createDb(dbConfigFromUrl(e.DATABASE_URL, path.resolve(e.DATA_DIR, "pglite")));
}

/**
 * The database connection /healthz asks: on a server, a one-connection pool apart from the
 * requests' pool; the embedded database is one in-process instance, so `db` itself.
 */
export async function healthDatabase(db: Db): Promise<Db> {
  const e = env();
  if (!e.DATABASE_URL) return db;
  return createDb({
    driver: "pg",
    url: e.DATABASE_URL,
    poolSize: 1,
    applicationName: "needsmap-health",
  });
}

/**
 * The read replica named by DATABASE_REPLICA_URL, looked at once and then every second; null
 * when it is not set. Its state changes go to the log (once per change).
 */
export async function readReplicaFromEnv(db: Db, logger: Logger): Promise<ReadReplica | null> {
  const e = env();
  if (!e.DATABASE_REPLICA_URL) return null;
  const replica = createReadReplica(db, {
    url: e.DATABASE_REPLICA_URL,
    maxLagSeconds: e.REPLICA_MAX_LAG,
    log: logger,
  });
  await replica.check();
  replica.start();
  return replica;
}

function describeUrl(url: string): string {
  const u = new URL(url);
  return `PostgreSQL at ${u.hostname}:${u.port || 5432}${u.pathname}`;
}

export function describeDatabase(): string {
  const e = env();
  if (!e.DATABASE_URL) return `embedded PGlite in ${path.resolve(e.DATA_DIR, "pglite")}`;
  const primary = describeUrl(e.DATABASE_URL);
  return e.DATABASE_REPLICA_URL ? `${primary}, read replica ${describeUrl(e.DATABASE_REPLICA_URL)}` : primary;
}
