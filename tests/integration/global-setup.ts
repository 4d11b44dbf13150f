import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { createDb } from "#db/client";
import { migrateToLatest } from "#db/migrate";
import { adminUrl, templateName } from "./database-urls";

/**
 * Prepares one migrated template per run: a Postgres database (when TEST_DATABASE_URL is set)
 * or a dumped PGlite data directory. Each test file then gets its own copy.
 */
export default async function setup(project: TestProject) {
  const url = process.env.TEST_DATABASE_URL;
  const runId = `${process.pid}_${Date.now().toString(36)}`;
  if (url) {
    const pg = (await import("pg")).default;
    const admin = new pg.Client({ connectionString: adminUrl(url) });
    await admin.connect();
    const template = templateName(runId);
    await admin.query(`drop database if exists ${template}`);
    await admin.query(`create database ${template}`);
    const u = new URL(url);
    u.pathname = `/${template}`;
    const db = await createDb({ driver: "pg", url: u.toString(), poolSize: 2 });
    await migrateToLatest(db);
    await db.destroy();
    project.provide("dbTarget", { driver: "pg", url, template });
    return async () => {
      await admin.query(`drop database if exists ${template} with (force)`);
      await admin.end();
    };
  }
  const dir = mkdtempSync(path.join(tmpdir(), "needsmap-it-"));
  const { PGlite } = await import("@electric-sql/pglite");
  const { PGliteDialect } = await import("kysely-pglite-dialect");
  const { Kysely } = await import("kysely");
  const client = await PGlite.create();
  const db = new Kysely<unknown>({ dialect: new PGliteDialect(client) });
  await migrateToLatest(db);
  const dump = await client.dumpDataDir("none");
  const file = path.join(dir, "template.tar");
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await db.destroy();
  project.provide("dbTarget", { driver: "pglite", dump: file });
  return () => rmSync(dir, { recursive: true, force: true });
}

declare module "vitest" {
  export interface ProvidedContext {
    dbTarget: { driver: "pg"; url: string; template: string } | { driver: "pglite"; dump: string };
  }
}
