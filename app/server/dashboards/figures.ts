import {
  confidenceInterval95,
  isSuppressed,
  SMALL_SAMPLE,
  type ValueRange,
} from "~/survey/scoring";
import { protectPartitionCells } from "./disclosure";
import { shownAs } from "./protected-tables";
import type { MeanStat, Shown } from "./views";

/**
 * Finishing counts and means for display: small-group suppression of counts (via the pure rules
 * of ./disclosure.ts), shares of shown counts, means with their confidence intervals.
 */

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
export function shareOf(count: Shown, total: number): number | null {
  return typeof count === "number" && total > 0 ? count / total : null;
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
