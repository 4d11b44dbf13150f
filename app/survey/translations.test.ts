import { describe, expect, it } from "vitest";
import { parseSurveySource } from "./source";
import { markReviewed, recordTranslations, staleTexts, textHash } from "./translations";

const survey = (label: Record<string, string>) => ({
  slug: "t",
  pages: [{ key: "p", questions: [{ key: "q1", type: "text", label }] }],
});

describe("translation records", () => {
  it("hash the source text regardless of how it is wrapped", () => {
    expect(textHash("Type of\n  organisation ")).toBe(textHash("Type of organisation"));
    expect(textHash("Type of organisation")).not.toBe(textHash("Type of organization"));
    expect(textHash("x")).toMatch(/^[0-9a-f]{8}$/);
  });

  it("a translation whose English source changed afterwards is stale; a reviewed one is not", () => {
    const en = "Type of organisation";
    const fresh = { en, ru: "Тип организации", "ru@en": textHash(en) };
    expect(staleTexts(survey(fresh))).toEqual([]);
    const changed = { ...fresh, en: "Kind of organisation" };
    expect(staleTexts(survey(changed))).toEqual([
      {
        path: "pages[0].questions[0].label",
        id: "pages.p.questions.q1.label",
        target: "ru",
        source: "en",
        text: changed,
      },
    ]);
    expect(staleTexts(markReviewed(survey(changed)))).toEqual([]);
  });

  it("works the other way round when Russian is the source", () => {
    const ru = "Тип организации";
    const text = { en: "Type of organisation", ru: "Вид организации", "en@ru": textHash(ru) };
    expect(staleTexts(survey(text)).map((s) => [s.target, s.source])).toEqual([["en", "ru"]]);
  });

  it("a save records what each translation translates, and keeps a stale one stale", () => {
    const before = survey({ en: "Budget", ru: "Бюджет" });
    // Unchanged texts without records stay as they are (a round trip changes nothing).
    expect(recordTranslations(before, before)).toEqual(before);
    // English changed, Russian not: the Russian text translates the English text as it was.
    const englishOnly = recordTranslations(before, survey({ en: "Annual budget", ru: "Бюджет" }));
    expect(staleTexts(englishOnly).map((s) => s.id)).toEqual(["pages.p.questions.q1.label"]);
    // Both changed: the translation is of the current English text.
    const both = recordTranslations(before, survey({ en: "Annual budget", ru: "Годовой бюджет" }));
    expect(staleTexts(both)).toEqual([]);
    // A later save that touches neither keeps the record, stale or not.
    expect(staleTexts(recordTranslations(englishOnly, englishOnly))).toHaveLength(1);
  });

  it("the questionnaire format accepts records and refuses malformed ones", () => {
    const text = (label: string) =>
      `slug: t\nworkingGroup: energy\ntitle: { en: T, ru: Т }\npages:\n  - key: p\n    title: { en: P, ru: П }\n    questions:\n      - { key: q, type: text, label: ${label} }\n`;
    const ok = parseSurveySource(
      text(`{ en: A, ru: А, "ru@en": ${textHash("A")} }`),
      "s.yaml",
      () => null,
    );
    expect(ok.problems).toEqual([]);
    expect(ok.definition?.pages[0].questions[0].label["ru@en"]).toBe(textHash("A"));
    expect(
      parseSurveySource(text(`{ en: A, ru: А, "ru@en": nothash }`), "s.yaml", () => null)
        .problems[0].message,
    ).toBe('must be the 8-character hash of the "en" text that the "ru" text translates');
    expect(
      parseSurveySource(text(`{ en: A, ru: А, "de@en": ${textHash("A")} }`), "s.yaml", () => null)
        .problems[0].message,
    ).toMatch(/both texts must be present/);
  });
});
