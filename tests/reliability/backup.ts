/**
 * Backup and restore, as docs/operations.md describes them:
 * - PostgreSQL: `pg_dump -Fc` of the live database (while the app runs), `pg_restore` into a new
 *   database, then the same tables with the same rows (row counts and a checksum per table);
 * - embedded PGlite: stop the app, copy DATA_DIR, start an app on the copy: every response is
 *   there (a retried submission returns the same reference) and the copy takes new ones.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { createApp } from "./lib/app";
import type { PrivatePostgres } from "./lib/postgres";
import { drawResponse, type LoadSurvey } from "./lib/respondents";
import { log, onCleanup } from "./lib/util";

export interface BackupResult {
  name: string;
  ok: boolean;
  detail: string;
  seconds: number;
}

/** Row count and checksum of every table of the public schema. */
export async function tableFingerprints(url: string): Promise<Map<string, string>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>(
      "select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name",
    );
    const out = new Map<string, string>();
    for (const { table_name } of tables.rows) {
      const r = await client.query<{ n: string; sum: string | null }>(
        `select count(*)::text as n, md5(string_agg(t::text, '|' order by t::text)) as sum from "${table_name}" t`,
      );
      out.set(table_name, `${r.rows[0].n} rows, md5 ${r.rows[0].sum ?? "-"}`);
    }
    return out;
  } finally {
    await client.end();
  }
}

/** pg_dump -Fc → pg_restore into a new database → identical tables. */
export async function dumpAndRestore(pgServer: PrivatePostgres, database: string): Promise<BackupResult> {
  const started = Date.now();
  const dir = mkdtempSync(path.join(tmpdir(), "needsmap-dump-"));
  onCleanup("dump directory", () => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, "needsmap.dump");
  execFileSync(pgServer.bin("pg_dump"), ["-Fc", "--no-owner", "-f", file, pgServer.url(database)], { stdio: "pipe" });
  const before = await tableFingerprints(pgServer.url(database));
  const admin = new pg.Client({ connectionString: pgServer.url("postgres") });
  await admin.connect();
  await admin.query("drop database if exists needsmap_restored");
  await admin.query("create database needsmap_restored");
  await admin.end();
  execFileSync(pgServer.bin("pg_restore"), ["--no-owner", "--exit-on-error", "-d", pgServer.url("needsmap_restored"), file], { stdio: "pipe" });
  const after = await tableFingerprints(pgServer.url("needsmap_restored"));
  const differences = [...new Set([...before.keys(), ...after.keys()])].filter((t) => before.get(t) !== after.get(t));
  const responses = before.get("responses") ?? "?";
  const answers = before.get("answers") ?? "?";
  return {
    name: "pg_dump -Fc / pg_restore into a new database: same tables, same rows",
    ok: differences.length === 0 && before.size > 5,
    detail: differences.length
      ? `differs: ${differences.join(", ")}`
      : `${before.size} tables identical; responses ${responses.split(",")[0]}, answers ${answers.split(",")[0]}`,
    seconds: (Date.now() - started) / 1000,
  };
}

/** The embedded default: stop the app, copy DATA_DIR, start on the copy. */
export async function copyEmbeddedDataDir(appDir: string, survey: LoadSurvey): Promise<BackupResult> {
  const started = Date.now();
  const dataDir = mkdtempSync(path.join(tmpdir(), "needsmap-data-"));
  const copyDir = `${dataDir}-copy`;
  onCleanup("embedded data directories", () => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(copyDir, { recursive: true, force: true });
  });
  const original = await createApp({ name: "embedded app", appDir, dataDir });
  await original.start();
  const submitted: Array<{ body: string; reference: string }> = [];
  for (let i = 0; i < 3; i++) {
    const { locale, raw } = drawResponse(survey.def, 9000 + i);
    const body = JSON.stringify({ idempotencyKey: randomUUID(), locale, answers: raw });
    const res = await fetch(`${original.origin}/api/surveys/${survey.slug}/responses`, {
      method: "POST",
      body,
      headers: { "Content-Type": "application/json", Origin: original.origin },
    });
    const reply = (await res.json()) as { reference?: string };
    if (res.status !== 201 || !reply.reference) throw new Error(`embedded submit: ${res.status} ${JSON.stringify(reply)}`);
    submitted.push({ body, reference: reply.reference });
  }
  await original.stop();
  cpSync(dataDir, copyDir, { recursive: true });
  log("embedded data directory copied while the app was stopped; starting an app on the copy");
  const restored = await createApp({ name: "app on the copy", appDir, dataDir: copyDir });
  await restored.start();
  let same = 0;
  for (const s of submitted) {
    const res = await fetch(`${restored.origin}/api/surveys/${survey.slug}/responses`, {
      method: "POST",
      body: s.body,
      headers: { "Content-Type": "application/json", Origin: restored.origin },
    });
    const reply = (await res.json()) as { reference?: string };
    if (res.status === 200 && reply.reference === s.reference) same++;
  }
  const { locale, raw } = drawResponse(survey.def, 9100);
  const fresh = await fetch(`${restored.origin}/api/surveys/${survey.slug}/responses`, {
    method: "POST",
    body: JSON.stringify({ idempotencyKey: randomUUID(), locale, answers: raw }),
    headers: { "Content-Type": "application/json", Origin: restored.origin },
  });
  await restored.stop();
  return {
    name: "embedded PGlite: copy DATA_DIR with the app stopped, start on the copy",
    ok: same === submitted.length && fresh.status === 201,
    detail: `${same}/${submitted.length} submissions found on the copy (same reference on retry); a new one: ${fresh.status}`,
    seconds: (Date.now() - started) / 1000,
  };
}
