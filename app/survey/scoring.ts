/**
 * Statistics of the dashboards, in plain functions. The dashboards compute in SQL; these are
 * the reference definitions their results are checked against.
 *
 * For values x₁…xₙ:
 * - mean        x̄ = Σxᵢ / n
 * - median      the middle value of the sorted values; the mean of the two middle ones for even n
 * - sd          s = √( Σ(xᵢ − x̄)² / (n − 1) )                 (sample standard deviation, n ≥ 2;
 *               Postgres `stddev_samp`)
 * - 95 % CI     x̄ ± t(0.975, n − 1) · s / √n                   (n ≥ 2), with t the Student
 *               quantile: exact table values for df 1–30, 40, 50, 60, 80, 100, 120, linear
 *               interpolation in 1/df between them, and towards the normal 1.96 beyond 120
 * - priority of a need entry  p = urgency × importance / 25 × 100   (urgency, importance 1–5,
 *               so p is 4 to 100); the priority score of a group of entries is the mean of p,
 *               with the CI of that mean
 * - Borich MWDS of a statement = mean(importanceᵢ − currentᵢ) × mean(importanceᵢ), over the
 *               respondents who rated both (mean weighted discrepancy score; higher = larger
 *               training/support need)
 * - suppression a count below the threshold (but above 0) is not shown
 */

export const Z_95 = 1.96;

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

/** Two-sided 95 % quantiles t(0.975, df) of Student's t distribution. */
// prettier-ignore
const T_TABLE: ReadonlyArray<readonly [df: number, t: number]> = [
  [1, 12.7062], [2, 4.3027], [3, 3.1824], [4, 2.7764], [5, 2.5706], [6, 2.4469], [7, 2.3646],
  [8, 2.306], [9, 2.2622], [10, 2.2281], [11, 2.201], [12, 2.1788], [13, 2.1604], [14, 2.1448],
  [15, 2.1314], [16, 2.1199], [17, 2.1098], [18, 2.1009], [19, 2.093], [20, 2.086], [21, 2.0796],
  [22, 2.0739], [23, 2.0687], [24, 2.0639], [25, 2.0595], [26, 2.0555], [27, 2.0518], [28, 2.0484],
  [29, 2.0452], [30, 2.0423], [40, 2.0211], [50, 2.0086], [60, 2.0003], [80, 1.9901], [100, 1.984],
  [120, 1.9799],
];

/** t(0.975, df) for df ≥ 1; interpolated in 1/df between table entries, 1.96 as df → ∞. */
export function tCritical95(df: number): number {
  if (!(df >= 1)) throw new RangeError(`degrees of freedom must be at least 1, got ${df}`);
  const exact = T_TABLE.find(([d]) => d === df);
  if (exact) return exact[1];
  const upperIndex = T_TABLE.findIndex(([d]) => d > df);
  const [d0, t0] = T_TABLE[upperIndex === -1 ? T_TABLE.length - 1 : upperIndex - 1];
  const [x1, t1] =
    upperIndex === -1 ? [0, Z_95] : [1 / T_TABLE[upperIndex][0], T_TABLE[upperIndex][1]];
  const x0 = 1 / d0;
  const x = 1 / df;
  return t0 + ((t1 - t0) * (x - x0)) / (x1 - x0);
}

export interface Interval {
  lower: number;
  upper: number;
  halfWidth: number;
}

/** The 95 % CI of a mean from its summary (count, mean, sample sd); null when n < 2. */
export function confidenceInterval95(n: number, average: number, sd: number): Interval | null {
  if (n < 2) return null;
  const halfWidth = (tCritical95(n - 1) * sd) / Math.sqrt(n);
  return { lower: average - halfWidth, upper: average + halfWidth, halfWidth };
}

export interface MeanEstimate {
  n: number;
  mean: number | null;
  sd: number | null;
  /** 95 % confidence interval of the mean; null for fewer than 2 values. */
  ci: Interval | null;
}

export function estimateMean(values: readonly number[]): MeanEstimate {
  const average = mean(values);
  const sd = standardDeviation(values);
  return {
    n: values.length,
    mean: average,
    sd,
    ci: average !== null && sd !== null ? confidenceInterval95(values.length, average, sd) : null,
  };
}

/** The priority of one need entry, 0–100: urgency × importance / 25 × 100. */
export function needPriority(urgency: number, importance: number): number {
  return ((urgency * importance) / 25) * 100;
}

/** The priority score of a group of need entries: the mean priority, with its CI. */
export function priorityScore(
  entries: ReadonlyArray<{ urgency: number; importance: number }>,
): MeanEstimate {
  return estimateMean(entries.map((e) => needPriority(e.urgency, e.importance)));
}

/** Borich's mean weighted discrepancy score of one statement; null without ratings. */
export function borichMwds(
  ratings: ReadonlyArray<{ importance: number; current: number }>,
): number | null {
  const gap = mean(ratings.map((r) => r.importance - r.current));
  const importance = mean(ratings.map((r) => r.importance));
  return gap === null || importance === null ? null : gap * importance;
}

/** Whether a count is too small to show (small-cell suppression); zero is shown. */
export function isSuppressed(count: number, threshold: number): boolean {
  return count > 0 && count < threshold;
}

/** The count, or null when it must not be shown. */
export function suppress(count: number, threshold: number): number | null {
  return isSuppressed(count, threshold) ? null : count;
}
