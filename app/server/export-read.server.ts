import { type Expression, type SelectQueryBuilder, type SqlBool, sql } from "kysely";
import type { Db } from "#db/client";
import type { Database } from "#db/schema";
import { HORIZONS } from "~/survey/constants";
import type { ExportPlan, ExportTag } from "./export-plan";
import type { ReadResponse } from "./export-rows";
import { applyResponseFilters, type ResponseFilters } from "./filters.server";
import { compareRankedNeeds, needScores } from "./need-scores.server";

/**
 * Reading the submitted responses of an export from the database, in pages, so that memory stays
 * flat however many there are; and the headline figures of the summary.
 *
 * Pages are ordered by (submitted_at, id) and found by keyset pagination on
 * responses_export_order_idx: a page is the range of responses after the previous page's last one
 * up to and including its own last one. A small index-only query finds where a page ends; the page
 * itself is then read by one query that returns a row per response with its answer values as
 * packed when it was submitted (`responses.answer_values`, one JSON object: no answer row is read
 * for them) and its need entries gathered into one JSON array (`needEntries`). While the caller
 * writes one page, the next is already being read. The same statements run on pg and PGlite. No
 * server-side cursor (or COPY) is used: it would hold a connection and a snapshot open for as long
 * as the slowest client takes to download, and PGlite has none; with five hundred responses per
 * statement the round trips cost next to nothing.
 */

/** Which responses an export covers. */
export interface ExportScope {
  surveyId: number;
  filters: ResponseFilters;
  /**
   * Only responses submitted at or before this instant (ISO 8601, UTC, microseconds), so that
   * every pass of one export (data, then needs) sees the same responses.
   */
  until: string;
}

export const EXPORT_PAGE_SIZE = 500;
/** Pages read ahead of the one being written. */
const PREFETCH = 1;

const EXACT_TIME = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;
const ISO_SECONDS = `'YYYY-MM-DD"T"HH24:MI:SS"Z"'`;

/** The database's current time, to fix `ExportScope.until` at the start of an export. */
export async function exportSnapshotTime(db: Db): Promise<string> {
  const row = await sql<{ now: string }>`select to_char(now() at time zone 'UTC', ${sql.raw(EXACT_TIME)}) as now`.execute(db);
  return row.rows[0].now;
}

type ScopedQuery = SelectQueryBuilder<Database & { r: Database["responses"] }, "r", object>;

function scoped(db: Db, scope: ExportScope): ScopedQuery {
  const q = db
    .selectFrom("responses as r")
    .where("r.survey_id", "=", scope.surveyId)
    .where("r.status", "=", "submitted")
    .where(sql<boolean>`r.submitted_at <= ${scope.until}::timestamptz`);
  return applyResponseFilters(q, scope.filters, "r");
}

/** How many responses the export covers. */
export async function countExportResponses(db: Db, scope: ExportScope): Promise<number> {
  const row = await scoped(db, scope).select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A position in the order of an export: a response's exact submission time and its id. */
interface PageKey {
  at: string;
  id: string;
}

function after(key: PageKey | null): Expression<SqlBool> {
  return key ? sql<boolean>`(r.submitted_at, r.id) > (${key.at}::timestamptz, ${key.id}::uuid)` : sql<boolean>`true`;
}

function upTo(key: PageKey | null): Expression<SqlBool> {
  return key ? sql<boolean>`(r.submitted_at, r.id) <= (${key.at}::timestamptz, ${key.id}::uuid)` : sql<boolean>`true`;
}

/**
 * The last response of the page that starts after `lower`, or null when it is the last page:
 * an index-only range scan of responses_export_order_idx.
 */
async function pageEnd(db: Db, scope: ExportScope, lower: PageKey | null, size: number): Promise<PageKey | null> {
  const row = await scoped(db, scope)
    .where(after(lower))
    .select(["r.id", sql<string>`to_char(r.submitted_at at time zone 'UTC', ${sql.raw(EXACT_TIME)})`.as("at")])
    .orderBy("r.submitted_at")
    .orderBy("r.id")
    .offset(size - 1)
    .limit(1)
    .executeTakeFirst();
  return row ? { at: row.at, id: row.id } : null;
}

/**
 * What a pass over the responses reads besides their metadata: the values of their answer rows
 * but need entries (`values`, for the wide and long data and the JSON file) and their need
 * entries (`needs`, for the long data, the needs table and the JSON file).
 */
export interface ReadParts {
  values: boolean;
  needs: boolean;
}

/**
 * A response's answer values as packed when it was submitted (`responses.answer_values`,
 * packedValues in app/survey/storage.ts): one column, no answer row read. A submitted response
 * without them (stored by an instance still running the code from before the column, during a
 * rolling upgrade) has them gathered from its answer rows into the same object.
 */
function answerValues() {
  // As text (ReadResponse.values). The fewest function calls per answer row: `concat_ws` with a
  // `case`, or a `to_json` per column, cost the database about a third more CPU for the same
  // object.
  return sql<string | null>`coalesce(r.answer_values, (select json_object_agg(
      a.question_key || coalesce('|' || a.item || coalesce('|' || a.option_code, ''), ''),
      coalesce(to_json(a.value_num), to_json(coalesce(a.value_text, a.option_code))))
    from answers a where a.response_id = r.id and a.value_json is null))::text`;
}

/**
 * The need entries of a response (of the filter's horizon) as one JSON array: `[question key,
 * entry, theme names]` in the order of key and position; theme names ordered as the dashboard
 * lists them.
 */
function needEntries(plan: ExportPlan, filters: ResponseFilters) {
  const needKeys = plan.needQuestions.map((q) => q.key);
  const horizon = filters.horizon ? sql<boolean>`a.value_json ->> 'horizon' = ${filters.horizon}` : sql<boolean>`true`;
  return sql<ReadResponse["needs"]>`(select json_agg(json_build_array(a.question_key, a.value_json,
        (select json_agg(t.name order by lower(t.name), t.id)
          from answer_tags tg join themes t on t.id = tg.theme_id where tg.answer_id = a.id))
      order by a.question_key, a.value_num)
    from answers a where a.response_id = r.id and a.question_key in (${sql.join(needKeys)}) and ${horizon})`;
}

/**
 * A response's ratings in later Delphi rounds as one JSON object: `<round>|<item id>` ->
 * [rating, reason] (ReadResponse.rounds).
 */
function roundRatings() {
  return sql<ReadResponse["rounds"]>`(select json_object_agg(d.round || '|' || da.item, json_build_array(da.value_num, da.reason))
    from delphi_participations p
    join delphi_rounds d on d.id = p.round_id
    join delphi_answers da on da.participation_id = p.id
    where p.response_id = r.id)`;
}

/** The responses after `lower` up to and including `upper` (to the end when null). */
async function readPage(
  db: Db,
  plan: ExportPlan,
  scope: ExportScope,
  lower: PageKey | null,
  upper: PageKey | null,
  parts: ReadParts,
): Promise<ReadResponse[]> {
  const withNeeds = parts.needs && plan.needQuestions.length > 0;
  // A page's estimated cost (subqueries per response) is far above jit_above_cost, and
  // compiling it would take longer than running it.
  const rows = await db.transaction().execute(async (trx) => {
    await sql`set local jit = off`.execute(trx);
    return scoped(trx, scope)
      .where(after(lower))
      .where(upTo(upper))
      .select([
        "r.id",
        "r.survey_version_id",
        "r.locale",
        sql<string>`to_char(r.submitted_at at time zone 'UTC', ${sql.raw(ISO_SECONDS)})`.as("submitted_at"),
        sql<boolean>`r.invitation_id is not null`.as("invited"),
        "r.country_group",
        (parts.values ? answerValues() : sql<null>`null`).as("answer_values"),
        (withNeeds ? needEntries(plan, scope.filters) : sql<null>`null`).as("need_entries"),
        (parts.values && plan.rounds.length > 0 ? roundRatings() : sql<null>`null`).as("round_ratings"),
      ])
      .orderBy("r.submitted_at")
      .orderBy("r.id")
      .execute();
  });
  return rows.map(
    (r): ReadResponse => ({
      id: r.id,
      versionId: r.survey_version_id,
      locale: r.locale,
      submittedAt: r.submitted_at,
      invited: r.invited,
      countryGroup: r.country_group,
      values: r.answer_values,
      needs: parseJson(r.need_entries),
      rounds: parseJson(r.round_ratings),
    }),
  );
}

/** A json column as parsed by the driver (pg and PGlite parse it; a text is parsed here). */
function parseJson<T>(value: T | string | null): T | null {
  return typeof value === "string" ? (JSON.parse(value) as T) : value;
}

/**
 * The responses of the export, page by page, in order of submission. Where each page ends is
 * found first (a small index-only query), so that the next PREFETCH pages are read while the
 * caller writes the current one: on Postgres the database works on them on other pooled
 * connections, in parallel with the writing (PGlite runs queries one at a time anyway). Stops
 * reading when the caller stops iterating.
 */
export async function* responsePages(
  db: Db,
  plan: ExportPlan,
  scope: ExportScope,
  parts: ReadParts,
  pageSize = EXPORT_PAGE_SIZE,
): AsyncGenerator<ReadResponse[]> {
  if (!parts.values && plan.needQuestions.length === 0) return;
  const ahead: Promise<ReadResponse[]>[] = [];
  let lower: PageKey | null = null;
  let last = false;
  for (;;) {
    while (!last && ahead.length <= PREFETCH) {
      const upper = await pageEnd(db, scope, lower, pageSize);
      const page = readPage(db, plan, scope, lower, upper, parts);
      // Awaited below; until then a failure must not count as unhandled.
      page.catch(() => {});
      ahead.push(page);
      if (upper) lower = upper;
      else last = true;
    }
    const next = ahead.shift();
    if (!next) return;
    const page = await next;
    if (page.length > 0) yield page;
  }
}

// ---------------------------------------------------------------------------------------------
// Headline figures for the summary sheet

export interface ExportSummary {
  /** Submitted responses that match the filters. */
  matching: number;
  /** All responses of the survey, whatever the filters. */
  started: number;
  submitted: number;
  invitations: number;
  invitedSubmitted: number;
  /** Matching responses by country group (null: not stated). */
  byCountryGroup: { countryGroup: string | null; count: number }[];
  /**
   * Need categories by horizon in the dashboard's order (priority score, respondents, code), at
   * most `TOP_NEEDS` per horizon.
   */
  topNeeds: {
    horizon: string;
    questionKey: string;
    category: string;
    /** Need entries. */
    count: number;
    /** Respondents who named the category (the unit of the means). */
    respondents: number;
    meanUrgency: number | null;
    meanImportance: number | null;
    /** Priority score (need-scores.server.ts): the mean over respondents, as the dashboard. */
    priority: number | null;
  }[];
}

/** Tag rows of the tags table read per statement (keyset pages). */
export const TAGS_PAGE_SIZE = 5000;

/**
 * Every theme tag on the answers of the export's responses, whatever the answer (long text,
 * "other", need entry), in the order of the responses, then question, item and theme id. The
 * horizon filter leaves out the tags of need entries of the other horizon, as in the needs
 * table and the dashboard's theme counts. Read in keyset pages of TAGS_PAGE_SIZE rows.
 */
export async function* exportTags(db: Db, plan: ExportPlan, scope: ExportScope): AsyncGenerator<ExportTag[]> {
  const needKeys = plan.needQuestions.map((q) => q.key);
  let last: { at: string; id: string; key: string; item: string; theme: number } | null = null;
  for (;;) {
    let q = scoped(db, scope)
      .innerJoin("answers as a", "a.response_id", "r.id")
      .innerJoin("answer_tags as tg", "tg.answer_id", "a.id")
      .innerJoin("themes as t", "t.id", "tg.theme_id")
      .where("a.survey_id", "=", scope.surveyId)
      .select([
        "r.id",
        sql<string>`to_char(r.submitted_at at time zone 'UTC', ${sql.raw(EXACT_TIME)})`.as("at"),
        "a.question_key",
        sql<string>`coalesce(a.item, '')`.as("item"),
        "t.id as theme_id",
        "t.name as theme_name",
      ]);
    if (scope.filters.horizon && needKeys.length > 0) {
      q = q.where(
        sql<boolean>`(a.question_key not in (${sql.join(needKeys)}) or a.value_json ->> 'horizon' = ${scope.filters.horizon})`,
      );
    }
    if (last) {
      q = q.where(
        sql<boolean>`(r.submitted_at, r.id, a.question_key, coalesce(a.item, ''), t.id) >
          (${last.at}::timestamptz, ${last.id}::uuid, ${last.key}, ${last.item}, ${last.theme})`,
      );
    }
    const rows = await q
      .orderBy("r.submitted_at")
      .orderBy("r.id")
      .orderBy("a.question_key")
      .orderBy(sql`coalesce(a.item, '')`)
      .orderBy("t.id")
      .limit(TAGS_PAGE_SIZE)
      .execute();
    if (rows.length === 0) return;
    yield rows.map((r) => ({
      responseId: r.id,
      questionKey: r.question_key,
      item: r.item === "" ? null : r.item,
      themeId: r.theme_id,
      themeName: r.theme_name,
    }));
    if (rows.length < TAGS_PAGE_SIZE) return;
    const end = rows[rows.length - 1];
    last = { at: end.at, id: end.id, key: end.question_key, item: end.item, theme: end.theme_id };
  }
}

export const TOP_NEEDS = 5;

/**
 * The summary sheet's figures. Need categories are ranked as on the dashboard with the minimum
 * cell size `minCell` (compareRankedNeeds): those with fewer respondents come last. Their figures
 * stay in the sheet, beside the raw answers of the same workbook.
 */
export async function exportSummary(
  db: Db,
  plan: ExportPlan,
  scope: ExportScope,
  minCell: number,
): Promise<ExportSummary> {
  const totals = await db
    .selectFrom("responses")
    .select([
      sql<number>`count(*)`.as("started"),
      sql<number>`count(*) filter (where status = 'submitted')`.as("submitted"),
      sql<number>`count(*) filter (where status = 'submitted' and invitation_id is not null)`.as("invited"),
    ])
    .where("survey_id", "=", scope.surveyId)
    .executeTakeFirstOrThrow();
  const invitations = await db
    .selectFrom("invitations")
    .select(sql<number>`count(*)`.as("n"))
    .where("survey_id", "=", scope.surveyId)
    .where("status", "=", "active")
    .executeTakeFirstOrThrow();
  const groups = await scoped(db, scope)
    .select(["r.country_group", sql<number>`count(*)`.as("n")])
    .groupBy("r.country_group")
    .orderBy(sql`r.country_group nulls last`)
    .execute();

  const needKeys = plan.needQuestions.map((q) => q.key);
  let topNeeds: ExportSummary["topNeeds"] = [];
  if (needKeys.length > 0) {
    // The same scores and order as the dashboard (need-scores.server.ts, scoring.ts).
    const entries = scoped(db, scope)
      .innerJoin("answers as a", "a.response_id", "r.id")
      .where("a.question_key", "in", needKeys)
      .select([
        "r.survey_id",
        "a.question_key as k",
        "a.option_code as cat",
        sql<string>`a.value_json ->> 'horizon'`.as("hz"),
        "r.country_group as cg",
        "r.id as rid",
        sql<number>`(a.value_json ->> 'urgency')::float8`.as("u"),
        sql<number>`(a.value_json ->> 'importance')::float8`.as("i"),
      ]);
    const rows = await needScores(db, entries, { horizon: scope.filters.horizon, byCountryGroup: false });
    const ranked = rows
      .filter((r) => !r.allHorizons && r.hz !== null)
      .map((r) => ({
        horizon: r.hz as string,
        questionKey: r.k,
        category: r.cat,
        count: r.entries,
        respondents: r.respondents,
        meanUrgency: r.mu,
        meanImportance: r.mi,
        priority: r.mp,
      }))
      .sort((a, b) =>
        compareRankedNeeds(
          { category: a.category, score: a.priority, respondents: a.respondents },
          { category: b.category, score: b.priority, respondents: b.respondents },
          minCell,
        ),
      );
    topNeeds = HORIZONS.flatMap((h) => ranked.filter((r) => r.horizon === h).slice(0, TOP_NEEDS));
  }

  const byCountryGroup = groups.map((g) => ({ countryGroup: g.country_group, count: Number(g.n) }));
  return {
    matching: byCountryGroup.reduce((sum, g) => sum + g.count, 0),
    started: Number(totals.started),
    submitted: Number(totals.submitted),
    invitations: Number(invitations.n),
    invitedSubmitted: Number(totals.invited),
    byCountryGroup,
    topNeeds,
  };
}
