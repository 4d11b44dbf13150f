import { mkdirSync } from "node:fs";
import { type CompiledQuery, Kysely, PostgresDialect, type Transaction } from "kysely";
import pg from "pg";
import type { Database } from "./schema";

export type DbConfig =
  | {
      driver: "pg";
      url: string;
      poolSize?: number;
      applicationName?: string;
      /** How long a new connection may take before the attempt fails (default 5 000 ms). */
      connectTimeoutMs?: number;
    }
  | {
      driver: "pglite";
      /** Directory for the data files; null keeps everything in memory. */ dataDir: string | null;
    };

export type Db = Kysely<Database>;

// Postgres returns bigint (count(*), sum of integers) and numeric as strings by default.
// Counts in this application stay far below 2^53, so read them as numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number.parseFloat(v));

/** The same number parsing for PGlite as for pg above. */
export const pgliteParsers = {
  20: (v: string) => Number.parseInt(v, 10),
  1700: (v: string) => Number.parseFloat(v),
};

/** The connection pool under each Kysely instance on a PostgreSQL server (for db/replica.ts). */
const pools = new WeakMap<Db, pg.Pool>();

/** The pool of a database created by `createDb` on a server; undefined for PGlite. */
export function poolOf(db: Db): pg.Pool | undefined {
  return pools.get(db);
}

const statementNames = new Map<string, string>();

/**
 * Runs a compiled query as a named prepared statement when `db` is a pool on a PostgreSQL server,
 * so that each connection parses and plans its text once (for the statements of every
 * submission). On PGlite and inside a transaction it runs as any other query. Only for queries
 * whose text is one of a few fixed texts (values are parameters): each text gets its own name.
 */
export async function executePrepared<R>(
  db: Db | Transaction<Database>,
  query: CompiledQuery<R>,
): Promise<R[]> {
  const pool = pools.get(db as Db);
  if (!pool) return (await db.executeQuery(query)).rows;
  let name = statementNames.get(query.sql);
  if (name === undefined) {
    name = `needsmap_${statementNames.size}`;
    statementNames.set(query.sql, name);
  }
  const result = await pool.query({ name, text: query.sql, values: query.parameters as unknown[] });
  return result.rows as R[];
}

/** Picks the driver for a connection string: postgres://… uses pg, nothing uses embedded PGlite. */
export function dbConfigFromUrl(url: string | undefined, dataDir: string | null): DbConfig {
  return url ? { driver: "pg", url } : { driver: "pglite", dataDir };
}

/**
 * The one place that knows which driver runs underneath. Everything else sees a Kysely
 * instance with the same behaviour on both.
 */
export async function createDb(config: DbConfig): Promise<Db> {
  if (config.driver === "pg") {
    const pool = new pg.Pool({
      connectionString: config.url,
      max: config.poolSize ?? 10,
      application_name: config.applicationName ?? "needsmap",
      connectionTimeoutMillis: config.connectTimeoutMs ?? 5_000,
      idleTimeoutMillis: 30_000,
    });
    // An idle client that loses its connection (server restart) must not crash the process;
    // the pool drops it and the next query opens a new connection.
    pool.on("error", () => {});
    // The same for a client that is checked out (in a transaction, between two statements): the
    // pool listens only to idle clients, and an 'error' event without a listener ends the process.
    // The client's next query fails, and the pool discards it on release (it is not queryable).
    pool.on("connect", (client) => client.on("error", () => {}));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    pools.set(db, pool);
    return db;
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const { PGliteDialect } = await import("kysely-pglite-dialect");
  if (config.dataDir) mkdirSync(config.dataDir, { recursive: true });
  const client = await PGlite.create(config.dataDir ?? undefined, { parsers: pgliteParsers });
  return new Kysely<Database>({ dialect: new PGliteDialect(client) });
}
