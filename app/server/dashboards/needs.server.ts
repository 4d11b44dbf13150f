import { type RawBuilder, sql } from "kysely";
import type { Db } from "#db/client";
import type { Horizon } from "~/survey/constants";
import { COUNTRY_GROUPS, type CountryGroup } from "~/survey/countries";
import { PRIORITY_RANGE, RATING_RANGE, type ValueRange } from "~/survey/scoring";
import {
  compareRankedNeeds,
  type NeedScoreRow,
  needRespondents,
  needScores,
} from "../need-scores.server";
import { protectNeedCategory } from "./protected-tables";
import { aggregateRows, type Facet, type Margin, SHARED_NEEDS_KEY } from "../aggregates.server";
import type { ResponseFilters } from "../filters.server";
import { meanStat, shareOf, shownCount } from "./figures";
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
  CodeLabel,
  DashboardQuestion,
  DashboardSurvey,
  GroupComparisonCell,
  HorizonOrAll,
  NeedCell,
  NeedComparisonRow,
  NeedQuestionAnalysis,
  NeedRank,
  SectionOptions,
  Shown,
} from "./views";

/**
 * Section: needs by category × horizon, ranked needs, comparison by country group.
 */

export const HORIZON_KEYS: readonly HorizonOrAll[] = ["short_term", "medium_term", "all"];

export interface NeedAggregates {
  scores: NeedScoreRow[];
  /** Respondents who answered each need question, in all (hz null) and by horizon. */
  answered: Array<{ survey_id: number; k: string; hz: Horizon | null; respondents: number }>;
}

/**
 * Need entries of every need question of the surveys, scored in every grouping the sections
 * use (need-scores.server.ts), and the respondents who answered each question (whatever the
 * horizon filter: they are the base of the shares).
 */
export async function needAggregates(
  db: Db,
  surveys: ReadonlyArray<Pick<DashboardSurvey, "id" | "questions">>,
  filters: ResponseFilters,
): Promise<NeedAggregates> {
  const questions = surveys.flatMap((s) => s.questions.filter((q) => q.aggregation === "needs"));
  if (questions.length === 0) return { scores: [], answered: [] };
  const ids = surveys.map((s) => s.id);
  const margin = aggregateMargin(filters);
  if (margin) return needAggregatesOf(db, ids, questions, filters.horizon, margin);
  return dashboardQuery(db, async (trx) => {
    const entries = needEntries(trx, ids, questions, filters);
    const scores = await needScores(trx, entries, {
      horizon: filters.horizon,
      byCountryGroup: true,
    });
    const answered = await needRespondents(trx, entries);
    return { scores, answered };
  });
}

/**
 * The need entries of the questions in the responses matching the filters, with the columns of
 * need-scores.server.ts (NeedEntries).
 */
export function needEntries(
  db: Db,
  ids: readonly number[],
  questions: readonly DashboardQuestion[],
  filters: ResponseFilters,
) {
  return withFiltered(db, ids, filters)
    .selectFrom("answers as a")
    .innerJoin("fr", "fr.id", "a.response_id")
    .select([
      "fr.survey_id",
      "fr.survey_version_id as vid",
      "a.question_key as k",
      "a.option_code as cat",
      sql<string>`a.value_json ->> 'horizon'`.as("hz"),
      "fr.country_group as cg",
      "a.response_id as rid",
      sql<number>`(a.value_json ->> 'urgency')::float8`.as("u"),
      sql<number>`(a.value_json ->> 'importance')::float8`.as("i"),
    ])
    .where((eb) => answerRowsOf(eb as unknown as AnswerScope, ids, questions));
}

/**
 * needAggregates from the aggregates: each row holds the sums over respondents of their own
 * means (the respondent is the unit), so the figures are the same as counted from the answers.
 * With a horizon filter, only that horizon's entries count: its rows are also the rows over
 * both horizons.
 *
 * `shared`: the shared need categories' facets (shared-needs.server.ts) instead of the
 * questions' own, with the rows of all the surveys together under survey id `shared.programme`.
 */
export async function needAggregatesOf(
  db: Db,
  ids: readonly number[],
  questions: readonly DashboardQuestion[],
  horizon: Horizon | undefined,
  margin: Margin,
  shared?: { programme: number },
): Promise<NeedAggregates> {
  const u = meanAndSd("x", "xx");
  const i = meanAndSd("y", "yy");
  const p = meanAndSd("z", "zz");
  const [need, answeredFacet]: [Facet, Facet] = shared
    ? ["shared_need", "shared_answered"]
    : ["need", "need_answered"];
  const rowsOf = shared ? sql`g.question_key = ${SHARED_NEEDS_KEY}` : aggregateRowsOf(questions);
  /** By survey, and with `shared` also all surveys together (survey id shared.programme). */
  const bySurvey = (keys: RawBuilder<unknown>) =>
    shared ? sql`grouping sets ((g.survey_id, ${keys}), (${keys}))` : sql`g.survey_id, ${keys}`;
  const surveyId = shared
    ? sql`case when grouping(g.survey_id) = 1 then ${shared.programme}::int else g.survey_id end`
    : sql`g.survey_id`;
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
    }>`select ${surveyId} as survey_id, g.question_key as k, g.code as cat, g.item as hz, g.cg,
          sum(g.n) as n, sum(g.e) as e, ${u.mean} as mu, ${u.sd} as sdu, ${i.mean} as mi,
          ${i.sd} as sdi, ${p.mean} as mp, ${p.sd} as sdp
        from (${aggregateRows(ids, need, margin)}) g
        where ${rowsOf} and ${horizon ? sql`g.item = ${horizon}` : sql`true`}
        group by ${bySurvey(sql`g.question_key, g.code, g.item, g.cg`)} having sum(g.n) > 0`.execute(
      db,
    ),
    sql<{ survey_id: number; k: string; hz: Horizon | null; n: string }>`
        select ${surveyId} as survey_id, g.question_key as k, g.item as hz, sum(g.n) as n
        from (${aggregateRows(ids, answeredFacet, margin)}) g
        where ${rowsOf}
        group by ${bySurvey(sql`g.question_key, g.item`)} having sum(g.n) > 0`.execute(db),
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
export function widerNeedView(filters: ResponseFilters): ResponseFilters | null {
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
  filters: ResponseFilters,
): (h: HorizonOrAll, g: CountryGroup | null) => Shown {
  return (h, g) => {
    if (filters.horizon && h !== "all" && h !== filters.horizon) return 0;
    if (filters.countryGroup && g !== null && g !== filters.countryGroup) return 0;
    return wide(filters.horizon ?? h, filters.countryGroup ?? g);
  };
}

export function findNeedRow(mine: readonly NeedScoreRow[]) {
  return (cat: string, hz: Horizon | null, cg: CountryGroup | null) =>
    mine.find(
      (r) =>
        r.cat === cat &&
        (hz === null ? r.allHorizons : !r.allHorizons && r.hz === hz) &&
        (cg === null ? r.allGroups : !r.allGroups && r.cg === cg),
    );
}

export function analyseNeedQuestion(
  question: DashboardQuestion,
  aggregates: NeedAggregates,
  minCell: number,
  narrowed?: { filters: ResponseFilters; wider: NeedAggregates },
  /**
   * The protected cells of a category in the wider view, when they are protected together with
   * other tables (the shared categories of the overview); else protectNeedCategory.
   */
  protectedOf?: (category: string) => (h: HorizonOrAll, g: CountryGroup | null) => Shown,
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
      const cells =
        protectedOf?.(c.code) ??
        protectNeedCategory((h, g) => findWide(c.code, hzOf(h), g)?.respondents ?? 0, minCell);
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
  filters: ResponseFilters,
  { minCell }: SectionOptions,
): Promise<NeedQuestionAnalysis[]> {
  const wider = widerNeedView(filters);
  const [aggregates, wide] = await Promise.all([
    needAggregates(db, [survey], filters),
    wider ? needAggregates(db, [survey], wider) : null,
  ]);
  const narrowed = wide ? { filters, wider: wide } : undefined;
  return survey.questions
    .filter((q) => q.aggregation === "needs")
    .map((q) => analyseNeedQuestion(q, aggregates, minCell, narrowed));
}
