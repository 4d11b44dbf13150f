import path from "node:path";
import { createDb, type Db, dbConfigFromUrl } from "#db/client";
import { env } from "~/env.server";

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

export function describeDatabase(): string {
  const e = env();
  if (!e.DATABASE_URL) return `embedded PGlite in ${path.resolve(e.DATA_DIR, "pglite")}`;
  const u = new URL(e.DATABASE_URL);
  return `PostgreSQL at ${u.hostname}:${u.port || 5432}${u.pathname}`;
}
