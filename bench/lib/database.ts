/** The benchmark's own database on the Postgres server named by DATABASE_URL / TEST_DATABASE_URL. */
import { sql } from "kysely";
import pg from "pg";
import { createDb, type Db } from "#db/client";
import { migrateToLatest } from "#db/migrate";
import { syncSurveyDirectory } from "~/server/surveys.server";
import { upsertWorkingGroups } from "~/server/working-groups.server";
import { cpuMsOf } from "./server";
import { log, onCleanup } from "./util";

export class SetupError extends Error {}

/** The server URL to work on, or a clear error when none is configured. */
export function serverUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const url = env.DATABASE_URL?.trim() || env.TEST_DATABASE_URL?.trim();
  if (!url) {
    throw new SetupError(
      "No PostgreSQL server configured: set DATABASE_URL or TEST_DATABASE_URL, e.g.\n" +
        "  TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench\n" +
        "The benchmark creates its own database on that server and drops it at the end.",
    );
  }
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new SetupError(
      `The database URL must start with postgres:// (the benchmark needs a real PostgreSQL server), got ${url.replace(/:[^:@/]*@/, ":***@")}`,
    );
  }
  return url;
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

function redact(url: string): string {
  return url.replace(/:[^:@/]*@/, ":***@");
}

async function admin<T>(serverUrl: string, f: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({
    connectionString: serverUrl,
    application_name: "needsmap-bench-admin",
    connectionTimeoutMillis: 10_000,
  });
  try {
    await client.connect();
  } catch (e) {
    throw new SetupError(
      `Cannot connect to ${redact(serverUrl)}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  try {
    return await f(client);
  } finally {
    await client.end().catch(() => {});
  }
}

export interface BenchDatabase {
  name: string;
  url: string;
  postgresVersion: string;
  /** Kysely on the bench database (what the app's server modules take). */
  db: Db;
  drop(): Promise<void>;
}

/**
 * Creates `needsmap_bench_<pid>`, migrates it and loads the working groups and the bundled
 * questionnaires, exactly as the app does at start. Dropped at the end, also on failure.
 * With `keep`, that database instead: created when missing, brought up to date, never dropped.
 */
export async function createBenchDatabase(
  serverUrl: string,
  keep: string | null = null,
): Promise<BenchDatabase> {
  const name = keep ?? `needsmap_bench_${process.pid}`;
  const postgresVersion = await admin(serverUrl, async (c) => {
    const v = await c.query<{ server_version: string }>("show server_version");
    if (keep) {
      const found = await c.query("select 1 from pg_database where datname = $1", [name]);
      if (found.rowCount === 0) await c.query(`create database ${name}`);
    } else {
      await c.query(`drop database if exists ${name} with (force)`);
      await c.query(`create database ${name}`);
    }
    return v.rows[0].server_version;
  });
  let dropped = false;
  const opened: { db?: Db } = {};
  const drop = async () => {
    if (dropped) return;
    dropped = true;
    await opened.db?.destroy().catch(() => {});
    if (keep) {
      log(`kept database ${name}`);
      return;
    }
    await admin(serverUrl, (c) => c.query(`drop database if exists ${name} with (force)`));
    log(`dropped database ${name}`);
  };
  onCleanup(keep ? `close database ${name}` : `drop database ${name}`, drop);
  const url = withDatabase(serverUrl, name);
  const db = await createDb({ driver: "pg", url, poolSize: 10, applicationName: "needsmap-bench" });
  opened.db = db;
  await migrateToLatest(db);
  await upsertWorkingGroups(db);
  const report = await syncSurveyDirectory(db, "surveys");
  if (report.problems.length > 0) {
    throw new SetupError(
      `surveys/ has problems: ${report.problems.map((p) => `${p.file}:${p.line} ${p.message}`).join("; ")}`,
    );
  }
  log(
    `${keep ? "opened" : "created"} database ${name} on ${redact(serverUrl)} (PostgreSQL ${postgresVersion})`,
  );
  return { name, url, postgresVersion, db, drop };
}

/**
 * The seeding records of a kept database (--keep-database): what each stage seeded and how long
 * it took, stored with the date and load of the run that seeded it, so that a later run that
 * uses the data set again reports them.
 */
export async function seededStage<T>(
  db: Db,
  stage: string,
  target: number,
  surveyId: number,
): Promise<{ records: T[]; seededAt: string; loadAverage: number[]; responses: number } | null> {
  await sql`create table if not exists bench_seeding (
    stage text primary key, target integer not null, records jsonb not null,
    seeded_at timestamptz not null default now(), load_average jsonb not null)`.execute(db);
  const row = await sql<{
    target: number;
    records: T[];
    seeded_at: Date;
    load_average: number[];
  }>`select target, records, seeded_at, load_average from bench_seeding where stage = ${stage}`.execute(
    db,
  );
  const found = row.rows[0];
  if (!found || found.target !== target) return null;
  // The data set is still there (no other section cleared it).
  const count = await sql<{ n: string }>`select count(*) as n from responses
    where survey_id = ${surveyId} and status = 'submitted'`.execute(db);
  const responses = Number(count.rows[0].n);
  if (responses < target) return null;
  return {
    responses,
    records: found.records,
    seededAt: found.seeded_at.toISOString(),
    loadAverage: found.load_average,
  };
}

export async function recordSeededStage(
  db: Db,
  stage: string,
  target: number,
  records: unknown[],
  loadAverage: number[],
): Promise<void> {
  await sql`insert into bench_seeding (stage, target, records, load_average)
    values (${stage}, ${target}, ${JSON.stringify(records)}::jsonb, ${JSON.stringify(loadAverage)}::jsonb)
    on conflict (stage) do update set target = excluded.target, records = excluded.records,
      seeded_at = now(), load_average = excluded.load_average`.execute(db);
}

/**
 * CPU time used so far by the Postgres backends connected to the bench database (when the
 * server runs on this machine and /proc shows its processes), in milliseconds; null otherwise.
 * Compared before and after a load, it gives the database's work per response.
 */
export async function backendCpuMs(db: Db): Promise<number | null> {
  const { rows } = await sql<{
    pid: number;
  }>`select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`.execute(
    db,
  );
  let total = 0;
  let readable = 0;
  for (const { pid } of rows) {
    const ms = cpuMsOf(pid);
    if (ms === null) continue;
    total += ms;
    readable++;
  }
  return readable > 0 ? total : null;
}

/**
 * Waits until no response has been added for a second (requests a load generator gave up on
 * may still be running in the server), at most `maxMs`.
 */
export async function waitForQuiet(db: Db, maxMs = 60_000): Promise<void> {
  const count = async () =>
    Number((await sql<{ n: string }>`select count(*) as n from responses`.execute(db)).rows[0].n);
  const deadline = Date.now() + maxMs;
  let last = await count();
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 1_000));
    const now = await count();
    if (now === last) return;
    last = now;
  }
}

/** Removes every response (and its answers): between sections, so each starts from a known state. */
export async function clearResponses(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(
      "truncate answer_tags, answers, responses, dashboard_aggregates, aggregate_queue, aggregate_queue_answers cascade",
    );
  } finally {
    await c.end();
  }
}
