import { type Compilable, type RawBuilder, sql } from "kysely";
import type { Db } from "#db/client";
import type { Horizon } from "~/survey/constants";
import type { CountryGroup } from "~/survey/countries";
import { compareNeedScores, isSuppressed, PRIORITY_FACTOR } from "~/survey/scoring";

/**
 * The figures of need categories, counted in SQL from the definitions of app/survey/scoring.ts,
 * for the dashboards, the reports and the exports alike (one query text, so they cannot
 * disagree). The respondent is the unit: each respondent's entries of a category (in a horizon,
 * or over both) are averaged first; the category's mean urgency, mean importance and priority
 * score are the means over those respondents, with n = respondents, the same unit as the
 * small-group rule (docs/statistics.md).
 */

/**
 * A query with one row per need entry and the columns
 * `survey_id, k (question key), cat, hz, cg (country group), rid (response id), u, i`
 * (urgency and importance as numbers).
 */
export type NeedEntries = Compilable | RawBuilder<unknown>;

export interface NeedScoreRow {
  survey_id: number;
  k: string;
  cat: string;
  /** null with `allHorizons`. */
  hz: Horizon | null;
  /** Both horizons together. */
  allHorizons: boolean;
  /** null with `allGroups` (or for respondents without a country group). */
  cg: CountryGroup | null;
  /** Every country group together. */
  allGroups: boolean;
  /** Respondents who named the category (n of every mean). */
  respondents: number;
  /** Need entries. */
  entries: number;
  mu: number | null;
  sdu: number | null;
  mi: number | null;
  sdi: number | null;
  /** Priority score: the mean over respondents of their mean urgency × importance × 4. */
  mp: number | null;
  sdp: number | null;
}

/**
 * Scores per (survey, question, category, horizon) and over both horizons, and, with
 * `byCountryGroup`, also per country group. `horizon` keeps only the entries of that horizon.
 */
export async function needScores(
  db: Db,
  entries: NeedEntries,
  options: { horizon?: Horizon; byCountryGroup: boolean },
): Promise<NeedScoreRow[]> {
  const horizon = options.horizon ? sql`where e.hz = ${options.horizon}` : sql``;
  const sets = options.byCountryGroup
    ? sql`(pr.survey_id, pr.k, pr.cat, pr.all_hz, pr.hz), (pr.survey_id, pr.k, pr.cat, pr.all_hz, pr.hz, pr.cg)`
    : sql`(pr.survey_id, pr.k, pr.cat, pr.all_hz, pr.hz)`;
  // Without the country-group sets every row is over all groups (and cg is not grouped on).
  const allGroups = options.byCountryGroup ? sql`grouping(pr.cg)` : sql`1`;
  const cg = options.byCountryGroup ? sql`pr.cg` : sql`null`;
  const result = await sql<{
    survey_id: number;
    k: string;
    cat: string;
    hz: Horizon | null;
    all_hz: number;
    cg: CountryGroup | null;
    all_cg: number;
    respondents: number | string;
    entries: number | string;
    mu: number | null;
    sdu: number | null;
    mi: number | null;
    sdi: number | null;
    mp: number | null;
    sdp: number | null;
  }>`with e as (${entries}),
    pr as (
      select e.survey_id, e.k, e.cat, e.hz, e.cg, e.rid, grouping(e.hz) as all_hz,
             count(*) as entries,
             avg(e.u) as u, avg(e.i) as i, avg(e.u * e.i * ${sql.lit(PRIORITY_FACTOR)}) as p
      from e ${horizon}
      group by grouping sets ((e.survey_id, e.k, e.cat, e.hz, e.cg, e.rid),
                              (e.survey_id, e.k, e.cat, e.cg, e.rid)))
    select pr.survey_id, pr.k, pr.cat, pr.hz, pr.all_hz, ${cg} as cg, ${allGroups} as all_cg,
           count(*) as respondents, sum(pr.entries) as entries,
           avg(pr.u) as mu, stddev_samp(pr.u) as sdu,
           avg(pr.i) as mi, stddev_samp(pr.i) as sdi,
           avg(pr.p) as mp, stddev_samp(pr.p) as sdp
    from pr
    group by grouping sets (${sets})`.execute(db);
  const num = (x: number | string | null) => (x === null ? null : Number(x));
  return result.rows.map((r) => ({
    survey_id: Number(r.survey_id),
    k: r.k,
    cat: r.cat,
    hz: r.hz,
    allHorizons: Number(r.all_hz) === 1,
    cg: r.cg,
    allGroups: Number(r.all_cg) === 1,
    respondents: Number(r.respondents),
    entries: Number(r.entries),
    mu: num(r.mu),
    sdu: num(r.sdu),
    mi: num(r.mi),
    sdi: num(r.sdi),
    mp: num(r.mp),
    sdp: num(r.sdp),
  }));
}

/**
 * Respondents who answered each need question (named at least one need, in any horizon: the
 * base of every share of a need category), and who named a need of each horizon.
 */
export async function needRespondents(
  db: Db,
  entries: NeedEntries,
): Promise<Array<{ survey_id: number; k: string; hz: Horizon | null; respondents: number }>> {
  const result = await sql<{
    survey_id: number;
    k: string;
    hz: Horizon | null;
    respondents: number | string;
  }>`with e as (${entries})
    select e.survey_id, e.k, case when grouping(e.hz) = 1 then null else e.hz end as hz,
           count(distinct e.rid) as respondents
    from e group by grouping sets ((e.survey_id, e.k), (e.survey_id, e.k, e.hz))`.execute(db);
  return result.rows.map((r) => ({
    survey_id: Number(r.survey_id),
    k: r.k,
    hz: r.hz,
    respondents: Number(r.respondents),
  }));
}

/** A need category to rank: its priority score and its respondents, a number or a hidden state. */
export interface RankableNeed {
  category: string;
  score: number | null;
  respondents: number | "suppressed" | "withheld";
}

/**
 * The order of need categories on the dashboard, in the report and in the summary sheet of the
 * workbook (docs/statistics.md, "Ranking and ties"): a category whose respondents are not shown
 * (1 to N − 1 of them with N = minCell, or withheld) ranks after every shown one, as a category
 * without a score; the rest by compareNeedScores (score, respondents, code).
 */
export function compareRankedNeeds(a: RankableNeed, b: RankableNeed, minCell: number): number {
  const ranked = (n: RankableNeed) =>
    typeof n.respondents === "number" && !isSuppressed(n.respondents, minCell)
      ? { category: n.category, score: n.score, respondents: n.respondents }
      : { category: n.category, score: null, respondents: 0 };
  return compareNeedScores(ranked(a), ranked(b));
}
