import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runProgrammesCheck } from "../../scripts/programmes-check";
import { parseCatalogue } from "./programmes";

describe("programme catalogue", () => {
  it("the shipped catalogue is valid, in English and Russian, each entry with a public https address", () => {
    const file = path.resolve("programmes/catalogue.yaml");
    const { programmes, problems } = parseCatalogue(readFileSync(file, "utf8"), file);
    expect(problems).toEqual([]);
    expect(programmes.length).toBeGreaterThanOrEqual(10);
    for (const p of programmes) {
      expect(p.name.ru.trim()).not.toBe("");
      expect(p.eligibility.ru.trim()).not.toBe("");
      expect(p.url).toMatch(/^https:\/\//);
    }
    expect(runProgrammesCheck()).toEqual({ lines: [`${programmes.length} programmes valid`], status: 0 });
  });

  it("reports problems by line and path, as surveys:check does", () => {
    const text = [
      "programmes:",
      "  - code: erc",
      "    name: { en: ERC, ru: ЕИС }",
      "    funder: { en: ERC, ru: ЕИС }",
      "    countries: [EU]",
      "    type: grant",
      "    eligibility: { en: Anyone }",
      "    url: http://erc.europa.eu",
      "    next_deadline: 2026-02-30",
      "    status: open",
      "  - code: erc",
      "    name: { en: ERC, ru: ЕИС }",
      "    funder: { en: ERC, ru: ЕИС }",
      "    countries: [europe]",
      "    type: other",
      "    eligibility: { en: A, ru: Б }",
      "    url: https://erc.europa.eu/",
      "    status: open",
      "    deadline: 2027-01-01",
    ].join("\n");
    const { programmes, problems } = parseCatalogue(text, "catalogue.yaml");
    expect(programmes).toEqual([]);
    const at = problems.map((p) => `${p.line} ${p.path}`);
    expect(at).toContain("6 programmes[0].type");
    expect(at).toContain("7 programmes[0].eligibility");
    expect(at).toContain("8 programmes[0].url");
    expect(at).toContain("9 programmes[0].next_deadline");
    expect(at).toContain("14 programmes[1].countries[0]");
    expect(at).toContain("19 programmes[1].deadline");
    expect(problems.find((p) => p.path === "programmes[0].type")?.message).toMatch(/joint_call/);
  });

  it("refuses two programmes with one code", () => {
    const entry = (name: string) =>
      [
        "  - code: erc",
        `    name: { en: ${name}, ru: ${name} }`,
        "    funder: { en: ERC, ru: ЕИС }",
        "    countries: [EU]",
        "    type: other",
        "    eligibility: { en: A, ru: Б }",
        "    url: https://erc.europa.eu/",
        "    status: recurring",
      ].join("\n");
    const { problems } = parseCatalogue(`programmes:\n${entry("One")}\n${entry("Two")}\n`, "c.yaml");
    expect(problems.map((p) => `${p.line} ${p.path}: ${p.message}`)).toEqual([
      '10 programmes[1].code: duplicate programme code "erc"',
    ]);
  });
});
