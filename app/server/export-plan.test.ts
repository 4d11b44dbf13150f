import { describe, expect, it } from "vitest";
import { parseSurveyDefinition, type SurveyDefinition } from "~/survey/schema";
import { buildExportPlan, codebookRows, METADATA_COLUMNS } from "./export-plan";
import { storedCells } from "./export-rows";

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

  it("reads each column from its stored row in the respondent's version, and nothing for what that version did not ask", () => {
    const pick = ["pick|a|a", "pick|new|new", "pick|old|old"];
    // Version 1: options a and old, the note as text, the scale.
    expect(storedCells(plan, 10)).toEqual([
      { key: "pick|a|a", flag: true, answeredBy: pick },
      { key: null, flag: true, answeredBy: pick },
      { key: "pick|old|old", flag: true, answeredBy: pick },
      { key: null, flag: false, answeredBy: null },
      { key: "note", flag: false, answeredBy: null },
      { key: "gone", flag: false, answeredBy: null },
    ]);
    // Version 2: options a and new, the note as a number.
    expect(storedCells(plan, 20)).toEqual([
      { key: "pick|a|a", flag: true, answeredBy: pick },
      { key: "pick|new|new", flag: true, answeredBy: pick },
      { key: null, flag: true, answeredBy: pick },
      { key: "note", flag: false, answeredBy: null },
      { key: null, flag: false, answeredBy: null },
      { key: null, flag: false, answeredBy: null },
    ]);
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
