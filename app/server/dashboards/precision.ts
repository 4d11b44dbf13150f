import type {
  HorizonOrAll,
  MeanStat,
  NeedQuestionAnalysis,
  NeedRank,
  ResponseFilters,
} from "./views";

/**
 * What the pages show of the figures, in one place: the precision (the tables format with these
 * digits, and the page data is rounded to them: a page carries the figures it shows, not
 * sixteen digits of each) and how many top needs. Not a `.server` module: components import it.
 */
export const SHOWN_DIGITS = {
  /** Priority scores (0–100) and their CIs. */
  priority: 1,
  /** Means of ratings (urgency, importance, scales) and their CIs and SDs. */
  mean: 2,
  /** Shares 0–1, shown as percentages with one decimal. */
  share: 3,
} as const;

/** The horizons the pages show side by side: both, or the one the filters choose. */
export function horizonsShown(filters: Pick<ResponseFilters, "horizon">): HorizonOrAll[] {
  return filters.horizon ? [filters.horizon] : ["short_term", "medium_term"];
}

/** How many need categories the pages list as top needs (and compare by country group). */
export const TOP_NEEDS = 5;

/** The categories a comparison by country group shows: the top ranked ones with a shown score. */
export function comparedCategories(ranked: NeedRank[], limit = TOP_NEEDS): Set<string> {
  return new Set(
    ranked
      .slice(0, limit)
      .filter((r) => r.priority)
      .map((r) => r.category),
  );
}

const rounders = new Map<number, Intl.NumberFormat>();

/**
 * `value` rounded to `digits` fraction digits exactly as the pages' number formats round it
 * (half away from zero, on the number's exact decimal value), so that showing the rounded
 * value gives the same text as showing the value.
 */
export function roundTo(value: number, digits: number): number {
  let format = rounders.get(digits);
  if (!format) {
    format = new Intl.NumberFormat("en-US", { maximumFractionDigits: digits, useGrouping: false });
    rounders.set(digits, format);
  }
  return Number(format.format(value));
}

function roundOrNull(value: number | null, digits: number): number | null {
  return value === null ? null : roundTo(value, digits);
}

/** A mean with its CI and SD at `digits` fraction digits. */
export function statAsShown(stat: MeanStat | null, digits: number): MeanStat | null {
  if (!stat) return null;
  return {
    ...stat,
    mean: roundTo(stat.mean, digits),
    sd: roundOrNull(stat.sd, digits),
    ciLower: roundOrNull(stat.ciLower, digits),
    ciUpper: roundOrNull(stat.ciUpper, digits),
  };
}

function rankAsShown(rank: NeedRank): NeedRank {
  return {
    ...rank,
    urgency: statAsShown(rank.urgency, SHOWN_DIGITS.mean),
    importance: statAsShown(rank.importance, SHOWN_DIGITS.mean),
    priority: statAsShown(rank.priority, SHOWN_DIGITS.priority),
  };
}

function mapHorizons<T, U>(record: Record<string, T>, f: (value: T) => U) {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v)]));
}

/**
 * A need question's figures at the precision the pages show them (order and counts as they are).
 * With `comparison`, the comparison by country group keeps the rows a page compares (the top
 * needs, `comparedCategories`) of the horizons it shows; its other horizons are left empty.
 */
export function needsAsShown(
  analysis: NeedQuestionAnalysis,
  comparison?: { horizons: HorizonOrAll[] },
): NeedQuestionAnalysis {
  const byCountryGroup = comparison
    ? (Object.fromEntries(
        Object.entries(analysis.byCountryGroup).map(([h, rows]) => {
          if (!comparison.horizons.includes(h as HorizonOrAll)) return [h, []];
          const shown = comparedCategories(analysis.ranked[h as HorizonOrAll]);
          return [h, rows.filter((r) => shown.has(r.category))];
        }),
      ) as NeedQuestionAnalysis["byCountryGroup"])
    : analysis.byCountryGroup;
  return {
    ...analysis,
    matrix: analysis.matrix.map((m) => ({
      ...m,
      cells: mapHorizons(m.cells, (c) => ({
        ...c,
        share: roundOrNull(c.share, SHOWN_DIGITS.share),
      })) as NeedQuestionAnalysis["matrix"][number]["cells"],
    })),
    ranked: mapHorizons(analysis.ranked, (ranks) =>
      ranks.map(rankAsShown),
    ) as NeedQuestionAnalysis["ranked"],
    byCountryGroup: mapHorizons(byCountryGroup, (rows) =>
      rows.map((row) => ({
        ...row,
        groups: mapHorizons(row.groups, (g) => ({
          ...g,
          priority: statAsShown(g.priority, SHOWN_DIGITS.priority),
        })) as (typeof row)["groups"],
      })),
    ) as NeedQuestionAnalysis["byCountryGroup"],
  };
}
