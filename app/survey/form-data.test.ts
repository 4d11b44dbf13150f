import { describe, expect, it } from "vitest";
import { everyType } from "./__fixtures__/every-type";
import { buildPageSchema, validatePageForm } from "./answer-schema";
import {
  answersFromFormData,
  fieldErrors,
  formGetAll,
  issueFieldName,
  pageAnswersFromFormData,
} from "./form-data";
import { validationMessages } from "./messages";
import { answerFromFormData } from "./registry";
import { allQuestions, findQuestion } from "./schema";

function form(fields: Array<[string, string]>) {
  return formGetAll(new URLSearchParams(fields));
}

function parse(key: string, fields: Array<[string, string]>): unknown {
  return answerFromFormData(findQuestion(everyType, key)!, form(fields));
}

describe("fromFormData", () => {
  it("reads single values, treating blank fields as unanswered", () => {
    expect(parse("org_type", [["q.org_type", "company"]])).toBe("company");
    expect(parse("org_type", [["q.org_type", "  "]])).toBeUndefined();
    expect(parse("org_type", [])).toBeUndefined();
    expect(parse("project_name", [["q.project_name", " ERA-Net "]])).toBe(" ERA-Net ");
    expect(parse("comments", [["q.comments", "one\r\ntwo"]])).toBe("one\ntwo");
    expect(parse("project_end", [["q.project_end", "2027-01-31"]])).toBe("2027-01-31");
  });

  it("reads a date from its day, month and year, and keeps parts that make no date as typed", () => {
    const date = (day: string, month: string, year: string) =>
      parse("project_end", [
        ["q.project_end.day", day],
        ["q.project_end.month", month],
        ["q.project_end.year", year],
      ]);
    expect(date("5", "6", "2027")).toBe("2027-06-05");
    expect(date(" 30 ", "06", "2027")).toBe("2027-06-30");
    expect(date("", "", " ")).toBeUndefined();
    expect(date("31", "", "2027")).toBe("2027--31");
    expect(date("x", "6", "27")).toBe("27-6-x");
  });

  it("reads a country code in capitals", () => {
    expect(parse("partner_country", [["q.partner_country", "de"]])).toBe("DE");
  });

  it("reads numbers, with a decimal comma and group spaces, and keeps garbage as text", () => {
    expect(parse("satisfaction", [["q.satisfaction", "7"]])).toBe(7);
    expect(parse("budget", [["q.budget", "12 500,5"]])).toBe(12500.5);
    expect(parse("budget", [["q.budget", "-3.25"]])).toBe(-3.25);
    expect(parse("budget", [["q.budget", "12k"]])).toBe("12k");
    expect(parse("budget", [["q.budget", "1,2,3"]])).toBe("1,2,3");
  });

  it("reads the selected codes and the other text of a multi choice", () => {
    expect(
      parse("instruments", [
        ["q.instruments", "mobility"],
        ["q.instruments", "joint_calls"],
        ["q.instruments.other", " Travel "],
      ]),
    ).toEqual({ selected: ["mobility", "joint_calls"], other: "Travel" });
    expect(parse("instruments", [["q.instruments.other", ""]])).toBeUndefined();
  });

  it("reads matrix rows, ranking positions and Borich ratings", () => {
    expect(
      parse("barriers", [
        ["q.barriers.visas", "4"],
        ["q.barriers.customs", ""],
      ]),
    ).toEqual({ visas: 4 });
    expect(parse("barriers", [["q.barriers.visas", ""]])).toBeUndefined();
    expect(
      parse("priorities", [
        ["q.priorities.funding", "2"],
        ["q.priorities.access", "1"],
        ["q.priorities.data", "x"],
      ]),
    ).toEqual({ funding: 2, access: 1, data: "x" });
    expect(
      parse("competences", [
        ["q.competences.ipr.importance", "5"],
        ["q.competences.ipr.current", "2"],
        ["q.competences.proposal_writing.importance", "3"],
      ]),
    ).toEqual({ ipr: { importance: 5, current: 2 }, proposal_writing: { importance: 3 } });
  });

  it("reads need entries by index, skipping blank slots and giving new entries an id", () => {
    expect(
      parse("needs", [
        ["q.needs.0.id", "n2"],
        ["q.needs.0.title", "Joint call"],
        ["q.needs.0.description", "Two\r\nstages"],
        ["q.needs.0.category", "funding"],
        ["q.needs.0.horizon", "short_term"],
        ["q.needs.0.urgency", "5"],
        ["q.needs.0.importance", "4"],
        ["q.needs.1.title", ""],
        ["q.needs.1.urgency", ""],
        ["q.needs.3.title", "Beamtime"],
        ["q.needs.3.urgency", "high"],
      ]),
    ).toEqual([
      {
        id: "n2",
        title: "Joint call",
        description: "Two\r\nstages",
        category: "funding",
        horizon: "short_term",
        urgency: 5,
        importance: 4,
      },
      {
        id: "n1",
        title: "Beamtime",
        category: "",
        horizon: "",
        urgency: "high",
        importance: undefined,
      },
    ]);
    expect(parse("needs", [["q.needs.0.title", " "]])).toBeUndefined();
  });

  it("produces values the answer schema rejects with messages, never throwing", () => {
    const getAll = form([
      ["q.org_type", "company"],
      ["q.barriers.visas", "9"],
      ["q.priorities.funding", "x"],
      ["q.needs.0.title", "Only a title"],
    ]);
    expect(() => answersFromFormData(allQuestions(everyType), getAll)).not.toThrow();
    const values = pageAnswersFromFormData(everyType, "choices", getAll);
    const result = buildPageSchema(everyType, "choices", {}, "en").safeParse(values);
    const m = validationMessages("en");
    expect(result.success).toBe(false);
    expect(fieldErrors(everyType, result.error!.issues)).toEqual({
      "q.barriers.visas": m.scaleRange(1, 5),
      "q.barriers.customs": "Select a value for “Customs”.",
      "q.priorities.funding": m.rankAll(3),
    });
  });

  it("reads a whole page as the answer map the page schema expects", () => {
    const getAll = form([
      ["q.org_type", "university"],
      ["q.instruments", "co_funding"],
      ["q.barriers.visas", "1"],
      ["q.barriers.customs", "2"],
      ["intent", "next"],
    ]);
    const values = pageAnswersFromFormData(everyType, "choices", getAll);
    expect(values).toEqual({
      org_type: "university",
      instruments: { selected: ["co_funding"] },
      barriers: { visas: 1, customs: 2 },
    });
    expect(buildPageSchema(everyType, "choices", {}, "en").parse(values)).toEqual(values);
  });
});

describe("issueFieldName", () => {
  it("maps answer paths to form field names", () => {
    expect(issueFieldName(everyType, ["org_type"])).toBe("q.org_type");
    expect(issueFieldName(everyType, ["instruments", "selected", 0])).toBe("q.instruments");
    expect(issueFieldName(everyType, ["instruments", "other"])).toBe("q.instruments.other");
    expect(issueFieldName(everyType, ["barriers", "visas"])).toBe("q.barriers.visas");
    expect(issueFieldName(everyType, ["competences", "ipr", "current"])).toBe(
      "q.competences.ipr.current",
    );
    expect(issueFieldName(everyType, ["needs", 2, "title"])).toBe("q.needs.2.title");
  });
});

describe("validatePageForm", () => {
  it("returns the page's answers, or the messages by field with the values read", () => {
    const good = form([
      ["q.org_type", "company"],
      ["q.barriers.visas", "1"],
      ["q.barriers.customs", "2"],
    ]);
    expect(validatePageForm(everyType, "choices", {}, "en", good)).toEqual({
      ok: true,
      answers: { org_type: "company", barriers: { visas: 1, customs: 2 } },
    });
    const bad = form([["q.barriers.visas", "1"]]);
    expect(validatePageForm(everyType, "choices", {}, "ru", bad)).toEqual({
      ok: false,
      errors: {
        "q.org_type": "Выберите один из вариантов.",
        "q.barriers.customs": "Выберите значение для строки «Таможня».",
      },
      values: { barriers: { visas: 1 } },
    });
  });
});
