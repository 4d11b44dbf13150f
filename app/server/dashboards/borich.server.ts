import { sql } from "kysely";
import type { Db } from "#db/client";
import {
  importancePerformanceQuadrant,
  locusForFocusQuadrant,
  RATING_RANGE,
  type ValueRange,
} from "~/survey/scoring";
import { aggregateRows, type Margin } from "../aggregates.server";
import type { ResponseFilters } from "../filters.server";
import { meanStat, shownCount } from "./figures";
import {
  type AnswerScope,
  aggregateMargin,
  aggregateRowsOf,
  answerRowsOf,
  dashboardQuery,
  meanAndSd,
  withFiltered,
} from "./sql.server";
import type {
  BorichAnalysis,
  BorichRank,
  DashboardQuestion,
  DashboardSurvey,
  SectionOptions,
} from "./views";

/**
 * Section: Borich needs assessment (MWDS, importance–performance and locus-for-focus quadrants).
 */

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
  filters: ResponseFilters,
  { minCell }: SectionOptions,
): Promise<BorichAnalysis[]> {
  const questions = survey.questions.filter((q) => q.aggregation === "borich");
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
  filters: ResponseFilters,
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
