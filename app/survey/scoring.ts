import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import { RATING_MAX, RATING_MIN } from "./constants";

/**
 * Statistics of the dashboards, reports and exports, in plain functions: the one definition of
 * each formula (docs/statistics.md). The dashboards count in SQL from these definitions
 * (app/server/need-scores.server.ts uses PRIORITY_FACTOR and compareNeedScores), and their
 * results are checked against these functions.
 *
 * For values x₁…xₙ:
 * - mean        x̄ = Σxᵢ / n
 * - median      the middle value of the sorted values; the mean of the two middle ones for even n
 * - sd          s = √( Σ(xᵢ − x̄)² / (n − 1) )                 (sample standard deviation, n ≥ 2;
 *               Postgres `stddev_samp`)
 * - 95 % CI     x̄ ± t(0.975, n − 1) · s / √n                   (n ≥ 2), with t the exact Student
 *               quantile (@stdlib), the bounds cut to the possible range of the values; a mean
 *               of fewer than SMALL_SAMPLE values is flagged
 * - priority of a need entry  p = urgency × importance / 25 × 100   (urgency, importance 1–5,
 *               so p is 4 to 100); the priority score of a category is the mean over respondents
 *               of each respondent's mean p (the respondent is the unit), with the CI of that mean
 * - Borich MWDS of a statement = mean(importanceᵢ − currentᵢ) × mean(importanceᵢ), over the
 *               respondents who rated both (mean weighted discrepancy score; higher = larger
 *               training/support need)
 * - suppression a count below the threshold (but above 0) is not shown
 */

export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Sample standard deviation (denominator n − 1); null for fewer than 2 values. */
export function standardDeviation(values: readonly number[]): number | null {
  if (values.length < 2) return null;
  const average = mean(values) as number;
  let squares = 0;
  for (const value of values) squares += (value - average) ** 2;
  return Math.sqrt(squares / (values.length - 1));
}

/** t(0.975, df), the two-sided 95 % quantile of Student's t distribution, for df ≥ 1 (exact). */
export function tCritical95(df: number): number {
  if (!(df >= 1)) throw new RangeError(`degrees of freedom must be at least 1, got ${df}`);
  return tQuantile(0.975, df);
}

/** Means of fewer values than this are flagged as small samples (their CI is rough). */
export const SMALL_SAMPLE = 10;

/** The values a quantity can take, from `min` to `max` (both included). */
export interface ValueRange {
  min: number;
  max: number;
}

export interface Interval {
  lower: number;
  upper: number;
  halfWidth: number;
  /** True when a bound was cut to the possible range of the values. */
  clamped: boolean;
}

/**
 * The 95 % CI of a mean from its summary (count, mean, sample sd); null when n < 2. With a
 * `range`, the bounds are cut to it: a mean of values from 1 to 5 cannot lie outside 1–5.
 */
export function confidenceInterval95(
  n: number,
  average: number,
  sd: number,
  range?: ValueRange,
): Interval | null {
  if (n < 2) return null;
  const halfWidth = (tCritical95(n - 1) * sd) / Math.sqrt(n);
  let lower = average - halfWidth;
  let upper = average + halfWidth;
  let clamped = false;
  if (range && lower < range.min) [lower, clamped] = [range.min, true];
  if (range && upper > range.max) [upper, clamped] = [range.max, true];
  return { lower, upper, halfWidth, clamped };
}

export interface MeanEstimate {
  n: number;
  mean: number | null;
  sd: number | null;
  /** 95 % confidence interval of the mean; null for fewer than 2 values. */
  ci: Interval | null;
  /** Fewer than SMALL_SAMPLE values. */
  small: boolean;
}

export function estimateMean(values: readonly number[], range?: ValueRange): MeanEstimate {
  const average = mean(values);
  const sd = standardDeviation(values);
  return {
    n: values.length,
    mean: average,
    sd,
    ci:
      average !== null && sd !== null
        ? confidenceInterval95(values.length, average, sd, range)
        : null,
    small: values.length < SMALL_SAMPLE,
  };
}

// ---------------------------------------------------------------------------------------------
// Need priority

/** p = urgency × importance ÷ 25 × 100 = urgency × importance × 4 (exact in integers). */
export const PRIORITY_FACTOR = 100 / (RATING_MAX * RATING_MAX);
/** Urgency and importance of a need are rated from RATING_MIN to RATING_MAX. */
export const RATING_RANGE: ValueRange = { min: RATING_MIN, max: RATING_MAX };
/** The priority of a need runs from 4 to 100. */
export const PRIORITY_RANGE: ValueRange = {
  min: RATING_MIN * RATING_MIN * PRIORITY_FACTOR,
  max: RATING_MAX * RATING_MAX * PRIORITY_FACTOR,
};

/** The priority of one need entry, 4–100: urgency × importance / 25 × 100. */
export function needPriority(urgency: number, importance: number): number {
  return urgency * importance * PRIORITY_FACTOR;
}

export interface NeedEntryRating {
  /** Who named the need (the response id). */
  respondent: string;
  urgency: number;
  importance: number;
}

/**
 * The respondent is the unit: one value per respondent, the mean of `value` over that
 * respondent's entries (a respondent may name several needs of one category).
 */
export function perRespondent(
  entries: readonly NeedEntryRating[],
  value: (entry: NeedEntryRating) => number,
): number[] {
  const sums = new Map<string, { sum: number; n: number }>();
  for (const entry of entries) {
    const s = sums.get(entry.respondent) ?? { sum: 0, n: 0 };
    s.sum += value(entry);
    s.n += 1;
    sums.set(entry.respondent, s);
  }
  return [...sums.values()].map((s) => s.sum / s.n);
}

/**
 * The priority score of a group of need entries (a category, in a horizon): each respondent's
 * entries are averaged first, then the mean over respondents, with n = respondents and the
 * 95 % CI of that mean, cut to 4–100.
 */
export function priorityScore(entries: readonly NeedEntryRating[]): MeanEstimate {
  return estimateMean(
    perRespondent(entries, (e) => needPriority(e.urgency, e.importance)),
    PRIORITY_RANGE,
  );
}

/** A ranked need category: its priority score (null when not shown) and respondents. */
export interface ScoredCategory {
  category: string;
  score: number | null;
  respondents: number;
}

/** Scores are compared to 9 decimals, so that sums added in another order still tie. */
function comparable(score: number | null): number {
  return score === null ? -Infinity : Math.round(score * 1e9);
}

/**
 * The order of need categories everywhere (dashboard, report, exports): higher priority score
 * first, categories without a score last; equal scores: more respondents first; then the
 * category code in code-point order (A before B).
 */
export function compareNeedScores(a: ScoredCategory, b: ScoredCategory): number {
  const sa = comparable(a.score);
  const sb = comparable(b.score);
  if (sa !== sb) return sb > sa ? 1 : -1;
  if (a.respondents !== b.respondents) return b.respondents - a.respondents;
  return a.category < b.category ? -1 : a.category > b.category ? 1 : 0;
}

/** Borich's mean weighted discrepancy score of one statement; null without ratings. */
export function borichMwds(
  ratings: ReadonlyArray<{ importance: number; current: number }>,
): number | null {
  const gap = mean(ratings.map((r) => r.importance - r.current));
  const importance = mean(ratings.map((r) => r.importance));
  return gap === null || importance === null ? null : gap * importance;
}

// ---------------------------------------------------------------------------------------------
// Importance–performance grid and locus for focus

/**
 * Importance–performance analysis (Martilla & James 1977): importance against current level
 * (performance), split at the means over the statements.
 */
export type IpaQuadrant = "act_first" | "keep_up" | "low_priority" | "possible_overkill";

/** Importance at or above its mean and current level below its mean = act first. */
export function importancePerformanceQuadrant(
  importance: number,
  current: number,
  meanImportance: number,
  meanCurrent: number,
): IpaQuadrant {
  const important = importance >= meanImportance;
  const low = current < meanCurrent;
  return important ? (low ? "act_first" : "keep_up") : low ? "low_priority" : "possible_overkill";
}

/**
 * The locus for focus (Edwards & Briers 1999), used with Borich's needs assessment: mean
 * importance against mean discrepancy (importance − current level), split at the means over
 * the statements. `focus`: importance and discrepancy at or above their means.
 */
export type LocusQuadrant = "focus" | "important_small_gap" | "large_gap_less_important" | "low";

export function locusForFocusQuadrant(
  importance: number,
  discrepancy: number,
  meanImportance: number,
  meanDiscrepancy: number,
): LocusQuadrant {
  const important = importance >= meanImportance;
  const large = discrepancy >= meanDiscrepancy;
  return important
    ? large
      ? "focus"
      : "important_small_gap"
    : large
      ? "large_gap_less_important"
      : "low";
}

/** Whether a count is too small to show (small-cell suppression); zero is shown. */
export function isSuppressed(count: number, threshold: number): boolean {
  return count > 0 && count < threshold;
}

/** The count, or null when it must not be shown. */
export function suppress(count: number, threshold: number): number | null {
  return isSuppressed(count, threshold) ? null : count;
}
