import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { PassThrough } from "node:stream";
import { xlsxBytes, type XlsxCell, zipEntryInput } from "./export-xlsx.server";

async function read(
  rows: XlsxCell[][],
  extra: Partial<Parameters<typeof xlsxBytes>[0]["sheets"][number]> = {},
) {
  const parts: Buffer[] = [];
  for await (const part of xlsxBytes({
    creator: "Needsmap",
    sheets: [
      { name: "Data", frozenHeader: true, rows, ...extra },
      { name: "Другой", rows: [["x"]] },
    ],
  })) {
    parts.push(part);
  }
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.concat(parts) as never);
  return book;
}

describe("the workbook writer", () => {
  it("writes text, numbers and dates that a spreadsheet library reads back exactly", async () => {
    const rows: XlsxCell[][] = [
      ["id", "text", "number", "date"],
      ["r1", 'Таможня: <образцы> & "пробы"', -12.5, new Date("2026-03-01T09:00:00Z")],
      ["r2", "  leading and trailing spaces  ", 1e-7, null],
      ["r3", "line\r\nbreaks\rand\nmore", 0, new Date("2026-12-31T23:59:59Z")],
      ["r4", null, 3, null],
    ];
    const book = await read(rows);
    expect(book.worksheets.map((w) => w.name)).toEqual(["Data", "Другой"]);
    expect(book.creator).toBe("Needsmap");
    const sheet = book.getWorksheet("Data")!;
    expect(sheet.rowCount).toBe(5);
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(sheet.getRow(2).getCell(1).font?.bold).toBeFalsy();
    expect((sheet.getRow(2).values as unknown[]).slice(1, 3)).toEqual([
      "r1",
      'Таможня: <образцы> & "пробы"',
    ]);
    expect(sheet.getRow(2).getCell(3).value).toBe(-12.5);
    expect((sheet.getRow(2).getCell(4).value as Date).toISOString()).toBe(
      "2026-03-01T09:00:00.000Z",
    );
    expect(sheet.getRow(2).getCell(4).numFmt).toBe("yyyy-mm-dd hh:mm:ss");
    expect(sheet.getRow(3).getCell(2).value).toBe("  leading and trailing spaces  ");
    expect(sheet.getRow(3).getCell(3).value).toBe(1e-7);
    expect(sheet.getRow(3).getCell(4).value).toBeNull();
    expect(sheet.getRow(4).getCell(2).value).toBe("line\nbreaks\nand\nmore");
    expect((sheet.getRow(4).getCell(4).value as Date).toISOString()).toBe(
      "2026-12-31T23:59:59.000Z",
    );
    expect(sheet.getRow(5).getCell(2).value).toBeNull();
    expect(sheet.getRow(5).getCell(3).value).toBe(3);
  });

  it("neutralises formulas and drops characters XML cannot hold", async () => {
    const book = await read([
      ["h"],
      ["=SUM(A1)"],
      ["x;=cmd|' /C calc'!A0"],
      ["bell\u0007 and nul\u0000"],
      [-Infinity],
    ]);
    const sheet = book.getWorksheet("Data")!;
    const cells = [2, 3, 4, 5].map((r) => sheet.getRow(r).getCell(1));
    expect(cells.map((c) => c.value)).toEqual([
      "'=SUM(A1)",
      "x;'=cmd|' /C calc'!A0",
      "bell and nul",
      "'-Infinity",
    ]);
    for (const cell of cells) expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
  });

  it("sets column widths and bold rows as asked", async () => {
    const book = await read([["a", "b"], ["Heading"], ["x", 1]], {
      widths: { 2: 20 },
      bold: (cells) => cells.length === 1,
    });
    const sheet = book.getWorksheet("Data")!;
    expect(sheet.getColumn(2).width).toBe(20);
    expect(sheet.getRow(1).getCell(1).font?.bold).toBeFalsy();
    expect(sheet.getRow(2).getCell(1).font?.bold).toBe(true);
  });

  it("finds where exceljs writes a worksheet's XML, so that rows wait for the zip's deflate", async () => {
    const output = new PassThrough().resume();
    const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useSharedStrings: false });
    const sheet = book.addWorksheet("Data");
    // Without it, the XML of a large sheet piles up in memory ahead of the deflate.
    const entry = zipEntryInput(sheet);
    expect(entry).not.toBeNull();
    expect(entry!._writableState.highWaterMark).toBeGreaterThan(0);
    sheet.addRow(["x"]).commit();
    sheet.commit();
    await book.commit();
  });
});
