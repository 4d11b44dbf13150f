import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { COVERAGE_COLUMNS, REGISTER_COLUMNS, registerXlsx } from "./needs-export.server";

describe("the needs register workbook", () => {
  it("has the register and coverage sheets with bold headers and neutralised text", async () => {
    const register = [["N-1", "=HYPERLINK(\"x\")", "Потребность; -срочно", ...Array<null>(REGISTER_COLUMNS.length - 4), 3]];
    const coverage = [["N-1", "Title", "horizon-europe", "open", "good", null]];
    const bytes = await registerXlsx({ register, coverage }, { register: "Реестр", coverage: "Coverage" });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as never);
    expect(book.worksheets.map((w) => w.name)).toEqual(["Реестр", "Coverage"]);
    const sheet = book.getWorksheet("Реестр")!;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual([...REGISTER_COLUMNS]);
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    const row = sheet.getRow(2);
    expect([1, 2, 3].map((c) => row.getCell(c).value)).toEqual(["N-1", "'=HYPERLINK(\"x\")", "Потребность; -срочно"]);
    expect(row.getCell(REGISTER_COLUMNS.length).value).toBe(3);
    const cover = book.getWorksheet("Coverage")!;
    expect((cover.getRow(1).values as unknown[]).slice(1)).toEqual([...COVERAGE_COLUMNS]);
    expect((cover.getRow(2).values as unknown[]).slice(1)).toEqual(coverage[0].slice(0, 5));
  });
});
