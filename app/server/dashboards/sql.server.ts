import { type ExpressionBuilder, sql } from "kysely";
import type { Db } from "#db/client";
import type { Database } from "#db/schema";
import type { Margin } from "../aggregates.server";
import { applyResponseFilters, type ResponseFilters } from "../filters.server";
import type { DashboardQuestion } from "./views";

/**
 * SQL building blocks of every section: the filtered responses (`fr`), answer rows of the
 * questions shown, the aggregate margin a view is read from (decision 045), means from sums.
 */

/** Submitted responses of the surveys that match the filters (the `fr` CTE of every query). */
export function filteredResponses(db: Db, surveyIds: readonly number[], f: ResponseFilters) {
  const responses = db
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
  return applyResponseFilters(
    surveyIds.length === 1
      ? responses.where("survey_id", "=", surveyIds[0])
      : responses.where("survey_id", "in", [...surveyIds]),
    f,
  );
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

/**
 * `with fr as not materialized (…)`: the planner sees the responses table itself (its
 * statistics and indexes) wherever `fr` is used, and picks hash joins.
 */
export function withFiltered(db: Db, surveyIds: readonly number[], f: ResponseFilters) {
  return db.with(
    (cte) => cte("fr").notMaterialized(),
    () => filteredResponses(db, surveyIds, f),
  );
}

export type AnswerScope = ExpressionBuilder<
  Database & { a: Database["answers"]; fr: { id: string; survey_version_id: number } },
  "a" | "fr"
>;

/**
 * Restricts answer rows to the given questions, and the rows of a key whose type changed to
 * the versions in which it had its current type.
 */
export function answerRowsOf(
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

export const PROFILE_KEYS = new Set(["country", "org_type", "sector"]);

/**
 * The rows of the dashboard aggregates a view can be counted from (decision 045): every
 * respondent (no respondent filter) or one profile filter. Null for a date range or two or more
 * profile filters: those views are counted from the answers. The horizon filter is applied to
 * the aggregates' need rows and does not matter here.
 */
export function aggregateMargin(f: ResponseFilters): Margin | null {
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
export function aggregateRowsOf(questions: readonly DashboardQuestion[]) {
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
export function meanAndSd(sum: string, squares: string, n = "sum(g.n)") {
  const s = sql.raw(`sum(g.${sum})`);
  const ss = sql.raw(`sum(g.${squares})`);
  const count = sql.raw(n);
  return {
    mean: sql<number | null>`(${s} / nullif(${count}, 0))::float8`,
    sd: sql<number | null>`case when ${count} > 1
      then sqrt(greatest(${ss} - ${s} * ${s} / ${count}, 0) / (${count} - 1))::float8 end`,
  };
}
