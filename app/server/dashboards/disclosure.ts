/**
 * Small-group protection of tables whose figures add up (docs/statistics.md, "Small-group
 * protection"). Pure: no I/O, no database, no React.
 *
 * A table is a list of counts and the additive relations between them (this cell is the sum of
 * those cells). Primary suppression hides every count of 1 to N − 1. Secondary suppression then
 * withholds the least informative further cells until no hidden cell can be worked out from the
 * shown ones by linear arithmetic: for the relations A·x = 0 and the hidden cells H, a hidden
 * cell h is determined exactly when its unit vector lies in the row space of A restricted to the
 * columns H (Gaussian elimination over the rationals, in exact integer arithmetic).
 */
import { isSuppressed } from "~/survey/scoring";

export type CellStatus = "shown" | "suppressed" | "withheld";

/** `cells[total]` is the sum of `cells[parts]`. */
export interface Relation {
  total: number;
  parts: readonly number[];
}

export interface DisclosureTable {
  counts: readonly number[];
  relations: readonly Relation[];
  /**
   * Cells the reader knows anyway (a total printed elsewhere, the denominator of shown shares):
   * never suppressed or withheld here.
   */
  known?: readonly number[];
  /**
   * Cells the table never shows, only their sum (the countries pooled into "other countries",
   * split by country group): unknowns of the relations, neither protected nor published. They
   * come back as `"withheld"`.
   */
  latent?: readonly number[];
  /**
   * Cells hidden already (another table shows the same count hidden): hidden here too, and
   * protected like the cells this table hides.
   */
  hidden?: readonly number[];
  /**
   * How much the reader loses when a cell is withheld (default 0): cells of a lower cost are
   * withheld first, e.g. a country group's cell before the total of the needs table.
   */
  cost?: readonly number[];
}

/** The relations as rows of coefficients: +1 for the total, −1 for each part. */
function coefficientRows(cellCount: number, relations: readonly Relation[]): number[][] {
  return relations.map((r) => {
    const row = new Array<number>(cellCount).fill(0);
    row[r.total] += 1;
    for (const p of r.parts) row[p] -= 1;
    return row;
  });
}

/** Integer arithmetic for the exact elimination in bigint (reduceDoubles is the same in doubles). */
interface Arithmetic<T> {
  of(n: number): T;
  zero: T;
  isZero(a: T): boolean;
  /** a·b − c·d, exactly (or throws Overflow). */
  cross(a: T, b: T, c: T, d: T): T;
  /** gcd(|a|, |b|). */
  gcd(a: T, b: T): T;
  greaterThanOne(a: T): boolean;
  divide(a: T, b: T): T;
}

class Overflow extends Error {}

const gcdOf = (a: number, b: number): number => {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
};

/** `reduce` in doubles, in place on typed rows (the hot path of the overview's protection). */
function reduceDoubles(rows: readonly (readonly number[])[], cols: readonly number[]): number[] {
  const n = cols.length;
  const m: Float64Array[] = [];
  for (const source of rows) {
    const row = new Float64Array(n);
    let any = false;
    for (let j = 0; j < n; j++) {
      row[j] = source[cols[j]];
      if (row[j] !== 0) any = true;
    }
    if (any) m.push(row);
  }
  let pivotRow = 0;
  for (let col = 0; col < n && pivotRow < m.length; col++) {
    let found = -1;
    for (let i = pivotRow; i < m.length; i++)
      if (m[i][col] !== 0) {
        found = i;
        break;
      }
    if (found < 0) continue;
    [m[pivotRow], m[found]] = [m[found], m[pivotRow]];
    const pivot = m[pivotRow];
    const p = pivot[col];
    for (let i = 0; i < m.length; i++) {
      const row = m[i];
      const factor = row[col];
      if (i === pivotRow || factor === 0) continue;
      let g = 0;
      for (let j = 0; j < n; j++) {
        const x = row[j] * p;
        const y = pivot[j] * factor;
        const v = x - y;
        if (!Number.isSafeInteger(x) || !Number.isSafeInteger(y) || !Number.isSafeInteger(v))
          throw new Overflow();
        row[j] = v;
        if (v !== 0 && g !== 1) g = gcdOf(g, v);
      }
      if (g > 1) for (let j = 0; j < n; j++) row[j] /= g;
    }
    pivotRow++;
  }
  const result: number[] = [];
  for (const row of m) {
    let only = -1;
    let count = 0;
    for (let j = 0; j < n && count < 2; j++)
      if (row[j] !== 0) {
        only = j;
        count++;
      }
    if (count === 1) result.push(cols[only]);
  }
  return result.sort((a, b) => a - b);
}

const bigints: Arithmetic<bigint> = {
  of: (n) => BigInt(n),
  zero: 0n,
  isZero: (a) => a === 0n,
  cross: (a, b, c, d) => a * b - c * d,
  gcd: (a, b) => {
    a = a < 0n ? -a : a;
    b = b < 0n ? -b : b;
    while (b) [a, b] = [b, a % b];
    return a;
  },
  greaterThanOne: (a) => a > 1n,
  divide: (a, b) => a / b,
};

/**
 * The hidden cells that the shown ones determine: reduced row echelon form of the relations
 * restricted to the hidden columns; a hidden cell is determined when a reduced row has its only
 * non-zero entry in that cell's column. Fraction-free and exact: in doubles while every
 * intermediate value is a safe integer (the usual case, many times faster), else again in
 * bigint.
 */
export function determinedCells(
  rows: readonly (readonly number[])[],
  hidden: readonly boolean[],
): number[] {
  const cols = hidden.flatMap((h, i) => (h ? [i] : []));
  if (cols.length === 0) return [];
  try {
    return reduceDoubles(rows, cols);
  } catch (e) {
    if (!(e instanceof Overflow)) throw e;
    return reduce(rows, cols, bigints);
  }
}

function reduce<T>(
  rows: readonly (readonly number[])[],
  cols: readonly number[],
  k: Arithmetic<T>,
): number[] {
  const m: T[][] = rows
    .map((row) => cols.map((c) => k.of(row[c])))
    .filter((row) => row.some((v) => !k.isZero(v)));
  let pivotRow = 0;
  for (let col = 0; col < cols.length && pivotRow < m.length; col++) {
    const found = m.findIndex((row, i) => i >= pivotRow && !k.isZero(row[col]));
    if (found < 0) continue;
    [m[pivotRow], m[found]] = [m[found], m[pivotRow]];
    const pivot = m[pivotRow];
    for (let i = 0; i < m.length; i++) {
      if (i === pivotRow || k.isZero(m[i][col])) continue;
      const factor = m[i][col];
      const row = m[i].map((v, j) => k.cross(v, pivot[col], pivot[j], factor));
      const g = row.reduce((acc, v) => k.gcd(acc, v), k.zero);
      m[i] = k.greaterThanOne(g) ? row.map((v) => k.divide(v, g)) : row;
    }
    pivotRow++;
  }
  const result: number[] = [];
  for (const row of m) {
    const nonZero = row.flatMap((v, j) => (!k.isZero(v) ? [j] : []));
    if (nonZero.length === 1) result.push(cols[nonZero[0]]);
  }
  return result.sort((a, b) => a - b);
}

/**
 * Which cells to hide: `"suppressed"` for counts of 1 to N − 1, `"withheld"` for the extra cells
 * hidden so that no hidden count can be worked out from the shown ones. Extra cells are chosen
 * greedily from the shown cells linked to a determined one, least informative first (lowest
 * cost, then a non-zero cell before a zero one, then the smallest count, then the first): the
 * first that leaves fewer hidden cells determined, or the first of all when none does.
 * Afterwards every extra cell that turns out not to be needed is shown again, most informative
 * first.
 */
export function protectTable(table: DisclosureTable, minCell: number): CellStatus[] {
  const { counts, relations } = table;
  const known = new Set(table.known ?? []);
  const latent = new Set(table.latent ?? []);
  const hidden = new Set(table.hidden ?? []);
  const rows = coefficientRows(counts.length, relations);
  const status: CellStatus[] = counts.map((c, i) =>
    latent.has(i)
      ? "withheld"
      : !known.has(i) && isSuppressed(c, minCell)
        ? "suppressed"
        : hidden.has(i)
          ? "withheld"
          : "shown",
  );
  const hiddenOf = (s: readonly CellStatus[]) => s.map((x) => x !== "shown");
  const determined = (s: readonly CellStatus[]) =>
    determinedCells(rows, hiddenOf(s)).filter((c) => !latent.has(c));

  // Cells linked by relations, directly or through other cells: a hidden cell can be worked
  // out through any chain of relations, so any shown cell of its component may protect it.
  const component = counts.map((_, i) => i);
  const root = (i: number): number =>
    component[i] === i ? i : (component[i] = root(component[i]));
  for (const r of relations) for (const p of r.parts) component[root(p)] = root(r.total);
  const costOf = (i: number) => table.cost?.[i] ?? 0;
  const order = (a: number, b: number) =>
    costOf(a) - costOf(b) ||
    Number(counts[a] === 0) - Number(counts[b] === 0) ||
    counts[a] - counts[b] ||
    a - b;

  let open = determined(status);
  while (open.length > 0) {
    const candidates = new Set<number>();
    const roots = new Set(open.map(root));
    counts.forEach((_, c) => {
      if (status[c] === "shown" && !known.has(c) && roots.has(root(c))) candidates.add(c);
    });
    if (candidates.size === 0) break; // the known cells alone give these cells away
    const ordered = [...candidates].sort(order);
    const helps = ordered.find((c) => {
      const trial = status.slice();
      trial[c] = "withheld";
      return determined(trial).length < open.length;
    });
    status[helps ?? ordered[0]] = "withheld";
    open = determined(status);
  }

  // Give back extra cells that are not needed, largest first.
  const unavoidable = new Set(open);
  const extra = status
    .flatMap((s, i) => (s === "withheld" && !latent.has(i) && !hidden.has(i) ? [i] : []))
    .sort((a, b) => order(b, a));
  for (const c of extra) {
    status[c] = "shown";
    if (determined(status).some((d) => !unavoidable.has(d))) status[c] = "withheld";
  }
  return status;
}

/**
 * One partition: the cells add up to a total the reader knows (`counts` are the cells, the
 * total is their sum).
 */
export function protectPartitionCells(counts: readonly number[], minCell: number): CellStatus[] {
  const total = counts.length;
  return protectTable(
    {
      counts: [...counts, counts.reduce((s, c) => s + c, 0)],
      relations: [{ total, parts: counts.map((_, i) => i) }],
      known: [total],
    },
    minCell,
  ).slice(0, total);
}

/**
 * A table of `rows` × `cols` cells (row-major) and its margins: each row's cells add up to the
 * row's cell in column `totalCol`, each column's cells to its cell in row `totalRow` (either may
 * be null when that direction does not add up). The margins are cells of the table too.
 */
export function gridRelations(
  rows: number,
  cols: number,
  totalRow: number | null,
  totalCol: number | null,
): Relation[] {
  const at = (r: number, c: number) => r * cols + c;
  const relations: Relation[] = [];
  if (totalCol !== null)
    for (let r = 0; r < rows; r++)
      relations.push({
        total: at(r, totalCol),
        parts: Array.from({ length: cols }, (_, c) => c)
          .filter((c) => c !== totalCol)
          .map((c) => at(r, c)),
      });
  if (totalRow !== null)
    for (let c = 0; c < cols; c++)
      relations.push({
        total: at(totalRow, c),
        parts: Array.from({ length: rows }, (_, r) => r)
          .filter((r) => r !== totalRow)
          .map((r) => at(r, c)),
      });
  return relations;
}
