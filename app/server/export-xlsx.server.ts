import { EventEmitter, once } from "node:events";
import { PassThrough } from "node:stream";
import { constants } from "node:zlib";
import type ExcelJS from "exceljs";
import { type SheetCell, sheetText } from "./spreadsheet.server";

/**
 * XLSX workbooks written as the client reads them, through exceljs's streaming writer
 * (docs/decisions/052): no shared strings, every row committed as it is written, and the writer
 * waits whenever the client has not taken what is already written. Every text cell goes through
 * spreadsheet.server.ts (`sheetText`): formulas neutralised, LF line breaks.
 */

/** A cell of a workbook row: text, a number, a date and time (UTC) or empty. */
export type XlsxCell = SheetCell | Date;

export interface XlsxSheet {
  name: string;
  /** Keep the first row in view while scrolling (a header row). */
  frozenHeader?: boolean;
  /** Column widths in characters, by column number (1 = A). */
  widths?: Record<number, number>;
  /** Which rows are bold, by their cells and their index (0 = the first row). */
  bold?: (cells: readonly XlsxCell[], index: number) => boolean;
  /**
   * The rows, first to last. A row is written before the next is asked for, so a source may
   * reuse one array for every row.
   */
  rows: AsyncIterable<readonly XlsxCell[]> | Iterable<readonly XlsxCell[]>;
}

export interface XlsxWorkbook {
  creator: string;
  sheets: XlsxSheet[];
}

/**
 * The four cell styles, each one object for every cell: exceljs registers a style object once and
 * finds it again by identity, instead of merging a new style for every cell.
 */
const DATE_FORMAT = "yyyy-mm-dd hh:mm:ss";
const PLAIN: Partial<ExcelJS.Style> = {};
const BOLD: Partial<ExcelJS.Style> = { font: { bold: true } };
const DATE: Partial<ExcelJS.Style> = { numFmt: DATE_FORMAT };
const BOLD_DATE: Partial<ExcelJS.Style> = { numFmt: DATE_FORMAT, font: { bold: true } };

/**
 * Cells written between two turns of the event loop (about 64 KiB of sheet XML), so that the
 * zip's deflate keeps up with the rows instead of their XML piling up in memory.
 */
const CELLS_PER_TURN = 2048;

const headerFirst = (_: readonly XlsxCell[], index: number) => index === 0;

/** Resolves when the stream can take more, or has been closed (the client went away). */
async function drained(output: PassThrough): Promise<void> {
  while (output.writableNeedDrain && !output.destroyed)
    await Promise.race([once(output, "drain"), once(output, "close")]);
}

/** The part of a stream of the `readable-stream` package (which archiver uses) read here. */
interface EntryInput extends EventEmitter {
  _writableState: { length: number; highWaterMark: number };
}

/**
 * Where exceljs writes a worksheet's XML: the input stream of its zip entry (archiver's). exceljs
 * writes each 64 KiB of XML to it without waiting for the zip's deflate to take the last, so
 * when rows come faster than they are deflated their XML piles up in memory, outside the
 * JavaScript heap (130 MB for the data sheet of 100 000 responses). The writer waits for it to
 * drain. Null if this version of exceljs is built otherwise: the writer then waits for the
 * client only.
 */
export function zipEntryInput(worksheet: ExcelJS.Worksheet): EntryInput | null {
  const pipes = (worksheet as unknown as { stream?: { pipes?: unknown[] } }).stream?.pipes;
  const input = Array.isArray(pipes) ? (pipes[0] as Partial<EntryInput> | undefined) : undefined;
  return input instanceof EventEmitter && typeof input._writableState?.length === "number"
    ? (input as EntryInput)
    : null;
}

/** Resolves when the zip entry's input holds less than its high-water mark, or `output` closed. */
async function entryDrained(entry: EntryInput, output: PassThrough): Promise<void> {
  const state = entry._writableState;
  while (state.length >= state.highWaterMark && !output.destroyed)
    await Promise.race([once(entry, "drain"), once(output, "close")]);
}

async function writeSheets(
  book: ExcelJS.stream.xlsx.WorkbookWriter,
  sheets: readonly XlsxSheet[],
  output: PassThrough,
): Promise<void> {
  let cells = 0;
  for (const sheet of sheets) {
    const worksheet = book.addWorksheet(sheet.name, {
      views: sheet.frozenHeader ? [{ state: "frozen", ySplit: 1 }] : [],
    });
    for (const [column, width] of Object.entries(sheet.widths ?? {}))
      worksheet.getColumn(Number(column)).width = width;
    const bold = sheet.bold ?? headerFirst;
    const entry = zipEntryInput(worksheet);
    let index = 0;
    for await (const values of sheet.rows) {
      const row = worksheet.addRow([]);
      const strong = bold(values, index++);
      for (let i = 0; i < values.length; i++) {
        const value = values[i];
        if (value === null || value === undefined) continue;
        const cell = row.getCell(i + 1);
        if (value instanceof Date) {
          cell.value = value;
          cell.style = strong ? BOLD_DATE : DATE;
        } else {
          // (-Infinity, which no answer holds, is text to a spreadsheet: written as text.)
          cell.value =
            typeof value === "number" && Number.isFinite(value) ? value : sheetText(String(value));
          cell.style = strong ? BOLD : PLAIN;
        }
      }
      row.commit();
      cells += values.length;
      if (cells >= CELLS_PER_TURN) {
        cells = 0;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      // The zip, and a client that has not read what is written, hold the writer here.
      if (entry) await entryDrained(entry, output);
      if (output.writableNeedDrain) await drained(output);
      if (output.destroyed) return;
    }
    worksheet.commit();
  }
  await book.commit();
}

/**
 * exceljs, loaded with the first workbook: it adds about 30 MB to the server's memory, which a
 * server that never writes one does not carry (decision 064).
 */
async function excel(): Promise<typeof ExcelJS> {
  return (await import("exceljs")).default;
}

/** The bytes of a workbook, produced as they are read. */
export async function* xlsxBytes(book: XlsxWorkbook): AsyncGenerator<Buffer> {
  const output = new PassThrough();
  const { stream } = await excel();
  const writer = new stream.xlsx.WorkbookWriter({
    stream: output,
    useStyles: true,
    useSharedStrings: false,
    // The fastest deflate: sheet XML is repetitive and shrinks to about a twelfth already.
    zip: { zlib: { level: constants.Z_BEST_SPEED } },
  });
  writer.creator = book.creator;
  const written = writeSheets(writer, book.sheets, output).catch((error: unknown) => {
    output.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  try {
    for await (const chunk of output as AsyncIterable<Buffer>) yield chunk;
  } finally {
    // Also when the client went away: the writer stops at its next row.
    output.destroy();
    await written;
  }
}
