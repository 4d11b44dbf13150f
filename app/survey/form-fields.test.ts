import { describe, expect, it } from "vitest";
import { everyType } from "./__fixtures__/every-type";
import { buildPageSchema, buildSubmissionSchema } from "./answer-schema";
import {
  answersFromFormData,
  answersToFormFields,
  fieldsGetAll,
  pageAnswersFromFormData,
} from "./form-data";
import { mergeFields, scalarField } from "./question-type";
import { type Answers, answerFromFormData, answerToFormFields, QUESTION_TYPES } from "./registry";
import { needEntrySlots } from "./types/need-list";
import { allQuestions, findPage, findQuestion } from "./schema";

/** A complete, valid response to the every-type survey (one question of each type). */
const answers: Answers = buildSubmissionSchema(everyType, "en").parse({
  org_type: "company",
  instruments: { selected: ["mobility"], other: "Travel grants" },
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
      description: "Two stages\nand a pilot",
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

const question = (key: string) => {
  const q = findQuestion(everyType, key);
  if (!q) throw new Error(`no question ${key}`);
  return q;
};

describe("toFormFields", () => {
  it("the fixture answers every type", () => {
    const types = new Set(allQuestions(everyType).map((q) => q.type));
    expect([...types].sort()).toEqual([...QUESTION_TYPES].sort());
    expect(Object.keys(answers).sort()).toEqual(
      allQuestions(everyType)
        .map((q) => q.key)
        .sort(),
    );
  });

  it("names the fields as form-data.ts describes", () => {
    expect(answerToFormFields(question("org_type"), "company")).toEqual({
      "q.org_type": ["company"],
    });
    expect(answerToFormFields(question("instruments"), answers.instruments)).toEqual({
      "q.instruments": ["mobility"],
      "q.instruments.other": ["Travel grants"],
    });
    expect(answerToFormFields(question("satisfaction"), 0)).toEqual({ "q.satisfaction": ["0"] });
    expect(answerToFormFields(question("barriers"), answers.barriers)).toEqual({
      "q.barriers.visas": ["4"],
      "q.barriers.customs": ["2"],
    });
    expect(answerToFormFields(question("priorities"), answers.priorities)).toEqual({
      "q.priorities.funding": ["1"],
      "q.priorities.access": ["3"],
      "q.priorities.data": ["2"],
    });
    expect(answerToFormFields(question("budget"), 50000)).toEqual({ "q.budget": ["50000"] });
    expect(answerToFormFields(question("comments"), "a\nb")).toEqual({ "q.comments": ["a\nb"] });
    expect(answerToFormFields(question("project_end"), "2027-06-30")).toEqual({
      "q.project_end.day": ["30"],
      "q.project_end.month": ["6"],
      "q.project_end.year": ["2027"],
    });
    expect(answerToFormFields(question("partner_country"), "FR")).toEqual({
      "q.partner_country": ["FR"],
    });
    expect(answerToFormFields(question("needs"), answers.needs)).toEqual({
      "q.needs.0.id": ["n1"],
      "q.needs.0.title": ["Joint call"],
      "q.needs.0.description": ["Two stages\nand a pilot"],
      "q.needs.0.category": ["funding"],
      "q.needs.0.horizon": ["short_term"],
      "q.needs.0.urgency": ["5"],
      "q.needs.0.importance": ["4"],
      "q.needs.1.id": ["n7"],
      "q.needs.1.title": ["Beamtime"],
      "q.needs.1.category": ["infrastructure"],
      "q.needs.1.horizon": ["medium_term"],
      "q.needs.1.urgency": ["2"],
      "q.needs.1.importance": ["3"],
    });
    expect(answerToFormFields(question("competences"), answers.competences)).toEqual({
      "q.competences.proposal_writing.importance": ["5"],
      "q.competences.proposal_writing.current": ["2"],
      "q.competences.ipr.importance": ["3"],
      "q.competences.ipr.current": ["3"],
    });
  });

  it.each(allQuestions(everyType).map((q) => [q.type, q.key] as const))(
    "%s: fromFormData reads back the validated answer",
    (_type, key) => {
      const q = question(key);
      const fields = answerToFormFields(q, answers[key]);
      expect(answerFromFormData(q, fieldsGetAll(fields))).toEqual(answers[key]);
    },
  );

  it("round-trips a whole response through the form of each page", () => {
    const back: Record<string, unknown> = {};
    for (const page of everyType.pages) {
      const fields = answersToFormFields(page.questions, answers);
      Object.assign(back, pageAnswersFromFormData(everyType, page.key, fieldsGetAll(fields)));
    }
    expect(buildSubmissionSchema(everyType, "en").parse(back)).toEqual(answers);
  });

  it("keeps unvalidated draft values as they were typed", () => {
    const typed = {
      "q.budget": ["12,5 kEUR"],
      "q.project_name": ["  far too long a project name for twenty characters "],
      "q.project_end.day": ["31"],
      "q.project_end.month": ["2"],
      "q.project_end.year": ["2027"],
      "q.partner_country": ["XX"],
      "q.needs.0.title": ["Only a title"],
      "q.needs.2.urgency": ["9"],
    };
    const details = findPage(everyType, "details")!.questions;
    const needs = findPage(everyType, "needs")!.questions;
    const raw = answersFromFormData([...details, ...needs], fieldsGetAll(typed));
    const again = answersFromFormData(
      [...details, ...needs],
      fieldsGetAll(answersToFormFields([...details, ...needs], raw)),
    );
    expect(again).toEqual(raw);
    expect(raw.needs).toEqual([
      {
        id: "n1",
        title: "Only a title",
        category: "",
        horizon: "",
        urgency: undefined,
        importance: undefined,
      },
      { id: "n2", title: "", category: "", horizon: "", urgency: 9, importance: undefined },
    ]);
    const result = buildPageSchema(everyType, "details", {}, "en").safeParse(raw);
    expect(result.success).toBe(false);
  });

  it("survives a JSON round trip of a draft (undefined parts dropped)", () => {
    const raw = answersFromFormData(
      [question("needs")],
      fieldsGetAll({ "q.needs.0.title": ["Draft"], "q.needs.0.category": ["funding"] }),
    );
    const stored = JSON.parse(JSON.stringify(raw)) as Record<string, unknown>;
    expect(
      answersFromFormData(
        [question("needs")],
        fieldsGetAll(answersToFormFields([question("needs")], stored)),
      ),
    ).toEqual(raw);
  });

  it("leaves out what it cannot show and never throws", () => {
    for (const q of allQuestions(everyType)) {
      for (const junk of [
        undefined,
        null,
        42,
        "text",
        [],
        {},
        [null, 3],
        { a: { b: 1 } },
        Number.NaN,
      ]) {
        expect(() => answerToFormFields(q, junk)).not.toThrow();
      }
    }
    expect(answerToFormFields(question("barriers"), { visas: 3, unknown_row: 5 })).toEqual({
      "q.barriers.visas": ["3"],
    });
    expect(answerToFormFields(question("satisfaction"), Number.POSITIVE_INFINITY)).toEqual({});
    expect(
      answerToFormFields(question("instruments"), { selected: [1, "co_funding", ""] }),
    ).toEqual({
      "q.instruments": ["co_funding"],
    });
    expect(answerToFormFields(question("needs"), [null, { title: "T" }])).toEqual({
      "q.needs.1.title": ["T"],
    });
  });
});

describe("field helpers", () => {
  it("scalarField writes strings and finite numbers only", () => {
    expect(scalarField("a", "x")).toEqual({ a: ["x"] });
    expect(scalarField("a", "")).toEqual({});
    expect(scalarField("a", 0.25)).toEqual({ a: ["0.25"] });
    expect(scalarField("a", true)).toEqual({});
  });

  it("mergeFields appends values of the same name", () => {
    expect(mergeFields({ a: ["1"] }, { b: ["2"] }, { a: ["3"] })).toEqual({
      a: ["1", "3"],
      b: ["2"],
    });
  });

  it("fieldsGetAll reads absent names as no values", () => {
    const getAll = fieldsGetAll({ a: ["1"] });
    expect(getAll("a")).toEqual(["1"]);
    expect(getAll("toString")).toEqual([]);
  });
});

describe("needEntrySlots", () => {
  const needs = () => question("needs");

  it("gives the form slot of each entry fromFormData reads, skipping gaps and blank slots", () => {
    const fields = {
      "q.needs.0.id": ["n1"],
      "q.needs.0.title": ["First"],
      "q.needs.1.id": ["n2"],
      "q.needs.1.title": ["  "],
      "q.needs.3.category": ["funding"],
      "q.needs.5.urgency": ["4"],
    };
    const getAll = fieldsGetAll(fields);
    const entries = answerFromFormData(needs(), getAll) as unknown[];
    expect(needEntrySlots(needs(), getAll)).toEqual([0, 3, 5]);
    expect(entries).toHaveLength(3);
  });

  it("agrees with fromFormData on contiguous forms", () => {
    const fields = answerToFormFields(needs(), answers.needs);
    expect(needEntrySlots(needs(), fieldsGetAll(fields))).toEqual([0, 1]);
    expect(needEntrySlots(needs(), fieldsGetAll({}))).toEqual([]);
  });
});
