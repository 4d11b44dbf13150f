import { type ExpressionBuilder, sql } from "kysely";
import * as z from "zod";
import type { Db } from "#db/client";
import type { Database, LocalizedText, SurveyStatus } from "#db/schema";
import { CODE_PATTERN, HORIZONS, type Horizon } from "~/survey/constants";
import { COUNTRY_GROUPS, type CountryGroup, isCountryCode } from "~/survey/countries";
import type { Question, QuestionType } from "~/survey/registry";
import {
  confidenceInterval95,
  importancePerformanceQuadrant,
  type IpaQuadrant,
  isSuppressed,
  locusForFocusQuadrant,
  type LocusQuadrant,
  PRIORITY_RANGE,
  RATING_RANGE,
  SMALL_SAMPLE,
  type ValueRange,
} from "~/survey/scoring";
import type { SurveyDefinition } from "~/survey/schema";
import {
  compareRankedNeeds,
  type NeedScoreRow,
  needRespondents,
  needScores,
} from "./need-scores.server";
import { protectPartitionCells } from "./dashboards/disclosure";
import {
  protectCountryProfile,
  protectNeedCategory,
  protectRankTable,
  shownAs,
} from "./dashboards/protected-tables";
import { aggregateRows, type Margin } from "./aggregates.server";

/**
 * The coordinator dashboards: every figure is counted in the database (one SQL query per
 * section, over the submitted responses that match the filters, joined to their answer rows);
 * survey definitions are read only for keys, types, labels and options. Statistics follow
 * app/survey/scoring.ts and docs/statistics.md. Small cells are suppressed here, on the server,
 * so that a suppressed number never reaches the browser.
 */

// ---------------------------------------------------------------------------------------------
// Filters

export interface DashboardFilters {
  countryGroup?: CountryGroup;
  /** ISO 3166-1 alpha-2 code. */
  country?: string;
  orgType?: string;
  sector?: string;
  /** Submission date range, inclusive, YYYY-MM-DD (UTC days). */
  from?: string;
  to?: string;
  /** Restricts the need sections to one horizon. */
  horizon?: Horizon;
}

/** The query-string names of the filters, as the GET form and shared links use them. */
export const FILTER_PARAMS = {
  countryGroup: "country_group",
  country: "country",
  orgType: "org_type",
  sector: "sector",
  from: "from",
  to: "to",
  horizon: "horizon",
} as const satisfies Record<keyof DashboardFilters, string>;

export type FilterParam = (typeof FILTER_PARAMS)[keyof DashboardFilters];

/** A filter value that was not applied, and why (shown to the reader). */
export interface IgnoredFilter {
  param: FilterParam;
  value: string;
  reason: "invalid" | "range";
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const isoDate = z
  .string()
  .regex(ISO_DATE)
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
  });

/** One schema per filter: a value that fails is ignored with a note, never an error page. */
export const dashboardFilterSchemas = {
  countryGroup: z.enum(COUNTRY_GROUPS),
  country: z
    .string()
    .transform((v) => v.toUpperCase())
    .refine((v) => isCountryCode(v)),
  orgType: z.string().max(63).regex(CODE_PATTERN),
  sector: z.string().max(63).regex(CODE_PATTERN),
  from: isoDate,
  to: isoDate,
  horizon: z.enum(HORIZONS),
} satisfies Record<keyof DashboardFilters, z.ZodType>;

/** The filters of a dashboard URL. Blank values are absent; invalid ones are listed in `ignored`. */
export function parseDashboardFilters(params: URLSearchParams): {
  filters: DashboardFilters;
  ignored: IgnoredFilter[];
} {
  const filters: Record<string, string> = {};
  const ignored: IgnoredFilter[] = [];
  for (const [name, param] of Object.entries(FILTER_PARAMS) as [
    keyof DashboardFilters,
    FilterParam,
  ][]) {
    const raw = params.get(param)?.trim();
    if (!raw) continue;
    const parsed = dashboardFilterSchemas[name].safeParse(raw);
    if (parsed.success) filters[name] = parsed.data;
    else ignored.push({ param, value: raw.slice(0, 40), reason: "invalid" });
  }
  const result = filters as DashboardFilters;
  if (result.from && result.to && result.from > result.to) {
    ignored.push({ param: "from", value: result.from, reason: "range" });
    ignored.push({ param: "to", value: result.to, reason: "range" });
    delete result.from;
    delete result.to;
  }
  return { filters: result, ignored };
}

/** The filters as query-string parameters (for links that keep the view). */
export function filtersToSearchParams(filters: DashboardFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, param] of Object.entries(FILTER_PARAMS) as [
    keyof DashboardFilters,
    FilterParam,
  ][]) {
    const value = filters[name];
    if (value) params.set(param, value);
  }
  return params;
}

export function hasRespondentFilters(filters: DashboardFilters): boolean {
  return Boolean(
    filters.countryGroup ||
    filters.country ||
    filters.orgType ||
    filters.sector ||
    filters.from ||
    filters.to,
  );
}

// ---------------------------------------------------------------------------------------------
// Small-group protection

/**
 * A count as it may be shown: the number, `"suppressed"` for 1 to N−1 respondents, or
 * `"withheld"` for a cell hidden only so that a suppressed neighbour cannot be worked out
 * from the total (secondary suppression).
 */
export type Shown = number | "suppressed" | "withheld";

export function shownCount(count: number, minCell: number): Shown {
  return isSuppressed(count, minCell) ? "suppressed" : count;
}

/**
 * Cells that add up to a published total: small cells are suppressed, and when exactly one
 * cell is suppressed the smallest other non-zero cell is withheld too, so that the hidden
 * cell cannot be obtained by subtraction (./dashboards/disclosure.ts).
 */
export function protectPartition(counts: readonly number[], minCell: number): Shown[] {
  const status = protectPartitionCells(counts, minCell);
  return counts.map((c, i) => shownAs(c, status[i]));
}

/** The share of a shown count in a total, or null when the count is not shown. */
function shareOf(count: Shown, total: number): number | null {
  return typeof count === "number" && total > 0 ? count / total : null;
}

/** A mean with its spread and 95 % confidence interval (docs/statistics.md). */
export interface MeanStat {
  n: number;
  mean: number;
  sd: number | null;
  /** The CI's bounds, cut to the possible range of the values. */
  ciLower: number | null;
  ciUpper: number | null;
  /** n below SMALL_SAMPLE (10): the CI is rough, and the page says so. */
  small: boolean;
}

/**
 * Finishes a mean from the SQL summary (count, mean, sample sd): the CI needs the Student
 * t-quantile of app/survey/scoring.ts, and is cut to `range` (the values the mean is taken
 * of) when given. Null when there is nothing to show or when the group has fewer than
 * `minCell` respondents.
 */
export function meanStat(
  n: number,
  mean: number | null,
  sd: number | null,
  respondents: number,
  minCell: number,
  range?: ValueRange,
): MeanStat | null {
  if (mean === null || n === 0 || respondents < minCell) return null;
  const ci = sd === null ? null : confidenceInterval95(n, mean, sd, range);
  return {
    n,
    mean,
    sd,
    ciLower: ci?.lower ?? null,
    ciUpper: ci?.upper ?? null,
    small: n < SMALL_SAMPLE,
  };
}

// ---------------------------------------------------------------------------------------------
// The survey of a dashboard: its versions and questions

export interface CodeLabel {
  code: string;
  label: LocalizedText;
}

/** A question as the dashboards aggregate it, merged across the survey's versions. */
export interface DashboardQuestion {
  key: string;
  type: QuestionType;
  label: LocalizedText;
  /**
   * The versions whose answer rows count, when the key had another type in some version
   * (the rows of those versions mean something else); null when every version agrees.
   */
  versionIds: number[] | null;
  /** Options, rows, items, statements or categories, current version first, then codes only older versions had. */
  codes: CodeLabel[];
  /** Scale range of a scale or matrix question. */
  scale?: { min: number; max: number; minLabel?: LocalizedText; maxLabel?: LocalizedText };
  number?: { min?: number; max?: number; integer: boolean; unit?: LocalizedText };
  /** A multiple choice with "other, please specify". */
  other?: boolean;
  /** False for a question that only earlier versions had. */
  inCurrentVersion: boolean;
}

export interface DashboardSurvey {
  id: number;
  slug: string;
  status: SurveyStatus;
  title: LocalizedText;
  group: { id: number; slug: string; name: LocalizedText };
  versionCount: number;
  /** Ids of the survey's versions (part of the cache key: a new version changes the questions). */
  versionIds: number[];
  questions: DashboardQuestion[];
}

export interface SurveyChoice {
  slug: string;
  title: LocalizedText;
  status: SurveyStatus;
}

function codesOf(q: Question): CodeLabel[] {
  switch (q.type) {
    case "single_choice":
    case "multi_choice":
      return q.options;
    case "matrix":
      return q.rows;
    case "ranking":
      return q.items;
    case "need_list":
      return q.categories;
    case "borich":
      return q.statements;
    default:
      return [];
  }
}

function toDashboardQuestion(
  q: Question,
  versionId: number,
  current: boolean,
): DashboardQuestion & { mixed: boolean; ids: number[] } {
  const dq: DashboardQuestion & { mixed: boolean; ids: number[] } = {
    key: q.key,
    type: q.type,
    label: q.label,
    versionIds: null,
    codes: codesOf(q).map((c) => ({ code: c.code, label: c.label })),
    inCurrentVersion: current,
    mixed: false,
    ids: [versionId],
  };
  if (q.type === "scale")
    dq.scale = { min: q.min, max: q.max, minLabel: q.minLabel, maxLabel: q.maxLabel };
  if (q.type === "matrix") dq.scale = { ...q.scale };
  if (q.type === "number") dq.number = { min: q.min, max: q.max, integer: q.integer, unit: q.unit };
  if (q.type === "multi_choice") dq.other = q.other;
  return dq;
}

/**
 * The questions of a survey over all its versions, by key: a key keeps the type of the
 * current version (or of the newest version that has it), and counts only the rows of the
 * versions in which it had that type.
 */
export function mergeVersions(
  versions: ReadonlyArray<{ id: number; version: number; definition: SurveyDefinition }>,
  currentVersionId: number | null,
): DashboardQuestion[] {
  const ordered = [...versions].sort((a, b) =>
    a.id === currentVersionId ? -1 : b.id === currentVersionId ? 1 : b.version - a.version,
  );
  const byKey = new Map<string, DashboardQuestion & { mixed: boolean; ids: number[] }>();
  ordered.forEach((v, index) => {
    const current = index === 0 && (currentVersionId === null || v.id === currentVersionId);
    for (const page of v.definition.pages) {
      for (const q of page.questions) {
        const seen = byKey.get(q.key);
        if (!seen) {
          byKey.set(q.key, toDashboardQuestion(q, v.id, current));
        } else if (seen.type === q.type) {
          seen.ids.push(v.id);
          for (const c of codesOf(q)) {
            if (!seen.codes.some((s) => s.code === c.code))
              seen.codes.push({ code: c.code, label: c.label });
          }
          if (q.type === "multi_choice" && q.other) seen.other = true;
        } else {
          seen.mixed = true;
        }
      }
    }
  });
  return [...byKey.values()].map(({ mixed, ids, ...q }) => ({
    ...q,
    versionIds: mixed ? ids : null,
  }));
}

// Versions never change once stored, so their parsed definitions can be kept.
const definitionCache = new Map<number, SurveyDefinition>();
const DEFINITION_CACHE_LIMIT = 200;

async function loadDefinitions(
  db: Db,
  versions: ReadonlyArray<{ id: number; version: number }>,
): Promise<Array<{ id: number; version: number; definition: SurveyDefinition }>> {
  const missing = versions.filter((v) => !definitionCache.has(v.id)).map((v) => v.id);
  if (missing.length) {
    const rows = await db
      .selectFrom("survey_versions")
      .select(["id", "definition"])
      .where("id", "in", missing)
      .execute();
    for (const row of rows) {
      if (definitionCache.size >= DEFINITION_CACHE_LIMIT)
        definitionCache.delete(definitionCache.keys().next().value!);
      definitionCache.set(row.id, row.definition as SurveyDefinition);
    }
  }
  return versions.map((v) => ({ ...v, definition: definitionCache.get(v.id)! }));
}

interface SurveyRow {
  id: number;
  slug: string;
  status: SurveyStatus;
  current_version_id: number | null;
  group_id: number;
  group_slug: string;
  group_name: LocalizedText;
  versions: Array<{ id: number; version: number }>;
  title: LocalizedText | null;
}

function surveyRows(db: Db) {
  return db
    .selectFrom("surveys as s")
    .innerJoin("working_groups as g", "g.id", "s.working_group_id")
    .leftJoin("survey_versions as cv", "cv.id", "s.current_version_id")
    .select([
      "s.id",
      "s.slug",
      "s.status",
      "s.current_version_id",
      "g.id as group_id",
      "g.slug as group_slug",
      "g.name as group_name",
      sql<LocalizedText | null>`cv.definition -> 'title'`.as("title"),
      sql<Array<{ id: number; version: number }>>`(
        select coalesce(json_agg(json_build_object('id', v.id, 'version', v.version) order by v.version), '[]'::json)
        from survey_versions v where v.survey_id = s.id)`.as("versions"),
    ]);
}

/** Latest first: open or closed surveys before drafts, then the newest. */
const LATEST_ORDER = sql`case when s.status = 'draft' then 1 else 0 end, s.created_at desc, s.id desc`;

async function toDashboardSurvey(db: Db, row: SurveyRow): Promise<DashboardSurvey> {
  const versions = await loadDefinitions(db, row.versions);
  const current =
    versions.find((v) => v.id === row.current_version_id) ?? versions[versions.length - 1];
  return {
    id: row.id,
    slug: row.slug,
    status: row.status,
    title: row.title ?? current?.definition.title ?? { en: row.slug, ru: row.slug },
    group: { id: row.group_id, slug: row.group_slug, name: row.group_name },
    versionCount: versions.length,
    versionIds: versions.map((v) => v.id),
    questions: mergeVersions(versions, row.current_version_id),
  };
}

/**
 * The survey a group dashboard shows: `surveySlug` when given (null if it is not one of the
 * group's surveys), else the group's latest. Null for an unknown group or a group without surveys.
 */
export async function resolveDashboardSurvey(
  db: Db,
  groupSlug: string,
  surveySlug?: string | null,
): Promise<DashboardSurvey | null> {
  let q = surveyRows(db).where("g.slug", "=", groupSlug);
  q = surveySlug ? q.where("s.slug", "=", surveySlug) : q.orderBy(LATEST_ORDER).limit(1);
  const row = await q.executeTakeFirst();
  return row ? toDashboardSurvey(db, row) : null;
}

/** The latest survey of each of the given groups (groups without surveys are left out). */
export async function resolveLatestSurveys(
  db: Db,
  groupIds: readonly number[],
): Promise<DashboardSurvey[]> {
  if (groupIds.length === 0) return [];
  const rows = await surveyRows(db)
    .where("g.id", "in", [...groupIds])
    .orderBy("g.sort_order")
    .orderBy(LATEST_ORDER)
    .execute();
  const latest = new Map<number, SurveyRow>();
  for (const row of rows) if (!latest.has(row.group_id)) latest.set(row.group_id, row);
  return Promise.all([...latest.values()].map((row) => toDashboardSurvey(db, row)));
}

/** The surveys of a group, latest first, for the survey selector. */
export async function listGroupSurveys(db: Db, groupId: number): Promise<SurveyChoice[]> {
  const rows = await db
    .selectFrom("surveys as s")
    .leftJoin("survey_versions as cv", "cv.id", "s.current_version_id")
    .select(["s.slug", "s.status", sql<LocalizedText | null>`cv.definition -> 'title'`.as("title")])
    .where("s.working_group_id", "=", groupId)
    .orderBy(LATEST_ORDER)
    .execute();
  return rows.map((r) => ({
    slug: r.slug,
    status: r.status,
    title: r.title ?? { en: r.slug, ru: r.slug },
  }));
}

// ---------------------------------------------------------------------------------------------
// SQL building blocks

export interface SectionOptions {
  /** MIN_CELL_SIZE: cells with 1 to minCell − 1 respondents are suppressed. */
  minCell: number;
}

/** Submitted responses of the surveys that match the filters (the `fr` CTE of every query). */
export function filteredResponses(db: Db, surveyIds: readonly number[], f: DashboardFilters) {
  let q = db
    .selectFrom("responses")
    .select([
      "id",
      "survey_id",
      "survey_version_id",
      "country",
      "country_group",
      "org_type",
      "sector",
      "submitted_at",
    ])
    .where("status", "=", "submitted");
  q =
    surveyIds.length === 1
      ? q.where("survey_id", "=", surveyIds[0])
      : q.where("survey_id", "in", [...surveyIds]);
  if (f.countryGroup) q = q.where("country_group", "=", f.countryGroup);
  if (f.country) q = q.where("country", "=", f.country);
  if (f.orgType) q = q.where("org_type", "=", f.orgType);
  if (f.sector) q = q.where("sector", "=", f.sector);
  if (f.from) q = q.where("submitted_at", ">=", new Date(`${f.from}T00:00:00Z`));
  if (f.to)
    q = q.where("submitted_at", "<", new Date(Date.parse(`${f.to}T00:00:00Z`) + 86_400_000));
  return q;
}

/**
 * Runs one dashboard query in a transaction with enough memory for its hash aggregates (so
 * they do not spill to disk) and without JIT compilation (which costs more than it saves for
 * queries of this size).
 */
export async function dashboardQuery<T>(db: Db, run: (trx: Db) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`set local work_mem = '32MB'`.execute(trx);
    await sql`set local jit = off`.execute(trx);
    return run(trx);
  });
}

/** How many submitted responses of a survey match the filters. */
export async function filteredResponseCount(
  db: Db,
  surveyId: number,
  filters: DashboardFilters,
): Promise<number> {
  if (aggregateMargin(filters))
    return (await submissionsByWeek(db, { id: surveyId }, filters)).matching;
  const row = await withFiltered(db, [surveyId], filters)
    .selectFrom("fr")
    .select(sql<number>`count(*)`.as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * `with fr as not materialized (…)`: the planner sees the responses table itself (its
 * statistics and indexes) wherever `fr` is used, and picks hash joins.
 */
function withFiltered(db: Db, surveyIds: readonly number[], f: DashboardFilters) {
  return db.with(
    (cte) => cte("fr").notMaterialized(),
    () => filteredResponses(db, surveyIds, f),
  );
}

type AnswerScope = ExpressionBuilder<
  Database & { a: Database["answers"]; fr: { id: string; survey_version_id: number } },
  "a" | "fr"
>;

/**
 * Restricts answer rows to the given questions, and the rows of a key whose type changed to
 * the versions in which it had its current type.
 */
function answerRowsOf(
  eb: AnswerScope,
  surveyIds: readonly number[],
  questions: readonly DashboardQuestion[],
) {
  const keys = [...new Set(questions.map((q) => q.key))];
  const conditions = [
    surveyIds.length === 1
      ? eb("a.survey_id", "=", surveyIds[0])
      : eb("a.survey_id", "in", [...surveyIds]),
    eb("a.question_key", "in", keys),
  ];
  for (const q of questions) {
    if (q.versionIds) {
      conditions.push(
        eb.or([eb("a.question_key", "<>", q.key), eb("fr.survey_version_id", "in", q.versionIds)]),
      );
    }
  }
  return eb.and(conditions);
}

const PROFILE_KEYS = new Set(["country", "org_type", "sector"]);

/**
 * The rows of the dashboard aggregates a view can be counted from (decision 045): every
 * respondent (no respondent filter) or one profile filter. Null for a date range or two or more
 * profile filters: those views are counted from the answers. The horizon filter is applied to
 * the aggregates' need rows and does not matter here.
 */
export function aggregateMargin(f: DashboardFilters): Margin | null {
  if (f.from || f.to) return null;
  const set = (
    [
      ["country_group", f.countryGroup],
      ["country", f.country],
      ["org_type", f.orgType],
      ["sector", f.sector],
    ] as const
  ).filter(([, value]) => value);
  if (set.length > 1) return null;
  return set.length ? { dim: set[0][0], value: set[0][1]! } : { dim: "", value: "" };
}

/**
 * Aggregate rows (alias g) of the given questions only, and the rows of a key whose type changed
 * to the versions in which it had its current type: answerRowsOf for aggregates.
 */
function aggregateRowsOf(questions: readonly DashboardQuestion[]) {
  const keys = [...new Set(questions.map((q) => q.key))];
  const conditions = [sql`g.question_key in (${sql.join(keys.length ? keys : [""])})`];
  for (const q of questions) {
    if (q.versionIds) {
      conditions.push(
        sql`(g.question_key <> ${q.key} or g.survey_version_id in (${sql.join(q.versionIds.length ? q.versionIds : [-1])}))`,
      );
    }
  }
  return sql.join(conditions, sql` and `);
}

/** Mean and sample SD (numeric sums of values and squares over n) as float8, in SQL. */
function meanAndSd(sum: string, squares: string, n = "sum(g.n)") {
  const s = sql.raw(`sum(g.${sum})`);
  const ss = sql.raw(`sum(g.${squares})`);
  const count = sql.raw(n);
  return {
    mean: sql<number | null>`(${s} / nullif(${count}, 0))::float8`,
    sd: sql<number | null>`case when ${count} > 1
      then sqrt(greatest(${ss} - ${s} * ${s} / ${count}, 0) / (${count} - 1))::float8 end`,
  };
}

// ---------------------------------------------------------------------------------------------
// Participation

export interface WeekCount {
  /** Monday of the week, YYYY-MM-DD. */
  week: string;
  count: Shown;
}

export interface Participation {
  /** Active personal invitations. */
  invited: number;
  /** Responses begun (draft or submitted). */
  started: number;
  submitted: number;
  /** submitted / started, null without responses. */
  completionRate: number | null;
  /** Submitted invitation responses / invitations, null without invitations. */
  responseRate: number | null;
  /** Submitted responses that match the filters. */
  matching: Shown;
  weeks: WeekCount[];
}

export interface ParticipationCounts {
  invited: number;
  started: number;
  submitted: number;
  submittedInvited: number;
  /** Time of the latest submission (ISO), with `submitted` the fingerprint of the cached figures. */
  lastSubmitted: string | null;
}

/** Invitations and responses of each survey (drafts included): one query for all surveys. */
export async function participationCounts(
  db: Db,
  surveyIds: readonly number[],
): Promise<Map<number, ParticipationCounts>> {
  const result = new Map<number, ParticipationCounts>();
  if (surveyIds.length === 0) return result;
  const rows = await db
    .selectFrom("surveys as s")
    .select([
      "s.id",
      sql<number>`(select count(*) from invitations i where i.survey_id = s.id and i.status = 'active')`.as(
        "invited",
      ),
      sql<number>`(select count(*) from responses r where r.survey_id = s.id)`.as("started"),
      sql<number>`(select count(*) from responses r where r.survey_id = s.id and r.status = 'submitted')`.as(
        "submitted",
      ),
      sql<number>`(select count(*) from responses r
        where r.survey_id = s.id and r.status = 'submitted' and r.invitation_id is not null)`.as(
        "submitted_invited",
      ),
      sql<string | null>`(select max(r.submitted_at)::text from responses r
        where r.survey_id = s.id and r.status = 'submitted')`.as("last_submitted"),
    ])
    .where("s.id", "in", [...surveyIds])
    .execute();
  for (const r of rows) {
    result.set(r.id, {
      invited: Number(r.invited),
      started: Number(r.started),
      submitted: Number(r.submitted),
      submittedInvited: Number(r.submitted_invited),
      lastSubmitted: r.last_submitted,
    });
  }
  return result;
}

export interface Submissions {
  /** Submitted responses that match the filters. */
  matching: number;
  weeks: Array<{ week: string; n: number }>;
}

/** The submitted responses matching the filters, in all and by week (Monday, UTC). */
export async function submissionsByWeek(
  db: Db,
  survey: Pick<DashboardSurvey, "id">,
  filters: DashboardFilters,
): Promise<Submissions> {
  const margin = aggregateMargin(filters);
  if (margin) {
    const result = await sql<{ week: string; n: string }>`
      select g.code as week, sum(g.n) as n from (${aggregateRows([survey.id], "week", margin)}) g
      group by g.code having sum(g.n) > 0 order by g.code`.execute(db);
    const weeks = result.rows.map((r) => ({ week: r.week, n: Number(r.n) }));
    return { matching: weeks.reduce((sum, w) => sum + w.n, 0), weeks };
  }
  const rows = await withFiltered(db, [survey.id], filters)
    .selectFrom("fr")
    .select([
      sql<string>`to_char(date_trunc('week', fr.submitted_at at time zone 'UTC'), 'YYYY-MM-DD')`.as(
        "week",
      ),
      sql<number>`count(*)`.as("n"),
    ])
    .groupBy(sql`1`)
    .orderBy(sql`1`)
    .execute();
  const weeks = rows.map((r) => ({ week: r.week, n: Number(r.n) }));
  return { matching: weeks.reduce((sum, w) => sum + w.n, 0), weeks };
}

/** Combines the counts and the matching submissions, with small weeks suppressed. */
export function participationOf(
  counts: ParticipationCounts | undefined,
  submissions: Submissions,
  minCell: number,
): Participation {
  const c = counts ?? {
    invited: 0,
    started: 0,
    submitted: 0,
    submittedInvited: 0,
    lastSubmitted: null,
  };
  const weekCounts = protectPartition(
    submissions.weeks.map((w) => w.n),
    minCell,
  );
  return {
    invited: c.invited,
    started: c.started,
    submitted: c.submitted,
    completionRate: c.started > 0 ? c.submitted / c.started : null,
    responseRate: c.invited > 0 ? c.submittedInvited / c.invited : null,
    matching: shownCount(submissions.matching, minCell),
    weeks: submissions.weeks.map((w, i) => ({ week: w.week, count: weekCounts[i] })),
  };
}

/** Invited, started, submitted, rates, and the matching submissions by week. */
export async function participation(
  db: Db,
  survey: Pick<DashboardSurvey, "id">,
  filters: DashboardFilters,
  { minCell }: SectionOptions,
): Promise<Participation> {
  const [counts, submissions] = await Promise.all([
    participationCounts(db, [survey.id]),
    submissionsByWeek(db, survey, filters),
  ]);
  return participationOf(counts.get(survey.id), submissions, minCell);
}

// ---------------------------------------------------------------------------------------------
// Respondent profile

/** The code of the row that pools the countries with fewer than N respondents each. */
export const SMALL_CODES = "_small";

/**
 * Open lists of codes (countries): listing a country with 1 to N−1 respondents would show
 * that someone from there answered, so such codes are pooled into one row (`_small`), itself
 * suppressed when it is small. Shown codes come by count, largest first; the pooled row last.
 */
export function poolSmallCodes(
  cells: ReadonlyArray<{ code: string | null; n: number }>,
  minCell: number,
): Array<{ code: string | null; count: Shown }> {
  const rows = pooledRows(cells, minCell);
  const shown = protectPartition(
    rows.map((r) => r.n),
    minCell,
  );
  return rows.map((r, i) => ({ code: r.code, count: shown[i] }));
}

/** The rows of an open list before protection: codes with N or more, then the pooled row. */
function pooledRows(
  cells: ReadonlyArray<{ code: string | null; n: number }>,
  minCell: number,
): Array<{ code: string | null; n: number }> {
  const large = cells
    .filter((c) => c.n >= minCell)
    .sort((a, b) => b.n - a.n || String(a.code).localeCompare(String(b.code)));
  const small = cells.filter((c) => c.n > 0 && c.n < minCell).reduce((sum, c) => sum + c.n, 0);
  return [...large, ...(small > 0 ? [{ code: SMALL_CODES as string | null, n: small }] : [])];
}

export type ProfileDimension = "country_group" | "country" | "org_type" | "sector";
export const PROFILE_DIMENSIONS: readonly ProfileDimension[] = [
  "country_group",
  "country",
  "org_type",
  "sector",
];

export interface ProfileCell {
  code: string | null;
  /** Label of an org_type or sector code; countries and country groups are named by the UI. */
  label?: LocalizedText;
  count: Shown;
  share: number | null;
}

export interface RespondentProfile {
  total: number;
  breakdowns: Record<ProfileDimension, ProfileCell[]>;
}

/** The matching respondents by country group, country, organisation type and sector. */
export async function respondentProfile(
  db: Db,
  survey: Pick<DashboardSurvey, "id" | "questions">,
  filters: DashboardFilters,
  { minCell }: SectionOptions,
): Promise<RespondentProfile> {
  const rows = await profileCounts(db, survey.id, filters);
  return profileOf(survey, rows, minCell);
}

type ProfileCount = { dimension: ProfileDimension | null; code: string | null; n: number };

/** Matching respondents by each profile dimension, and in all (dimension null). */
async function profileCounts(
  db: Db,
  surveyId: number,
  filters: DashboardFilters,
): Promise<ProfileCount[]> {
  const margin = aggregateMargin(filters);
  if (margin) {
    const result = await sql<{ dimension: ProfileDimension; code: string | null; n: string }>`
      select g.item as dimension, g.code, sum(g.n) as n
      from (${aggregateRows([surveyId], "profile", margin)}) g
      group by g.item, g.code having sum(g.n) > 0`.execute(db);
    const rows: ProfileCount[] = result.rows.map((r) => ({
      dimension: r.dimension,
      code: r.code,
      n: Number(r.n),
    }));
    const total = rows
      .filter((r) => r.dimension === "country_group")
      .reduce((sum, r) => sum + r.n, 0);
    return [...rows, { dimension: null, code: null, n: total }];
  }
  const rows = await dashboardQuery(db, (trx) =>
    withFiltered(trx, [surveyId], filters)
      .selectFrom("fr")
      .select([
        sql<ProfileDimension | null>`case
        when grouping(fr.country_group) = 0 then 'country_group'
        when grouping(fr.country) = 0 then 'country'
        when grouping(fr.org_type) = 0 then 'org_type'
        when grouping(fr.sector) = 0 then 'sector' end`.as("dimension"),
        sql<string | null>`coalesce(fr.country_group, fr.country, fr.org_type, fr.sector)`.as(
          "code",
        ),
        sql<number>`count(*)`.as("n"),
      ])
      .groupBy(
        sql`grouping sets ((fr.country_group), (fr.country), (fr.org_type), (fr.sector), ())`,
      )
      .execute(),
  );
  return rows.map((r) => ({ dimension: r.dimension, code: r.code, n: Number(r.n) }));
}

function profileOf(
  survey: Pick<DashboardSurvey, "questions">,
  rows: readonly ProfileCount[],
  minCell: number,
): RespondentProfile {
  const total = Number(rows.find((r) => r.dimension === null)?.n ?? 0);
  const order = (dimension: ProfileDimension): CodeLabel[] =>
    dimension === "country_group"
      ? COUNTRY_GROUPS.map((code) => ({ code, label: { en: code, ru: code } }))
      : (survey.questions.find((q) => q.key === dimension)?.codes ?? []);
  const breakdowns = {} as Record<ProfileDimension, ProfileCell[]>;
  const cellsOf = (dimension: ProfileDimension) => {
    const found = rows.filter((r) => r.dimension === dimension);
    const known = order(dimension);
    return [
      ...known.map((c) => ({
        code: c.code as string | null,
        n: Number(found.find((r) => r.code === c.code)?.n ?? 0),
      })),
      ...found
        .filter((r) => !known.some((c) => c.code === r.code))
        .map((r) => ({ code: r.code, n: Number(r.n) })),
    ];
  };
  // Country groups and countries are shown side by side and add up to each other: protected together.
  const countries = pooledRows(cellsOf("country"), minCell);
  const places = protectCountryProfile(
    total,
    cellsOf("country_group"),
    countries,
    SMALL_CODES,
    minCell,
  );
  for (const dimension of PROFILE_DIMENSIONS) {
    const known = order(dimension);
    const cells = cellsOf(dimension);
    if (dimension === "country") {
      breakdowns.country = countries.map((c, i) => ({
        code: c.code,
        count: places.countries[i],
        share: shareOf(places.countries[i], total),
      }));
      continue;
    }
    const shown =
      dimension === "country_group"
        ? places.groups
        : protectPartition(
            cells.map((c) => c.n),
            minCell,
          );
    breakdowns[dimension] = cells.map((c, i) => ({
      code: c.code,
      label: known.find((k) => k.code === c.code)?.label,
      count: shown[i],
      share: shareOf(shown[i], total),
    }));
  }
  return { total, breakdowns };
}

// ---------------------------------------------------------------------------------------------
// Needs: category x horizon, ranked needs, comparison by country group

export type HorizonOrAll = Horizon | "all";
export const HORIZON_KEYS: readonly HorizonOrAll[] = ["short_term", "medium_term", "all"];

export interface NeedCell {
  /** Respondents who named at least one need of the category (in the horizon). */
  respondents: Shown;
  /** Needs named. */
  entries: Shown;
  /**
   * respondents / respondents who answered the need question (named a need in any horizon),
   * the same base with and without a horizon filter.
   */
  share: number | null;
}

export interface NeedRank {
  category: string;
  label: LocalizedText;
  respondents: Shown;
  entries: Shown;
  urgency: MeanStat | null;
  importance: MeanStat | null;
  /**
   * Priority score: the mean over respondents of each respondent's mean urgency × importance
   * / 25 × 100, with its CI (n = respondents); urgency and importance likewise.
   */
  priority: MeanStat | null;
}

export interface GroupComparisonCell {
  respondents: Shown;
  priority: MeanStat | null;
}

export interface NeedComparisonRow {
  category: string;
  label: LocalizedText;
  groups: Record<CountryGroup, GroupComparisonCell>;
}

export interface NeedQuestionAnalysis {
  key: string;
  label: LocalizedText;
  /** Respondents who listed at least one need, in any horizon (the base of the shares). */
  answered: Shown;
  matrix: Array<{ category: string; label: LocalizedText; cells: Record<HorizonOrAll, NeedCell> }>;
  /** Categories ranked by priority (descending), per horizon and over both. */
  ranked: Record<HorizonOrAll, NeedRank[]>;
  /** Priority of each category by respondents' country group, per horizon and over both. */
  byCountryGroup: Record<HorizonOrAll, NeedComparisonRow[]>;
}

interface NeedAggregates {
  scores: NeedScoreRow[];
  /** Respondents who answered each need question, in all (hz null) and by horizon. */
  answered: Array<{ survey_id: number; k: string; hz: Horizon | null; respondents: number }>;
}

/**
 * Need entries of every need question of the surveys, scored in every grouping the sections
 * use (need-scores.server.ts), and the respondents who answered each question (whatever the
 * horizon filter: they are the base of the shares).
 */
async function needAggregates(
  db: Db,
  surveys: ReadonlyArray<Pick<DashboardSurvey, "id" | "questions">>,
  filters: DashboardFilters,
): Promise<NeedAggregates> {
  const questions = surveys.flatMap((s) => s.questions.filter((q) => q.type === "need_list"));
  if (questions.length === 0) return { scores: [], answered: [] };
  const ids = surveys.map((s) => s.id);
  const margin = aggregateMargin(filters);
  if (margin) return needAggregatesOf(db, ids, questions, filters.horizon, margin);
  return dashboardQuery(db, async (trx) => {
    const entries = withFiltered(trx, ids, filters)
      .selectFrom("answers as a")
      .innerJoin("fr", "fr.id", "a.response_id")
      .select([
        "fr.survey_id",
        "a.question_key as k",
        "a.option_code as cat",
        sql<string>`a.value_json ->> 'horizon'`.as("hz"),
        "fr.country_group as cg",
        "a.response_id as rid",
        sql<number>`(a.value_json ->> 'urgency')::float8`.as("u"),
        sql<number>`(a.value_json ->> 'importance')::float8`.as("i"),
      ])
      .where((eb) => answerRowsOf(eb as unknown as AnswerScope, ids, questions));
    const scores = await needScores(trx, entries, {
      horizon: filters.horizon,
      byCountryGroup: true,
    });
    const answered = await needRespondents(trx, entries);
    return { scores, answered };
  });
}

/**
 * needAggregates from the aggregates: each row holds the sums over respondents of their own
 * means (the respondent is the unit), so the figures are the same as counted from the answers.
 * With a horizon filter, only that horizon's entries count: its rows are also the rows over
 * both horizons.
 */
async function needAggregatesOf(
  db: Db,
  ids: readonly number[],
  questions: readonly DashboardQuestion[],
  horizon: Horizon | undefined,
  margin: Margin,
): Promise<NeedAggregates> {
  const u = meanAndSd("x", "xx");
  const i = meanAndSd("y", "yy");
  const p = meanAndSd("z", "zz");
  const [scores, answered] = await Promise.all([
    sql<{
      survey_id: number;
      k: string;
      cat: string;
      hz: Horizon | null;
      cg: string;
      n: string;
      e: string;
      mu: number | null;
      sdu: number | null;
      mi: number | null;
      sdi: number | null;
      mp: number | null;
      sdp: number | null;
    }>`select g.survey_id, g.question_key as k, g.code as cat, g.item as hz, g.cg,
          sum(g.n) as n, sum(g.e) as e, ${u.mean} as mu, ${u.sd} as sdu, ${i.mean} as mi,
          ${i.sd} as sdi, ${p.mean} as mp, ${p.sd} as sdp
        from (${aggregateRows(ids, "need", margin)}) g
        where ${aggregateRowsOf(questions)} and ${horizon ? sql`g.item = ${horizon}` : sql`true`}
        group by g.survey_id, g.question_key, g.code, g.item, g.cg having sum(g.n) > 0`.execute(db),
    sql<{ survey_id: number; k: string; hz: Horizon | null; n: string }>`
        select g.survey_id, g.question_key as k, g.item as hz, sum(g.n) as n
        from (${aggregateRows(ids, "need_answered", margin)}) g
        where ${aggregateRowsOf(questions)}
        group by g.survey_id, g.question_key, g.item having sum(g.n) > 0`.execute(db),
  ]);
  const rows: NeedScoreRow[] = [];
  for (const r of scores.rows) {
    const row: NeedScoreRow = {
      survey_id: Number(r.survey_id),
      k: r.k,
      cat: r.cat,
      hz: r.hz,
      allHorizons: r.hz === null,
      cg: r.cg === "" ? null : (r.cg as CountryGroup),
      allGroups: r.cg === "",
      respondents: Number(r.n),
      entries: Number(r.e),
      mu: r.mu,
      sdu: r.sdu,
      mi: r.mi,
      sdi: r.sdi,
      mp: r.mp,
      sdp: r.sdp,
    };
    rows.push(row);
    // Under a horizon filter the horizon's rows are also the rows over both horizons.
    if (horizon) rows.push({ ...row, hz: null, allHorizons: true });
  }
  return {
    scores: rows,
    answered: answered.rows.map((r) => ({
      survey_id: Number(r.survey_id),
      k: r.k,
      hz: r.hz,
      respondents: Number(r.n),
    })),
  };
}

function rankOf(
  category: CodeLabel,
  row: NeedScoreRow | undefined,
  minCell: number,
  respondentsShown?: Shown,
): NeedRank {
  const respondents = row?.respondents ?? 0;
  const entries = row?.entries ?? 0;
  const shown = respondentsShown ?? shownCount(respondents, minCell);
  const visible = typeof shown === "number";
  // The respondent is the unit of every mean, of its CI and of the small-group rule.
  const stat = (m: number | null | undefined, sd: number | null | undefined, range: ValueRange) =>
    visible && row
      ? meanStat(respondents, m ?? null, sd ?? null, respondents, minCell, range)
      : null;
  return {
    category: category.code,
    label: category.label,
    respondents: shown,
    entries: visible ? entries : shown,
    urgency: stat(row?.mu, row?.sdu, RATING_RANGE),
    importance: stat(row?.mi, row?.sdi, RATING_RANGE),
    priority: stat(row?.mp, row?.sdp, PRIORITY_RANGE),
  };
}

/** The order of docs/statistics.md (need-scores.server.ts compareRankedNeeds). */
function byPriority(a: NeedRank, b: NeedRank, minCell: number): number {
  return compareRankedNeeds(
    { category: a.category, score: a.priority?.mean ?? null, respondents: a.respondents },
    { category: b.category, score: b.priority?.mean ?? null, respondents: b.respondents },
    minCell,
  );
}

/** The view a country-group or horizon filter narrows: the same filters without those two. */
function widerNeedView(filters: DashboardFilters): DashboardFilters | null {
  if (!filters.countryGroup && !filters.horizon) return null;
  const { countryGroup: _g, horizon: _h, ...rest } = filters;
  return rest;
}

/**
 * The protected cells of a view narrowed by a country-group and/or horizon filter. Its cells are
 * cells of the wider view (widerNeedView): the view of group g is the column g of the wider
 * view, the view of horizon h its row h (and “both” holds only that row). Protected on its own,
 * the narrowed view would show a cell the wider one hides, and the two together would give it
 * away; so a cell takes the status of the matching cell of the wider view, whose counts are the
 * same. Cells the filter empties (another group, another horizon) are 0.
 */
function narrowedCells(
  wide: (h: HorizonOrAll, g: CountryGroup | null) => Shown,
  filters: DashboardFilters,
): (h: HorizonOrAll, g: CountryGroup | null) => Shown {
  return (h, g) => {
    if (filters.horizon && h !== "all" && h !== filters.horizon) return 0;
    if (filters.countryGroup && g !== null && g !== filters.countryGroup) return 0;
    return wide(filters.horizon ?? h, filters.countryGroup ?? g);
  };
}

function findNeedRow(mine: readonly NeedScoreRow[]) {
  return (cat: string, hz: Horizon | null, cg: CountryGroup | null) =>
    mine.find(
      (r) =>
        r.cat === cat &&
        (hz === null ? r.allHorizons : !r.allHorizons && r.hz === hz) &&
        (cg === null ? r.allGroups : !r.allGroups && r.cg === cg),
    );
}

function analyseNeedQuestion(
  question: DashboardQuestion,
  aggregates: NeedAggregates,
  minCell: number,
  narrowed?: { filters: DashboardFilters; wider: NeedAggregates },
): NeedQuestionAnalysis {
  const mine = aggregates.scores.filter((r) => r.k === question.key);
  const find = findNeedRow(mine);
  const findWide = narrowed
    ? findNeedRow(narrowed.wider.scores.filter((r) => r.k === question.key))
    : find;
  const categories: CodeLabel[] = [
    ...question.codes,
    ...mine
      .filter((r) => r.cat !== null && !question.codes.some((c) => c.code === r.cat))
      .map((r) => ({ code: r.cat, label: { en: r.cat, ru: r.cat } }))
      .filter((c, i, all) => all.findIndex((x) => x.code === c.code) === i),
  ];
  const answeredIn = (hz: Horizon | null) =>
    aggregates.answered.find((r) => r.k === question.key && r.hz === hz)?.respondents ?? 0;
  // The base of every share: respondents who answered the question, whatever the horizon filter.
  const answered = answeredIn(null);
  const hzOf = (h: HorizonOrAll) => (h === "all" ? null : h);
  // Each category's cells by horizon and country group add up: protected together, and the
  // needs table, the rankings and the comparison show the same protected cells.
  const protectedCells = new Map(
    categories.map((c) => {
      const cells = protectNeedCategory(
        (h, g) => findWide(c.code, hzOf(h), g)?.respondents ?? 0,
        minCell,
      );
      return [c.code, narrowed ? narrowedCells(cells, narrowed.filters) : cells];
    }),
  );

  const matrix = categories.map((c) => {
    const cells = {} as Record<HorizonOrAll, NeedCell>;
    for (const h of HORIZON_KEYS) {
      const row = find(c.code, hzOf(h), null);
      const respondents = protectedCells.get(c.code)!(h, null);
      cells[h] = {
        respondents,
        entries: typeof respondents === "number" ? (row?.entries ?? 0) : respondents,
        share: shareOf(respondents, answered),
      };
    }
    return { category: c.code, label: c.label, cells };
  });
  const ranked = {} as Record<HorizonOrAll, NeedRank[]>;
  const byCountryGroup = {} as Record<HorizonOrAll, NeedComparisonRow[]>;
  for (const h of HORIZON_KEYS) {
    ranked[h] = categories
      .map((c) =>
        rankOf(c, find(c.code, hzOf(h), null), minCell, protectedCells.get(c.code)!(h, null)),
      )
      .sort((a, b) => byPriority(a, b, minCell));
    byCountryGroup[h] = ranked[h].map((rank) => {
      // The groups add up to the category total shown in the ranking: protected with it.
      const shown = COUNTRY_GROUPS.map((g) => protectedCells.get(rank.category)!(h, g));
      const groups = {} as Record<CountryGroup, GroupComparisonCell>;
      COUNTRY_GROUPS.forEach((g, i) => {
        const r = rankOf(
          { code: rank.category, label: rank.label },
          find(rank.category, hzOf(h), g),
          minCell,
          shown[i],
        );
        groups[g] = { respondents: r.respondents, priority: r.priority };
      });
      return { category: rank.category, label: rank.label, groups };
    });
  }
  return {
    key: question.key,
    label: question.label,
    answered: shownCount(answered, minCell),
    matrix,
    ranked,
    byCountryGroup,
  };
}

/**
 * Needs by category × horizon (respondents, needs, shares), categories ranked by priority
 * score per horizon, and the priority of each category by country group.
 */
export async function needAnalysis(
  db: Db,
  survey: Pick<DashboardSurvey, "id" | "questions">,
  filters: DashboardFilters,
  { minCell }: SectionOptions,
): Promise<NeedQuestionAnalysis[]> {
  const wider = widerNeedView(filters);
  const [aggregates, wide] = await Promise.all([
    needAggregates(db, [survey], filters),
    wider ? needAggregates(db, [survey], wider) : null,
  ]);
  const narrowed = wide ? { filters, wider: wide } : undefined;
  return survey.questions
    .filter((q) => q.type === "need_list")
    .map((q) => analyseNeedQuestion(q, aggregates, minCell, narrowed));
}

// ---------------------------------------------------------------------------------------------
// Borich

export interface BorichRank {
  statement: string;
  label: LocalizedText;
  /** Respondents who rated both importance and current level. */
  respondents: Shown;
  importance: MeanStat | null;
  current: MeanStat | null;
  /** importance − current level, per respondent. */
  discrepancy: MeanStat | null;
  /** mean(importance − current) × mean(importance). */
  mwds: number | null;
  /**
   * Quadrant of the importance–performance grid (importance against current level, split at
   * the means over the shown statements); act first = important, low current level.
   */
  quadrant: IpaQuadrant | null;
  /** Quadrant of the locus for focus (importance against discrepancy, split at the means). */
  locus: LocusQuadrant | null;
}

export interface BorichAnalysis {
  key: string;
  label: LocalizedText;
  /** Statements by MWDS, highest first; statements not shown last. */
  statements: BorichRank[];
  /** Means over the shown statements (the reference lines of the grid and the locus for focus). */
  meanImportance: number | null;
  meanCurrent: number | null;
  meanDiscrepancy: number | null;
}

/** Importance − current level of a statement rated on the 1–5 scale: −4 to 4. */
const GAP_RANGE: ValueRange = {
  min: RATING_RANGE.min - RATING_RANGE.max,
  max: RATING_RANGE.max - RATING_RANGE.min,
};

/**
 * Borich statements ranked by mean weighted discrepancy score, with means and CIs, their
 * quadrants of the importance–performance grid and of the locus for focus: one query.
 */
export async function borichAnalysis(
  db: Db,
  survey: Pick<DashboardSurvey, "id" | "questions">,
  filters: DashboardFilters,
  { minCell }: SectionOptions,
): Promise<BorichAnalysis[]> {
  const questions = survey.questions.filter((q) => q.type === "borich");
  if (questions.length === 0) return [];
  const margin = aggregateMargin(filters);
  const rows = margin
    ? await borichRowsOf(db, survey.id, questions, margin)
    : await borichRowsFromAnswers(db, survey.id, questions, filters);
  return questions.map((q) => borichOf(q, rows, minCell));
}

interface BorichRow {
  k: string;
  st: string | null;
  n: number;
  mi: number;
  sdi: number | null;
  mc: number;
  sdc: number | null;
  md: number;
  sdd: number | null;
  mwds: number;
}

/** The Borich figures of each statement from the aggregates (sums over the respondents who rated both). */
async function borichRowsOf(
  db: Db,
  surveyId: number,
  questions: readonly DashboardQuestion[],
  margin: Margin,
): Promise<BorichRow[]> {
  const imp = meanAndSd("x", "xx");
  const cur = meanAndSd("y", "yy");
  const gap = meanAndSd("z", "zz");
  // Ratings are whole numbers: their sums are exact in float8, so Σ/n in float8 is avg() of the
  // ratings to the last bit, and the MWDS (which orders the statements) is the same number.
  const avg = (column: string) => sql.raw(`(sum(g.${column})::float8 / sum(g.n)::float8)`);
  const result = await sql<BorichRow & { n: string }>`
    select g.question_key as k, g.item as st, sum(g.n) as n,
           ${avg("x")} as mi, ${imp.sd} as sdi, ${avg("y")} as mc, ${cur.sd} as sdc,
           ${avg("z")} as md, ${gap.sd} as sdd, ${avg("z")} * ${avg("x")} as mwds
    from (${aggregateRows([surveyId], "borich", margin)}) g
    where ${aggregateRowsOf(questions)}
    group by g.question_key, g.item having sum(g.n) > 0`.execute(db);
  return result.rows.map((r) => ({ ...r, n: Number(r.n) }));
}

async function borichRowsFromAnswers(
  db: Db,
  surveyId: number,
  questions: readonly DashboardQuestion[],
  filters: DashboardFilters,
): Promise<BorichRow[]> {
  const rows = await dashboardQuery(db, (trx) =>
    withFiltered(trx, [surveyId], filters)
      .with("p", (qb) =>
        qb
          .selectFrom("answers as a")
          .innerJoin("fr", "fr.id", "a.response_id")
          .select([
            "a.question_key as k",
            "a.item as st",
            "a.response_id",
            sql<number | null>`max(a.value_num) filter (where a.option_code = 'importance')`.as(
              "imp",
            ),
            sql<number | null>`max(a.value_num) filter (where a.option_code = 'current')`.as("cur"),
          ])
          .where((eb) => answerRowsOf(eb as unknown as AnswerScope, [surveyId], questions))
          .groupBy(["a.question_key", "a.item", "a.response_id"]),
      )
      .selectFrom("p")
      .select([
        "p.k",
        "p.st",
        sql<number>`count(*)`.as("n"),
        sql<number>`avg(p.imp)`.as("mi"),
        sql<number | null>`stddev_samp(p.imp)`.as("sdi"),
        sql<number>`avg(p.cur)`.as("mc"),
        sql<number | null>`stddev_samp(p.cur)`.as("sdc"),
        sql<number>`avg(p.imp - p.cur)`.as("md"),
        sql<number | null>`stddev_samp(p.imp - p.cur)`.as("sdd"),
        sql<number>`avg(p.imp - p.cur) * avg(p.imp)`.as("mwds"),
      ])
      .where("p.imp", "is not", null)
      .where("p.cur", "is not", null)
      .groupBy(["p.k", "p.st"])
      .execute(),
  );
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}

function borichOf(
  q: DashboardQuestion,
  rows: readonly BorichRow[],
  minCell: number,
): BorichAnalysis {
  {
    const statements = q.codes.map((s): BorichRank => {
      const r = rows.find((x) => x.k === q.key && x.st === s.code);
      const n = Number(r?.n ?? 0);
      const respondents = shownCount(n, minCell);
      const shown = typeof respondents === "number" && r !== undefined && n >= minCell;
      return {
        statement: s.code,
        label: s.label,
        respondents,
        importance: shown ? meanStat(n, r.mi, r.sdi, n, minCell, RATING_RANGE) : null,
        current: shown ? meanStat(n, r.mc, r.sdc, n, minCell, RATING_RANGE) : null,
        discrepancy: shown ? meanStat(n, r.md, r.sdd, n, minCell, GAP_RANGE) : null,
        mwds: shown ? r.mwds : null,
        quadrant: null,
        locus: null,
      };
    });
    statements.sort(
      (a, b) =>
        (b.mwds ?? -Infinity) - (a.mwds ?? -Infinity) ||
        // Equal scores: statement code in code-point order, as need categories.
        (a.statement < b.statement ? -1 : a.statement > b.statement ? 1 : 0),
    );
    const shown = statements.filter((s) => s.importance && s.current && s.discrepancy);
    const avg = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null);
    const meanImportance = avg(shown.map((s) => s.importance!.mean));
    const meanCurrent = avg(shown.map((s) => s.current!.mean));
    const meanDiscrepancy = avg(shown.map((s) => s.discrepancy!.mean));
    if (meanImportance !== null && meanCurrent !== null && meanDiscrepancy !== null) {
      for (const s of shown) {
        s.quadrant = importancePerformanceQuadrant(
          s.importance!.mean,
          s.current!.mean,
          meanImportance,
          meanCurrent,
        );
        s.locus = locusForFocusQuadrant(
          s.importance!.mean,
          s.discrepancy!.mean,
          meanImportance,
          meanDiscrepancy,
        );
      }
    }
    return { key: q.key, label: q.label, statements, meanImportance, meanCurrent, meanDiscrepancy };
  }
}

// ---------------------------------------------------------------------------------------------
// Distributions of choice, scale, matrix, ranking and number questions

export interface CountCell {
  code: string;
  label?: LocalizedText;
  count: Shown;
  share: number | null;
}

export interface ValueCell {
  value: number;
  count: Shown;
  share: number | null;
}

export interface Summary {
  mean: MeanStat | null;
  median: number | null;
}

export type Distribution =
  | {
      kind: "choice";
      key: string;
      type: "single_choice" | "country";
      label: LocalizedText;
      answered: Shown;
      options: CountCell[];
    }
  | {
      kind: "multi";
      key: string;
      type: "multi_choice";
      label: LocalizedText;
      answered: Shown;
      options: CountCell[];
      /** "Other, please specify" answers. */
      other: Shown | null;
    }
  | {
      kind: "scale";
      key: string;
      type: "scale";
      label: LocalizedText;
      answered: Shown;
      scale: NonNullable<DashboardQuestion["scale"]>;
      values: ValueCell[];
      summary: Summary;
    }
  | {
      kind: "matrix";
      key: string;
      type: "matrix";
      label: LocalizedText;
      answered: Shown;
      scale: NonNullable<DashboardQuestion["scale"]>;
      rows: Array<{
        code: string;
        label: LocalizedText;
        answered: Shown;
        values: ValueCell[];
        summary: Summary;
      }>;
    }
  | {
      kind: "ranking";
      key: string;
      type: "ranking";
      label: LocalizedText;
      answered: Shown;
      /** Items by mean rank (1 = ranked first). */
      items: Array<{
        code: string;
        label: LocalizedText;
        answered: Shown;
        meanRank: MeanStat | null;
        ranks: ValueCell[];
      }>;
    }
  | {
      kind: "number";
      key: string;
      type: "number";
      label: LocalizedText;
      answered: Shown;
      unit?: LocalizedText;
      summary: Summary;
      /** Bins [lower, upper); the first may be open below (lower null), the last open above (upper null). */
      bins: Array<{
        lower: number | null;
        upper: number | null;
        count: Shown;
        share: number | null;
      }>;
    };

const DISTRIBUTION_TYPES = new Set<QuestionType>([
  "single_choice",
  "country",
  "multi_choice",
  "scale",
  "matrix",
  "ranking",
]);

interface CountRow {
  row_kind: "count" | "stat" | "respondents";
  k: string;
  item: string | null;
  opt: string | null;
  val: number | null;
  n: number;
  mean: number | null;
  sd: number | null;
  median: number | null;
}

interface NumberRow {
  k: string;
  n: number;
  mean: number | null;
  sd: number | null;
  median: number | null;
  lo: number | null;
  step: number | null;
  nb: number | null;
  bins: Array<{ b: number; n: number }>;
}

function summaryOf(
  n: number,
  mean: number | null,
  sd: number | null,
  median: number | null,
  minCell: number,
  range?: ValueRange,
): Summary {
  const m = meanStat(n, mean, sd, n, minCell, range);
  return { mean: m, median: m ? median : null };
}

/**
 * The distribution of every choice, multiple-choice, country, scale, matrix, ranking and
 * number question: one query for the counted types (grouping sets give counts per option or
 * value, per row or item, and per question, with means and medians), one for numbers (binned).
 */
export async function distributions(
  db: Db,
  survey: Pick<DashboardSurvey, "id" | "questions">,
  filters: DashboardFilters,
  { minCell }: SectionOptions,
): Promise<Distribution[]> {
  const counted = survey.questions.filter(
    (q) => DISTRIBUTION_TYPES.has(q.type) && !PROFILE_KEYS.has(q.key),
  );
  const numbers = survey.questions.filter((q) => q.type === "number");
  const margin = aggregateMargin(filters);
  const [countRows, numberRows] = await Promise.all([
    counted.length
      ? margin
        ? countQueryOf(db, survey.id, counted, margin)
        : countQuery(db, survey.id, counted, filters)
      : Promise.resolve([] as CountRow[]),
    numbers.length
      ? margin
        ? numberQueryOf(db, survey.id, numbers, margin)
        : numberQuery(db, survey.id, numbers, filters)
      : Promise.resolve([] as NumberRow[]),
  ]);
  const out: Distribution[] = [];
  for (const q of survey.questions) {
    if (q.type === "number") {
      const r = numberRows.find((x) => x.k === q.key);
      out.push(numberDistribution(q, r, minCell));
    } else if (counted.includes(q)) {
      out.push(
        countedDistribution(
          q,
          countRows.filter((r) => r.k === q.key),
          minCell,
        ),
      );
    }
  }
  return out;
}

/** Mean, sample SD and median of counted values (w: val, n, and cum = running count by val within total). */
const COUNTED_MEAN = sql<number>`sum(w.n * w.val) / sum(w.n)`;
const COUNTED_SD = sql<number | null>`case when sum(w.n) > 1
  then sqrt(greatest(sum(w.n * w.val * w.val) - sum(w.n * w.val) ^ 2 / sum(w.n), 0) / (sum(w.n) - 1)) end`;
const COUNTED_MEDIAN = sql<number>`(min(w.val) filter (where w.cum >= ceil(w.total / 2.0))
  + min(w.val) filter (where w.cum >= floor(w.total / 2.0) + 1)) / 2`;

/** countQuery from the aggregates: the same counts, summed over the survey's versions. */
async function countQueryOf(
  db: Db,
  surveyId: number,
  questions: DashboardQuestion[],
  margin: Margin,
): Promise<CountRow[]> {
  const severalRows = questions.filter((q) => q.type === "multi_choice" || q.type === "matrix");
  const result = await sql<CountRow>`with
    c as (
      select g.question_key as k, g.item, g.code as opt, g.value as val, sum(g.n)::float8 as n
      from (${aggregateRows([surveyId], "count", margin)}) g
      where ${aggregateRowsOf(questions)}
      group by g.question_key, g.item, g.code, g.value having sum(g.n) > 0),
    w as (
      select c.k, c.item, c.val, c.n, sum(c.n) over (partition by c.k, c.item) as total,
             sum(c.n) over (partition by c.k, c.item order by c.val) as cum
      from c where c.val is not null),
    st as (
      select w.k, w.item, sum(w.n) as n, ${COUNTED_MEAN} as mean, ${COUNTED_SD} as sd,
             ${COUNTED_MEDIAN} as median
      from w group by w.k, w.item),
    r as (
      select g.question_key as k, sum(g.n)::float8 as n
      from (${aggregateRows([surveyId], "resp", margin)}) g
      where ${severalRows.length ? aggregateRowsOf(severalRows) : sql`false`}
      group by g.question_key having sum(g.n) > 0)
    select 'count' as row_kind, c.k, c.item, c.opt, c.val, c.n,
           null::float8 as mean, null::float8 as sd, null::float8 as median from c
    union all
    select 'stat', st.k, st.item, null, null, st.n, st.mean, st.sd, st.median from st
    union all
    select 'respondents', r.k, null, null, null, r.n, null, null, null from r`.execute(db);
  return result.rows.map((r) => ({ ...r, n: Number(r.n) }));
}

/**
 * percentile_cont(f) of the values of a histogram (c: x, n, cum = running count by x, tot), as
 * Postgres computes it: the values at 0-based positions ⌊f(tot−1)⌋ and ⌈f(tot−1)⌉, interpolated.
 */
function histogramPercentile(f: number) {
  const rowPos = sql`(${f}::float8 * (c.tot - 1))`;
  const pos = sql`(${f}::float8 * (max(c.tot) - 1))`;
  const lo = sql`min(c.x) filter (where c.cum > floor(${rowPos}))`;
  const hi = sql`min(c.x) filter (where c.cum > ceil(${rowPos}))`;
  return sql<number>`${lo} + ((${pos} - floor(${pos})) * (${hi} - ${lo}))`;
}

/** numberQuery from the aggregates: the per-value counts of the numbers give n, mean, SD, percentiles and bins. */
async function numberQueryOf(
  db: Db,
  surveyId: number,
  questions: DashboardQuestion[],
  margin: Margin,
): Promise<NumberRow[]> {
  const integers = questions.filter((q) => q.number?.integer).map((q) => q.key);
  const result = await sql<NumberRow>`with
    h as (
      select g.question_key as k, g.value as x, sum(g.n)::float8 as n
      from (${aggregateRows([surveyId], "count", margin)}) g
      where ${aggregateRowsOf(questions)} and g.value is not null
      group by g.question_key, g.value having sum(g.n) > 0),
    c as (
      select h.k, h.x, h.n, sum(h.n) over (partition by h.k order by h.x) as cum,
             sum(h.n) over (partition by h.k) as tot
      from h),
    s as (
      select c.k, max(c.tot) as n, sum(c.n * c.x) / max(c.tot) as mean,
             case when max(c.tot) > 1
               then sqrt(greatest(sum(c.n * c.x * c.x) - sum(c.n * c.x) ^ 2 / max(c.tot), 0) / (max(c.tot) - 1)) end as sd,
             ${histogramPercentile(0.5)} as median, ${histogramPercentile(0.05)} as p05,
             ${histogramPercentile(0.95)} as p95
      from c group by c.k),
    w as (select s.k, ${binWidth(integers)} as step from s)
    select s.k, s.n, s.mean, s.sd, s.median,
           (floor(s.p05::numeric / w.step) * w.step)::float8 as lo,
           w.step::float8 as step,
           greatest(1, ceil((s.p95::numeric - floor(s.p05::numeric / w.step) * w.step) / w.step))::int as nb,
           (select coalesce(json_agg(json_build_object('b', x.b, 'n', x.n) order by x.b), '[]'::json) from (
              select least(greatest(floor((h.x::numeric - floor(s.p05::numeric / w.step) * w.step) / w.step)::int, 0),
                           greatest(1, ceil((s.p95::numeric - floor(s.p05::numeric / w.step) * w.step) / w.step))::int) as b,
                     sum(h.n) as n
              from h where h.k = s.k group by 1) x) as bins
    from s join w on w.k = s.k`.execute(db);
  return result.rows.map((r) => ({
    ...r,
    n: Number(r.n),
    lo: r.lo === null ? null : Number(r.lo),
    step: r.step === null ? null : Number(r.step),
    nb: r.nb === null ? null : Number(r.nb),
  }));
}

/**
 * Counts per (question, row or item, option, value) in one pass (a hash aggregate); the means,
 * sample SDs and medians of each (question, row or item) are then computed in SQL from those
 * counts, and the respondents of multiple-choice and matrix questions (several rows each) by a
 * distinct count.
 */
async function countQuery(
  db: Db,
  surveyId: number,
  questions: DashboardQuestion[],
  filters: DashboardFilters,
) {
  const severalRows = questions.filter((q) => q.type === "multi_choice" || q.type === "matrix");
  const rows = await dashboardQuery(db, (trx) =>
    withFiltered(trx, [surveyId], filters)
      .with("c", (qb) =>
        qb
          .selectFrom("answers as a")
          .innerJoin("fr", "fr.id", "a.response_id")
          .select([
            "a.question_key as k",
            "a.item",
            "a.option_code as opt",
            "a.value_num as val",
            sql<number>`count(*)::float8`.as("n"),
          ])
          .where((eb) => answerRowsOf(eb as unknown as AnswerScope, [surveyId], questions))
          .groupBy(["a.question_key", "a.item", "a.option_code", "a.value_num"]),
      )
      .with("w", (qb) =>
        qb
          .selectFrom("c")
          .select([
            "c.k",
            "c.item",
            "c.val",
            "c.n",
            sql<number>`sum(c.n) over (partition by c.k, c.item)`.as("total"),
            sql<number>`sum(c.n) over (partition by c.k, c.item order by c.val)`.as("cum"),
          ])
          .where("c.val", "is not", null),
      )
      .with("st", (qb) =>
        qb
          .selectFrom("w")
          .select([
            "w.k",
            "w.item",
            sql<number>`sum(w.n)`.as("n"),
            COUNTED_MEAN.as("mean"),
            COUNTED_SD.as("sd"),
            COUNTED_MEDIAN.as("median"),
          ])
          .groupBy(["w.k", "w.item"]),
      )
      .with("r", (qb) =>
        qb
          .selectFrom((sub) =>
            sub
              .selectFrom("answers as a")
              .innerJoin("fr", "fr.id", "a.response_id")
              .select(["a.question_key as k", "a.response_id"])
              .distinct()
              .where((eb) =>
                severalRows.length
                  ? answerRowsOf(eb as unknown as AnswerScope, [surveyId], severalRows)
                  : sql<boolean>`false`,
              )
              .as("x"),
          )
          .select(["x.k", sql<number>`count(*)::float8`.as("n")])
          .groupBy("x.k"),
      )
      .selectFrom("c")
      .select([
        sql<"count">`'count'`.as("row_kind"),
        "c.k",
        "c.item",
        "c.opt",
        "c.val",
        "c.n",
        sql<number | null>`null::float8`.as("mean"),
        sql<number | null>`null::float8`.as("sd"),
        sql<number | null>`null::float8`.as("median"),
      ])
      .unionAll(
        (qb) =>
          qb
            .selectFrom("st")
            .select([
              sql<"stat">`'stat'`.as("row_kind"),
              "st.k",
              "st.item",
              sql<string | null>`null`.as("opt"),
              sql<number | null>`null::float8`.as("val"),
              "st.n",
              "st.mean",
              "st.sd",
              "st.median",
            ]) as never,
      )
      .unionAll(
        (qb) =>
          qb
            .selectFrom("r")
            .select([
              sql<"respondents">`'respondents'`.as("row_kind"),
              "r.k",
              sql<string | null>`null`.as("item"),
              sql<string | null>`null`.as("opt"),
              sql<number | null>`null::float8`.as("val"),
              "r.n",
              sql<number | null>`null::float8`.as("mean"),
              sql<number | null>`null::float8`.as("sd"),
              sql<number | null>`null::float8`.as("median"),
            ]) as never,
      )
      .execute(),
  );
  return rows.map((r) => ({ ...r, n: Number(r.n) })) as CountRow[];
}

/**
 * The bin width of a number question from its p05 and p95 (CTE s: k, p05, p95): 1, 2 or 5 times
 * a power of ten, at least 1 for whole numbers. numeric, not float8: edges and bin numbers must
 * be exact for decimal widths.
 */
function binWidth(integers: readonly string[]) {
  return sql<number>`(select case when r.raw <= 0 then 1::numeric
      else greatest(case when r.raw / p.p <= 1 then p.p when r.raw / p.p <= 2 then 2 * p.p
                         when r.raw / p.p <= 5 then 5 * p.p else 10 * p.p end,
                    case when s.k in (${sql.join(integers.length ? integers : [""])}) then 1 else 0 end) end
    from (select (s.p95::numeric - s.p05::numeric) / 6 as raw) r,
         lateral (select case when r.raw > 0 then power(10::numeric, floor(log(r.raw))) else 1::numeric end as p) p)`;
}

/**
 * Numbers: n, mean, sd, median, and a histogram of about six bins of a round width between
 * the 5th and 95th percentiles (the outer bins are open, so that extreme single answers are
 * not pinned down).
 */
async function numberQuery(
  db: Db,
  surveyId: number,
  questions: DashboardQuestion[],
  filters: DashboardFilters,
) {
  const integers = questions.filter((q) => q.number?.integer).map((q) => q.key);
  const rows = await dashboardQuery(db, (trx) =>
    withFiltered(trx, [surveyId], filters)
      .with("v", (qb) =>
        qb
          .selectFrom("answers as a")
          .innerJoin("fr", "fr.id", "a.response_id")
          .select(["a.question_key as k", "a.value_num as x"])
          .where((eb) => answerRowsOf(eb as unknown as AnswerScope, [surveyId], questions))
          .where("a.value_num", "is not", null),
      )
      .with("s", (qb) =>
        qb
          .selectFrom("v")
          .select([
            "v.k",
            sql<number>`count(*)`.as("n"),
            sql<number | null>`avg(v.x)`.as("mean"),
            sql<number | null>`stddev_samp(v.x)`.as("sd"),
            sql<number | null>`percentile_cont(0.5) within group (order by v.x)`.as("median"),
            sql<number>`percentile_cont(0.05) within group (order by v.x)`.as("p05"),
            sql<number>`percentile_cont(0.95) within group (order by v.x)`.as("p95"),
          ])
          .groupBy("v.k"),
      )
      .with("w", (qb) => qb.selectFrom("s").select(["s.k", binWidth(integers).as("step")]))
      .selectFrom("s")
      .innerJoin("w", "w.k", "s.k")
      .select([
        "s.k",
        "s.n",
        "s.mean",
        "s.sd",
        "s.median",
        // Exact decimal arithmetic: a value on an edge (0.3 with width 0.1) opens the upper bin.
        sql<number>`(floor(s.p05::numeric / w.step) * w.step)::float8`.as("lo"),
        sql<number>`w.step::float8`.as("step"),
        sql<number>`greatest(1, ceil((s.p95::numeric - floor(s.p05::numeric / w.step) * w.step) / w.step))::int`.as(
          "nb",
        ),
        sql<Array<{ b: number; n: number }>>`(
        select coalesce(json_agg(json_build_object('b', x.b, 'n', x.n) order by x.b), '[]'::json) from (
          select least(greatest(floor((v.x::numeric - floor(s.p05::numeric / w.step) * w.step) / w.step)::int, 0),
                       greatest(1, ceil((s.p95::numeric - floor(s.p05::numeric / w.step) * w.step) / w.step))::int) as b,
                 count(*) as n
          from v where v.k = s.k group by 1) x)`.as("bins"),
      ])
      .execute(),
  );
  return rows.map((r) => ({
    ...r,
    n: Number(r.n),
    lo: r.lo === null ? null : Number(r.lo),
    step: r.step === null ? null : Number(r.step),
    nb: r.nb === null ? null : Number(r.nb),
  })) as NumberRow[];
}

function numberDistribution(
  q: DashboardQuestion,
  r: NumberRow | undefined,
  minCell: number,
): Distribution {
  const n = r?.n ?? 0;
  const answered = shownCount(n, minCell);
  const base = {
    kind: "number" as const,
    key: q.key,
    type: "number" as const,
    label: q.label,
    unit: q.number?.unit,
    answered,
  };
  if (!r || n < minCell || r.lo === null || r.step === null || r.nb === null) {
    return { ...base, summary: { mean: null, median: null }, bins: [] };
  }
  const counts = Array.from({ length: r.nb + 1 }, (_, b) =>
    Number(r.bins.find((x) => x.b === b)?.n ?? 0),
  );
  const shown = protectPartition(counts, minCell);
  const round = (x: number) => Math.round(x * 1e9) / 1e9;
  return {
    ...base,
    summary: summaryOf(n, r.mean, r.sd, r.median, minCell, {
      min: q.number?.min ?? -Infinity,
      max: q.number?.max ?? Infinity,
    }),
    bins: counts.map((_, b) => ({
      lower: b === 0 ? null : round(r.lo! + b * r.step!),
      upper: b === r.nb ? null : round(r.lo! + (b + 1) * r.step!),
      count: shown[b],
      share: shareOf(shown[b], n),
    })),
  };
}

function countedDistribution(
  q: DashboardQuestion,
  rows: readonly CountRow[],
  minCell: number,
): Distribution {
  const detail = rows.filter((r) => r.row_kind === "count");
  const perItem = rows.filter((r) => r.row_kind === "stat");
  const respondents =
    q.type === "multi_choice" || q.type === "matrix"
      ? (rows.find((r) => r.row_kind === "respondents")?.n ?? 0)
      : q.type === "ranking"
        ? Math.max(0, ...perItem.map((r) => r.n))
        : detail.reduce((sum, r) => sum + r.n, 0);
  const answered = shownCount(respondents, minCell);
  const hide = respondents < minCell;

  const codeCells = (
    codes: ReadonlyArray<{ code: string; label?: LocalizedText }>,
    countOf: (code: string) => number,
    partition: boolean,
  ) => {
    const counts = codes.map((c) => countOf(c.code));
    const shown = hide
      ? counts.map((c): Shown => (c === 0 ? 0 : "suppressed"))
      : partition
        ? protectPartition(counts, minCell)
        : counts.map((c) => shownCount(c, minCell));
    return codes.map((c, i) => ({
      code: c.code,
      label: c.label,
      count: shown[i],
      share: shareOf(shown[i], respondents),
    }));
  };
  const withUnknown = (known: readonly CodeLabel[], found: ReadonlyArray<string | null>) => [
    ...known,
    ...[...new Set(found)]
      .filter((c): c is string => c !== null && !known.some((k) => k.code === c))
      .map((code) => ({ code, label: undefined as LocalizedText | undefined })),
  ];

  switch (q.type) {
    case "single_choice":
    case "country": {
      if (q.type === "country") {
        const counts = new Map<string, number>();
        for (const r of detail)
          if (r.opt !== null) counts.set(r.opt, (counts.get(r.opt) ?? 0) + r.n);
        const pooled = hide
          ? respondents > 0
            ? [{ code: SMALL_CODES as string | null, count: "suppressed" as Shown }]
            : []
          : poolSmallCodes(
              [...counts].map(([code, n]) => ({ code, n })),
              minCell,
            );
        const options = pooled.map((c) => ({
          code: c.code ?? SMALL_CODES,
          count: c.count,
          share: shareOf(c.count, respondents),
        }));
        return { kind: "choice", key: q.key, type: q.type, label: q.label, answered, options };
      }
      const codes = withUnknown(
        q.codes,
        detail.map((r) => r.opt),
      );
      const options = codeCells(
        codes,
        (code) => detail.filter((r) => r.opt === code).reduce((s, r) => s + r.n, 0),
        true,
      );
      return { kind: "choice", key: q.key, type: q.type, label: q.label, answered, options };
    }
    case "multi_choice": {
      const codes = withUnknown(
        q.codes,
        detail.filter((r) => r.item !== "_other").map((r) => r.item),
      );
      const options = codeCells(
        codes,
        (code) => detail.find((r) => r.item === code)?.n ?? 0,
        false,
      );
      const otherCount = detail.find((r) => r.item === "_other")?.n ?? 0;
      return {
        kind: "multi",
        key: q.key,
        type: "multi_choice",
        label: q.label,
        answered,
        options,
        other:
          q.other || otherCount > 0
            ? hide && otherCount > 0
              ? "suppressed"
              : shownCount(otherCount, minCell)
            : null,
      };
    }
    case "scale":
    case "matrix":
    case "ranking": {
      const points = (item: string | null, min: number, max: number) => {
        const values = Array.from({ length: max - min + 1 }, (_, i) => min + i);
        const extra = detail
          .filter((r) => r.item === item && r.val !== null && (r.val < min || r.val > max))
          .map((r) => r.val as number);
        const all = [...values, ...new Set(extra)].sort((a, b) => a - b);
        const counts = all.map((v) => detail.find((r) => r.item === item && r.val === v)?.n ?? 0);
        const itemTotal = counts.reduce((s, c) => s + c, 0);
        const shown =
          itemTotal < minCell
            ? counts.map((c): Shown => (c === 0 ? 0 : "suppressed"))
            : protectPartition(counts, minCell);
        return all.map((value, i) => ({
          value,
          count: shown[i],
          share: shareOf(shown[i], itemTotal),
        }));
      };
      if (q.type === "scale") {
        const s = q.scale!;
        const r = perItem.find((x) => x.item === null);
        return {
          kind: "scale",
          key: q.key,
          type: "scale",
          label: q.label,
          answered,
          scale: s,
          values: points(null, s.min, s.max),
          summary: r
            ? summaryOf(r.n, r.mean, r.sd, r.median, minCell, s)
            : { mean: null, median: null },
        };
      }
      if (q.type === "matrix") {
        const s = q.scale!;
        const rowCodes = withUnknown(
          q.codes,
          perItem.map((r) => r.item),
        );
        return {
          kind: "matrix",
          key: q.key,
          type: "matrix",
          label: q.label,
          answered,
          scale: s,
          rows: rowCodes.map((c) => {
            const r = perItem.find((x) => x.item === c.code);
            return {
              code: c.code,
              label: c.label ?? { en: c.code, ru: c.code },
              answered: shownCount(r?.n ?? 0, minCell),
              values: points(c.code, s.min, s.max),
              summary: r
                ? summaryOf(r.n, r.mean, r.sd, r.median, minCell, s)
                : { mean: null, median: null },
            };
          }),
        };
      }
      const itemCodes = withUnknown(
        q.codes,
        perItem.map((r) => r.item),
      );
      // Every respondent gives every item a rank of its own: the counts add up by item and by
      // rank, so the items' ranks are protected together, not item by item.
      const rankRows = itemCodes.map((c) =>
        points(c.code, 1, Math.max(q.codes.length, 1)).map((p) => ({
          value: p.value,
          n: detail.find((r) => r.item === c.code && r.val === p.value)?.n ?? 0,
        })),
      );
      const rankShown = protectRankTable(rankRows, minCell);
      const items = itemCodes.map((c, i) => {
        const r = perItem.find((x) => x.item === c.code);
        const total = rankRows[i].reduce((s, p) => s + p.n, 0);
        return {
          code: c.code,
          label: c.label ?? { en: c.code, ru: c.code },
          answered: shownCount(r?.n ?? 0, minCell),
          meanRank: r
            ? meanStat(r.n, r.mean, r.sd, r.n, minCell, {
                min: 1,
                max: Math.max(q.codes.length, 1),
              })
            : null,
          ranks: rankRows[i].map((p, j) => ({
            value: p.value,
            count: rankShown[i][j],
            share: shareOf(rankShown[i][j], total),
          })),
        };
      });
      items.sort(
        (a, b) =>
          (a.meanRank?.mean ?? Infinity) - (b.meanRank?.mean ?? Infinity) ||
          a.code.localeCompare(b.code),
      );
      return { kind: "ranking", key: q.key, type: "ranking", label: q.label, answered, items };
    }
    default:
      throw new Error(`no distribution for ${q.type}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Themes of free-text answers

export interface ThemeCount {
  id: number;
  name: string;
  /** Respondents with at least one answer tagged with the theme. */
  respondents: Shown;
  /** Tagged answers. */
  answers: Shown;
}

/**
 * The group's themes with the answers of the survey (matching the filters) tagged with each. The
 * horizon filter leaves out tags on need entries of the other horizon (only need entries have
 * a horizon), as the tags export does: the figures can be recounted from tags.csv.
 */
export async function themeCounts(
  db: Db,
  survey: Pick<DashboardSurvey, "id" | "group">,
  filters: DashboardFilters,
  { minCell }: SectionOptions,
): Promise<ThemeCount[]> {
  const rows = await withFiltered(db, [survey.id], filters)
    .with("tagged", (qb) => {
      const q = qb
        .selectFrom("answer_tags as t")
        .innerJoin("answers as a", "a.id", "t.answer_id")
        .innerJoin("fr", "fr.id", "a.response_id")
        .select(["t.theme_id", "a.response_id"])
        .where("a.survey_id", "=", survey.id);
      return filters.horizon
        ? q.where(
            sql<boolean>`coalesce(a.value_json ->> 'horizon', ${filters.horizon}) = ${filters.horizon}`,
          )
        : q;
    })
    .selectFrom("themes as th")
    .leftJoin("tagged", "tagged.theme_id", "th.id")
    .select([
      "th.id",
      "th.name",
      sql<number>`count(tagged.response_id)`.as("answers"),
      sql<number>`count(distinct tagged.response_id)`.as("respondents"),
    ])
    .where("th.working_group_id", "=", survey.group.id)
    .groupBy(["th.id", "th.name"])
    .orderBy(sql`count(tagged.response_id)`, "desc")
    .orderBy(sql`lower(th.name)`)
    .execute();
  // Under a horizon filter the view without it is one click away, and the difference of the two
  // counts the tags on needs of the other horizon: a theme whose difference would isolate 1 to
  // N − 1 answers or respondents is withheld.
  const { horizon, ...wider } = filters;
  const wide = horizon ? await themeCounts(db, survey, wider, { minCell: 1 }) : null;
  const themes = rows.map((r): ThemeCount => {
    const respondents = shownCount(Number(r.respondents), minCell);
    const w = wide?.find((x) => x.id === r.id);
    const isolates = (whole: Shown | undefined, part: number) =>
      typeof whole === "number" && isSuppressed(whole - part, minCell);
    if (
      typeof respondents === "number" &&
      w &&
      (isolates(w.answers, Number(r.answers)) || isolates(w.respondents, Number(r.respondents)))
    )
      return { id: r.id, name: r.name, respondents: "withheld", answers: "withheld" };
    return {
      id: r.id,
      name: r.name,
      respondents,
      answers: typeof respondents === "number" ? Number(r.answers) : respondents,
    };
  });
  return themes.sort(byShownThenName);
}

/** Themes by their shown number of answers (hidden ones last), then by name in code-point order. */
function byShownThenName(a: ThemeCount, b: ThemeCount): number {
  const n = (t: ThemeCount) => (typeof t.answers === "number" ? t.answers : -1);
  return n(b) - n(a) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

// ---------------------------------------------------------------------------------------------
// Filter choices

export interface FilterChoices {
  /** Countries with at least N submitted responses in the survey (smaller ones are not offered). */
  countries: string[];
  orgTypes: CodeLabel[];
  sectors: CodeLabel[];
}

export async function filterChoices(
  db: Db,
  surveys:
    | Pick<DashboardSurvey, "id" | "questions">
    | ReadonlyArray<Pick<DashboardSurvey, "id" | "questions">>,
  { minCell }: SectionOptions,
): Promise<FilterChoices> {
  const list: ReadonlyArray<Pick<DashboardSurvey, "id" | "questions">> = Array.isArray(surveys)
    ? surveys
    : [surveys as Pick<DashboardSurvey, "id" | "questions">];
  const profile = (key: string): CodeLabel[] =>
    list.flatMap((s) => s.questions).find((q: DashboardQuestion) => q.key === key)?.codes ?? [];
  if (list.length === 0) return { countries: [], orgTypes: [], sectors: [] };
  const rows = await sql<{ country: string }>`
    select g.code as country from (${aggregateRows(
      list.map((s) => s.id),
      "profile",
      { dim: "", value: "" },
    )}) g
    where g.item = 'country' and g.code is not null
    group by g.code having sum(g.n) >= ${minCell} order by g.code`
    .execute(db)
    .then((r) => r.rows);
  return {
    countries: rows.map((r) => r.country as string),
    orgTypes: profile("org_type"),
    sectors: profile("sector"),
  };
}

// ---------------------------------------------------------------------------------------------
// Result cache
//
// The figures come from the aggregates (decision 045) and are fast without a cache. A short-lived
// layer stays in front of them: identical requests arriving together share one computation, and
// a page reloaded within seconds is served again. An entry is keyed by a fingerprint of the
// survey's submitted responses read from the database on every request (their number and the
// latest submission time), so a submission or an erasure on any instance is counted at once.
// Participation (drafts, invitations) and theme counts are always read live.

interface CacheEntry {
  at: number;
  value: Promise<unknown>;
}

const CACHE_LIMIT = 300;
const CACHE_TTL_MS = 5_000;
const caches = new WeakMap<Db, Map<string, CacheEntry>>();

/** Forgets the cached figures of a database. */
export function clearDashboardCache(db: Db): void {
  caches.delete(db);
}

function cached<T>(db: Db, key: string, compute: () => Promise<T>): Promise<T> {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && now - hit.at < CACHE_TTL_MS) {
    cache.delete(key);
    cache.set(key, hit);
    return hit.value as Promise<T>;
  }
  const value = compute();
  cache.set(key, { at: now, value });
  value.catch(() => cache.get(key)?.value === value && cache.delete(key));
  while (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  return value;
}

/** What the cached figures of the surveys depend on: their submitted responses. */
function fingerprintOf(
  counts: Map<number, ParticipationCounts>,
  surveyIds: readonly number[],
): string {
  return surveyIds
    .map((id) => `${id}:${counts.get(id)?.submitted ?? 0}:${counts.get(id)?.lastSubmitted ?? ""}`)
    .join(",");
}

function cacheKey(
  section: string,
  surveys: ReadonlyArray<Pick<DashboardSurvey, "id" | "versionIds">>,
  filters: DashboardFilters,
  minCell: number,
  fingerprint: string,
): string {
  return [
    section,
    surveys.map((s) => `${s.id}v${s.versionIds.join(".")}`).join(","),
    filtersToSearchParams(filters).toString(),
    minCell,
    fingerprint,
  ].join("|");
}

// ---------------------------------------------------------------------------------------------
// The group dashboard

export interface GroupDashboard {
  survey: Omit<DashboardSurvey, "questions">;
  filters: DashboardFilters;
  minCell: number;
  participation: Participation;
  /**
   * "ok": figures follow; "small": the filters leave 1 to N−1 respondents (figures withheld);
   * "complement": the filters leave out 1 to N−1 respondents (figures withheld, see coverageOf);
   * "empty": no submitted response matches.
   */
  coverage: "ok" | "small" | "complement" | "empty";
  profile: RespondentProfile | null;
  needs: NeedQuestionAnalysis[];
  borich: BorichAnalysis[];
  distributions: Distribution[];
  themes: ThemeCount[];
  /** What the filter form offers. */
  choices: FilterChoices;
}

/**
 * Whether a view may show figures. Besides the view's own size, a filtered view is compared with
 * the unfiltered one that anyone with the same access can open: when the filters leave out 1 to
 * N − 1 submitted responses, subtracting the view's figures from the unfiltered ones would
 * describe those few respondents, so the filtered view shows no figures ("complement").
 */
export function coverageOf(
  matching: number,
  submitted: number,
  filters: DashboardFilters,
  minCell: number,
): GroupDashboard["coverage"] {
  if (matching === 0) return "empty";
  if (isSuppressed(matching, minCell)) return "small";
  if (hasRespondentFilters(filters) && isSuppressed(submitted - matching, minCell))
    return "complement";
  return "ok";
}

/**
 * Participation as a view may show it: without weeks unless it shows figures, and without the
 * number of matching responses when the filters leave out only a few (the submitted total
 * beside it would count them).
 */
function participationShown(
  part: Participation,
  coverage: GroupDashboard["coverage"],
  groupCount: Shown | null = null,
): Participation {
  // The weeks add up to the matching count: hidden with it.
  if (groupCount !== null && typeof groupCount !== "number" && typeof part.matching === "number")
    return { ...part, matching: groupCount, weeks: [] };
  if (coverage === "ok") return part;
  return { ...part, weeks: [], ...(coverage === "complement" ? { matching: "withheld" } : {}) };
}

/**
 * The number of matching responses of a view filtered by country group g is the count of g in
 * the respondent profile of the wider view (the filters without country group and horizon,
 * decision 024). The view shows it only as that profile shows it: null without a country-group
 * filter; the profile's cell when the wider view shows figures; "withheld" when the wider view
 * withholds its figures because its filters leave out only a few responses; otherwise (the wider
 * view is small or empty, and so is the view) the view's own count.
 */
async function groupCountShown(
  db: Db,
  survey: Pick<DashboardSurvey, "id" | "questions" | "versionIds">,
  filters: DashboardFilters,
  submitted: number,
  options: SectionOptions,
  fingerprint: string,
): Promise<Shown | null> {
  const wider = widerNeedView(filters);
  if (!filters.countryGroup || !wider) return null;
  const submissions = await cached(
    db,
    cacheKey("submissions", [survey], wider, options.minCell, fingerprint),
    () => submissionsByWeek(db, survey, wider),
  );
  const coverage = coverageOf(submissions.matching, submitted, wider, options.minCell);
  if (coverage === "complement") return "withheld";
  if (coverage !== "ok") return null;
  const profile = await cached(
    db,
    cacheKey("profile", [survey], wider, options.minCell, fingerprint),
    () => respondentProfile(db, survey, wider, options),
  );
  return profile.breakdowns.country_group.find((c) => c.code === filters.countryGroup)?.count ?? 0;
}

/** Every section of a group's dashboard, the queries running side by side. */
export async function groupDashboard(
  db: Db,
  survey: DashboardSurvey,
  filters: DashboardFilters,
  options: SectionOptions,
): Promise<GroupDashboard> {
  const counts = await participationCounts(db, [survey.id]);
  const fingerprint = fingerprintOf(counts, [survey.id]);
  const key = (section: string) =>
    cacheKey(section, [survey], filters, options.minCell, fingerprint);
  const [submissions, profile, needs, borich, dists, themes, choices] = await Promise.all([
    cached(db, key("submissions"), () => submissionsByWeek(db, survey, filters)),
    cached(db, key("profile"), () => respondentProfile(db, survey, filters, options)),
    cached(db, key("needs"), () => needAnalysis(db, survey, filters, options)),
    cached(db, key("borich"), () => borichAnalysis(db, survey, filters, options)),
    cached(db, key("distributions"), () => distributions(db, survey, filters, options)),
    themeCounts(db, survey, filters, options),
    cached(db, key("choices"), () => filterChoices(db, survey, options)),
  ]);
  const part = participationOf(counts.get(survey.id), submissions, options.minCell);
  const { questions: _questions, ...surveyInfo } = survey;
  const coverage = coverageOf(
    submissions.matching,
    counts.get(survey.id)?.submitted ?? 0,
    filters,
    options.minCell,
  );
  const ok = coverage === "ok";
  const groupCount = await groupCountShown(
    db,
    survey,
    filters,
    counts.get(survey.id)?.submitted ?? 0,
    options,
    fingerprint,
  );
  // The profile of the view adds up to its matching count: hidden when that count is.
  const countHidden = groupCount !== null && typeof groupCount !== "number";
  return {
    survey: surveyInfo,
    filters,
    minCell: options.minCell,
    participation: participationShown(part, coverage, groupCount),
    coverage,
    profile: ok && !countHidden ? profile : null,
    needs: ok ? needs : [],
    borich: ok ? borich : [],
    distributions: ok ? dists : [],
    themes: ok ? themes : [],
    choices,
  };
}

// ---------------------------------------------------------------------------------------------
// Cross-group overview

export interface OverviewGroup {
  group: DashboardSurvey["group"];
  survey: { slug: string; title: LocalizedText; status: SurveyStatus };
  participation: Participation;
  coverage: GroupDashboard["coverage"];
  needs: NeedQuestionAnalysis[];
}

export interface SharedNeed {
  category: string;
  label: LocalizedText;
  /** The groups whose surveys have this need category, with its priority there (per horizon). */
  groups: Array<{
    slug: string;
    name: LocalizedText;
    ranked: Record<HorizonOrAll, NeedRank | null>;
  }>;
}

export interface Overview {
  filters: DashboardFilters;
  choices: FilterChoices;
  minCell: number;
  groups: OverviewGroup[];
  /** Need categories (same code) asked about in two or more groups' surveys. */
  shared: SharedNeed[];
}

/** The working groups side by side: participation, needs by category × horizon, top needs, shared needs. */
export async function overview(
  db: Db,
  groupIds: readonly number[],
  filters: DashboardFilters,
  options: SectionOptions,
): Promise<Overview> {
  const surveys = await resolveLatestSurveys(db, groupIds);
  const ids = surveys.map((s) => s.id);
  const counts = await participationCounts(db, ids);
  const fingerprint = fingerprintOf(counts, ids);
  const [submissions, needRows, choices] = await Promise.all([
    Promise.all(
      surveys.map((s) =>
        cached(db, cacheKey("submissions", [s], filters, options.minCell, fingerprint), () =>
          submissionsByWeek(db, s, filters),
        ),
      ),
    ),
    cached(db, cacheKey("need-rows", surveys, filters, options.minCell, fingerprint), () =>
      needAggregates(db, surveys, filters),
    ),
    cached(db, cacheKey("choices", surveys, {}, options.minCell, fingerprint), () =>
      filterChoices(db, surveys, options),
    ),
  ]);
  const wider = widerNeedView(filters);
  const wideRows = wider
    ? await cached(db, cacheKey("need-rows", surveys, wider, options.minCell, fingerprint), () =>
        needAggregates(db, surveys, wider),
      )
    : null;
  const ofSurvey = (rows: NeedAggregates, id: number): NeedAggregates => ({
    scores: rows.scores.filter((r) => r.survey_id === id),
    answered: rows.answered.filter((r) => r.survey_id === id),
  });
  const groupCounts = await Promise.all(
    surveys.map((s) =>
      groupCountShown(
        db,
        s,
        filters,
        counts.get(s.id)?.submitted ?? 0,
        options,
        fingerprintOf(counts, [s.id]),
      ),
    ),
  );
  const groups = surveys.map((s, i): OverviewGroup => {
    const part = participationOf(counts.get(s.id), submissions[i], options.minCell);
    const coverage = coverageOf(
      submissions[i].matching,
      counts.get(s.id)?.submitted ?? 0,
      filters,
      options.minCell,
    );
    return {
      group: s.group,
      survey: { slug: s.slug, title: s.title, status: s.status },
      participation: participationShown(part, coverage, groupCounts[i]),
      coverage,
      needs:
        coverage === "ok"
          ? s.questions
              .filter((q) => q.type === "need_list")
              .map((q) =>
                analyseNeedQuestion(
                  q,
                  ofSurvey(needRows, s.id),
                  options.minCell,
                  wideRows ? { filters, wider: ofSurvey(wideRows, s.id) } : undefined,
                ),
              )
          : [],
    };
  });
  const byCode = new Map<string, SharedNeed>();
  surveys.forEach((s, i) => {
    for (const q of s.questions.filter((x) => x.type === "need_list" && x.inCurrentVersion)) {
      for (const c of q.codes) {
        const entry = byCode.get(c.code) ?? { category: c.code, label: c.label, groups: [] };
        if (entry.groups.some((g) => g.slug === s.group.slug)) continue;
        const analysis = groups[i].needs.find((n) => n.key === q.key);
        const ranked = {} as Record<HorizonOrAll, NeedRank | null>;
        for (const h of HORIZON_KEYS)
          ranked[h] = analysis?.ranked[h].find((r) => r.category === c.code) ?? null;
        entry.groups.push({ slug: s.group.slug, name: s.group.name, ranked });
        byCode.set(c.code, entry);
      }
    }
  });
  const shared = [...byCode.values()]
    .filter((e) => e.groups.length >= 2)
    .sort((a, b) => b.groups.length - a.groups.length || a.category.localeCompare(b.category));
  return { filters, choices, minCell: options.minCell, groups, shared };
}

// ---------------------------------------------------------------------------------------------
// Page helpers

export interface GroupInfo {
  id: number;
  slug: string;
  name: LocalizedText;
}

export async function findGroup(db: Db, slug: string): Promise<GroupInfo | undefined> {
  return db
    .selectFrom("working_groups")
    .select(["id", "slug", "name"])
    .where("slug", "=", slug)
    .executeTakeFirst();
}

/** The query string that keeps a view (survey and filters) in links between staff pages. */
export function viewQuery(
  surveySlug: string | null | undefined,
  filters: DashboardFilters,
): string {
  const params = filtersToSearchParams(filters);
  if (surveySlug) params.set("survey", surveySlug);
  params.sort();
  return params.toString();
}

const LOCALE_KEY = /^[a-z]{2}$/;

function isLocalizedText(value: Record<string, unknown>): value is Record<string, string> {
  const keys = Object.keys(value);
  return (
    keys.length > 0 &&
    "en" in value &&
    keys.every((k) => LOCALE_KEY.test(k) && typeof value[k] === "string")
  );
}

/**
 * The page data with every localized text (survey labels, group names) reduced to the reader's
 * language (English when missing): pages carry one language instead of all of them.
 */
export function inLocale<T>(value: T, locale: string): T {
  if (Array.isArray(value)) return value.map((v) => inLocale(v, locale)) as T;
  if (value === null || typeof value !== "object" || value instanceof Date) return value;
  const record = value as Record<string, unknown>;
  if (isLocalizedText(record)) return { [locale]: record[locale] ?? record.en } as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) out[k] = inLocale(v, locale);
  return out as T;
}
