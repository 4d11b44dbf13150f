import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import {
  applyIntent,
  applyQuestionForm,
  applySurveyForm,
  type BuilderState,
  type Data,
  parseIntent,
  questionFormFields,
  type SurveyData,
  surveyFormFields,
} from "./builder";

function reader(fields: Record<string, string | string[]>) {
  const all = (name: string) => {
    const v = fields[name];
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
  };
  return { read: (name: string) => all(name)[0] ?? null, readAll: all };
}

const bundled = readdirSync("surveys")
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => ({
    file: f,
    data: parse(readFileSync(path.join("surveys", f), "utf8")) as SurveyData,
  }));

describe("survey builder model", () => {
  it.each(bundled)("leaves $file unchanged when every form is posted as shown", ({ data }) => {
    let state: BuilderState = { survey: structuredClone(data), open: null };
    const { read } = reader(surveyFormFields(state.survey));
    state = applySurveyForm(state, read);
    state.survey.pages.forEach((page, p) => {
      ((page.questions as Data[] | undefined) ?? []).forEach((question, q) => {
        const open: BuilderState = { survey: state.survey, open: { page: p, question: q } };
        const form = reader(questionFormFields(question));
        const result = applyQuestionForm(open, form.read, form.readAll);
        expect(result.errors).toEqual([]);
      });
    });
    expect(state.survey).toEqual(data);
  });

  it("sets, changes and removes the shared category (parent) of a need category", () => {
    const needs: Data = {
      key: "needs",
      type: "need_list",
      label: { en: "N", ru: "П" },
      categories: [
        { code: "visas", label: { en: "V", ru: "В" } },
        { code: "mobility", label: { en: "M", ru: "М" } },
      ],
    };
    const state: BuilderState = {
      survey: { slug: "s", pages: [{ key: "a", title: { en: "A", ru: "А" }, questions: [needs] }] },
      open: { page: 0, question: 0 },
    };
    const post = (parents: [string, string]) => {
      const fields = questionFormFields(needs);
      // The form shows each category's parent as it is (empty: none).
      expect(fields["q.categories.0.parent"]).toBe(
        ((needs.categories as Data[])[0].parent as string | undefined) ?? "",
      );
      fields["q.categories.0.parent"] = parents[0];
      fields["q.categories.1.parent"] = parents[1];
      const form = reader(fields);
      expect(applyQuestionForm(state, form.read, form.readAll).errors).toEqual([]);
      return (needs.categories as Data[]).map((c) => c.parent);
    };
    expect(post(["framework_conditions", ""])).toEqual(["framework_conditions", undefined]);
    expect(post(["mobility", ""])).toEqual(["mobility", undefined]);
    expect(post(["", ""])).toEqual([undefined, undefined]);
    expect(Object.keys((needs.categories as Data[])[0])).toEqual(["code", "label"]);
  });

  it("adds a question of every type with a fresh key, moves it across pages and duplicates it", () => {
    const survey: SurveyData = {
      slug: "s",
      pages: [
        {
          key: "a",
          title: { en: "A", ru: "А" },
          questions: [{ key: "text_1", type: "text", label: { en: "T", ru: "Т" } }],
        },
        { key: "b", title: { en: "B", ru: "Б" }, questions: [] },
      ],
    };
    let state: BuilderState = { survey, open: null };
    state = applyIntent(state, parseIntent("addQuestion:0", "text")!, {});
    expect(state.open).toEqual({ page: 0, question: 1 });
    expect((state.survey.pages[0].questions as Data[])[1]).toMatchObject({
      key: "text_2",
      type: "text",
    });
    state = applyIntent(state, parseIntent("addQuestion:0", "single_choice")!, {});
    expect((state.survey.pages[0].questions as Data[])[2]).toMatchObject({
      key: "single_choice_1",
      options: [{ code: "option_1" }, { code: "option_2" }],
    });
    // Past the last question of page 1: to the top of page 2.
    state = applyIntent(state, parseIntent("moveQuestion:0:2:1", null)!, {});
    expect(state.open).toEqual({ page: 1, question: 0 });
    expect((state.survey.pages[1].questions as Data[]).map((q) => q.key)).toEqual([
      "single_choice_1",
    ]);
    state = applyIntent(state, parseIntent("duplicateQuestion:1:0", null)!, {});
    expect((state.survey.pages[1].questions as Data[]).map((q) => q.key)).toEqual([
      "single_choice_1",
      "single_choice_1_1",
    ]);
    // The argument is never changed.
    expect(survey.pages[1].questions).toEqual([]);
  });

  it("refuses malformed buttons", () => {
    expect(parseIntent("addQuestion:0", "essay")).toBeNull();
    expect(parseIntent("moveQuestion:0:1:5", null)).toBeNull();
    expect(parseIntent("deletePage:x", null)).toBeNull();
    expect(parseIntent("nonsense", null)).toBeNull();
  });

  it("turns the condition lists into a condition, and reports an incomplete one", () => {
    const survey: SurveyData = {
      slug: "s",
      pages: [
        {
          key: "a",
          title: { en: "A", ru: "А" },
          questions: [
            {
              key: "org",
              type: "single_choice",
              label: { en: "O", ru: "О" },
              options: [
                { code: "u", label: { en: "U", ru: "У" } },
                { code: "c", label: { en: "C", ru: "К" } },
              ],
            },
            { key: "budget", type: "number", label: { en: "B", ru: "Б" } },
          ],
        },
      ],
    };
    const state: BuilderState = { survey, open: { page: 0, question: 1 } };
    const fields = { ...questionFormFields((survey.pages[0].questions as Data[])[1]) };
    fields["q.condition.mode"] = "notIn";
    fields["q.condition.question"] = "org";
    fields["q.condition.values"] = ["c"];
    const form = reader(fields);
    const result = applyQuestionForm(state, form.read, form.readAll);
    expect((result.state.survey.pages[0].questions as Data[])[1].showIf).toEqual({
      not: { question: "org", equals: "c" },
    });
    fields["q.condition.values"] = [];
    const again = reader(fields);
    expect(applyQuestionForm(state, again.read, again.readAll).errors).toEqual([
      "conditionIncomplete",
    ]);
  });
});
