/**
 * Fast seeding of submitted responses: a pool of distinct generated responses (validated like
 * real submissions) is stored once in temporary tables, then written out in batches of 2 000
 * responses, each batch one INSERT … SELECT statement (responses and answer rows) fed by
 * unnest() of arrays of ids, pool indexes and dates: no per-row round trips, no extra package.
 * Large loads also drop the secondary indexes of `answers` and rebuild them afterwards.
 */
import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import pg from "pg";
import type { Db } from "#db/client";
import { reaggregate } from "~/server/aggregates.server";
import { rng } from "~/server/demo.server";
import { packedValuesText } from "~/survey/storage";
import { type BenchSurvey, naturalResponses, type Payload } from "./payload";
import { round } from "./util";

/**
 * The pool goes into two temporary tables once; each batch then sends only ids, pool indexes
 * and dates, and one statement writes the responses and their answer rows.
 */
const CREATE_POOL = [
  `create temporary table bench_pool_responses (k int primary key, locale text, country text, country_group text, org_type text, sector text, answer_values json)`,
  `create temporary table bench_pool_answers (k int, ord int, question_key text, item text, option_code text, value_num float8, value_text text, value_json jsonb)`,
];
const FILL_POOL_RESPONSES = `insert into bench_pool_responses select * from unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::json[])`;
const FILL_POOL_ANSWERS = `insert into bench_pool_answers select * from unnest($1::int[], $2::int[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::text[], $8::jsonb[])`;

const INSERT_BATCH = `with u as (
    select * from unnest($3::uuid[], $4::int[], $5::timestamptz[], $6::timestamptz[]) with ordinality as u(id, k, started, submitted, n)
  ), r as (
    insert into responses (id, survey_id, survey_version_id, locale, status, idempotency_key, reference,
      current_page, started_at, updated_at, submitted_at, country, country_group, org_type, sector, answer_values)
    select u.id, $1::int, $2::int, p.locale, 'submitted', 'seed-' || $1::int || '-' || ($7::int + u.n),
      'S' || $1::int || '-' || ($7::int + u.n), '@review', u.started, u.submitted, u.submitted,
      p.country, p.country_group, p.org_type, p.sector, p.answer_values
    from u join bench_pool_responses p on p.k = u.k
    order by u.n
    returning 1
  ), a as (
    insert into answers (response_id, survey_id, question_key, item, option_code, value_num, value_text, value_json)
    select u.id, $1::int, x.question_key, x.item, x.option_code, x.value_num, x.value_text, x.value_json
    from u join bench_pool_answers x on x.k = u.k
    order by u.n, x.ord
    returning 1
  )
  select (select count(*) from r)::int as responses, (select count(*) from a)::int as answers`;

export interface SeedResult {
  responses: number;
  answerRows: number;
  seconds: number;
  responsesPerSecond: number;
  answerRowsPerSecond: number;
}

const BATCH = 2_000;
const DAYS = 120;

/** Distinct generated responses per survey; larger data sets repeat them with new ids and dates. */
export function poolSize(count: number): number {
  return Math.min(count, 1_500);
}

/**
 * Adds `count` submitted responses to a survey. `offset` numbers them after those already
 * added (idempotency keys and references stay unique). While the database inserts a batch,
 * the next one is prepared.
 */
export async function seedResponses(
  url: string,
  survey: BenchSurvey,
  count: number,
  {
    offset = 0,
    pool,
    seed = 7,
  }: { offset?: number; pool?: readonly Payload[]; seed?: number } = {},
): Promise<SeedResult> {
  const started = performance.now();
  const responses = pool ?? naturalResponses(survey.def, poolSize(count), seed);
  const r = rng(seed + offset);
  const now = Date.now();
  const client = new pg.Client({ connectionString: url, application_name: "needsmap-bench-seed" });
  await client.connect();
  let answerRows = 0;
  try {
    // A benchmark database: losing the last commits in a crash does not matter.
    await client.query("set synchronous_commit = off");
    // Bulk rows skip the aggregate queue's triggers (and foreign-key checks: the rows are made
    // valid); the caller rebuilds the dashboard aggregates once afterwards (rebuildAggregates).
    await client.query("set session_replication_role = replica");
    for (const statement of CREATE_POOL) await client.query(statement);
    await client.query(FILL_POOL_RESPONSES, [
      responses.map((_, k) => k),
      responses.map((p) => p.locale),
      responses.map((p) => p.profile.country),
      responses.map((p) => p.profile.country_group),
      responses.map((p) => p.profile.org_type),
      responses.map((p) => p.profile.sector),
      // Packed as a submission packs them (storeSubmission).
      responses.map((p) => packedValuesText(p.rows)),
    ]);
    const pa: [
      number[],
      number[],
      string[],
      (string | null)[],
      (string | null)[],
      (number | null)[],
      (string | null)[],
      (string | null)[],
    ] = [[], [], [], [], [], [], [], []];
    responses.forEach((p, k) =>
      p.rows.forEach((row, ord) => {
        pa[0].push(k);
        pa[1].push(ord);
        pa[2].push(row.questionKey);
        pa[3].push(row.item);
        pa[4].push(row.optionCode);
        pa[5].push(row.valueNum);
        pa[6].push(row.valueText);
        pa[7].push(
          row.valueJson === null || row.valueJson === undefined
            ? null
            : JSON.stringify(row.valueJson),
        );
      }),
    );
    await client.query(FILL_POOL_ANSWERS, pa);
    await client.query("analyze bench_pool_responses, bench_pool_answers");

    for (let done = 0; done < count;) {
      const n = Math.min(BATCH, count - done);
      const ids: string[] = [];
      const ks: number[] = [];
      const startedAt: string[] = [];
      const submittedAt: string[] = [];
      for (let i = 0; i < n; i++) {
        const submitted = now - Math.pow(r.next(), 0.7) * DAYS * 86_400_000;
        ids.push(randomUUID());
        ks.push((offset + done + i) % responses.length);
        startedAt.push(new Date(submitted - r.int(6, 40) * 60_000).toISOString());
        submittedAt.push(new Date(submitted).toISOString());
      }
      const res = await client.query<{ responses: number; answers: number }>(INSERT_BATCH, [
        survey.id,
        survey.versionId,
        ids,
        ks,
        startedAt,
        submittedAt,
        offset + done,
      ]);
      answerRows += res.rows[0].answers;
      done += n;
    }
  } finally {
    await client.end().catch(() => {});
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    responses: count,
    answerRows,
    seconds: round(seconds, 2),
    responsesPerSecond: round(count / seconds, 0),
    answerRowsPerSecond: round(answerRows / seconds, 0),
  };
}

/**
 * Runs a bulk load with the secondary indexes and the foreign keys of `answers` removed, then
 * puts them back exactly as they were (from their definitions in the catalog): building an
 * index once is several times faster than updating it row by row. Primary keys and unique
 * constraints stay in place.
 */
export async function withoutAnswerIndexes<T>(
  url: string,
  f: () => Promise<T>,
): Promise<{ result: T; rebuildSeconds: number }> {
  const client = new pg.Client({
    connectionString: url,
    application_name: "needsmap-bench-indexes",
  });
  await client.connect();
  try {
    const indexes = await client.query<{ name: string; def: string }>(
      `select i.relname as name, pg_get_indexdef(x.indexrelid) as def
       from pg_index x join pg_class i on i.oid = x.indexrelid
       where x.indrelid = 'answers'::regclass and not x.indisprimary and not x.indisunique
         and not exists (select 1 from pg_constraint c where c.conindid = x.indexrelid)`,
    );
    const fks = await client.query<{ name: string; def: string }>(
      `select conname as name, pg_get_constraintdef(oid) as def from pg_constraint where conrelid = 'answers'::regclass and contype = 'f'`,
    );
    for (const fk of fks.rows)
      await client.query(`alter table answers drop constraint "${fk.name}"`);
    for (const ix of indexes.rows) await client.query(`drop index "${ix.name}"`);
    const restore = async () => {
      const t0 = performance.now();
      await client.query("set maintenance_work_mem = '256MB'");
      for (const ix of indexes.rows) await client.query(ix.def);
      for (const fk of fks.rows)
        await client.query(`alter table answers add constraint "${fk.name}" ${fk.def}`);
      return round((performance.now() - t0) / 1000, 2);
    };
    let result: T;
    try {
      result = await f();
    } catch (e) {
      await restore().catch(() => {});
      throw e;
    }
    return { result, rebuildSeconds: await restore() };
  } finally {
    await client.end().catch(() => {});
  }
}

/** Up-to-date planner statistics and visibility map after a bulk load (what autovacuum would reach). */
export async function vacuumAnalyze(url: string): Promise<number> {
  const started = performance.now();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("vacuum (analyze) responses, answers");
  } finally {
    await client.end().catch(() => {});
  }
  return round((performance.now() - started) / 1000, 2);
}

/**
 * Rebuilds the dashboard aggregates from the answers (npm run db:reaggregate), after a bulk
 * load that skipped the queue; returns the time and the aggregates' size on disk.
 */
export async function rebuildAggregates(
  db: Db,
): Promise<{ seconds: number; rows: number; bytes: number }> {
  const started = performance.now();
  const { rows } = await reaggregate(db);
  const seconds = round((performance.now() - started) / 1000, 2);
  // Measured as the table of a database that built its aggregates once (a rebuild leaves the
  // old rows behind until vacuum reuses their space).
  await sql`vacuum (full, analyze) dashboard_aggregates`.execute(db);
  const size = await sql<{ bytes: string }>`
    select pg_total_relation_size('dashboard_aggregates')::text as bytes`.execute(db);
  return { seconds, rows, bytes: Number(size.rows[0]?.bytes ?? 0) };
}
