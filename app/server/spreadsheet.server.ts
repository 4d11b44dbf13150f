/**
 * Every cell that the app writes for spreadsheets — the export CSV files (data, long, needs,
 * codebook), the text of the XLSX workbooks' cells (written by export-xlsx.server.ts through the
 * spreadsheet library's streaming writer) and the personal-links CSV — is written here, so that one rule keeps them safe to open (README, "Formula neutralisation"; docs/decisions/009).
 *
 * - Text that a spreadsheet would run as a formula gets an apostrophe in front: at the start of
 *   the cell, and also right after a `,` or `;` inside it, because a spreadsheet that splits the
 *   line on the other separator (Excel with a Russian or other comma-decimal setting splits on
 *   `;`) starts a cell there.
 * - CSV fields holding `,` or `;` (and quotes, CR, LF, tab) are quoted, so that a reader splits
 *   them on neither separator.
 * - Numbers are written as numbers (dot decimal, a leading minus for negative ones) and never
 *   changed: a cell that is a number runs nothing.
 */

export type SheetCell = string | number | null;

/** The characters that start a formula: = + - @, tab, CR and the full-width = + - @. */
const FORMULA_CHARACTER = "[=+\\-@\\t\\r\\uFF1D\\uFF0B\\uFF0D\\uFF20]";
/**
 * Where a spreadsheet may start a cell: the start of the text or right after a separator.
 * Quotes and apostrophes in front of the formula character are looked through (a naive reader
 * may drop quotes; apostrophes already there keep the rule reversible).
 */
const CELL_START = "(^|[,;])";
const LOOKS_LIKE_FORMULA = new RegExp(`${CELL_START}['"]*${FORMULA_CHARACTER}`);
const FORMULA_STARTS = new RegExp(`${CELL_START}(?=['"]*${FORMULA_CHARACTER})`, "g");
const NEUTRALISED_STARTS = new RegExp(`${CELL_START}'(?=['"]*${FORMULA_CHARACTER})`, "g");

/**
 * The text with an apostrophe in front of every formula start (at the start, and after each `,`
 * or `;`): `=SUM(A1)` becomes `'=SUM(A1)`, `x;=cmd` becomes `x;'=cmd`. Text without one comes
 * back as it is (one regular-expression test per cell). `restoreFormulaText` undoes it.
 */
export function neutraliseFormula(text: string): string {
  return LOOKS_LIKE_FORMULA.test(text) ? text.replace(FORMULA_STARTS, "$1'") : text;
}

/** The text as it was before `neutraliseFormula` (for readers of the files). */
export function restoreFormulaText(text: string): string {
  return text.includes("'") ? text.replace(NEUTRALISED_STARTS, "$1") : text;
}

/** A field holding one of these is quoted: both separators, the quote, CR, LF and tab. */
const NEEDS_QUOTES = /[",;\r\n\t]/;

/**
 * One CSV field: empty for null, a number as JavaScript writes it (dot decimal, a plain minus),
 * text neutralised and, when it holds a separator of either kind, a quote, CR, LF or a tab,
 * quoted with its quotes doubled (RFC 4180, widened to semicolon locales).
 */
export function csvField(cell: SheetCell | undefined): string {
  if (cell === null || cell === undefined) return "";
  // (-Infinity, which no answer holds, is text to a spreadsheet: neutralised like text.)
  if (typeof cell === "number")
    return Number.isFinite(cell) ? String(cell) : neutraliseFormula(String(cell));
  const text = neutraliseFormula(cell);
  if (!NEEDS_QUOTES.test(text)) return text;
  return `"${text.includes('"') ? text.replace(/"/g, '""') : text}"`;
}

/** One line of `width` fields (missing cells are empty, extra ones dropped), ended by CRLF. */
function csvLine(cells: readonly (SheetCell | undefined)[], width: number): string {
  let line = width > 0 ? csvField(cells[0]) : "";
  for (let i = 1; i < width; i++) line += "," + csvField(cells[i]);
  return line + "\r\n";
}

/**
 * CSV text in pieces, for files written as they are read: `start()` gives the byte-order mark
 * (so that Excel reads Cyrillic) and the header row, `line(cells)` one record's line and
 * `rows(batch)` the lines of a batch of rows.
 * Lines end with CRLF.
 */
export interface CsvWriter {
  start(): string;
  /** One record's line (missing cells are empty, extra ones dropped), ended by CRLF. */
  line(cells: readonly (SheetCell | undefined)[]): string;
  rows(rows: readonly SheetCell[][]): string;
}

export function csvWriter(columns: readonly string[]): CsvWriter {
  const width = columns.length;
  return {
    start: () => "\uFEFF" + csvLine(columns, width),
    line: (cells) => csvLine(cells, width),
    rows: (rows) => {
      let text = "";
      for (const row of rows) text += csvLine(row, width);
      return text;
    },
  };
}

/** A whole CSV file (byte-order mark, header row, rows) for a small file made at once. */
export function csvText(columns: readonly string[], rows: readonly SheetCell[][]): string {
  const writer = csvWriter(columns);
  return writer.start() + writer.rows(rows);
}

/**
 * The text of a worksheet cell: neutralised as in CSV files, with LF line breaks (XML turns a CR
 * into LF anyway, and Excel writes LF).
 */
export function sheetText(text: string): string {
  return neutraliseFormula(text.includes("\r") ? text.replace(/\r\n?/g, "\n") : text);
}
