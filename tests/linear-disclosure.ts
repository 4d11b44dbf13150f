/**
 * An independent check of small-group protection for tests: which hidden cells of a table can
 * be worked out from its shown cells and additive relations, by rank over the rationals. A hidden
 * cell h is determined exactly when adding the equation x_h = ? does not raise the rank of the
 * relations restricted to the hidden cells (its unit vector lies in their row space).
 */

export interface SumRelation {
  /** `cells[total]` is the sum of `cells[parts]`. */
  total: number;
  parts: readonly number[];
}

interface Q {
  n: bigint;
  d: bigint;
}
const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? (a < 0n ? -a : a) : gcd(b, a % b));
function q(n: bigint, d = 1n): Q {
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcd(n, d) || 1n;
  return { n: n / g, d: d / g };
}
const sub = (a: Q, b: Q) => q(a.n * b.d - b.n * a.d, a.d * b.d);
const mul = (a: Q, b: Q) => q(a.n * b.n, a.d * b.d);
const div = (a: Q, b: Q) => q(a.n * b.d, a.d * b.n);

function rank(matrix: Q[][]): number {
  const m = matrix.map((r) => r.slice());
  let r = 0;
  const cols = m[0]?.length ?? 0;
  for (let c = 0; c < cols && r < m.length; c++) {
    const p = m.findIndex((row, i) => i >= r && row[c].n !== 0n);
    if (p < 0) continue;
    [m[r], m[p]] = [m[p], m[r]];
    for (let i = r + 1; i < m.length; i++) {
      if (m[i][c].n === 0n) continue;
      const f = div(m[i][c], m[r][c]);
      m[i] = m[i].map((v, j) => sub(v, mul(f, m[r][j])));
    }
    r++;
  }
  return r;
}

/** The hidden cells that the shown cells and the relations determine. */
export function solvableCells(
  cellCount: number,
  relations: readonly SumRelation[],
  hidden: readonly boolean[],
): number[] {
  const cols = hidden.flatMap((h, i) => (h ? [i] : []));
  if (cols.length === 0) return [];
  const rows = relations.map((rel) => {
    const row = new Array<number>(cellCount).fill(0);
    row[rel.total] += 1;
    for (const p of rel.parts) row[p] -= 1;
    return cols.map((c) => q(BigInt(row[c])));
  });
  const base = rank(rows);
  return cols.filter((c) => rank([...rows, cols.map((x) => q(x === c ? 1n : 0n))]) === base);
}
