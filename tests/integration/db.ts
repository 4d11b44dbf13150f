import { readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { inject } from "vitest";
import { createDb, type Db, pgliteParsers } from "#db/client";
import type { Database } from "#db/schema";
import { adminUrl, withDatabase } from "./database-urls";

export interface TestDatabase {
  db: Db;
  driver: "pg" | "pglite";
  /** Connection string of the copy (Postgres only), for tests that start a server on it. */
  url?: string;
  close(): Promise<void>;
}

/**
 * A fresh, migrated database of its own for a test file: a Postgres database cloned from the
 * run's template (CREATE DATABASE … TEMPLATE …), or an in-memory PGlite loaded from the
 * template's dump. Nothing is shared between test files.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const target = inject("dbTarget");
  if (target.driver === "pg") {
    const name = `needsmap_t_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: adminUrl(target.url) });
    await admin.connect();
    await admin.query(`create database ${name} template ${target.template}`);
    await admin.end();
    const url = withDatabase(target.url, name);
    const db = await createDb({ driver: "pg", url, poolSize: 5 });
    return {
      db,
      driver: "pg",
      url,
      async close() {
        await db.destroy();
        const a = new pg.Client({ connectionString: adminUrl(target.url) });
        await a.connect();
        await a.query(`drop database if exists ${name} with (force)`);
        await a.end();
      },
    };
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const { PGliteDialect } = await import("kysely-pglite-dialect");
  const blob = new Blob([readFileSync(target.dump)]);
  const client = await PGlite.create({
    loadDataDir: blob,
    parsers: pgliteParsers,
  });
  const db = new Kysely<Database>({ dialect: new PGliteDialect(client) });
  return { db, driver: "pglite", close: () => db.destroy() };
}

/** A Kysely instance on a server that does not answer, for failure tests. */
export function unreachableDb(): Db {
  const pool = new pg.Pool({ connectionString: "postgres://nobody@127.0.0.1:1/none", connectionTimeoutMillis: 500 });
  pool.on("error", () => {});
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
