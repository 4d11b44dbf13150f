import { describe, expect, it } from "vitest";
import { everyType } from "~/survey/__fixtures__/every-type";
import { buildPageSchema } from "~/survey/answer-schema";
import { fieldsGetAll, pageAnswersFromFormData } from "~/survey/form-data";
import { findPage } from "~/survey/schema";
import { errorTarget, fieldLabel, fieldsFromForm, pageFieldErrors } from "./form-values";

describe("fieldsFromForm", () => {
  it("keeps the fields of the given questions exactly as typed, in order", () => {
    const form = new FormData();
    form.append("intent", "next");
    form.append("q.org_type", "  company ");
    form.append("q.instruments", "mobility");
    form.append("q.instruments", "joint_calls");
    form.append("q.instruments.other", "");
    form.append("q.budget", "12");
    form.append("qx.org_type", "no");
    form.append("shown", "org_type");
    expect(fieldsFromForm(form, new Set(["org_type", "instruments"]))).toEqual({
      "q.org_type": ["  company "],
      "q.instruments": ["mobility", "joint_calls"],
      "q.instruments.other": [""],
    });
  });

  it("caps the number of values of one name", () => {
    const form = new FormData();
    for (let i = 0; i < 1000; i++) form.append("q.instruments", "x");
    expect(fieldsFromForm(form, new Set(["instruments"]))["q.instruments"]).toHaveLength(300);
  });
});

describe("pageFieldErrors", () => {
  it("names the form slot of a need entry, not its position among the entries", () => {
    const fields = {
      "q.needs.1.title": ["First"],
      "q.needs.1.category": ["funding"],
      "q.needs.1.horizon": ["short_term"],
      "q.needs.1.urgency": ["3"],
      "q.needs.1.importance": ["3"],
      "q.needs.3.title": [""],
      "q.needs.3.urgency": ["9"],
    };
    const answers = pageAnswersFromFormData(everyType, "needs", fieldsGetAll(fields));
    const result = buildPageSchema(everyType, "needs", {}, "en").safeParse(answers);
    expect(result.success).toBe(false);
    const errors = pageFieldErrors(everyType, result.success ? [] : result.error.issues, fields);
    expect(Object.keys(errors)).toEqual(
      expect.arrayContaining(["q.needs.3.title", "q.needs.3.category", "q.needs.3.urgency"]),
    );
    expect(Object.keys(errors).some((name) => name.startsWith("q.needs.1."))).toBe(false);
  });

  it("keeps the names of other questions", () => {
    const errors = pageFieldErrors(
      everyType,
      [
        { path: ["barriers", "visas"], message: "Answer this row." },
        { path: ["instruments", "selected"], message: "Choose" },
      ],
      {},
    );
    expect(errors).toEqual({ "q.barriers.visas": "Answer this row.", "q.instruments": "Choose" });
  });
});

describe("error summary labels", () => {
  const choices = findPage(everyType, "choices")!;
  const needs = findPage(everyType, "needs")!;
  const entry = (_key: string, slot: number) => `Need ${slot + 1}`;

  it("name the question and its row, item, statement or entry", () => {
    expect(fieldLabel(choices, "q.org_type", "en", entry)).toBe("Organisation");
    expect(fieldLabel(choices, "q.barriers.customs", "ru", entry)).toBe("Барьеры — Таможня");
    expect(fieldLabel(choices, "q.priorities.data", "en", entry)).toBe("Priorities — Data");
    expect(fieldLabel(needs, "q.competences.ipr.current", "en", entry)).toBe("Competences — IPR");
    expect(fieldLabel(needs, "q.needs.2.title", "en", entry)).toBe("Needs — Need 3");
    expect(fieldLabel(needs, "q.unknown", "en", entry)).toBe("");
  });

  it("link an entry's id problem to the entry", () => {
    expect(errorTarget("q.needs.2.id")).toBe("q.needs.2");
    expect(errorTarget("q.needs.2.title")).toBe("q.needs.2.title");
  });
});
