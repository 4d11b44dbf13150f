/**
 * Reading written CSV files the way a careless spreadsheet does, to check that none of their
 * cells can run as a formula (see app/server/spreadsheet.server.ts).
 */

/** What a spreadsheet runs as a formula when a cell starts with it. */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
/** A number as the writer writes numbers (a minus in front is a negative number, not a formula). */
const NUMBER = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i;

/** The records of a CSV text: its CRLF lines, joined again where a line break is inside quotes. */
export function csvRecords(text: string): string[] {
  const records: string[] = [];
  let open: string | null = null;
  for (const line of text.replace(/^\uFEFF/, "").split("\r\n")) {
    open = open === null ? line : `${open}\r\n${line}`;
    if ((open.split('"').length - 1) % 2 === 0) {
      records.push(open);
      open = null;
    }
  }
  if (open !== null) records.push(open);
  return records;
}

/**
 * The cells that would start a formula when every record is split naively on `,` and then on
 * `;` (as spreadsheets with either list separator do when they ignore quotes), with quotes at
 * the start of a cell dropped. Numbers such as `-3` are numbers, not formulas.
 */
export function formulaCells(text: string): string[] {
  const found: string[] = [];
  for (const record of csvRecords(text)) {
    for (const separator of [",", ";"]) {
      for (const cell of record.split(separator)) {
        if (NUMBER.test(cell)) continue;
        if (FORMULA_START.test(cell.replace(/^"+/, ""))) found.push(cell);
      }
    }
  }
  return found;
}
