import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { definitionHash, loadSurveyDirectory } from "./load";
import { canonicalJson, parseSurveySource } from "./source";

const HEADER = "slug: test-survey\nworkingGroup: health\ntitle: { en: Test, ru: Тест }\npages:\n";
/** Header lines before the pages: a problem on the n-th line of `pages` is on line n + 4. */
const P = 4;

const PROFILE_BLOCK = `key: profile
title: { en: About you, ru: О вас }
questions:
  - key: country
    type: country
    label: { en: Country, ru: Страна }
`;

function parse(pages: string, blocks: Record<string, string> = {}) {
  return parseSurveySource(HEADER + pages, "s.yaml", (name) =>
    blocks[name] === undefined ? null : { file: `blocks/${name}.yaml`, text: blocks[name] },
  );
}

/** `line: path: message` of each problem (`file:` prefixed when not the survey itself). */
function problems(pages: string, blocks: Record<string, string> = {}): string[] {
  return parse(pages, blocks).problems.map(
    (p) => `${p.file === "s.yaml" ? "" : `${p.file}:`}${p.line}: ${p.path}: ${p.message}`,
  );
}

const label = "label: { en: L, ru: Л }";

describe("parseSurveySource", () => {
  it("accepts a valid survey and applies defaults", () => {
    const { definition, problems: found } = parse(`  - key: p1
    title: { en: Page, ru: Страница }
    questions:
      - key: q1
        type: scale
        ${label}
      - key: q2
        type: text
        ${label}
`);
    expect(found).toEqual([]);
    expect(definition).toMatchObject({
      slug: "test-survey",
      status: "draft",
      accessMode: "open_link",
      pages: [
        {
          key: "p1",
          questions: [
            { key: "q1", type: "scale", required: false, min: 1, max: 5 },
            { key: "q2", type: "text", required: false, maxLength: 200 },
          ],
        },
      ],
    });
  });

  it("reports YAML syntax errors with their line", () => {
    const found = parse(`  - key: p1
    title: { en: Page, ru: Страница
    questions: []
`).problems;
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ file: "s.yaml", path: "" });
    expect(found[0].message).toMatch(/^YAML syntax error at line \d+, column \d+: .*; expected /);
    expect(found[0].line).toBeGreaterThanOrEqual(P + 2);
  });

  it("reports one indentation slip in a bundled questionnaire alone, with what was expected", () => {
    const text = readFileSync(path.resolve("surveys/health.yaml"), "utf8").split("\n");
    const at = text.findIndex((l) => l.trim() === "- code: amr") + 1; // its `label:` line
    text[at] = text[at].replace(/^ {2}/, "");
    const found = parseSurveySource(text.join("\n"), "health.yaml", (name) => ({
      file: `${name}.yaml`,
      text: readFileSync(path.resolve(`surveys/blocks/${name}.yaml`), "utf8"),
    })).problems;
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ line: at + 1, column: 11, path: "" });
    expect(found[0].message).toBe(
      `YAML syntax error at line ${at + 1}, column 11: All mapping items must start at the same column; expected this line to start in the same column as the other entries of its mapping (line ${at} has one at column 13); check the spaces at the start of the line`,
    );
  });

  it("reports duplicate keys in a YAML mapping", () => {
    const found = parseSurveySource("slug: a\nslug: b\n", "s.yaml", () => null).problems;
    expect(found).toEqual([
      {
        file: "s.yaml",
        line: 2,
        column: 1,
        path: "",
        message:
          "YAML syntax error at line 2, column 1: Map keys must be unique; expected each key once in a mapping",
      },
    ]);
  });

  it("reports an empty file", () => {
    expect(parseSurveySource("", "s.yaml", () => null).problems).toEqual([
      {
        file: "s.yaml",
        line: 1,
        path: "",
        message: "expected a mapping (key: value), got an empty value",
      },
    ]);
  });

  it("reports an unknown question type with a suggestion", () => {
    expect(
      problems(`  - key: p1
    title: { en: Page, ru: Страница }
    questions:
      - key: q1
        type: singel_choice
        ${label}
`),
    ).toEqual([
      `${P + 5}: pages[0].questions[0].type: unknown question type "singel_choice" (did you mean "single_choice"?)`,
    ]);
  });

  it("reports a missing type and a missing key at the question", () => {
    expect(
      problems(`  - key: p1
    title: { en: Page, ru: Страница }
    questions:
      - key: q1
        ${label}
      - type: text
        ${label}
`),
    ).toEqual([
      `${P + 4}: pages[0].questions[0].type: missing question type (one of: single_choice, multi_choice, scale, matrix, ranking, number, text, long_text, date, country, need_list, borich)`,
      `${P + 6}: pages[0].questions[1].key: missing required field "key"`,
    ]);
  });

  it("rejects unknown fields, naming the likely one", () => {
    expect(
      problems(`  - key: p1
    title: { en: Page, ru: Страница }
    questions:
      - key: q1
        type: single_choice
        lable: { en: L, ru: Л }
        other: true
        options:
          - { code: a, label: { en: A, ru: А } }
          - { code: b, label: { en: B, ru: Б } }
`),
    ).toEqual([
      `${P + 6}: pages[0].questions[0].lable: unknown field "lable" (did you mean "label"?)`,
      `${P + 7}: pages[0].questions[0].other: "other" is not a field of single_choice questions`,
    ]);
  });

  it("reports duplicate question keys across the survey, with the first one", () => {
    expect(
      problems(`  - key: p1
    title: { en: Page, ru: Страница }
    questions:
      - key: q1
        type: text
        ${label}
  - key: p2
    title: { en: Page, ru: Страница }
    questions:
      - key: q1
        type: text
        ${label}
`),
    ).toEqual([
      `${P + 10}: pages[1].questions[0].key: duplicate question key "q1" (first at line ${P + 4})`,
    ]);
  });

  it("reports duplicate page keys", () => {
    expect(
      problems(`  - key: p1
    title: { en: Page, ru: Страница }
    questions:
      - { key: q1, type: text, ${label} }
  - key: p1
    title: { en: Page, ru: Страница }
    questions:
      - { key: q2, type: text, ${label} }
`),
    ).toEqual([`${P + 5}: pages[1].key: duplicate page key "p1" (first at line ${P + 1})`]);
  });

  it("reports duplicate option, row, item, statement and category codes", () => {
    const entries = (code: string) => `
          - { code: ${code}, label: { en: A, ru: А } }
          - { code: other_${code}, label: { en: B, ru: Б } }
          - { code: ${code}, label: { en: C, ru: В } }`;
    expect(
      problems(`  - key: p1
    title: { en: Page, ru: Страница }
    questions:
      - key: q1
        type: single_choice
        ${label}
        options:${entries("a")}
      - key: q2
        type: matrix
        ${label}
        rows:${entries("b")}
      - key: q3
        type: ranking
        ${label}
        items:${entries("c")}
      - key: q4
        type: borich
        ${label}
        statements:${entries("d")}
      - key: q5
        type: need_list
        ${label}
        categories:${entries("e")}
`),
    ).toEqual([
      `${P + 10}: pages[0].questions[0].options[2].code: duplicate option code "a"`,
      `${P + 17}: pages[0].questions[1].rows[2].code: duplicate row code "b"`,
      `${P + 24}: pages[0].questions[2].items[2].code: duplicate item code "c"`,
      `${P + 31}: pages[0].questions[3].statements[2].code: duplicate statement code "d"`,
      `${P + 38}: pages[0].questions[4].categories[2].code: duplicate category code "e"`,
    ]);
  });

  it("reports missing, empty and malformed labels", () => {
    expect(
      problems(`  - key: p1
    title: { en: Page }
    questions:
      - key: q1
        type: text
        label:
          ru: Вопрос
      - key: q2
        type: text
        label: { en: "", ru: Вопрос, EN: Question }
`),
    ).toEqual([
      `${P + 2}: pages[0].title: missing "ru" label`,
      `${P + 6}: pages[0].questions[0].label: missing "en" label`,
      `${P + 10}: pages[0].questions[1].label.EN: must be a locale code: two lowercase letters such as en, ru (or a translation record such as ru@en)`,
    ]);
    expect(
      problems(`  - key: p1
    title: { en: Page, ru: Страница }
    questions:
      - key: q2
        type: text
        label: { en: "  ", ru: Вопрос }
`),
    ).toEqual([`${P + 6}: pages[0].questions[0].label.en: empty "en" label`]);
  });

  it("reports a minimum above its maximum", () => {
    expect(
      problems(`  - key: p1
    title: { en: Page, ru: Страница }
    questions:
      - key: q1
        type: scale
        ${label}
        min: 5
        max: 3
      - key: q2
        type: number
        ${label}
        min: 10
        max: 1
      - key: q3
        type: date
        ${label}
        min: "2027-01-01"
        max: "2026-01-01"
      - key: q4
        type: multi_choice
        ${label}
        options:
          - { code: a, label: { en: A, ru: А } }
          - { code: b, label: { en: B, ru: Б } }
          - { code: c, label: { en: C, ru: В } }
        minSelections: 3
        maxSelections: 2
      - key: q5
        type: need_list
        ${label}
        categories: [{ code: a, label: { en: A, ru: А } }]
        minEntries: 4
        maxEntries: 2
      - key: q6
        type: matrix
        ${label}
        rows: [{ code: a, label: { en: A, ru: А } }, { code: b, label: { en: B, ru: Б } }]
        scale: { min: 3, max: 3 }
`),
    ).toEqual([
      `${P + 7}: pages[0].questions[0].min: min (5) must be less than max (3)`,
      `${P + 12}: pages[0].questions[1].min: min (10) is greater than max (1)`,
      `${P + 17}: pages[0].questions[2].min: min (2027-01-01) is greater than max (2026-01-01)`,
      `${P + 26}: pages[0].questions[3].minSelections: minSelections (3) is greater than maxSelections (2)`,
      `${P + 32}: pages[0].questions[4].minEntries: minEntries (4) is greater than maxEntries (2)`,
      `${P + 38}: pages[0].questions[5].scale.min: min (3) must be less than max (3)`,
    ]);
  });

  it("checks what showIf refers to", () => {
    expect(
      problems(`  - key: p1
    title: { en: Page, ru: Страница }
    questions:
      - key: choice
        type: single_choice
        ${label}
        options: [{ code: "yes", label: { en: Y, ru: Д } }, { code: "no", label: { en: N, ru: Н } }]
      - key: grid
        type: matrix
        ${label}
        rows: [{ code: a, label: { en: A, ru: А } }, { code: b, label: { en: B, ru: Б } }]
      - key: rating
        type: scale
        ${label}
      - key: q1
        type: text
        ${label}
        showIf: { question: q1, answered: true }
      - key: q2
        type: text
        ${label}
        showIf: { question: later, answered: true }
      - key: q3
        type: text
        ${label}
        showIf: { question: choise, equals: "yes" }
      - key: q4
        type: text
        ${label}
        showIf:
          all:
            - { question: grid, equals: 3 }
            - not: { question: choice, oneOf: ["yes", "yess"] }
            - { question: rating, equals: "4" }
      - key: later
        type: text
        ${label}
`),
    ).toEqual([
      `${P + 18}: pages[0].questions[3].showIf.question: showIf refers to the question itself`,
      `${P + 22}: pages[0].questions[4].showIf.question: showIf refers to "later", which comes later in the survey; conditions may only use earlier questions`,
      `${P + 26}: pages[0].questions[5].showIf.question: showIf refers to unknown question "choise" (did you mean "choice"?)`,
      `${P + 32}: pages[0].questions[6].showIf.all[0].equals: showIf cannot use equals with "grid" (a matrix question); use answered: true`,
      `${P + 33}: pages[0].questions[6].showIf.all[1].not.oneOf[1]: "yess" is not an option code of "choice" (did you mean "yes"?)`,
      `${P + 34}: pages[0].questions[6].showIf.all[2].equals: "rating" is a scale question: compare it with a number, not "4"`,
    ]);
  });

  it("explains a malformed condition by its closest form", () => {
    expect(
      problems(`  - key: p1
    title: { en: Page, ru: Страница }
    questions:
      - { key: q1, type: scale, ${label} }
      - key: q2
        type: text
        ${label}
        showIf: { question: q1, equal: 3 }
`),
    ).toEqual([
      `${P + 8}: pages[0].questions[1].showIf.equal: unknown field "equal" (did you mean "equals"?)`,
    ]);
  });

  it("expands shared blocks and reports an unknown one", () => {
    const pages = `  - include: profile
  - key: p1
    title: { en: Page, ru: Страница }
    questions:
      - key: q1
        type: text
        ${label}
        showIf: { question: country, equals: DE }
`;
    const { definition, problems: found } = parse(pages, { profile: PROFILE_BLOCK });
    expect(found).toEqual([]);
    expect(definition?.pages.map((p) => p.key)).toEqual(["profile", "p1"]);
    expect(problems(pages)).toEqual([`${P + 1}: pages[0].include: unknown shared block "profile"`]);
  });

  it("reports a block included twice", () => {
    expect(
      problems("  - include: profile\n  - include: profile\n", { profile: PROFILE_BLOCK }),
    ).toEqual([`${P + 2}: pages[1].include: block "profile" is already included at pages[0]`]);
  });

  it("reports problems of a block in the block file", () => {
    const broken = PROFILE_BLOCK.replace("type: country", "type: countri");
    expect(problems("  - include: profile\n", { profile: broken })).toEqual([
      `blocks/profile.yaml:5: questions[0].type: unknown question type "countri" (did you mean "country"?)`,
    ]);
  });

  it("reports a clash with an included block at the include", () => {
    expect(
      problems(
        `  - key: p1
    title: { en: Page, ru: Страница }
    questions:
      - { key: country, type: text, ${label} }
  - include: profile
`,
        { profile: PROFILE_BLOCK },
      ),
    ).toEqual([
      `${P + 5}: pages[1]: block "profile", questions[0].key: duplicate question key "country" (first at line ${P + 4})`,
    ]);
  });

  it("checks the survey's own fields and dates", () => {
    const found = parseSurveySource(
      `slug: Test_Survey
workingGroup: energi
title: { en: T, ru: Т }
opensAt: 2027-01-01
closesAt: 2026-12-31
pages:
  - key: p1
    title: { en: Page, ru: Страница }
    questions: [{ key: q1, type: text, ${label} }]
`,
      "s.yaml",
      () => null,
    ).problems.map((p) => `${p.line}: ${p.path}: ${p.message}`);
    expect(found).toEqual([
      "1: slug: must contain only lowercase letters, digits and single hyphens",
      '2: workingGroup: must be one of: food-agri-bio, health, nano-materials, energy, mobility (did you mean "energy"?)',
    ]);
    const dates = parseSurveySource(
      `slug: s
workingGroup: energy
title: { en: T, ru: Т }
opensAt: 2027-01-01
closesAt: 2026-12-31
pages:
  - key: p1
    title: { en: Page, ru: Страница }
    questions: [{ key: q1, type: text, ${label} }]
`,
      "s.yaml",
      () => null,
    ).problems;
    expect(dates).toEqual([
      {
        file: "s.yaml",
        line: 5,
        path: "closesAt",
        message: "closesAt must be after opensAt (2027-01-01)",
      },
    ]);
  });
});

describe("definition hash", () => {
  it("does not change with the formatting of the YAML", () => {
    const a = parseSurveySource(
      `slug: s\nworkingGroup: energy\ntitle: { en: T, ru: Т }\npages:\n  - { key: p, title: { en: P, ru: П }, questions: [{ key: q, type: text, ${label} }] }\n`,
      "a.yaml",
      () => null,
    ).definition;
    const b = parseSurveySource(
      `# comment\ntitle:\n  ru: Т\n  en: T\nworkingGroup: energy\nslug: s\npages:\n  - questions:\n      - label: { ru: Л, en: L }\n        type: text\n        key: q\n        required: false\n    title: { ru: П, en: P }\n    key: p\n`,
      "b.yaml",
      () => null,
    ).definition;
    expect(a && b).toBeTruthy();
    expect(definitionHash(a!)).toBe(definitionHash(b!));
    expect(definitionHash(a!)).toMatch(/^[0-9a-f]{64}$/);
    expect(definitionHash({ ...a!, slug: "t" })).not.toBe(definitionHash(a!));
  });

  it("serialises with sorted keys", () => {
    expect(canonicalJson({ b: 1, a: { d: [{ f: 1, e: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[{"e":2,"f":1}]},"b":1}',
    );
  });
});

describe("loadSurveyDirectory", () => {
  let dir = "";
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function write(files: Record<string, string>): void {
    dir = mkdtempSync(path.join(tmpdir(), "surveys-"));
    mkdirSync(path.join(dir, "blocks"));
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  }

  const survey = (slug: string) =>
    `slug: ${slug}\nworkingGroup: energy\ntitle: { en: T, ru: Т }\npages:\n  - include: profile\n`;

  it("loads the surveys with their blocks and hashes", () => {
    write({ "a.yaml": survey("a"), "b.yaml": survey("b"), "blocks/profile.yaml": PROFILE_BLOCK });
    const result = loadSurveyDirectory(dir);
    expect(result.problems).toEqual([]);
    expect(result.surveys.map((s) => [path.basename(s.file), s.definition.slug])).toEqual([
      ["a.yaml", "a"],
      ["b.yaml", "b"],
    ]);
    expect(result.surveys[0].hash).toBe(definitionHash(result.surveys[0].definition));
  });

  it("reports a slug used twice, and a broken block once", () => {
    write({
      "a.yaml": survey("same"),
      "b.yaml": survey("same"),
      "c.yaml": survey("c").replace("profile", "profil"),
      "blocks/profile.yaml": PROFILE_BLOCK,
      "blocks/unused.yaml": "key: x\n",
    });
    const result = loadSurveyDirectory(dir);
    expect(
      result.problems.map(
        (p) => `${path.relative(dir, p.file)}:${p.line}: ${p.path}: ${p.message}`,
      ),
    ).toEqual([
      `b.yaml:1: slug: slug "same" is already used by ${path.join(dir, "a.yaml")}`,
      `blocks/unused.yaml:1: title: missing required field "title"`,
      `blocks/unused.yaml:1: questions: missing required field "questions"`,
      `c.yaml:5: pages[0].include: unknown shared block "profil" (did you mean "profile"?)`,
    ]);
    expect(result.surveys.map((s) => s.definition.slug)).toEqual(["same"]);
  });
});
