import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

  it("reports a missing file", () => {
    expect(runSurveysCheck(["surveys/missing.yaml"], cwd)).toEqual({
      lines: ["surveys/missing.yaml:1: cannot read the file: no such file"],
      status: 1,
    });
  });
});
