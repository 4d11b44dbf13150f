/**
 * The dashboard tables whose figures add up, laid out for ./disclosure.ts: which cell is the sum
 * of which. Pure: the dashboards module counts, these functions decide what may be shown.
 */
import type { Horizon } from "~/survey/constants";
import { COUNTRY_CODES, COUNTRY_GROUPS, type CountryGroup, countryGroup } from "~/survey/countries";
import { type CellStatus, gridRelations, protectTable, type Relation } from "./disclosure";

/** A count as it may be shown (the `Shown` of the dashboards). */
export type ShownCount = number | "suppressed" | "withheld";

export function shownAs(count: number, status: CellStatus): ShownCount {
  return status === "shown" ? count : status;
}

type HorizonOrAll = Horizon | "all";
const NEED_HORIZONS: readonly HorizonOrAll[] = ["short_term", "medium_term", "all"];

/**
 * The respondents of one need category by horizon (short term, medium term, both) and by
 * country group (each group and the category's total), protected together: “both” is counted
 * as short + medium (it is at most that: a respondent may name the category in both horizons)
 * and the total as the sum of the groups. The same cells are shown in the needs table, the
 * rankings and the comparison by country group, and the needs of a cell follow its status.
 */
export function protectNeedCategory(
  respondentsOf: (horizon: HorizonOrAll, group: CountryGroup | null) => number,
  minCell: number,
): (horizon: HorizonOrAll, group: CountryGroup | null) => ShownCount {
  const cols: Array<CountryGroup | null> = [...COUNTRY_GROUPS, null];
  const counts = NEED_HORIZONS.flatMap((h) => cols.map((g) => respondentsOf(h, g)));
  const status = protectTable(
    {
      counts,
      relations: gridRelations(NEED_HORIZONS.length, cols.length, 2, cols.length - 1),
      // The category totals are the needs table and the rankings: withhold group cells first.
      cost: counts.map((_, i) => (i % cols.length === cols.length - 1 ? 1 : 0)),
    },
    minCell,
  );
  return (h, g) => {
    const i = NEED_HORIZONS.indexOf(h) * cols.length + cols.indexOf(g);
    return shownAs(counts[i], status[i]);
  };
}

/**
 * The respondents of one shared need category (the need taxonomy) in each of `groups` working
 * groups and programme-wide, each by horizon and country group as in protectNeedCategory, all
 * protected together: a programme-wide cell is the sum of the groups' cells (a response belongs
 * to one group's survey), so a group's hidden cell could otherwise be worked out from the
 * programme's figure and the other groups'. `group` null is the programme.
 */
export function protectSharedNeedCategory(
  groups: number,
  respondentsOf: (group: number | null, horizon: HorizonOrAll, cg: CountryGroup | null) => number,
  minCell: number,
  /**
   * A group's cells that another table of the page shows with the same count (a shared category
   * holding one category of the group): as shown there, or hidden there; null for none.
   */
  shownElsewhere?: (
    group: number,
  ) => ((horizon: HorizonOrAll, cg: CountryGroup | null) => ShownCount) | null,
): (group: number | null, horizon: HorizonOrAll, cg: CountryGroup | null) => ShownCount {
  const cols: Array<CountryGroup | null> = [...COUNTRY_GROUPS, null];
  const blocks: Array<number | null> = [...Array.from({ length: groups }, (_, i) => i), null];
  const size = NEED_HORIZONS.length * cols.length;
  const counts = blocks.flatMap((w) =>
    NEED_HORIZONS.flatMap((h) => cols.map((g) => respondentsOf(w, h, g))),
  );
  const grid = gridRelations(NEED_HORIZONS.length, cols.length, 2, cols.length - 1);
  const relations: Relation[] = blocks.flatMap((_, b) =>
    grid.map((r) => ({ total: r.total + b * size, parts: r.parts.map((p) => p + b * size) })),
  );
  const programme = groups * size;
  for (let i = 0; i < size; i++)
    relations.push({
      total: programme + i,
      parts: Array.from({ length: groups }, (_, w) => w * size + i),
    });
  const known: number[] = [];
  const hidden: number[] = [];
  for (let w = 0; w < groups; w++) {
    const elsewhere = shownElsewhere?.(w);
    if (!elsewhere) continue;
    NEED_HORIZONS.forEach((h, r) =>
      cols.forEach((g, c) => {
        const i = w * size + r * cols.length + c;
        (typeof elsewhere(h, g) === "number" ? known : hidden).push(i);
      }),
    );
  }
  const status = protectTable(
    {
      counts,
      relations,
      known,
      hidden,
      // Withhold country-group cells first, then groups' totals, the programme's totals last.
      cost: counts.map((_, i) =>
        i % cols.length !== cols.length - 1 ? 0 : i >= programme ? 2 : 1,
      ),
    },
    minCell,
  );
  return (w, h, g) => {
    const i =
      (w === null ? groups : w) * size + NEED_HORIZONS.indexOf(h) * cols.length + cols.indexOf(g);
    return shownAs(counts[i], status[i]);
  };
}

export interface ProfileRow {
  code: string | null;
  n: number;
}

/**
 * The respondents by country group and by country, shown side by side with their total:
 * the groups add up to the total, the countries (small ones pooled into `pooledCode`) add up to
 * the total, and each group is the sum of its named countries and of its share of the pooled
 * row (a share that is never shown; known to be 0 when every country of the group is named, as
 * Russia is when it is listed). Protecting the two lists apart would let a group's suppressed
 * count be worked out from its countries and the pooled row.
 *
 * When the counts do not fit those relations (a response with a country but no group), the two
 * lists are protected each as a partition of the total.
 */
export function protectCountryProfile(
  total: number,
  groups: readonly ProfileRow[],
  countries: readonly ProfileRow[],
  pooledCode: string,
  minCell: number,
): { groups: ShownCount[]; countries: ShownCount[] } {
  const groupOf = (code: string | null) => (code === null ? null : countryGroup(code));
  const G = groups.length;
  const C = countries.length;
  const pooled = countries.findIndex((c) => c.code === pooledCode);
  // The pooled row's share of each group: group − its named countries.
  const shares = groups.map(
    (g) =>
      g.n -
      countries
        .filter((c) => c.code !== pooledCode && groupOf(c.code) === g.code)
        .reduce((s, c) => s + c.n, 0),
  );
  const namedFit = countries.every(
    (c) => c.code === pooledCode || groups.some((g) => g.code === groupOf(c.code)),
  );
  const sharesFit =
    shares.every((s) => s >= 0) &&
    shares.reduce((a, b) => a + b, 0) === (pooled >= 0 ? countries[pooled].n : 0);
  const totalAt = G + C + G;
  const counts = [...groups.map((g) => g.n), ...countries.map((c) => c.n), ...shares, total];
  const relations: Relation[] = [
    { total: totalAt, parts: groups.map((_, i) => i) },
    { total: totalAt, parts: countries.map((_, i) => G + i) },
  ];
  if (namedFit && sharesFit) {
    const named = new Set(countries.map((c) => c.code));
    const allNamed = (g: string | null) =>
      g !== null && COUNTRY_CODES.filter((c) => countryGroup(c) === g).every((c) => named.has(c));
    const pooledParts = groups.flatMap((g, i) => (allNamed(g.code) ? [] : [G + C + i]));
    groups.forEach((g, i) => {
      const parts = countries.flatMap((c, j) =>
        c.code !== pooledCode && groupOf(c.code) === g.code ? [G + j] : [],
      );
      relations.push({
        total: i,
        parts: pooled >= 0 && !allNamed(g.code) ? [...parts, G + C + i] : parts,
      });
    });
    if (pooled >= 0) relations.push({ total: G + pooled, parts: pooledParts });
  }
  const status = protectTable(
    { counts, relations, known: [totalAt], latent: groups.map((_, i) => G + C + i) },
    minCell,
  );
  return {
    groups: groups.map((g, i) => shownAs(g.n, status[i])),
    countries: countries.map((c, j) => shownAs(c.n, status[G + j])),
  };
}

/**
 * The answers to a ranking question: items × ranks. Every respondent ranks every item, each
 * rank once, so each item's counts add up to its respondents and each rank's counts (over the
 * items) add up to the respondents who gave that rank; both sums are taken as known. Rows may
 * have different values (ranks only an older version had): a rank adds up over the rows that
 * have it.
 */
export function protectRankTable(
  rows: ReadonlyArray<ReadonlyArray<{ value: number; n: number }>>,
  minCell: number,
): ShownCount[][] {
  const cells = rows.flatMap((row, i) => row.map((p, j) => ({ i, j, value: p.value, n: p.n })));
  const counts = cells.map((c) => c.n);
  const relations: Relation[] = [];
  const known: number[] = [];
  const addSum = (parts: number[]) => {
    if (parts.length === 0) return;
    known.push(counts.length);
    relations.push({ total: counts.length, parts });
    counts.push(parts.reduce((s, p) => s + counts[p], 0));
  };
  rows.forEach((_, i) => addSum(cells.flatMap((c, k) => (c.i === i ? [k] : []))));
  for (const value of new Set(cells.map((c) => c.value)))
    addSum(cells.flatMap((c, k) => (c.value === value ? [k] : [])));
  const status = protectTable({ counts, relations, known }, minCell);
  const out = rows.map((row) => row.map((): ShownCount => 0));
  cells.forEach((c, k) => (out[c.i][c.j] = shownAs(c.n, status[k])));
  return out;
}
