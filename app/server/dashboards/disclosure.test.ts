import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  determinedCells,
  gridRelations,
  protectPartitionCells,
  protectTable,
  type CellStatus,
  type Relation,
} from "./disclosure";
import { COUNTRY_GROUPS, type CountryGroup } from "~/survey/countries";
import {
  protectCountryProfile,
  protectRankTable,
  protectSharedNeedCategory,
} from "./protected-tables";
import type { HorizonOrAll } from "./views";
import { solvableCells } from "../../../tests/linear-disclosure";

// The independent check (rank over the rationals) lives with the integration tests' helpers.
const solvable = solvableCells;

// ---------------------------------------------------------------------------------------------
// Random tables whose relations hold: leaf counts (small ones frequent) and totals of them.

interface Table {
  counts: number[];
  relations: Relation[];
  known: number[];
  /** Cells never shown (only their sums are). */
  latent?: number[];
  cost?: number[];
}

const smallish = fc.oneof(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 40 }));

/** A grid with row totals, column totals and a grand total (e.g. category × horizon × group). */
const grids: fc.Arbitrary<Table> = fc
  .record({
    rows: fc.integer({ min: 1, max: 4 }),
    cols: fc.integer({ min: 1, max: 5 }),
    seed: fc.array(smallish, { minLength: 20, maxLength: 20 }),
    knownGrand: fc.boolean(),
  })
  .map(({ rows, cols, seed, knownGrand }) => {
    const R = rows + 1;
    const C = cols + 1;
    const counts = new Array<number>(R * C).fill(0);
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < cols; c++) counts[r * C + c] = seed[(r * cols + c) % 20];
    for (let r = 0; r < rows; r++)
      counts[r * C + cols] = counts.slice(r * C, r * C + cols).reduce((s, x) => s + x, 0);
    for (let c = 0; c <= cols; c++) {
      let s = 0;
      for (let r = 0; r < rows; r++) s += counts[r * C + c];
      counts[rows * C + c] = s;
    }
    return {
      counts,
      relations: gridRelations(R, C, rows, cols),
      known: knownGrand ? [R * C - 1] : [],
      cost: counts.map((_, i) => seed[(i * 7) % 20] % 3),
    };
  });

/** Leaves and random sums of them, sums of sums, overlapping: any additive structure. */
const sums: fc.Arbitrary<Table> = fc
  .record({
    leaves: fc.array(smallish, { minLength: 2, maxLength: 8 }),
    groups: fc.array(fc.array(fc.nat(), { minLength: 2, maxLength: 4 }), {
      minLength: 1,
      maxLength: 5,
    }),
    knownLast: fc.boolean(),
    latentFirst: fc.boolean(),
  })
  .map(({ leaves, groups, knownLast, latentFirst }) => {
    const counts = [...leaves];
    const relations: Relation[] = [];
    for (const g of groups) {
      const parts = [...new Set(g.map((i) => i % counts.length))];
      if (parts.length < 2) continue;
      relations.push({ total: counts.length, parts });
      counts.push(parts.reduce((s, p) => s + counts[p], 0));
    }
    return {
      counts,
      relations,
      known: knownLast ? [counts.length - 1] : [],
      latent: latentFirst ? [0] : [],
    };
  });

const MIN_CELLS = fc.integer({ min: 2, max: 10 });

function check(t: Table, minCell: number) {
  const status = protectTable(t, minCell);
  const hidden = status.map((s) => s !== "shown");
  const latent = new Set(t.latent ?? []);
  // Primary: every count of 1 to N − 1 the reader does not already know is hidden.
  t.counts.forEach((c, i) => {
    if (latent.has(i)) return expect(status[i]).toBe("withheld");
    if (c > 0 && c < minCell && !t.known.includes(i)) expect(status[i]).toBe("suppressed");
    if (t.known.includes(i)) expect(status[i]).toBe("shown");
    if (status[i] === "suppressed") expect(c > 0 && c < minCell).toBe(true);
  });
  // Secondary: no hidden cell can be solved for, unless even hiding every cell the reader does
  // not know could not protect it (the known cells alone give it away).
  const everything = t.counts.map((_, i) => !t.known.includes(i));
  const unavoidable = new Set(solvable(t.counts.length, t.relations, everything));
  const given = solvable(t.counts.length, t.relations, hidden).filter(
    (c) => !unavoidable.has(c) && !latent.has(c),
  );
  expect(given).toEqual([]);
  return status;
}

describe("complementary suppression", () => {
  it("leaves no withheld value derivable by linear arithmetic: grids with margins", () => {
    fc.assert(
      fc.property(grids, MIN_CELLS, (t, n) => void check(t, n)),
      { numRuns: 400 },
    );
  });

  it("leaves no withheld value derivable by linear arithmetic: any nested sums", () => {
    fc.assert(
      fc.property(sums, MIN_CELLS, (t, n) => void check(t, n)),
      { numRuns: 400 },
    );
  });

  it("withholds only what is needed: no extra cell can be shown again", () => {
    fc.assert(
      fc.property(grids, MIN_CELLS, (t, n) => {
        const status = check(t, n);
        const everything = t.counts.map((_, i) => !t.known.includes(i));
        const unavoidable = new Set(solvable(t.counts.length, t.relations, everything));
        status.forEach((s, i) => {
          if (s !== "withheld") return;
          const fewer = status.map((x, j) => x !== "shown" && j !== i);
          const given = solvable(t.counts.length, t.relations, fewer).filter(
            (c) => !unavoidable.has(c),
          );
          expect(given.length).toBeGreaterThan(0);
        });
      }),
      { numRuns: 200 },
    );
  });

  it("the needs table: “fewer than 5”, 6 and 8 no longer give away 2", () => {
    // short term, medium term, both horizons; both = short + medium.
    const status = protectTable({ counts: [2, 6, 8], relations: [{ total: 2, parts: [0, 1] }] }, 5);
    expect(status).toEqual<CellStatus[]>(["suppressed", "withheld", "shown"]);
  });

  it("keeps a cell hidden elsewhere hidden, and protects it like its own hidden cells", () => {
    // 20 = 10 + 10, the second 10 hidden by another table: the first must not give it away.
    const status = protectTable(
      { counts: [10, 10, 20], relations: [{ total: 2, parts: [0, 1] }], hidden: [1] },
      5,
    );
    expect(status[1]).toBe("withheld");
    expect(
      solvable(
        3,
        [{ total: 2, parts: [0, 1] }],
        status.map((x) => x !== "shown"),
      ),
    ).toEqual([]);
  });

  it("shared need categories: a group's hidden count cannot be worked out from the programme's", () => {
    // Two groups, one shared category; group 0 has 3 respondents in the short term (EU), the
    // programme's figures are the sums of the groups'.
    const groups = [
      { short: [3, 6, 0], medium: [8, 7, 0] },
      { short: [9, 5, 6], medium: [10, 12, 6] },
    ];
    const of = (w: number | null, h: HorizonOrAll, g: CountryGroup | null): number => {
      if (w === null) return groups.reduce((n, _, i) => n + of(i, h, g), 0);
      const row = (x: "short" | "medium") =>
        g === null
          ? groups[w][x].reduce((a, b) => a + b, 0)
          : groups[w][x][COUNTRY_GROUPS.indexOf(g)];
      return h === "short_term"
        ? row("short")
        : h === "medium_term"
          ? row("medium")
          : row("short") + row("medium");
    };
    const cells = protectSharedNeedCategory(2, of, 5);
    expect(cells(0, "short_term", "eu")).toBe("suppressed");
    // Every cell as a linear unknown: hidden ones must stay undetermined by the shown ones.
    const blocks: Array<number | null> = [0, 1, null];
    const hs: HorizonOrAll[] = ["short_term", "medium_term", "all"];
    const cols: Array<CountryGroup | null> = [...COUNTRY_GROUPS, null];
    const index = (b: number, r: number, c: number) => b * 12 + r * 4 + c;
    const relations: Relation[] = blocks.flatMap((_, b) =>
      gridRelations(3, 4, 2, 3).map((r) => ({
        total: r.total + b * 12,
        parts: r.parts.map((p) => p + b * 12),
      })),
    );
    for (let i = 0; i < 12; i++) relations.push({ total: 24 + i, parts: [i, 12 + i] });
    const hidden = blocks.flatMap((w, b) =>
      hs.flatMap((h, r) =>
        cols.map((g, c) => [index(b, r, c), typeof cells(w, h, g) !== "number"]),
      ),
    );
    const flags = hidden
      .sort((a, b) => (a[0] as number) - (b[0] as number))
      .map((x) => x[1] as boolean);
    expect(solvable(36, relations, flags)).toEqual([]);
    // A group cell shown elsewhere stays shown; one hidden elsewhere stays hidden.
    const elsewhere = protectSharedNeedCategory(2, of, 5, (w) =>
      w === 1 ? (h, g) => (h === "all" && g === null ? "withheld" : of(1, h, g)) : null,
    );
    expect(elsewhere(1, "all", null)).toBe("withheld");
    expect(elsewhere(1, "short_term", "ru")).toBe(5);
  });

  it("two hidden cells in a relation are not enough when another relation pins one of them", () => {
    // 2 × 2 grid with margins (rows: short, medium, both; columns: EU, RU, total).
    //   EU RU  total
    //    3  9  12
    //    7 20  27
    //   10 29  39
    const counts = [3, 9, 12, 7, 20, 27, 10, 29, 39];
    const relations = gridRelations(3, 3, 2, 2);
    const status = protectTable({ counts, relations }, 5);
    const hidden = status.map((s) => s !== "shown");
    expect(solvable(counts.length, relations, hidden)).toEqual([]);
    // The suppressed 3 needs a partner in its row and in its column, and those partners need
    // partners too: a rectangle of four hidden cells.
    expect(hidden.filter(Boolean).length).toBeGreaterThanOrEqual(4);
  });

  it("a partition with a known total keeps the old behaviour: the smallest other non-zero cell", () => {
    expect(protectPartitionCells([3, 0, 12, 7, 30], 5)).toEqual<CellStatus[]>([
      "suppressed",
      "shown",
      "shown",
      "withheld",
      "shown",
    ]);
    expect(protectPartitionCells([3, 2, 12], 5)).toEqual<CellStatus[]>([
      "suppressed",
      "suppressed",
      "shown",
    ]);
  });

  it("country groups and countries beside them: a small group cannot be worked out from its countries", () => {
    // EU 40 (DE 20, FR 15, 5 from small EU countries), Russia 6, other 3 (small countries).
    // Protected apart, the groups would withhold Russia's 6 (shown again as the country RU)
    // and the pooled row 8 minus the EU's pooled share (40 − 35) would give the other 3 away.
    const groups = [
      { code: "eu", n: 40 },
      { code: "ru", n: 6 },
      { code: "other", n: 3 },
    ];
    const countries = [
      { code: "DE", n: 20 },
      { code: "FR", n: 15 },
      { code: "RU", n: 6 },
      { code: "_small", n: 8 },
    ];
    const shown = protectCountryProfile(49, groups, countries, "_small", 5);
    expect(shown.groups[2]).toBe("suppressed");
    // Cells: 3 groups, 4 country rows, the pooled row's share of each group (never shown), total.
    const relations: Relation[] = [
      { total: 10, parts: [0, 1, 2] },
      { total: 10, parts: [3, 4, 5, 6] },
      { total: 0, parts: [3, 4, 7] },
      { total: 1, parts: [5] }, // Russia is one country: listed, it is the whole group
      { total: 2, parts: [9] },
      { total: 6, parts: [7, 9] },
    ];
    const hidden = [...shown.groups, ...shown.countries].map((s) => typeof s !== "number");
    const given = solvable(11, relations, [...hidden, true, true, true, false]).filter(
      (c) => c < 7,
    );
    expect(given).toEqual([]);
  });

  it("a ranking: items add up by item and by rank, and a rank's column gives a row's cell away", () => {
    // 13 respondents rank three items. Item by item, A's 2 and 4 are both suppressed, but the
    // third rank's column (4 + 0 + 9 = 13) gives the 4 away, and with it the 2.
    const grid = [
      [7, 2, 4],
      [3, 10, 0],
      [3, 1, 9],
    ];
    const shown = protectRankTable(
      grid.map((row) => row.map((n, j) => ({ value: j + 1, n }))),
      5,
    );
    const relations: Relation[] = [
      ...[0, 1, 2].map((i) => ({ total: 9 + i, parts: [0, 1, 2].map((j) => i * 3 + j) })),
      ...[0, 1, 2].map((j) => ({ total: 12 + j, parts: [0, 1, 2].map((i) => i * 3 + j) })),
    ];
    const hidden = [...shown.flat().map((s) => typeof s !== "number"), ...new Array(6).fill(false)];
    expect(hidden.slice(0, 9).filter(Boolean).length).toBeGreaterThan(5);
    expect(solvable(15, relations, hidden)).toEqual([]);
    shown.flat().forEach((s, k) => {
      if (typeof s === "number") expect(s).toBe(grid.flat()[k]);
    });
  });
});

describe("determined cells", () => {
  it("are the cells a reference elimination solves, for random relations and hidden cells", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 12 }).chain((cells) =>
          fc.tuple(
            fc.constant(cells),
            fc.array(
              fc.record({
                total: fc.integer({ min: 0, max: cells - 1 }),
                parts: fc.uniqueArray(fc.integer({ min: 0, max: cells - 1 }), {
                  minLength: 1,
                  maxLength: cells - 1,
                }),
              }),
              { maxLength: 8 },
            ),
            fc.array(fc.boolean(), { minLength: cells, maxLength: cells }),
          ),
        ),
        ([cells, drawn, hidden]) => {
          const relations = drawn
            .map((r) => ({ total: r.total, parts: r.parts.filter((p) => p !== r.total) }))
            .filter((r) => r.parts.length > 0);
          const rows = relations.map((r) => {
            const row = new Array<number>(cells).fill(0);
            row[r.total] += 1;
            for (const p of r.parts) row[p] -= 1;
            return row;
          });
          expect(determinedCells(rows, hidden)).toEqual(solvableCells(cells, relations, hidden));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("stay exact when the elimination outgrows doubles", () => {
    // Two proportional rows (rank 1): no cell is determined. Eliminating multiplies entries of
    // about 2^52 by about 2^26, past what doubles hold exactly; rounded, the rows would look
    // independent and both cells determined.
    const q = 2 ** 26 + 1;
    const r = 2 ** 26 + 3;
    const s = 2 ** 26 + 5;
    expect(
      determinedCells(
        [
          [q, r],
          [s * q, s * r],
        ],
        [true, true],
      ),
    ).toEqual([]);
    // And a regular pair that outgrows them is solved.
    expect(
      determinedCells(
        [
          [3, 2 ** 40],
          [2 ** 40, 5],
        ],
        [true, true],
      ),
    ).toEqual([0, 1]);
  });
});
