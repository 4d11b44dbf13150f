import { describe, expect, it } from "vitest";
import { everyType } from "./__fixtures__/every-type";
import { questionDiff } from "./question-diff";
import type { SurveyDefinition } from "./schema";

const copy = (): SurveyDefinition => structuredClone(everyType);

describe("questionDiff", () => {
  it("finds nothing between equal definitions", () => {
    expect(questionDiff(everyType, copy())).toEqual([]);
  });

  it("names label changes by language, options added and removed, conditions and settings", () => {
    const after = copy();
    const org = after.pages[0].questions[0] as Extract<
      SurveyDefinition["pages"][0]["questions"][0],
      { type: "single_choice" }
    >;
    org.label = { en: "Organisation type", ru: "Тип организации" };
    org.options = [
      ...org.options.filter((o) => o.code !== "other"),
      { code: "ngo", label: { en: "NGO", ru: "НКО" } },
    ];
    const budget = after.pages[1].questions[0] as { showIf?: unknown; max?: number };
    budget.showIf = { question: "org_type", oneOf: ["company", "ngo"] };
    budget.max = 5;
    const changes = questionDiff(everyType, after);
    expect(changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: "questionText",
          key: "org_type",
          field: "label",
          locales: ["en", "ru"],
        }),
        expect.objectContaining({
          kind: "entryAdded",
          key: "org_type",
          list: "options",
          code: "ngo",
        }),
        expect.objectContaining({
          kind: "entryRemoved",
          key: "org_type",
          list: "options",
          code: "other",
        }),
        expect.objectContaining({ kind: "condition", key: "budget", change: "changed" }),
        expect.objectContaining({ kind: "setting", key: "budget", field: "max" }),
      ]),
    );
    expect(changes).toHaveLength(5);
  });

  it("reports a moved page and a question moved to another page, not every shifted one", () => {
    const after = copy();
    const [choices, details, needs] = after.pages;
    const comments = details.questions.splice(2, 1)[0];
    needs.questions.push(comments);
    after.pages = [choices, needs, details];
    const changes = questionDiff(everyType, after);
    // Two pages swapped: one of them moved.
    expect(changes).toEqual([
      expect.objectContaining({
        kind: "questionMoved",
        key: "comments",
        fromPage: "details",
        toPage: "needs",
      }),
      expect.objectContaining({ kind: "pageMoved", page: "details", from: 2, to: 3 }),
    ]);
  });

  it("reports added and removed questions and a changed type", () => {
    const after = copy();
    after.pages[1].questions = after.pages[1].questions.filter((q) => q.key !== "project_end");
    after.pages[1].questions.push({
      key: "website",
      type: "text",
      label: { en: "Website", ru: "Сайт" },
      required: false,
      maxLength: 200,
    });
    after.pages[1].questions[1] = {
      ...after.pages[1].questions[1],
      type: "long_text",
    } as SurveyDefinition["pages"][0]["questions"][0];
    const kinds = questionDiff(everyType, after).map((c) => [c.kind, "key" in c ? c.key : ""]);
    expect(kinds).toEqual([
      ["questionType", "project_name"],
      ["questionAdded", "website"],
      ["questionRemoved", "project_end"],
    ]);
  });
});
