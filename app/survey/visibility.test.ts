import { describe, expect, it } from "vitest";
import { everyType } from "./__fixtures__/every-type";
import { findQuestion, type SurveyDefinition } from "./schema";
import { parseSurveySource } from "./source";
import {
  conditionHolds,
  isQuestionVisible,
  nextPageKey,
  previousPageKey,
  pruneHidden,
  visiblePages,
  visibleQuestions,
  visibleQuestionsOnPage,
} from "./visibility";

const label = "label: { en: L, ru: Л }";
const yesNo = `options: [{ code: "yes", label: { en: Y, ru: Д } }, { code: "no", label: { en: N, ru: Н } }]`;

function definition(yaml: string): SurveyDefinition {
  const { definition: def, problems } = parseSurveySource(
    `slug: s\nworkingGroup: mobility\ntitle: { en: T, ru: Т }\npages:\n${yaml}`,
    "s.yaml",
    () => null,
  );
  if (!def) throw new Error(JSON.stringify(problems));
  return def;
}

/** a -> b (if a = yes) -> c (if b = yes); page p2 holds only d (if c answered). */
const chain = definition(`  - key: p1
    title: { en: P, ru: П }
    questions:
      - { key: a, type: single_choice, ${label}, ${yesNo} }
      - { key: b, type: single_choice, ${label}, ${yesNo}, showIf: { question: a, equals: "yes" } }
      - { key: c, type: text, ${label}, showIf: { question: b, equals: "yes" } }
  - key: p2
    title: { en: P, ru: П }
    questions:
      - { key: d, type: text, ${label}, showIf: { question: c, answered: true } }
  - key: p3
    title: { en: P, ru: П }
    questions:
      - { key: e, type: text, ${label} }
`);

const keys = (questions: { key: string }[]) => questions.map((q) => q.key);

describe("conditions", () => {
  const lookup = (key: string) => findQuestion(everyType, key);

  it("compares single choice, multi choice, scale and country answers", () => {
    const answers = {
      org_type: "company",
      instruments: { selected: ["joint_calls", "mobility"] },
      satisfaction: 7,
      partner_country: "DE",
    };
    const holds = (condition: Parameters<typeof conditionHolds>[0]) =>
      conditionHolds(condition, answers, lookup);
    expect(holds({ question: "org_type", equals: "company" })).toBe(true);
    expect(holds({ question: "org_type", equals: "university" })).toBe(false);
    expect(holds({ question: "org_type", oneOf: ["university", "company"] })).toBe(true);
    expect(holds({ question: "instruments", equals: "mobility" })).toBe(true);
    expect(holds({ question: "instruments", equals: "co_funding" })).toBe(false);
    expect(holds({ question: "instruments", oneOf: ["co_funding", "joint_calls"] })).toBe(true);
    expect(holds({ question: "satisfaction", equals: 7 })).toBe(true);
    expect(holds({ question: "satisfaction", oneOf: [8, 9, 10] })).toBe(false);
    expect(holds({ question: "partner_country", oneOf: ["DE", "FR"] })).toBe(true);
    expect(holds({ question: "budget", answered: true })).toBe(false);
    expect(holds({ question: "satisfaction", answered: true })).toBe(true);
    expect(holds({ not: { question: "org_type", equals: "company" } })).toBe(false);
    expect(
      holds({
        all: [
          { question: "org_type", equals: "company" },
          { question: "satisfaction", equals: 7 },
        ],
      }),
    ).toBe(true);
    expect(
      holds({
        all: [
          { question: "org_type", equals: "company" },
          { question: "satisfaction", equals: 1 },
        ],
      }),
    ).toBe(false);
    expect(
      holds({
        any: [
          { question: "org_type", equals: "x" },
          { question: "satisfaction", equals: 7 },
        ],
      }),
    ).toBe(true);
  });

  it("treats unanswered and unknown questions as not matching", () => {
    expect(conditionHolds({ question: "org_type", equals: "company" }, {}, lookup)).toBe(false);
    expect(conditionHolds({ not: { question: "org_type", equals: "company" } }, {}, lookup)).toBe(
      true,
    );
    expect(conditionHolds({ question: "nope", answered: true }, { nope: "x" }, lookup)).toBe(false);
    expect(
      conditionHolds({ question: "org_type", answered: true }, { org_type: "  " }, lookup),
    ).toBe(false);
  });

  it("works on raw form values as well", () => {
    expect(
      conditionHolds({ question: "satisfaction", equals: 7 }, { satisfaction: "7" }, lookup),
    ).toBe(true);
  });
});

describe("visible questions", () => {
  it("shows questions whose conditions hold", () => {
    expect(keys(visibleQuestions(chain, {}))).toEqual(["a", "e"]);
    expect(keys(visibleQuestions(chain, { a: "yes" }))).toEqual(["a", "b", "e"]);
    expect(keys(visibleQuestions(chain, { a: "yes", b: "yes" }))).toEqual(["a", "b", "c", "e"]);
    expect(keys(visibleQuestions(chain, { a: "yes", b: "yes", c: "x" }))).toEqual([
      "a",
      "b",
      "c",
      "d",
      "e",
    ]);
    expect(isQuestionVisible(chain, "b", { a: "no" })).toBe(false);
    expect(keys(visibleQuestionsOnPage(chain, "p1", { a: "yes" }))).toEqual(["a", "b"]);
    expect(visibleQuestionsOnPage(chain, "nope", {})).toEqual([]);
  });

  it("hides in cascade: a hidden answer cannot show later questions", () => {
    const answers = { a: "no", b: "yes", c: "kept?", d: "kept?", e: "kept" };
    expect(keys(visibleQuestions(chain, answers))).toEqual(["a", "e"]);
    expect(pruneHidden(chain, answers)).toEqual({ a: "no", e: "kept" });
  });

  it("prunes answers to unknown keys and undefined values", () => {
    expect(pruneHidden(chain, { a: "yes", b: undefined, zzz: 1 })).toEqual({ a: "yes" });
  });
});

describe("pages", () => {
  it("skips pages without visible questions", () => {
    expect(visiblePages(chain, {}).map((p) => p.key)).toEqual(["p1", "p3"]);
    expect(nextPageKey(chain, "p1", {})).toBe("p3");
    expect(previousPageKey(chain, "p3", {})).toBe("p1");
    const all = { a: "yes", b: "yes", c: "x" };
    expect(visiblePages(chain, all).map((p) => p.key)).toEqual(["p1", "p2", "p3"]);
    expect(nextPageKey(chain, "p1", all)).toBe("p2");
    expect(previousPageKey(chain, "p3", all)).toBe("p2");
    expect(nextPageKey(chain, "p3", all)).toBeNull();
    expect(previousPageKey(chain, "p1", all)).toBeNull();
  });
});
