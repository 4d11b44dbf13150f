import { describe, expect, it } from "vitest";
import { everyType } from "./__fixtures__/every-type";
import { buildSubmissionSchema } from "./answer-schema";
import { exportCells, exportColumns } from "./export";
import { type AnswerValue, answerFromRows, answerToRows, type Answers } from "./registry";
import { findQuestion } from "./schema";
import type { NeedEntry } from "./types/need-list";
import { answersFromRows, answersToRows, type KeyedAnswerRow, packedValues, packedValuesText } from "./storage";

/** A complete, valid response to the every-type survey. */
const answers: Answers = buildSubmissionSchema(everyType, "en").parse({
  org_type: "company",
  instruments: { selected: ["joint_calls"], other: "Travel grants" },
  satisfaction: 0,
  barriers: { visas: 4, customs: 2 },
  priorities: { funding: 1, access: 3, data: 2 },
  budget: 50000,
  project_name: "ERA-Net",
  comments: "Line one\nline two",
  project_end: "2027-06-30",
  partner_country: "FR",
  needs: [
    {
      id: "n1",
      title: "Joint call",
      description: "Two stages",
      category: "funding",
      horizon: "short_term",
      urgency: 5,
      importance: 4,
    },
    {
      id: "n7",
      title: "Beamtime",
      category: "infrastructure",
      horizon: "medium_term",
      urgency: 2,
      importance: 3,
    },
  ],
  competences: {
    proposal_writing: { importance: 5, current: 2 },
    ipr: { importance: 3, current: 3 },
  },
});

const row = (fields: Partial<KeyedAnswerRow>) => ({
  item: null,
  optionCode: null,
  valueNum: null,
  valueText: null,
  valueJson: null,
  ...fields,
});

describe("answer rows", () => {
  it("maps every type to its rows", () => {
    const rows = answersToRows(everyType, answers);
    const of = (key: string) =>
      rows.filter((r) => r.questionKey === key).map(({ questionKey: _, ...r }) => r);
    expect(of("org_type")).toEqual([row({ optionCode: "company" })]);
    expect(of("instruments")).toEqual([
      row({ item: "joint_calls", optionCode: "joint_calls" }),
      row({ item: "_other", valueText: "Travel grants" }),
    ]);
    expect(of("satisfaction")).toEqual([row({ valueNum: 0 })]);
    expect(of("barriers")).toEqual([
      row({ item: "visas", valueNum: 4 }),
      row({ item: "customs", valueNum: 2 }),
    ]);
    expect(of("priorities")).toEqual([
      row({ item: "funding", valueNum: 1 }),
      row({ item: "access", valueNum: 3 }),
      row({ item: "data", valueNum: 2 }),
    ]);
    expect(of("budget")).toEqual([row({ valueNum: 50000 })]);
    expect(of("project_name")).toEqual([row({ valueText: "ERA-Net" })]);
    expect(of("comments")).toEqual([row({ valueText: "Line one\nline two" })]);
    expect(of("project_end")).toEqual([row({ valueText: "2027-06-30" })]);
    expect(of("partner_country")).toEqual([row({ optionCode: "FR" })]);
    const needs = answers.needs as NeedEntry[];
    expect(of("needs")).toEqual([
      row({
        item: "n1",
        optionCode: "funding",
        valueNum: 1,
        valueText: "Two stages",
        valueJson: needs[0],
      }),
      row({ item: "n7", optionCode: "infrastructure", valueNum: 2, valueJson: needs[1] }),
    ]);
    expect(of("competences")).toEqual([
      row({ item: "proposal_writing", optionCode: "importance", valueNum: 5 }),
      row({ item: "proposal_writing", optionCode: "current", valueNum: 2 }),
      row({ item: "ipr", optionCode: "importance", valueNum: 3 }),
      row({ item: "ipr", optionCode: "current", valueNum: 3 }),
    ]);
  });

  it("round-trips every type, whatever the order of the stored rows", () => {
    const rows = answersToRows(everyType, answers);
    expect(answersFromRows(everyType, rows)).toEqual(answers);
    expect(answersFromRows(everyType, [...rows].reverse())).toEqual(answers);
    expect(Object.keys(answers)).toHaveLength(12);
  });

  it("round-trips partial answers and ignores rows of unknown questions", () => {
    const partial: Answers = {
      instruments: { selected: ["co_funding", "mobility"] },
      barriers: { customs: 1 },
    };
    const rows = [
      ...answersToRows(everyType, partial),
      { questionKey: "gone", ...row({ valueNum: 1 }) },
    ];
    expect(answersFromRows(everyType, rows)).toEqual(partial);
    expect(answersFromRows(everyType, [])).toEqual({});
  });

  it("reads nothing from no rows", () => {
    for (const key of Object.keys(answers)) {
      expect(answerFromRows(findQuestion(everyType, key)!, [])).toBeUndefined();
    }
    const q = findQuestion(everyType, "org_type")!;
    expect(answerFromRows(q, answerToRows(q, "university"))).toBe<AnswerValue>("university");
  });
});

describe("wide export", () => {
  it("names the columns of every type", () => {
    expect(exportColumns(everyType)).toEqual([
      "org_type",
      "instruments.joint_calls",
      "instruments.co_funding",
      "instruments.mobility",
      "instruments.other",
      "satisfaction",
      "barriers.visas",
      "barriers.customs",
      "priorities.funding",
      "priorities.access",
      "priorities.data",
      "budget",
      "project_name",
      "comments",
      "project_end",
      "partner_country",
      "competences.proposal_writing.importance",
      "competences.proposal_writing.current",
      "competences.ipr.importance",
      "competences.ipr.current",
    ]);
  });

  it("computes the cells of an answered response", () => {
    expect(exportCells(everyType, answers)).toEqual([
      "company",
      1,
      0,
      0,
      "Travel grants",
      0,
      4,
      2,
      1,
      3,
      2,
      50000,
      "ERA-Net",
      "Line one\nline two",
      "2027-06-30",
      "FR",
      5,
      2,
      3,
      3,
    ]);
  });

  it("leaves unanswered questions empty, including 0/1 columns", () => {
    const cells = exportCells(everyType, { org_type: "university" });
    expect(cells[0]).toBe("university");
    expect(cells.slice(1)).toEqual(Array(19).fill(null));
  });
});

describe("packed values", () => {
  const rows = answersToRows(everyType, answers);

  it("holds the value of each row but need entries under its slot key", () => {
    const packed = packedValues(rows)!;
    expect(packed.org_type).toBe("company");
    expect(packed["instruments|joint_calls|joint_calls"]).toBe("joint_calls");
    expect(packed["instruments|_other"]).toBe("Travel grants");
    expect(packed["barriers|visas"]).toBe(4);
    expect(packed.satisfaction).toBe(0);
    expect(packed.comments).toBe("Line one\nline two");
    // Need entries are read from their rows.
    expect(Object.keys(packed).some((key) => key.startsWith("needs"))).toBe(false);
    expect(Object.keys(packed)).toHaveLength(rows.filter((row) => row.valueJson === null || row.valueJson === undefined).length);
    expect(packedValues([])).toBeNull();
  });

  it("is stored as ASCII JSON that reads back to the same values, whatever the script", () => {
    const text = [
      ...rows,
      { questionKey: "project_name", item: null, optionCode: null, valueNum: null, valueText: "Проект «Сеть» 😀 \u2028", valueJson: null },
    ];
    const stored = packedValuesText(text)!;
    expect(stored).toMatch(/^[\x20-\x7e]*$/);
    expect(JSON.parse(stored)).toEqual(packedValues(text));
    expect(JSON.parse(stored).project_name).toBe("Проект «Сеть» 😀 \u2028");
    expect(packedValuesText([])).toBeNull();
  });
});
