import { type RawBuilder, sql } from "kysely";
import type { Db } from "#db/client";
import { PRIORITY_FACTOR } from "~/survey/scoring";
import type { Logger } from "./logger.server";

/**
 * The dashboard aggregates (decision 045, table `dashboard_aggregates`): per survey version,
 * facet, key and margin, the counts and sums from which the dashboard figures are finished.
 *
 * One query text, `contributions`, says what a set of responses adds to the aggregates. It is
 * used three ways: by the drainer (the responses queued since the last drain, +1 for a
 * submission, −1 for a deletion), by the rebuild (every submitted response), and by every
 * dashboard read, which adds the contributions of the entries still queued to the stored rows
 * (so a figure includes every committed submission, on any instance, without waiting for the
 * drainer and without writing).
 *
 * Margins: each response counts once over all respondents (dim = '') and once in each of its
 * profile dimensions (dim = country_group, country, org_type, sector; dim_value = its value).
 * The unfiltered view and a view with one profile filter read only those rows; views with two
 * or more profile filters or a date range read the answers (dashboards.server.ts).
 */

/** The question key of the shared need categories' aggregate rows (no question has it). */
export const SHARED_NEEDS_KEY = "_shared";

/** The advisory lock of the aggregates: exclusive for draining and rebuilding, shared for deletions (trigger). */
export const AGGREGATE_LOCK = 7413001;

/** The profile dimensions the aggregates keep margins for (the filters' columns of `responses`). */
export const MARGIN_DIMENSIONS = ["country_group", "country", "org_type", "sector"] as const;
export type MarginDimension = (typeof MARGIN_DIMENSIONS)[number];

/** The facets of the aggregates (what each holds: `contributions`). */
export const FACETS = [
  "week",
  "profile",
  "count",
  "resp",
  "need",
  "need_answered",
  "borich",
  "shared_need",
  "shared_answered",
] as const;
export type Facet = (typeof FACETS)[number];

/** Which rows of the aggregates a view reads: dim '' (everyone) or one dimension's value. */
export interface Margin {
  dim: "" | MarginDimension;
  value: string;
}

export const AGGREGATE_COLUMNS = [
  "survey_id",
  "survey_version_id",
  "facet",
  "dim",
  "dim_value",
  "question_key",
  "item",
  "code",
  "value",
  "cg",
  "n",
  "e",
  "x",
  "xx",
  "y",
  "yy",
  "z",
  "zz",
] as const;
const columns = sql.raw(AGGREGATE_COLUMNS.join(", "));

/** The columns of a response that every contribution row carries (its key and its margins). */
const R =
  "response_id, sign, survey_id, survey_version_id, country, country_group, org_type, sector";
const cols = (alias: string) =>
  sql.raw(
    R.split(", ")
      .map((c) => `${alias}.${c}`)
      .join(", "),
  );

/**
 * The margins as grouping sets: one pass over the rows sums every key once over everyone and
 * once per value of each profile dimension (no copy of each row per margin). `marginOf` names
 * the set a result row belongs to; a response without a value in a dimension is in no margin of
 * it (dim_value null: dropped by the caller).
 */
const marginSets = (alias: string) =>
  sql.raw(`grouping sets ((), ${MARGIN_DIMENSIONS.map((d) => `(${alias}.${d})`).join(", ")})`);
const marginOf = (alias: string) =>
  sql.raw(
    `case ${MARGIN_DIMENSIONS.map((d) => `when grouping(${alias}.${d}) = 0 then '${d}'`).join(" ")} else '' end as dim, ` +
      `case ${MARGIN_DIMENSIONS.map((d) => `when grouping(${alias}.${d}) = 0 then ${alias}.${d}`).join(" ")} else '' end as dim_value`,
  );

/**
 * What the responses of `r` add to the aggregates (negative for sign −1), grouped by key.
 * `r`: response_id, sign, survey_id, survey_version_id, submitted_at, country, country_group,
 * org_type, sector; a response may be there twice, −1 with its old profile and answers and +1
 * with its new ones. `a`: their answer rows, each with the columns of its response but
 * submitted_at (response_id, sign, survey_id, survey_version_id, country, country_group,
 * org_type, sector, question_key, item, option_code, value_num, value_json). The caller joins
 * answers to responses or queue entries where the planner knows their sizes; nothing here joins
 * two of these row sets again.
 *
 * Facets (docs/statistics.md for the figures they give):
 * - week: code = Monday (UTC) of the submission; n responses.
 * - profile: item = dimension, code = the response's value (null kept); n responses.
 * - count: answer rows without value_json (every type but need lists) by (question_key, item,
 *   code = option_code, value = value_num); n rows. Per-value counts: scale, matrix, ranking
 *   medians and number percentiles stay exact.
 * - resp: respondents with any row of question_key.
 * - need: per (question_key, item = horizon or null for both, code = category, cg = '' or the
 *   respondent's country group): n respondents, e entries, x/y/z sums of each respondent's mean
 *   urgency, importance and priority (the respondent is the unit), xx/yy/zz sums of squares.
 * - need_answered: respondents who named a need (item null) or a need of horizon item.
 * - borich: per (question_key, item = statement) respondents who rated both; x importance,
 *   y current level, z importance − current, with squares.
 * - shared_need, shared_answered: need and need_answered with the shared category of each
 *   entry's category (need_shared_categories, the need taxonomy) in place of the category and
 *   question_key SHARED_NEEDS_KEY: a respondent who named two categories of one shared category
 *   is one respondent of it, with the mean of those entries. Entries of a category without a
 *   shared category are left out.
 * With `facets`, only those facets are computed (and only the row sets they need): a read that
 * folds in the queue for one facet plans a statement a fraction of the size of all of them.
 * Sums are numeric, so adding and subtracting responses is exact.
 */
export function contributions(
  r: RawBuilder<unknown>,
  a: RawBuilder<unknown>,
  { facets = FACETS }: { facets?: readonly Facet[] } = {},
) {
  const wanted = new Set<Facet>(facets);
  const factor = sql.lit(PRIORITY_FACTOR);
  /** A respondent's mean urgency, importance and priority over the need entries of a group. */
  const means = (t: string) => {
    const u = sql.raw(`(${t}.value_json ->> 'urgency')::float8`);
    const i = sql.raw(`(${t}.value_json ->> 'importance')::float8`);
    return sql`count(*) as e, avg(${u})::numeric as u, avg(${i})::numeric as i,
             avg(${u} * ${i} * ${factor})::numeric as p`;
  };
  const hz = (t: string) => sql.raw(`${t}.value_json ->> 'horizon'`);
  // The row sets between the answers and the facets, each computed when a wanted facet reads it.
  const steps: RawBuilder<unknown>[] = [];
  // Need entries by the shared category of their category (need_shared_categories).
  if (wanted.has("shared_need") || wanted.has("shared_answered"))
    steps.push(sql`
    sm as (
      select ${cols("a")}, m.shared, a.value_json
      from a join need_shared_categories m
        on m.survey_version_id = a.survey_version_id and m.question_key = a.question_key
       and m.code = a.option_code
      where a.value_json is not null)`);
  if (wanted.has("shared_need"))
    steps.push(sql`
    sb as (
      select ${cols("sm")}, ${SHARED_NEEDS_KEY}::text as k, sm.shared as cat,
             ${hz("sm")} as hz, grouping(${hz("sm")}) as all_hz, ${means("sm")}
      from sm
      group by grouping sets ((${cols("sm")}, sm.shared, ${hz("sm")}), (${cols("sm")}, sm.shared)))`);
  if (wanted.has("shared_answered"))
    steps.push(sql`
    sa as (
      select ${cols("sm")}, ${SHARED_NEEDS_KEY}::text as k, ${hz("sm")} as hz,
             grouping(${hz("sm")}) as all_hz
      from sm
      group by grouping sets ((${cols("sm")}), (${cols("sm")}, ${hz("sm")})))`);
  if (wanted.has("need"))
    steps.push(sql`
    nb as (
      select ${cols("a")}, a.question_key as k, a.option_code as cat,
             ${hz("a")} as hz, grouping(${hz("a")}) as all_hz, ${means("a")}
      from a where a.value_json is not null
      group by grouping sets ((${cols("a")}, a.question_key, a.option_code, ${hz("a")}),
                              (${cols("a")}, a.question_key, a.option_code)))`);
  if (wanted.has("need_answered"))
    steps.push(sql`
    na as (
      select ${cols("a")}, a.question_key as k, ${hz("a")} as hz, grouping(${hz("a")}) as all_hz
      from a where a.value_json is not null
      group by grouping sets ((${cols("a")}, a.question_key),
                              (${cols("a")}, a.question_key, ${hz("a")})))`);
  /** Respondents who named a need (item null) or a need of horizon item. */
  const answered = (t: string, facet: string) =>
    sql`select ${cols(t)}, ${facet}::text, ${sql.raw(t)}.k, case when ${sql.raw(t)}.all_hz = 1 then null else ${sql.raw(t)}.hz end,
             null::text, null::float8, 1::bigint
      from ${sql.raw(t)} where ${sql.raw(t)}.all_hz = 1 or ${sql.raw(t)}.hz is not null`;
  /** A respondent's means, over all respondents (cg '') and in their country group. */
  const scored = (t: string, facet: string) =>
    sql`select ${cols(t)}, ${facet}::text, ${sql.raw(t)}.k,
             case when ${sql.raw(t)}.all_hz = 1 then null else ${sql.raw(t)}.hz end,
             ${sql.raw(t)}.cat, c.cg, ${sql.raw(t)}.e, ${sql.raw(t)}.u, ${sql.raw(t)}.i, ${sql.raw(t)}.p
      from ${sql.raw(t)} cross join lateral (values (''), (${sql.raw(t)}.country_group)) c(cg)
      where c.cg is not null and (${sql.raw(t)}.all_hz = 1 or ${sql.raw(t)}.hz is not null)`;
  /** Facets of counts (n only), each a select of (R, facet, k, item, code, value, n). */
  const countedParts: Array<[Facet, RawBuilder<unknown>]> = [
    [
      "week",
      sql`select ${cols("r")}, 'week'::text, ''::text, null::text,
             to_char(date_trunc('week', r.submitted_at at time zone 'UTC'), 'YYYY-MM-DD'),
             null::float8, 1::bigint
      from r`,
    ],
    [
      "profile",
      sql`select ${cols("r")}, 'profile'::text, ''::text, d.dim, d.code, null::float8, 1::bigint
      from r cross join lateral (values ('country_group', r.country_group), ('country', r.country),
                                        ('org_type', r.org_type), ('sector', r.sector)) d(dim, code)`,
    ],
    [
      "count",
      sql`select ${cols("a")}, 'count'::text, a.question_key, a.item, a.option_code, a.value_num, 1::bigint
      from a where a.value_json is null`,
    ],
    [
      "resp",
      sql`select distinct ${cols("a")}, 'resp'::text, a.question_key, null::text, null::text, null::float8, 1::bigint
      from a`,
    ],
    ["need_answered", answered("na", "need_answered")],
    ["shared_answered", answered("sa", "shared_answered")],
  ];
  /** Facets of sums (R, facet, k, item, code, cg, e, x, y, z). */
  const summedParts: Array<[Facet, RawBuilder<unknown>]> = [
    ["need", scored("nb", "need")],
    ["shared_need", scored("sb", "shared_need")],
    [
      "borich",
      sql`select ${cols("b")}, 'borich'::text, b.k, b.st, null::text, ''::text, 0::bigint, b.imp, b.cur, b.imp - b.cur
      from (select ${cols("a")}, a.question_key as k, a.item as st,
                   (max(a.value_num) filter (where a.option_code = 'importance'))::numeric as imp,
                   (max(a.value_num) filter (where a.option_code = 'current'))::numeric as cur
            from a
            where a.value_json is null and a.item is not null and a.option_code in ('importance', 'current')
            group by ${cols("a")}, a.question_key, a.item) b
      where b.imp is not null and b.cur is not null`,
    ],
  ];
  const counted = countedParts.filter(([f]) => wanted.has(f)).map(([, part]) => part);
  const summed = summedParts.filter(([f]) => wanted.has(f)).map(([, part]) => part);
  const unionAll = (parts: RawBuilder<unknown>[]) =>
    sql.join(parts, sql`\n      union all\n      `);
  if (counted.length)
    steps.push(sql`
    counted (${sql.raw(R)}, facet, k, item, code, value, n) as (
      ${unionAll(counted)})`);
  if (summed.length)
    steps.push(sql`
    summed (${sql.raw(R)}, facet, k, item, code, cg, e, x, y, z) as (
      ${unionAll(summed)})`);
  const totals: RawBuilder<unknown>[] = [];
  if (counted.length)
    totals.push(sql`
      select p.survey_id, p.survey_version_id, p.facet, ${marginOf("p")}, p.k as question_key,
             p.item, p.code, p.value, ''::text as cg, sum(p.sign * p.n)::bigint as n, 0::bigint as e,
             0::numeric as x, 0::numeric as xx, 0::numeric as y, 0::numeric as yy, 0::numeric as z, 0::numeric as zz
      from counted p
      group by p.survey_id, p.survey_version_id, p.facet, p.k, p.item, p.code, p.value, ${marginSets("p")}`);
  if (summed.length)
    totals.push(sql`
      select p.survey_id, p.survey_version_id, p.facet, ${marginOf("p")}, p.k as question_key,
             p.item, p.code, null::float8 as value, p.cg,
             sum(p.sign)::bigint as n, sum(p.sign * p.e)::bigint as e,
             sum(p.sign * p.x) as x, sum(p.sign * p.x * p.x) as xx,
             sum(p.sign * p.y) as y, sum(p.sign * p.y * p.y) as yy,
             sum(p.sign * p.z) as z, sum(p.sign * p.z * p.z) as zz
      from summed p
      group by p.survey_id, p.survey_version_id, p.facet, p.k, p.item, p.code, p.cg, ${marginSets("p")}`);
  return sql`with r as (${r}), a as (${a}), ${sql.join(steps, sql`,`)}
    select ${columns} from (${unionAll(totals)}) m
    where m.dim_value is not null`;
}

/** Survey ids as the items of a SQL list, `in (${surveyList(ids)})`, each one an int parameter. */
export const surveyList = (ids: readonly number[]) => sql.join(ids.map((id) => sql`${id}::int`));

/**
 * The contributions of the queued entries of the surveys (what the stored rows do not hold yet),
 * of the given facets.
 */
export function pendingContributions(
  surveyIds: readonly number[],
  facets: readonly Facet[] = FACETS,
) {
  const ids = surveyList(surveyIds);
  return contributions(
    sql`select q.response_id, q.sign, q.survey_id, q.survey_version_id, q.submitted_at,
               q.country, q.country_group, q.org_type, q.sector
        from aggregate_queue q where q.survey_id in (${ids})`,
    sql`select ${cols("q")}, a.question_key, a.item, a.option_code, a.value_num, a.value_json
        from aggregate_queue q join answers a on a.response_id = q.response_id
        where q.survey_id in (${ids}) and q.sign = 1
        union all
        select ${cols("q")}, d.question_key, d.item, d.option_code, d.value_num, d.value_json
        from aggregate_queue q join aggregate_queue_answers d on d.response_id = q.response_id
        where q.survey_id in (${ids}) and q.sign = -1`,
    { facets },
  );
}

/**
 * Counts the shared facets of the surveys again, after their shared categories changed
 * (need_shared_categories): the stored rows become the contributions of every submitted response
 * less those of the entries still queued (which the drainer adds later), in one statement and so
 * from one snapshot. A response submitted meanwhile is both submitted and queued: it nets to
 * nothing here and the drainer adds it. The caller holds AGGREGATE_LOCK (no drain meanwhile).
 */
export async function recountSharedFacets(trx: Db, surveyIds: readonly number[]): Promise<void> {
  if (surveyIds.length === 0) return;
  const ids = surveyList(surveyIds);
  await sql`delete from dashboard_aggregates
    where survey_id in (${ids}) and facet in ('shared_need', 'shared_answered')`.execute(trx);
  await sql`insert into dashboard_aggregates (${columns})
    select ${columns} from (${contributions(
      sql`select id as response_id, 1 as sign, survey_id, survey_version_id, submitted_at,
                 country, country_group, org_type, sector, false as gone
          from responses where status = 'submitted' and survey_id in (${ids})
          union all
          select q.response_id, -q.sign, q.survey_id, q.survey_version_id, q.submitted_at,
                 q.country, q.country_group, q.org_type, q.sector, q.sign = -1
          from aggregate_queue q where q.survey_id in (${ids})`,
      sql`select ${cols("r")}, a.question_key, a.item, a.option_code, a.value_num, a.value_json
          from r join answers a on a.response_id = r.response_id
          where not r.gone and a.value_json is not null
          union all
          select ${cols("r")}, d.question_key, d.item, d.option_code, d.value_num, d.value_json
          from r join aggregate_queue_answers d on d.response_id = r.response_id
          where r.gone and d.value_json is not null`,
      { facets: ["shared_need", "shared_answered"] },
    )}) c where c.n <> 0`.execute(trx);
}

/**
 * The aggregate rows of one facet and margin of the surveys, stored and pending together (one
 * snapshot: the drainer moves entries from the queue into the stored rows in one transaction).
 * Rows of the same key may appear twice (stored and pending): readers sum by key.
 */
export function aggregateRows(surveyIds: readonly number[], facet: Facet, margin: Margin) {
  const ids = surveyList(surveyIds);
  return sql`select ${columns} from dashboard_aggregates
      where survey_id in (${ids}) and facet = ${facet} and dim = ${margin.dim} and dim_value = ${margin.value}
    union all
    select ${columns} from (${pendingContributions(surveyIds, [facet])}) p
      where p.facet = ${facet} and p.dim = ${margin.dim} and p.dim_value = ${margin.value}`;
}

/**
 * The planner cannot see how many rows the CTEs of `contributions` give and would sort them
 * (on text keys, spilling to disk): hash aggregation with enough memory is many times faster.
 */
async function hashAggregates(trx: Db, workMem: string): Promise<void> {
  await sql`select set_config('work_mem', ${workMem}, true), set_config('enable_sort', 'off', true),
                   set_config('jit', 'off', true)`.execute(trx);
}

function upsert(source: RawBuilder<unknown>) {
  return sql`insert into dashboard_aggregates (${columns})
    select ${columns} from (${source}) c
    on conflict on constraint dashboard_aggregates_key do update set
      n = dashboard_aggregates.n + excluded.n, e = dashboard_aggregates.e + excluded.e,
      x = dashboard_aggregates.x + excluded.x, xx = dashboard_aggregates.xx + excluded.xx,
      y = dashboard_aggregates.y + excluded.y, yy = dashboard_aggregates.yy + excluded.yy,
      z = dashboard_aggregates.z + excluded.z, zz = dashboard_aggregates.zz + excluded.zz`;
}

/**
 * Applies up to `batch` queued entries in one transaction (queue deletion and aggregate update
 * commit together, so an entry is applied once). Returns the number applied, 0 when another
 * instance holds the lock (it is draining) or the queue is empty.
 */
export async function drainBatch(db: Db, batch = 500): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const lock = await sql<{
      ok: boolean;
    }>`select pg_try_advisory_xact_lock(${AGGREGATE_LOCK}) as ok`.execute(trx);
    if (!lock.rows[0]?.ok) return 0;
    await hashAggregates(trx, "64MB");
    const result = await sql<{ n: string; subtracted: number[] | null }>`with
      q as (delete from aggregate_queue
            where id in (select id from aggregate_queue order by id limit ${batch})
            returning response_id, sign, survey_id, survey_version_id, submitted_at,
                      country, country_group, org_type, sector),
      qa as (delete from aggregate_queue_answers
             where response_id in (select response_id from q where sign = -1)
             returning response_id, question_key, item, option_code, value_num, value_json),
      up as (${upsert(
        contributions(
          sql`select * from q`,
          sql`select ${cols("q")}, a.question_key, a.item, a.option_code, a.value_num, a.value_json
              from q join answers a on a.response_id = q.response_id where q.sign = 1
              union all
              select ${cols("q")}, qa.question_key, qa.item, qa.option_code, qa.value_num, qa.value_json
              from q join qa on qa.response_id = q.response_id where q.sign = -1`,
        ),
      )} returning 1)
      select (select count(*) from q) as n, (select count(*) from up) as rows,
             (select array_agg(distinct survey_id) from q where sign = -1) as subtracted`.execute(
      trx,
    );
    const n = Number(result.rows[0]?.n ?? 0);
    // Rows a subtraction emptied go (the aggregates hold no zero rows, as a rebuild). Only after
    // erasures and changes, which are rare: no index on n, so that additions stay HOT updates.
    const subtracted = result.rows[0]?.subtracted ?? [];
    if (subtracted.length)
      await sql`delete from dashboard_aggregates
        where survey_id in (${surveyList(subtracted.map(Number))}) and n = 0`.execute(
        trx,
      );
    return n;
  });
}

/** Drains the whole queue (as far as this instance gets the lock). */
export async function drainAggregates(db: Db): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await drainBatch(db);
    total += n;
    if (n === 0) return total;
  }
}

/** Responses whose contributions one step of a rebuild adds up (about 90 answer rows each). */
export const REAGGREGATE_CHUNK = 20_000;

const KEY_COLUMNS = sql.raw(
  "survey_id, survey_version_id, facet, dim, dim_value, question_key, item, code, value, cg",
);

/**
 * Rebuilds every aggregate from the answers in one transaction (repeatable read: the queue
 * entries it drops are exactly those of the responses it counts; later ones stay queued).
 *
 * The responses are taken `chunk` at a time in their order on disk: each step sums one
 * chunk's contributions into a temporary table, and a last statement adds up the steps per key.
 * All of it at once would group every answer row of every response in one statement, whose
 * per-response groups spill to disk: at 1 000 000 responses (about 90 million answer rows) more
 * than 70 GB of temporary files. A step's groups stay in memory, and the sums are exact
 * (numeric), so the result is the same whatever the chunk size.
 */
export async function reaggregate(
  db: Db,
  { chunk = REAGGREGATE_CHUNK }: { chunk?: number } = {},
): Promise<{ rows: number }> {
  return db
    .transaction()
    .setIsolationLevel("repeatable read")
    .execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${AGGREGATE_LOCK})`.execute(trx);
      await hashAggregates(trx, "256MB");
      await sql`delete from aggregate_queue_answers`.execute(trx);
      await sql`delete from aggregate_queue`.execute(trx);
      await sql`delete from dashboard_aggregates`.execute(trx);
      await sql`create temporary table aggregate_rebuild on commit drop as
        select ${columns} from dashboard_aggregates with no data`.execute(trx);
      // Chunks in the order the responses lie on disk: their answer rows were mostly written
      // in that order too, so a chunk reads a stretch of the answers table rather than pages
      // scattered over all of it. The boundaries are read once; the snapshot keeps them valid.
      const bounds = await sql<{ b: string }>`select b from (
          select ctid::text as b, row_number() over (order by ctid) as n, count(*) over () as total
          from responses where status = 'submitted') s
        where n % ${chunk} = 0 or n = total order by n`.execute(trx);
      let after: string | null = null;
      for (const { b } of bounds.rows) {
        const from: RawBuilder<unknown> = after === null ? sql`true` : sql`ctid > ${after}::tid`;
        await sql`insert into aggregate_rebuild (${columns})
          select ${columns} from (${contributions(
            sql`select id as response_id, 1 as sign, survey_id, survey_version_id, submitted_at,
                       country, country_group, org_type, sector
                from responses where status = 'submitted' and ${from} and ctid <= ${b}::tid`,
            // Each response's answer rows through answers_response_idx: the planner takes a
            // response to have thousands of rows (from a sample) and would read the whole
            // answers table for every chunk, in a hash join. `offset 0` keeps the lateral
            // subquery from being flattened into such a join (at 1 000 000 responses a chunk
            // took 70 s that way, a sequential scan of 94 million rows each time).
            sql`select r.response_id, r.sign, r.survey_id, r.survey_version_id, r.country,
                       r.country_group, r.org_type, r.sector,
                       a.question_key, a.item, a.option_code, a.value_num, a.value_json
                from r cross join lateral (
                  select question_key, item, option_code, value_num, value_json
                  from answers where answers.response_id = r.response_id offset 0) a`,
          )}) c`.execute(trx);
        after = b;
      }
      const result = await sql`insert into dashboard_aggregates (${columns})
        select ${KEY_COLUMNS}, sum(n)::bigint, sum(e)::bigint, sum(x), sum(xx), sum(y), sum(yy),
               sum(z), sum(zz)
        from aggregate_rebuild group by ${KEY_COLUMNS}`.execute(trx);
      return { rows: Number(result.numAffectedRows ?? 0) };
    });
}

/**
 * Drains the queue every `intervalMs` (1 s) in the background; returns the stop function. Reads
 * fold in what is still queued, so the interval sets the batch size, not how fresh figures are:
 * a batch of a second's submissions shares its aggregate rows (one upsert per key and batch),
 * which costs the database about half as much per response as a quarter second's.
 */
export function startAggregateDrainer(db: Db, logger: Logger, intervalMs = 1000): () => void {
  let running = false;
  // One log line when draining starts failing (e.g. the database is down) and one when it works
  // again, not one a second; reads stay exact meanwhile (they fold in what is queued).
  let failing = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await drainAggregates(db);
      if (failing) logger.info("dashboard aggregates drained again");
      failing = false;
    } catch (e) {
      if (!failing)
        logger.warn("dashboard aggregates not drained", {
          error: e instanceof Error ? e.message : String(e),
        });
      failing = true;
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
