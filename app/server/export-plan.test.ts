import { describe, expect, it } from "vitest";
import { parseSurveyDefinition, type SurveyDefinition } from "~/survey/schema";
import type { AnswerRow } from "~/survey/question-type";
import { buildExportPlan, codebookRows, METADATA_COLUMNS } from "./export-plan";
import { slotKey } from "~/survey/storage";
import { type ReadResponse, rowWriter } from "./export-rows";

const label = (en: string) => ({ en, ru: `${en} (ru)` });

function definition(questions: unknown[]): SurveyDefinition {
  return parseSurveyDefinition({
    slug: "s",
    workingGroup: "energy",
    title: label("S"),
    pages: [{ key: "p", title: label("P"), questions }],
  });
}

const v1 = definition([
  { key: "pick", type: "multi_choice", label: label("Pick"), options: [{ code: "a", label: label("A") }, { code: "old", label: label("Old") }] },
  { key: "note", type: "long_text", label: label("Note") },
  { key: "gone", type: "scale", label: label("Gone") },
]);
const v2 = definition([
  { key: "pick", type: "multi_choice", label: label("Pick"), options: [{ code: "a", label: label("A") }, { code: "new", label: label("New") }] },
  { key: "note", type: "number", label: label("Note as a number") },
]);
const plan = buildExportPlan(
  { id: 1, slug: "s", title: label("S"), workingGroup: "energy", currentVersionId: 20 },
  [
    { id: 10, version: 1, definition: v1 },
    { id: 20, version: 2, definition: v2 },
  ],
);

/** A response as the export reads it: the JSON text of each stored row's value under its slot key. */
function response(versionId: number, rows: Record<string, Array<Partial<AnswerRow>>>): ReadResponse {
  const values: Record<string, string | number> = {};
  for (const [key, list] of Object.entries(rows)) {
    for (const r of list) {
      const item = r.item ?? null;
      const value = r.valueNum ?? r.valueText ?? r.optionCode;
      if (value !== null && value !== undefined) values[slotKey(key, item, item === null ? null : (r.optionCode ?? null))] = value;
    }
  }
  return {
    id: `r${versionId}`,
    versionId,
    locale: "en",
    submittedAt: "2026-01-01T00:00:00Z",
    invited: false,
    countryGroup: null,
    values: JSON.stringify(values),
    needs: null,
  };
}

const wideRecord = (r: ReadResponse) => [...rowWriter(plan).wide(r)];

describe("the column plan over versions", () => {
  it("takes the current version's order, then older keys; unions options; renames a changed type", () => {
    expect(plan.wideColumns).toEqual([
      ...METADATA_COLUMNS,
      "pick.a",
      "pick.new",
      "pick.old",
      "note",
      "note_v1",
      "gone",
    ]);
    expect(plan.questions.map((q) => [q.name, q.key, q.versions])).toEqual([
      ["pick", "pick", [1, 2]],
      ["note", "note", [2]],
      ["note_v1", "note", [1]],
      ["gone", "gone", [1]],
    ]);
  });

  it("leaves empty what the respondent's version did not ask", () => {
    const old = response(10, {
      pick: [{ item: "a", optionCode: "a" }],
      note: [{ valueText: "text" }],
      gone: [{ valueNum: 3 }],
    });
    expect(wideRecord(old).slice(METADATA_COLUMNS.length)).toEqual([1, null, 0, null, "text", 3]);
    const current = response(20, { pick: [{ item: "new", optionCode: "new" }], note: [{ valueNum: -2.5 }] });
    expect(wideRecord(current).slice(METADATA_COLUMNS.length)).toEqual([0, 1, null, -2.5, null, null]);
  });

  it("has a codebook row for every column, with the versions of each option", () => {
    const rows = codebookRows(plan).filter((r) => r.table === "data" && r.code === null);
    expect(rows.map((r) => r.column)).toEqual(plan.wideColumns);
    expect(rows.find((r) => r.column === "pick.old")?.versions).toEqual([1]);
    expect(rows.find((r) => r.column === "pick.new")?.versions).toEqual([2]);
    expect(rows.find((r) => r.column === "pick.a")?.versions).toEqual([1, 2]);
    expect(rows.find((r) => r.column === "note_v1")).toMatchObject({ questionKey: "note", type: "long_text" });
  });
});
