import erfc from "@stdlib/math-base-special-erfc";
import type { ConsensusRule } from "./delphi";
import { median } from "./scoring";

/**
 * Consensus and stability of Delphi ratings (docs/statistics.md, "Delphi rounds"): the one
 * definition of each figure. Pure: no I/O, no React.
 *
 * For the ratings x₁…xₙ of one item in one round:
 * - median, Q1, Q3   quantiles by linear interpolation between order statistics (Postgres
 *                    `percentile_cont`, Hyndman & Fan type 7); IQR = Q3 − Q1
 * - within           share of ratings with |xᵢ − median| ≤ 1
 * - consensus        IQR ≤ rule.maxIqr and within ≥ rule.minWithin (default 1 and 70 %)
 * Between two rounds, over the participants who rated the item in both (pairs):
 * - changed          share of pairs whose rating differs
 * - ΔIQR             IQR of this round − IQR of the previous round
 * - Wilcoxon         signed-rank test of the paired ratings, two-sided; zero differences
 *                    dropped (Wilcoxon 1945), ties given mean ranks; exact distribution for
 *                    up to EXACT_WILCOXON_MAX non-zero differences, else the normal
 *                    approximation with tie and continuity correction
 */

/** A quantile of the values by linear interpolation (Postgres `percentile_cont(p)`). */
export function quantile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * p;
  const low = Math.floor(h);
  const high = Math.min(low + 1, sorted.length - 1);
  return sorted[low] + (h - low) * (sorted[high] - sorted[low]);
}

export { type ConsensusRule, DEFAULT_CONSENSUS_RULE } from "./delphi";

export interface RoundFigures {
  n: number;
  median: number | null;
  q1: number | null;
  q3: number | null;
  iqr: number | null;
  /** Share (0–1) of ratings within ±1 of the median. */
  within: number | null;
  consensus: boolean;
}

export function roundFigures(values: readonly number[], rule: ConsensusRule): RoundFigures {
  const n = values.length;
  if (n === 0) {
    return { n, median: null, q1: null, q3: null, iqr: null, within: null, consensus: false };
  }
  const m = median(values) as number;
  const q1 = quantile(values, 0.25) as number;
  const q3 = quantile(values, 0.75) as number;
  const iqr = q3 - q1;
  const within = values.filter((x) => Math.abs(x - m) <= 1).length / n;
  return {
    n,
    median: m,
    q1,
    q3,
    iqr,
    within,
    consensus: iqr <= rule.maxIqr + 1e-9 && within >= rule.minWithin - 1e-9,
  };
}

/** Whether a new rating lies outside the interquartile range [Q1, Q3] of the previous round. */
export function outsideIqr(value: number, previous: Pick<RoundFigures, "q1" | "q3">): boolean {
  if (previous.q1 === null || previous.q3 === null) return false;
  return value < previous.q1 || value > previous.q3;
}

/** Up to this many non-zero differences the Wilcoxon p-value is exact. */
export const EXACT_WILCOXON_MAX = 25;

export interface WilcoxonResult {
  /** Number of non-zero differences. */
  n: number;
  /** Sum of the ranks of the positive differences. */
  wPlus: number;
  /** Sum of the ranks of the negative differences. */
  wMinus: number;
  /** Two-sided p-value; null when every difference is zero. */
  p: number | null;
  method: "exact" | "normal" | "none";
}

/** Ranks of the values (1 = smallest), tied values sharing their mean rank. */
export function midRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(values.length);
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    const rank = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) ranks[order[k][1]] = rank;
    i = j + 1;
  }
  return ranks;
}

/**
 * Wilcoxon signed-rank test of paired ratings (`before[i]`, `after[i]`), two-sided.
 * The exact p-value counts, among the 2ⁿ equally likely sign assignments of the ranks (mid-ranks
 * when tied, so the distribution is exact given the ties), those whose W+ is at least as far
 * from its mean as the one observed.
 */
export function wilcoxonSignedRank(
  before: readonly number[],
  after: readonly number[],
  { exactMax = EXACT_WILCOXON_MAX }: { exactMax?: number } = {},
): WilcoxonResult {
  if (before.length !== after.length) throw new RangeError("paired samples differ in length");
  const diffs: number[] = [];
  for (let i = 0; i < before.length; i++) {
    const d = after[i] - before[i];
    if (Math.abs(d) > 1e-9) diffs.push(d);
  }
  const n = diffs.length;
  if (n === 0) return { n, wPlus: 0, wMinus: 0, p: null, method: "none" };
  const ranks = midRanks(diffs.map(Math.abs));
  let wPlus = 0;
  for (let i = 0; i < n; i++) if (diffs[i] > 0) wPlus += ranks[i];
  const total = (n * (n + 1)) / 2;
  const wMinus = total - wPlus;
  const small = Math.min(wPlus, wMinus);
  if (n <= exactMax) {
    // Ranks are multiples of ½: count sign assignments by twice their W+.
    const doubled = ranks.map((r) => Math.round(r * 2));
    const max = doubled.reduce((a, b) => a + b, 0);
    let ways = new Array<number>(max + 1).fill(0);
    ways[0] = 1;
    for (const r of doubled) {
      const next = ways.slice();
      for (let s = 0; s + r <= max; s++) if (ways[s] > 0) next[s + r] += ways[s];
      ways = next;
    }
    const limit = Math.round(small * 2);
    let tail = 0;
    for (let s = 0; s <= limit; s++) tail += ways[s];
    const p = Math.min(1, (2 * tail) / 2 ** n);
    return { n, wPlus, wMinus, p, method: "exact" };
  }
  const mean = total / 2;
  let tieTerm = 0;
  const counts = new Map<number, number>();
  for (const r of ranks) counts.set(r, (counts.get(r) ?? 0) + 1);
  for (const t of counts.values()) tieTerm += t ** 3 - t;
  const variance = (n * (n + 1) * (2 * n + 1)) / 24 - tieTerm / 48;
  const z = Math.max(0, Math.abs(wPlus - mean) - 0.5) / Math.sqrt(variance);
  return { n, wPlus, wMinus, p: Math.min(1, erfc(z / Math.SQRT2)), method: "normal" };
}

export type ConsensusStatus = "consensus" | "converging" | "diverging" | "stable" | "first_round";

export interface Stability {
  /** Participants who rated the item in both rounds. */
  pairs: number;
  /** Share (0–1) of those pairs whose rating changed. */
  changed: number | null;
  /** IQR of this round minus the IQR of the previous round. */
  iqrChange: number | null;
  wilcoxon: WilcoxonResult;
}

export function stability(
  paired: ReadonlyArray<readonly [before: number, after: number]>,
  current: Pick<RoundFigures, "iqr">,
  previous: Pick<RoundFigures, "iqr">,
): Stability {
  const before = paired.map((p) => p[0]);
  const after = paired.map((p) => p[1]);
  const changedCount = paired.filter(([b, a]) => Math.abs(a - b) > 1e-9).length;
  return {
    pairs: paired.length,
    changed: paired.length === 0 ? null : changedCount / paired.length,
    iqrChange: current.iqr === null || previous.iqr === null ? null : current.iqr - previous.iqr,
    wilcoxon: wilcoxonSignedRank(before, after),
  };
}

/**
 * The status of an item after a round: consensus when the rule holds; otherwise, against the
 * previous round, converging when the IQR narrowed (or stayed and more ratings lie within ±1),
 * diverging when it widened (or stayed and fewer lie within ±1), stable when neither moved.
 */
export function consensusStatus(
  current: RoundFigures,
  previous: RoundFigures | null,
): ConsensusStatus {
  if (current.consensus) return "consensus";
  if (!previous || previous.iqr === null || current.iqr === null) return "first_round";
  const eps = 1e-9;
  if (current.iqr < previous.iqr - eps) return "converging";
  if (current.iqr > previous.iqr + eps) return "diverging";
  const dw = (current.within ?? 0) - (previous.within ?? 0);
  if (dw > eps) return "converging";
  if (dw < -eps) return "diverging";
  return "stable";
}

/**
 * Counts of each rating point, for a distribution chart: `points` are the possible ratings; a
 * rating between two points (a mean of several need entries) counts at the nearest one, halves
 * upwards.
 */
export function distribution(
  values: readonly number[],
  points: readonly number[],
): Array<{ value: number; count: number }> {
  return points.map((value) => ({
    value,
    count: values.filter((x) => Math.floor(x + 0.5) === value).length,
  }));
}
