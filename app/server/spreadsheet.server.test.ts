import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvRecords, formulaCells } from "../../tests/integration/spreadsheet-helpers";
import { csvText, neutraliseFormula, restoreFormulaText, sheetText } from "./spreadsheet.server";

const FORMULA_CHARACTERS = ["=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"];

describe("formula neutralisation", () => {
  it("prefixes text that a spreadsheet would run, and nothing else", () => {
    for (const text of ["=SUM(A1)", "+7", "-x", "@x", "\t=1", "\r=1", "＝1", "'=1", '"=1"']) {
      expect(neutraliseFormula(text)).toBe(`'${text}`);
    }
    for (const text of ["plain", "Привет", "'quoted'", "a=b", " =x", "", "a; -b", "e-mail"]) {
      expect(neutraliseFormula(text)).toBe(text);
    }
  });

  it("prefixes a formula start after every comma or semicolon inside the text too", () => {
    expect(neutraliseFormula("x;=cmd|' /C calc'!A0")).toBe("x;'=cmd|' /C calc'!A0");
    expect(neutraliseFormula("a,-2+3")).toBe("a,'-2+3");
    expect(neutraliseFormula('=1,"@2";+3')).toBe(`'=1,'"@2";'+3`);
    expect(neutraliseFormula("a;'=1")).toBe("a;''=1");
  });

  it("is undone by restoreFormulaText, for any text", () => {
    const piece = fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.constantFrom(",", ";", "'", '"', ...FORMULA_CHARACTERS),
    );
    const texts = fc.array(piece, { maxLength: 12 }).map((pieces) => pieces.join(""));
    fc.assert(
      fc.property(texts, (text) => {
        expect(restoreFormulaText(neutraliseFormula(text))).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("the CSV writer", () => {
  it("quotes fields holding either separator, a quote, CR, LF or a tab", () => {
    const text = csvText(["a", "b"], [["x;y", "x,y"], ['say "hi"', "tab\there"], ["line\nbreak", "cr\rx"]]);
    expect(text.startsWith("\uFEFFa,b\r\n")).toBe(true);
    expect(text).toContain('"x;y","x,y"\r\n');
    expect(text).toContain('"say ""hi""","tab\there"\r\n');
    expect(text).toContain('"line\nbreak","cr\rx"\r\n');
  });

  it("writes numbers as numbers, negative ones with a plain minus, and never prefixes them", () => {
    const text = csvText(["n", "t"], [[-3, "-3"], [-0.5, null], [1234567.25, ""], [1e-7, "x"]]);
    expect(csvRecords(text).slice(1, -1)).toEqual(["-3,'-3", "-0.5,", "1234567.25,", "1e-7,x"]);
    expect(csvText(["t", "n"], [["x", -Infinity]])).toContain("x,'-Infinity\r\n");
  });

  it("no cell of any written text starts a formula when lines are split on , or ;", () => {
    const text = fc
      .array(fc.oneof(fc.string({ maxLength: 5 }), fc.constantFrom(",", ";", '"', "'", " ", "\n", "\r", "\r\n", ...FORMULA_CHARACTERS)), { maxLength: 10 })
      .map((p) => p.join(""));
    const cell = fc.oneof(
      text,
      fc.integer({ min: -1000, max: 1000 }),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.constant(null),
    );
    // Every file starts its lines with text (an id, a name, a table name), never a number.
    const row = fc.tuple(text, cell, cell);
    fc.assert(
      fc.property(fc.array(row, { maxLength: 5 }), (rows) => {
        const text = csvText(["a", "b", "c"], rows);
        expect(formulaCells(text)).toEqual([]);
        // A CSV reader gets the text back, apostrophes aside, and numbers unchanged.
        const read = (parse(text, { bom: true }) as string[][]).slice(1);
        expect(read.map((r) => r.map(restoreFormulaText))).toEqual(
          rows.map((r) => r.map((c) => (c === null ? "" : String(c)))),
        );
      }),
      { numRuns: 1000 },
    );
  });

  it("finds the formula cells of a file written without the rules", () => {
    // The check itself: the naive split does see what an unsafe writer would let through.
    expect(formulaCells('id,answer\r\n1,x;=cmd\r\n2,"a,@b"\r\n3,-3\r\n')).toEqual(["=cmd", "@b\""]);
  });
});

describe("worksheet cells", () => {
  it("are neutralised as in CSV files, with LF line breaks", () => {
    expect(["x;=1", "-a\r\nb", "a\rb", "plain"].map(sheetText)).toEqual(["x;'=1", "'-a\nb", "a\nb", "plain"]);
  });
});
