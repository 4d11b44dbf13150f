import { sql } from "kysely";
import type { Db } from "#db/client";
import type { NeedTaxonomy } from "~/survey/taxonomy";
import { SHARED_NEEDS_KEY } from "../aggregates.server";
import { needRespondents, needScores } from "../need-scores.server";
import type { ResponseFilters } from "../filters.server";
import { protectSharedNeedCategory } from "./protected-tables";
import {
  analyseNeedQuestion,
  findNeedRow,
  type NeedAggregates,
  needAggregatesOf,
  needEntries,
} from "./needs.server";
import { aggregateMargin, dashboardQuery } from "./sql.server";
import type { CountryGroup } from "~/survey/countries";
import type { DashboardQuestion, DashboardSurvey, HorizonOrAll, SharedNeeds, Shown } from "./views";

/**
 * Section of the overview: needs on the programme's shared need categories (the need taxonomy,
 * app/survey/taxonomy.ts), programme-wide and per working group. Each need entry counts in the
 * shared category of its category (the category itself, or its `parent`, as the survey's
 * versions merged for the dashboards declare it, the current version first); the figures are
 * those of need-scores.server.ts with the shared category in place of the group's category, so
 * a respondent who named two categories of one shared category is one respondent of it.
 */

/** The survey id of the programme-wide rows (no survey has it). */
export const PROGRAMME_ID = 0;

/**
 * Need scores by shared category for each survey and programme-wide (survey id PROGRAMME_ID),
 * as NeedAggregates of one question SHARED_NEEDS_KEY: from the aggregates' shared facets for
 * the views they hold (sql.server.ts aggregateMargin), else from the answers, each need entry
 * mapped by need_shared_categories (refreshSharedCategories in surveys.server.ts) in both.
 */
export async function sharedNeedAggregates(
  db: Db,
  surveys: ReadonlyArray<Pick<DashboardSurvey, "id" | "questions">>,
  filters: ResponseFilters,
): Promise<NeedAggregates> {
  const questions = surveys.flatMap((s) => s.questions.filter((q) => q.aggregation === "needs"));
  if (questions.length === 0) return { scores: [], answered: [] };
  const ids = surveys.map((s) => s.id);
  const margin = aggregateMargin(filters);
  if (margin)
    return needAggregatesOf(db, ids, questions, filters.horizon, margin, {
      programme: PROGRAMME_ID,
    });
  return dashboardQuery(db, async (trx) => {
    const mapped = sql`select e.survey_id, ${SHARED_NEEDS_KEY}::text as k, m.shared as cat,
        e.hz, e.cg, e.rid, e.u, e.i
      from (${needEntries(trx, ids, questions, filters)}) e
      join need_shared_categories m
        on m.survey_version_id = e.vid and m.question_key = e.k and m.code = e.cat`;
    const entries = sql`select * from (${mapped}) s
      union all select ${PROGRAMME_ID}::int, s.k, s.cat, s.hz, s.cg, s.rid, s.u, s.i from (${mapped}) s`;
    const scores = await needScores(trx, entries, {
      horizon: filters.horizon,
      byCountryGroup: true,
    });
    const answered = await needRespondents(trx, entries);
    return { scores, answered };
  });
}

/** The shared categories as one need question, for analyseNeedQuestion. */
export function sharedNeedQuestion(taxonomy: NeedTaxonomy): DashboardQuestion {
  return {
    key: SHARED_NEEDS_KEY,
    type: "need_list",
    aggregation: "needs",
    label: { en: "Shared need categories", ru: "Общие категории потребностей" },
    versionIds: null,
    codes: taxonomy.categories.map((c) => ({ code: c.code, label: c.label })),
    inCurrentVersion: true,
  };
}

const ofSurvey = (rows: NeedAggregates, id: number): NeedAggregates => ({
  scores: rows.scores.filter((r) => r.survey_id === id),
  answered: rows.answered.filter((r) => r.survey_id === id),
});

/**
 * The shared categories ranked programme-wide and in each group. `surveys` are the groups whose
 * figures the overview shows (the programme is their sum); `rows` and `wideRows` come from
 * sharedNeedAggregates for the view and, under a country-group or horizon filter, for the wider
 * view (needs.server.ts widerNeedView). Every group's cells and the programme's are protected
 * together (protectSharedNeedCategory).
 */
export function sharedNeedsView(
  surveys: ReadonlyArray<Pick<DashboardSurvey, "id" | "group">>,
  rows: NeedAggregates,
  wide: { filters: ResponseFilters; rows: NeedAggregates } | null,
  taxonomy: NeedTaxonomy,
  minCell: number,
  /** The protected cells of a group's own category that is alone in a shared category. */
  ownCells?: (
    group: number,
    shared: string,
  ) => ((h: HorizonOrAll, g: CountryGroup | null) => Shown) | null,
): SharedNeeds {
  const question = sharedNeedQuestion(taxonomy);
  const protection = wide?.rows ?? rows;
  const idOf = (w: number | null) => (w === null ? PROGRAMME_ID : surveys[w].id);
  const finders = new Map(
    [null, ...surveys.keys()].map((w) => [
      w,
      findNeedRow(protection.scores.filter((r) => r.survey_id === idOf(w))),
    ]),
  );
  const protectedByCategory = new Map(
    taxonomy.categories.map((c) => [
      c.code,
      protectSharedNeedCategory(
        surveys.length,
        (w, h, g) => finders.get(w)!(c.code, h === "all" ? null : h, g)?.respondents ?? 0,
        minCell,
        ownCells ? (w) => ownCells(w, c.code) : undefined,
      ),
    ]),
  );
  const analysisOf = (w: number | null) =>
    analyseNeedQuestion(
      question,
      ofSurvey(rows, idOf(w)),
      minCell,
      wide ? { filters: wide.filters, wider: ofSurvey(wide.rows, idOf(w)) } : undefined,
      (code) => {
        const cells = protectedByCategory.get(code)!;
        return (h, g) => cells(w, h, g);
      },
    );
  return {
    categories: taxonomy.categories.map((c) => ({
      code: c.code,
      label: c.label,
      description: c.description,
    })),
    programme: analysisOf(null),
    groups: surveys.map((s, w) => ({
      slug: s.group.slug,
      name: s.group.name,
      analysis: analysisOf(w),
    })),
    leftOut: [],
  };
}
