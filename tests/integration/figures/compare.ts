import type { ShownPage, ShownTable } from "./html";
import {
  type Expected,
  type ExpectedTable,
  type Family,
  expectTable,
  type SurveyData,
  type View,
} from "./recompute";
import { isDetermined } from "./reference";

/** One difference between a shown figure and its recomputation. */
export interface Mismatch {
  family: Family | "unrecognised" | "suppression" | "sample";
  page: string;
  caption: string;
  row: string;
  column: string;
  shown: string;
  recomputed: string;
}

export function describe(m: Mismatch): string {
  return `[${m.family}] ${m.page} | ${m.caption} | ${m.row} | ${m.column}: shown "${m.shown}", recomputed ${m.recomputed}`;
}

const DASH = "–";
const NO_NEEDS = "No needs have been described.";
const NO_SCORE_SHOWN =
  "Needs have been described, but no need category has enough respondents for its score to be shown.";
/** Columns of the overview's participation table that no export holds. */
const NOT_IN_EXPORTS = new Set(["Invited", "Started", "Completion rate", "Response rate"]);
/** Columns of links, not figures: every cell must hold the link's text and nothing else. */
const LINK_COLUMNS = new Set(["Add to register"]);
const formats = new Map<number, Intl.NumberFormat>();
const decimal = (digits: number) => {
  let f = formats.get(digits);
  if (!f)
    formats.set(
      digits,
      (f = new Intl.NumberFormat("en", {
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      })),
    );
  return f;
};
const digitsOf = (text: string) => /\.(\d+)/.exec(text)?.[1].length ?? 0;

/** Whether `value` rounded as `shown` is rounded gives `shown` (a hair's tolerance for ties). */
function roundsTo(value: number, shown: string, scale = 1, suffix = ""): boolean {
  const digits = digitsOf(shown);
  const f = decimal(digits);
  return [0, 1e-9, -1e-9].some((e) => f.format((value + e) * scale) + suffix === shown);
}

function fewerThan(minCell: number) {
  return `fewer than ${minCell}`;
}

/** Intervals of fewer than this many values (respondents) are flagged "(n < 10)". */
const SMALL_SAMPLE = 10;
const SMALL_FLAG = ` (n < ${SMALL_SAMPLE})`;

/**
 * A count cell. "withheld" (complementary suppression) may stand for any value, 0 included: it
 * is chosen to protect another cell; that no hidden cell follows from the shown ones is checked
 * apart (derivable below).
 */
function countOk(n: number, shown: string, minCell: number): boolean {
  if (shown === "withheld") return n >= 0;
  if (shown === fewerThan(minCell)) return n >= 1 && n < minCell;
  if (n === 0) return shown === "0";
  return n >= minCell && shown === decimal(0).format(n);
}

function recomputedText(e: Expected): string {
  switch (e.kind) {
    case "count":
      return String(e.n);
    case "share":
    case "countShare":
      return `${e.n}/${e.of}${e.of ? ` = ${((100 * e.n) / e.of).toFixed(3)} %` : ""}`;
    case "stat":
      return `${e.value === null ? "none" : e.value.toFixed(4)} (n = ${e.n})`;
    case "ci":
      return e.lower === null
        ? `none (n = ${e.n})`
        : `${e.lower.toFixed(4)} – ${e.upper!.toFixed(4)} (n = ${e.n})`;
    case "statCi":
      return `${e.value === null ? "none" : e.value.toFixed(4)} (${
        e.lower === null ? "none" : `${e.lower.toFixed(4)} – ${e.upper!.toFixed(4)}`
      }) (n = ${e.n})`;
    case "scoreN":
      return `${e.value === null ? "none" : e.value.toFixed(4)} (n = ${e.n})`;
    case "text":
    case "quadrant":
      return e.value;
  }
}

/** Whether one shown cell agrees with its recomputation. */
function cellOk(
  e: Expected,
  shown: string,
  label: string,
  row: Record<string, string>,
  minCell: number,
): boolean {
  const hidden = (n: number) => n >= 1 && n < minCell;
  // A hidden count hides the figures of its row too (its needs, share and means).
  const rowHidden = Object.values(row).some((v) => v === "withheld" || v === fewerThan(minCell));
  switch (e.kind) {
    case "count":
      if (
        e.people !== undefined &&
        hidden(e.people) &&
        (shown === fewerThan(minCell) || shown === "withheld")
      )
        return e.n >= 1;
      return countOk(e.n, shown, minCell);
    case "share": {
      // No share is given for the free-text "other" answer of a multiple choice: nothing to mislead.
      if (shown === DASH)
        return (
          e.of === 0 ||
          hidden(e.n) ||
          Object.values(row).includes("withheld") ||
          /^Other\b/.test(label)
        );
      if (hidden(e.n) || e.of === 0) return false;
      return roundsTo(e.n / e.of, shown.replace(/%$/, ""), 100, "");
    }
    case "countShare": {
      if (shown === fewerThan(minCell)) return hidden(e.n);
      if (shown === "withheld") return e.n >= 0;
      if (hidden(e.n)) return false;
      if (e.n === 0) return shown === "0.0%" || shown === "0" || shown === DASH;
      return roundsTo(e.n / e.of, shown.replace(/%$/, ""), 100);
    }
    case "stat":
      if (shown === DASH) return e.value === null || e.n < minCell || rowHidden;
      if (e.value === null || e.n < minCell) return false;
      return roundsTo(e.value, shown);
    case "ci": {
      if (shown === DASH) return e.lower === null || e.n < minCell || rowHidden;
      if (e.lower === null || e.upper === null || e.n < minCell) return false;
      // The flag stands after an interval exactly when it rests on fewer than 10 values.
      const flagged = shown.endsWith(SMALL_FLAG);
      if (flagged !== e.n < SMALL_SAMPLE) return false;
      const [lo, hi] = shown.slice(0, flagged ? -SMALL_FLAG.length : undefined).split(" – ");
      return hi !== undefined && roundsTo(e.lower, lo) && roundsTo(e.upper, hi);
    }
    case "statCi": {
      if (shown === DASH) return e.value === null || e.n < minCell || rowHidden;
      // "81.3 (67.8 – 94.8 (n < 10))": the score, then its interval as the CI column shows it.
      const m = /^(\S+) \((.+)\)$/.exec(shown);
      if (!m) return false;
      return (
        cellOk({ kind: "stat", value: e.value, n: e.n }, m[1], label, row, minCell) &&
        cellOk({ kind: "ci", lower: e.lower, upper: e.upper, n: e.n }, m[2], label, row, minCell)
      );
    }
    case "scoreN": {
      if (shown === DASH || shown === `${DASH} (0)`) return e.n === 0;
      if (shown === fewerThan(minCell)) return hidden(e.n);
      if (shown === "withheld") return e.n >= 0;
      const m = /^(.+) \((.+)\)$/.exec(shown);
      if (!m || e.value === null || e.n < minCell) return false;
      return roundsTo(e.value, m[1]) && m[2] === decimal(0).format(e.n);
    }
    case "text":
      return shown === e.value;
    case "quadrant":
      if (e.n < minCell) return shown === DASH;
      return shown === e.value;
  }
}

export interface Checked {
  mismatches: Mismatch[];
  /** Tables checked, by family. */
  tables: Array<{ family: Family; caption: string }>;
}

/** Compares every table of a page with its recomputation; also checks that no hidden cell is derivable. */
export function checkPage(
  page: ShownPage,
  surveys: SurveyData[],
  view: View,
  minCell: number,
  /** Tables of the groups' dashboards under the same view, captions prefixed "<group>: ". */
  companions: ShownTable[] = [],
): Checked {
  const mismatches: Mismatch[] = [];
  const tables: Checked["tables"] = [];
  const expectations = new Map<ShownTable, ExpectedTable>();
  for (const table of page.tables) {
    const expected = expectTable(table, surveys, view, minCell);
    const at = (
      row: string,
      column: string,
      shown: string,
      recomputed: string,
      family: Mismatch["family"],
    ) =>
      mismatches.push({
        family,
        page: page.page,
        caption: table.caption,
        row,
        column,
        shown,
        recomputed,
      });
    if (!expected) {
      at("", "", table.columns.join(", "), "no recomputation for this table", "unrecognised");
      continue;
    }
    expectations.set(table, expected);
    tables.push({ family: expected.family, caption: table.caption });
    // A count in a caption is shown as counted, or as "fewer than N" for 1 to N − 1.
    const captionCountShown = (c: { shown: string; n: number }) =>
      c.shown === decimal(0).format(c.n) ||
      (c.shown === `fewer than ${minCell}` && c.n > 0 && c.n < minCell);
    if (expected.captionCount && !captionCountShown(expected.captionCount))
      at(
        "(caption)",
        "",
        expected.captionCount.shown,
        String(expected.captionCount.n),
        expected.family,
      );
    // Every column holds figures this suite recomputes, except the row labels, the rank (checked
    // as an order below) and what no export carries (invitations and started responses).
    const checkedColumns = new Set(
      [...expected.rows.values()].flatMap((cells) => Object.keys(cells)),
    );
    for (const column of table.columns) {
      // Rows without a row header are notices ("No needs have been described."), checked below.
      const labels = table.rows.filter((r) => r.label).every((r) => r.cells[column] === r.label);
      if (labels || checkedColumns.has(column) || column === "Rank" || NOT_IN_EXPORTS.has(column))
        continue;
      if (LINK_COLUMNS.has(column) && table.rows.every((r) => r.cells[column] === column)) continue;
      at(
        "",
        column,
        table.rows.map((r) => r.cells[column]).join(" | "),
        "no recomputation for this column",
        "unrecognised",
      );
    }
    const seen = new Set<string>();
    let previous = Infinity;
    let unshownAbove = false;
    for (const row of table.rows) {
      const cells = expected.rows.get(row.label);
      seen.add(row.label);
      if (!cells) {
        // A row of one cell is a notice in place of figures ("No needs have been described.").
        const noticeOk = (notice: string, counted: number) => {
          if (notice === NO_NEEDS) return counted === 0;
          if (notice !== NO_SCORE_SHOWN || counted === 0) return false;
          // Needs exist, but no category's score may be shown: each category has fewer than
          // minCell respondents, or (where the page has it) the full ranking shows no score.
          const small = [...expected.rows.values()].every((c) => {
            const score = c["Priority score"];
            return score?.kind === "stat" && score.n < minCell;
          });
          // The overview's "<group>: top needs by priority score: Short term" is read against the
          // group dashboard of the same view ("<group>: Need categories ranked by …").
          const overview = /^(.+?): top needs by priority score: (.*)$/.exec(table.caption);
          const ranked = overview
            ? companions.find((t) =>
                t.caption.startsWith(
                  `${overview[1]}: Need categories ranked by priority score: ${overview[2]}`,
                ),
              )
            : page.tables.find(
                (t) =>
                  t.caption ===
                  table.caption.replace(
                    /^Top needs: /,
                    "Need categories ranked by priority score: ",
                  ),
              );
          return (
            small ||
            (ranked !== undefined &&
              ranked !== table &&
              ranked.rows.every((r) => (r.cells["Priority score"] ?? DASH) === DASH))
          );
        };
        const counted = [...expected.rows.values()].reduce(
          (sum, c) =>
            sum + Object.values(c).reduce((s, e) => s + (e.kind === "count" ? e.n : 0), 0),
          0,
        );
        if (row.label === "" && noticeOk(Object.values(row.cells).join(" | "), counted)) continue;
        const note =
          row.label === "" && counted > 0
            ? `figures exist: the counts of this table add up to ${counted}`
            : "no such row in the recomputation";
        at(row.label, "", Object.values(row.cells).join(" | "), note, expected.family);
        continue;
      }
      for (const [column, e] of Object.entries(cells)) {
        const shown = row.cells[column];
        if (shown === undefined) continue;
        if (!cellOk(e, shown, row.label, row.cells, minCell))
          at(row.label, column, shown, recomputedText(e), expected.family);
      }
      if (expected.rankedBy) {
        // Rows whose score is not shown (a small or withheld group) come last, in any order.
        const e = cells[expected.rankedBy];
        const shownScore = row.cells[expected.rankedBy];
        const v =
          e &&
          (e.kind === "stat" || e.kind === "scoreN") &&
          e.n >= minCell &&
          shownScore !== undefined &&
          shownScore !== DASH
            ? e.value
            : null;
        if (shownScore === DASH) unshownAbove = true;
        if (v !== null) {
          if (unshownAbove)
            at(
              row.label,
              "order",
              "ranked below a row without a shown score",
              `${v.toFixed(4)}: rows without a shown score come last`,
              expected.family,
            );
          else if (v > previous + 1e-9)
            at(
              row.label,
              "order",
              "ranked below a lower score",
              `${v.toFixed(4)} > ${previous.toFixed(4)}`,
              expected.family,
            );
          previous = v;
        }
      }
    }
    if (!expected.partial) {
      for (const [label, cells] of expected.rows) {
        if (seen.has(label)) continue;
        const any = Object.values(cells).some(
          (e) => (e.kind === "count" || e.kind === "share") && e.n !== 0,
        );
        if (any)
          at(
            label,
            "",
            "(row not shown)",
            Object.values(cells).map(recomputedText).join(" | "),
            expected.family,
          );
      }
    }
  }
  mismatches.push(...derivable(page, expectations));
  return { mismatches, tables };
}

/**
 * The hidden count cells of a page ("fewer than N", "withheld") that the shown cells determine
 * through the tables' additive relations (rows adding up to a shown total, short + medium term
 * needs = both, country groups = all). Each relation is Σ cells − total = 0 over the unknowns.
 */
function derivable(page: ShownPage, expectations: Map<ShownTable, ExpectedTable>): Mismatch[] {
  const byCaption = new Map(page.tables.map((t) => [t.caption, t]));
  const unknowns = new Map<
    string,
    { table: ShownTable; row: string; column: string; family: Family }
  >();
  const equations: Array<Map<string, number>> = [];
  const totals = new Set<string>();
  const cellText = (table: ShownTable | undefined, row: string, column: string) =>
    table?.rows.find((r) => r.label === row)?.cells[column];
  const isHidden = (text: string | undefined) =>
    text !== undefined && (text.startsWith("fewer than") || text === "withheld");
  for (const [table, expected] of expectations) {
    for (const relation of expected.relations) {
      const eq = new Map<string, number>();
      let usable = true;
      const add = (t: ShownTable | undefined, row: string, column: string, coefficient: number) => {
        const text = cellText(t, row, column);
        if (text === undefined) {
          usable = false;
          return;
        }
        if (isHidden(text)) {
          const id = `${t!.caption}\u0000${row}\u0000${column}`;
          unknowns.set(id, { table: t!, row, column, family: expected.family });
          eq.set(id, (eq.get(id) ?? 0) + coefficient);
        }
      };
      for (const [row, column] of relation.cells) add(table, row, column, 1);
      if (Array.isArray(relation.total)) {
        const [row, column, caption] = relation.total;
        // A caption names its table, or starts the caption of a table with a count in it.
        const other = caption
          ? (byCaption.get(caption) ?? page.tables.find((t) => t.caption.startsWith(caption)))
          : table;
        add(other, row, column, -1);
      } else if (typeof relation.total === "object") {
        // An unknown total (not reported itself when determined).
        const id = `\u0001${table.caption}\u0000${relation.total.unknown}`;
        eq.set(id, -1);
        totals.add(id);
      }
      // A total that is only known to the page's reader counts as known (a constant).
      if (usable && eq.size > 0) equations.push(eq);
    }
  }
  const ids = [...unknowns.keys(), ...totals];
  const matrix = equations.map((eq) => ids.map((id) => eq.get(id) ?? 0));
  const found: Mismatch[] = [];
  ids.forEach((id, i) => {
    if (totals.has(id) || !isDetermined(matrix, i)) return;
    const u = unknowns.get(id)!;
    found.push({
      family: "suppression",
      page: page.page,
      caption: u.table.caption,
      row: u.row,
      column: u.column,
      shown: cellText(u.table, u.row, u.column) ?? "",
      recomputed: `derivable from the shown cells (${u.family})`,
    });
  });
  return found;
}
