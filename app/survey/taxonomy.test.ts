import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadSurveyDirectory } from "./load";
import { parseTaxonomySource, sharedCategoryOf, taxonomyIssues } from "./taxonomy";

const TAXONOMY = `categories:
  - code: mobility
    label: { en: Mobility, ru: Мобильность }
    description: { en: Stays abroad, ru: Стажировки }
  - code: funding_instruments
    label: { en: Funding, ru: Финансирование }
    description: { en: Joint calls, ru: Совместные конкурсы }
`;

const needList = (categories: Array<{ code: string; parent?: string }>) => ({
  pages: [
    {
      key: "p",
      title: { en: "P", ru: "П" },
      questions: [
        {
          key: "needs",
          type: "need_list" as const,
          label: { en: "Needs", ru: "Потребности" },
          required: false,
          minEntries: 0,
          maxEntries: 8,
          categories: categories.map((c) => ({ ...c, label: { en: c.code, ru: c.code } })),
        },
      ],
    },
  ],
});

describe("need taxonomy", () => {
  const { taxonomy } = parseTaxonomySource(TAXONOMY, "need-taxonomy.yaml");

  it("parses the categories with their labels and descriptions", () => {
    expect(taxonomy?.categories.map((c) => c.code)).toEqual(["mobility", "funding_instruments"]);
    expect(taxonomy?.categories[0].description.ru).toBe("Стажировки");
  });

  it("reports a missing description and a duplicate code by line", () => {
    const problems = (text: string) =>
      parseTaxonomySource(text, "t.yaml").problems.map((p) => `${p.line}: ${p.path}: ${p.message}`);
    const entry = "{ code: mobility, label: { en: M, ru: М }, description: { en: D, ru: Д } }";
    expect(
      problems(`categories:\n  - ${entry}\n  - { code: visas, label: { en: M, ru: М } }\n`),
    ).toEqual(['3: categories[1].description: missing required field "description"']);
    expect(problems(`categories:\n  - ${entry}\n  - ${entry}\n`)).toEqual([
      '3: categories[1].code: duplicate category code "mobility"',
    ]);
    expect(
      parseTaxonomySource(`categories:\n  - ${entry}\n  - ${entry}\n`, "t.yaml").taxonomy,
    ).toBeNull();
  });

  it("maps a shared code onto itself and a group's own category onto its parent", () => {
    expect(sharedCategoryOf({ code: "mobility" }, taxonomy!)).toBe("mobility");
    expect(sharedCategoryOf({ code: "visas", parent: "mobility" }, taxonomy!)).toBe("mobility");
    // A category of an older version, stored before parents were declared: in no shared category.
    expect(sharedCategoryOf({ code: "visas" }, taxonomy!)).toBeNull();
    expect(sharedCategoryOf({ code: "visas", parent: "unknown" }, taxonomy!)).toBeNull();
  });

  it("names every need category that does not fit, by path", () => {
    expect(
      taxonomyIssues(
        needList([
          { code: "mobility" },
          { code: "joint_calls", parent: "funding_instruments" },
          { code: "visas", parent: "mobilty" },
          { code: "mobility_grants" },
          { code: "funding_instruments", parent: "mobility" },
        ]) as never,
        taxonomy!,
      ),
    ).toEqual([
      {
        path: ["pages", 0, "questions", 0, "categories", 2, "parent"],
        message:
          'unknown shared need category "mobilty" (did you mean "mobility"?); expected one of: mobility, funding_instruments',
      },
      {
        path: ["pages", 0, "questions", 0, "categories", 3, "code"],
        message:
          '"mobility_grants" is not a shared need category: give it a parent (one of: mobility, funding_instruments) or use a shared code',
      },
      {
        path: ["pages", 0, "questions", 0, "categories", 4, "parent"],
        message: '"funding_instruments" is a shared need category itself and takes no parent',
      },
    ]);
  });

  it("is the bundled taxonomy: every category of the five surveys maps onto it", () => {
    const dir = path.resolve("surveys");
    const loaded = loadSurveyDirectory(dir);
    expect(loaded.problems).toEqual([]);
    const bundled = parseTaxonomySource(
      readFileSync(path.join(dir, "shared/need-taxonomy.yaml"), "utf8"),
      "need-taxonomy.yaml",
    ).taxonomy!;
    expect(loaded.taxonomy).toEqual(bundled);
    const used = new Set<string>();
    for (const s of loaded.surveys)
      for (const page of s.definition.pages)
        for (const q of page.questions)
          if (q.type === "need_list")
            for (const c of q.categories) {
              const shared = sharedCategoryOf(c, bundled);
              expect(shared, `${s.definition.slug}: ${c.code}`).not.toBeNull();
              used.add(shared!);
            }
    // No shared category is left without a group's category in it.
    expect([...used].sort()).toEqual(bundled.categories.map((c) => c.code).sort());
  });
});
