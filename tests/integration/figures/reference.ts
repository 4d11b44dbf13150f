import tQuantile from "@stdlib/stats-base-dists-t-quantile";

/*
 * Reference statistics, written from docs/statistics.md alone (nothing imported from the app's
 * own scoring), used to recompute the figures from the exported files.
 */

export const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function sd(xs: readonly number[]): number {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
}

export interface Estimate {
  n: number;
  mean: number | null;
  lower: number | null;
  upper: number | null;
}

/** Mean and 95 % CI with the exact t quantile, clamped to the range the values can take. */
export function estimate(xs: readonly number[], range: readonly [number, number]): Estimate {
  const n = xs.length;
  if (n === 0) return { n, mean: null, lower: null, upper: null };
  const m = mean(xs);
  if (n < 2) return { n, mean: m, lower: null, upper: null };
  const half = tQuantile(0.975, n - 1) * (sd(xs) / Math.sqrt(n));
  return { n, mean: m, lower: Math.max(range[0], m - half), upper: Math.min(range[1], m + half) };
}

/** Priority of one need: urgency × importance ÷ 25 × 100. */
export const priority = (urgency: number, importance: number) => (urgency * importance * 100) / 25;

/**
 * Whether the unknown `target` is determined by linear relations Σ cᵢ·xᵢ = b over the unknowns
 * (rows of `a`): it is when the unit vector of the target lies in the row space of `a`.
 */
export function isDetermined(a: number[][], target: number): boolean {
  if (a.length === 0) return false;
  const width = a[0].length;
  const unit = Array.from({ length: width }, (_, i) => (i === target ? 1 : 0));
  return rank([...a, unit]) === rank(a);
}

function rank(rows: number[][]): number {
  const m = rows.map((r) => [...r]);
  let r = 0;
  const width = m[0]?.length ?? 0;
  for (let c = 0; c < width && r < m.length; c++) {
    let pivot = r;
    for (let i = r + 1; i < m.length; i++) if (Math.abs(m[i][c]) > Math.abs(m[pivot][c])) pivot = i;
    if (Math.abs(m[pivot][c]) < 1e-9) continue;
    [m[r], m[pivot]] = [m[pivot], m[r]];
    for (let i = 0; i < m.length; i++) {
      if (i === r) continue;
      const f = m[i][c] / m[r][c];
      if (f !== 0) for (let k = c; k < width; k++) m[i][k] -= f * m[r][k];
    }
    r++;
  }
  return r;
}
