import { type Options as CsvOptions, stringify } from "csv-stringify/sync";

/**
 * Every cell that the app writes for spreadsheets — the export CSV files (data, long, needs,
 * codebook), the XLSX workbook and the personal-links CSV — is written here, so that one rule
 * keeps them safe to open (README, "Formula neutralisation"; docs/decisions/009).
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

/**
 * Fields that csv-stringify would not quote by itself but that a reader must not split: the
 * separator of semicolon locales and the tab. (It quotes `,`, `"`, and with
 * `quote_record_delimiter` CR and LF.)
 */
const QUOTE_TOO = /[;\t]/;

/**
 * The options of every CSV file: UTF-8 with a byte-order mark when `start` (so that Excel reads
 * Cyrillic), a header row, CRLF line ends, RFC 4180 quoting widened to `;` and tab, quotes
 * doubled, empty fields for null, numbers as JavaScript writes them, text neutralised.
 */
function csvOptions(columns: readonly string[], start: boolean): CsvOptions {
  return {
    columns: [...columns],
    record_delimiter: "\r\n",
    // With a record delimiter set, csv-stringify quotes a lone LF or CR only when told to.
    quote_record_delimiter: true,
    quoted_match: QUOTE_TOO,
    cast: { string: neutraliseFormula },
    ...(start ? { bom: true, header: true } : {}),
  };
}

/**
 * CSV text in pieces, for files written as they are read: `start()` gives the byte-order mark
 * and the header row, `rows(batch)` the lines of a batch of rows (one call of the library per
 * batch, which costs far less than one per row).
 */
export interface CsvWriter {
  start(): string;
  rows(rows: readonly SheetCell[][]): string;
}

export function csvWriter(columns: readonly string[]): CsvWriter {
  const head = csvOptions(columns, true);
  const body = csvOptions(columns, false);
  return {
    start: () => stringify([], head),
    rows: (rows) => (rows.length === 0 ? "" : stringify(rows as SheetCell[][], body)),
  };
}

/** A whole CSV file (byte-order mark, header row, rows) for a small file made at once. */
export function csvText(columns: readonly string[], rows: readonly SheetCell[][]): string {
  const writer = csvWriter(columns);
  return writer.start() + writer.rows(rows);
}

/**
 * Cell values for a worksheet row: text neutralised as in CSV files, with LF line breaks (XML
 * turns a CR into LF anyway, and Excel writes LF); numbers and dates as they are.
 */
export function sheetValues(cells: readonly (SheetCell | Date)[]): (string | number | Date | null)[] {
  return cells.map((cell) => (typeof cell === "string" ? neutraliseFormula(cell.replace(/\r\n?/g, "\n")) : cell));
}
