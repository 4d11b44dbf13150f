import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { textHash } from "~/survey/translations";
import { runSurveysCheck } from "./surveys-check";

const BLOCK = `key: profile
title: { en: About you, ru: О вас }
questions:
  - { key: country, type: country, label: { en: Country, ru: Страна } }
`;
const survey = (slug: string, extra = "") =>
  `slug: ${slug}\nworkingGroup: energy\ntitle: { en: T, ru: Т }\npages:\n  - include: profile\n${extra}`;

describe("surveys:check", () => {
  let cwd = "";
  beforeAll(() => {
    cwd = mkdtempSync(path.join(tmpdir(), "surveys-check-"));
    mkdirSync(path.join(cwd, "surveys/blocks"), { recursive: true });
    writeFileSync(path.join(cwd, "surveys/blocks/profile.yaml"), BLOCK);
    writeFileSync(path.join(cwd, "surveys/good.yaml"), survey("good"));
  });
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it("prints a summary and succeeds when every file is valid", () => {
    expect(runSurveysCheck([], cwd)).toEqual({ lines: ["1 survey valid: good"], status: 0 });
  });

  it("prints one line per problem, relative to the working directory, and fails", () => {
    const bad = path.join(cwd, "surveys/bad.yaml");
    writeFileSync(
      bad,
      survey(
        "bad",
        `  - key: p
    title: { en: P, ru: П }
    questions:
      - { key: country, type: text, label: { en: L, ru: Л } }
`,
      ),
    );
    try {
      const expected = {
        lines: [
          'surveys/bad.yaml:9: pages[1].questions[0].key: duplicate question key "country" (first in block "profile", questions[0].key)',
        ],
        status: 1,
      };
      expect(runSurveysCheck([], cwd)).toEqual(expected);
      expect(runSurveysCheck(["surveys/bad.yaml"], cwd)).toEqual(expected);
      expect(runSurveysCheck(["surveys/good.yaml", "surveys/blocks/profile.yaml"], cwd)).toEqual({
        lines: ["1 survey valid: good"],
        status: 0,
      });
    } finally {
      rmSync(bad);
    }
  });

  it("lists a stale translation as a warning, and as an error with --strict", () => {
    // The Russian label records the hash of an earlier English label: its source has changed.
    const file = path.join(cwd, "surveys/stale.yaml");
    writeFileSync(
      file,
      survey(
        "stale",
        `  - key: p
    title: { en: P, ru: П }
    questions:
      - key: budget
        type: text
        label: { en: Annual budget, ru: Бюджет, "ru@en": ${textHash("Budget")} }
`,
      ),
    );
    const files = ["surveys/stale.yaml"];
    const warning =
      'surveys/stale.yaml:11: pages[1].questions[0].label: warning: stale translation: the "ru" text translates an earlier "en" text; update it, or mark it as reviewed (npm run surveys:translations -- --reviewed';
    try {
      const plain = runSurveysCheck(files, cwd);
      expect(plain.status).toBe(0);
      expect(plain.lines).toHaveLength(2);
      expect(plain.lines[0].startsWith(warning)).toBe(true);
      expect(plain.lines[1]).toBe("1 survey valid: stale; 1 stale translation");

      const strict = runSurveysCheck(files, cwd, { strict: true });
      expect(strict.status).toBe(1);
      expect(strict.lines[0].startsWith(warning.replace("warning:", "error:"))).toBe(true);
      expect(strict.lines[1]).toBe(
        "1 survey valid: stale; 1 stale translation (--strict: not accepted)",
      );

      // Once the Russian text records the current English text, nothing is stale.
      writeFileSync(
        file,
        readFileSync(file, "utf8").replace(textHash("Budget"), textHash("Annual budget")),
      );
      expect(runSurveysCheck(files, cwd, { strict: true })).toEqual({
        lines: ["1 survey valid: stale"],
        status: 0,
      });
    } finally {
      rmSync(file);
    }
  });

  it("checks need categories against the shared need taxonomy, and the taxonomy itself", () => {
    const taxonomy = path.join(cwd, "surveys/shared/need-taxonomy.yaml");
    mkdirSync(path.dirname(taxonomy), { recursive: true });
    writeFileSync(
      taxonomy,
      `categories:
  - code: mobility
    label: { en: Mobility, ru: Мобильность }
    description: { en: Stays abroad, ru: Стажировки }
`,
    );
    const file = path.join(cwd, "surveys/needs.yaml");
    const needs = (category: string) =>
      survey(
        "needs",
        `  - key: p
    title: { en: P, ru: П }
    questions:
      - key: needs
        type: need_list
        label: { en: Needs, ru: Потребности }
        categories:
          - { code: mobility, label: { en: M, ru: М } }
          - ${category}
`,
      );
    try {
      writeFileSync(file, needs("{ code: visas, parent: mobility, label: { en: V, ru: В } }"));
      expect(runSurveysCheck([], cwd)).toEqual({
        lines: ["2 surveys valid: good, needs"],
        status: 0,
      });

      writeFileSync(file, needs("{ code: visas, parent: mobilty, label: { en: V, ru: В } }"));
      const unknown = {
        lines: [
          'surveys/needs.yaml:14: pages[1].questions[0].categories[1].parent: unknown shared need category "mobilty" (did you mean "mobility"?); expected one of: mobility',
        ],
        status: 1,
      };
      expect(runSurveysCheck([], cwd)).toEqual(unknown);
      expect(runSurveysCheck(["surveys/needs.yaml"], cwd)).toEqual(unknown);

      writeFileSync(file, needs("{ code: visas, label: { en: V, ru: В } }"));
      expect(runSurveysCheck(["surveys/needs.yaml"], cwd).lines).toEqual([
        'surveys/needs.yaml:14: pages[1].questions[0].categories[1].code: "visas" is not a shared need category: give it a parent (one of: mobility) or use a shared code',
      ]);

      writeFileSync(taxonomy, "categories:\n  - { code: Mobility, label: { en: M, ru: М } }\n");
      expect(runSurveysCheck(["surveys/good.yaml"], cwd)).toEqual({
        lines: [
          "surveys/shared/need-taxonomy.yaml:2: categories[0].code: must contain only lowercase letters, digits and underscores",
          'surveys/shared/need-taxonomy.yaml:2: categories[0].description: missing required field "description"',
        ],
        status: 1,
      });
    } finally {
      rmSync(file, { force: true });
      rmSync(path.dirname(taxonomy), { recursive: true, force: true });
    }
  });

  it("reports a missing file", () => {
    expect(runSurveysCheck(["surveys/missing.yaml"], cwd)).toEqual({
      lines: ["surveys/missing.yaml:1: cannot read the file: no such file"],
      status: 1,
    });
  });
});
