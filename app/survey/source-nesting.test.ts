import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSurveysCheck } from "../../scripts/surveys-check";
import { MAX_YAML_NESTING, parseSurveySource } from "./source";

const HEADER = "slug: deep\nworkingGroup: energy\ntitle: { en: T, ru: Т }\n";
const tooDeep = (line: number) =>
  `YAML: lists and mappings are nested more than ${MAX_YAML_NESTING} levels deep here (line ${line}); a questionnaire needs about 10 levels`;

function problemsOf(text: string) {
  return parseSurveySource(text, "deep.yaml", () => null).problems;
}

/** `depth` block mappings inside each other, each one indented further. */
function blockMaps(depth: number): string {
  let text = "";
  for (let i = 0; i < depth; i++) text += `${" ".repeat(i)}a:\n`;
  return `${text}${" ".repeat(depth)}b: 1\n`;
}

describe("nesting limit of questionnaire YAML", () => {
  it("refuses 400 kB of nested lists at the line where the limit is passed", () => {
    const text = `${HEADER}pages:\n  - ${"[".repeat(200_000)}${"]".repeat(200_000)}\n`;
    expect(problemsOf(text)).toEqual([
      { file: "deep.yaml", line: 5, path: "", message: tooDeep(5) },
    ]);
  });

  it("refuses nested flow mappings and nested block mappings", () => {
    const flow = `${HEADER}pages:\n${"{a: ".repeat(50_000)}1${"}".repeat(50_000)}\n`;
    expect(problemsOf(flow)).toEqual([expect.objectContaining({ line: 5, message: tooDeep(5) })]);
    // Line 4 holds `pages:`, then one more level per line: the limit is passed on line 4 + 64.
    const block = `${HEADER}pages:\n${blockMaps(200)
      .split("\n")
      .map((l) => `  ${l}`)
      .join("\n")}`;
    const line = 4 + MAX_YAML_NESTING;
    expect(problemsOf(block)).toEqual([expect.objectContaining({ line, message: tooDeep(line) })]);
  });

  it("lets nesting up to the limit through to the format's own checks", () => {
    const depth = MAX_YAML_NESTING - 2;
    const text = `${HEADER}pages: ${"[".repeat(depth)}${"]".repeat(depth)}\n`;
    const found = problemsOf(text);
    expect(found.length).toBeGreaterThan(0);
    for (const problem of found) expect(problem.message).not.toContain("nested more than");
  });

  it("still parses a bundled questionnaire", () => {
    const text = readFileSync(path.resolve("surveys/health.yaml"), "utf8");
    const { definition, problems } = parseSurveySource(text, "health.yaml", (name) => {
      const file = path.resolve(`surveys/blocks/${name}.yaml`);
      return { file, text: readFileSync(file, "utf8") };
    });
    expect(problems).toEqual([]);
    expect(definition?.slug).toBe("health-needs-2026");
  });
});

describe("surveys:check with deeply nested files", () => {
  let cwd = "";
  beforeAll(() => {
    cwd = mkdtempSync(path.join(tmpdir(), "surveys-nesting-"));
    mkdirSync(path.join(cwd, "surveys/blocks"), { recursive: true });
    writeFileSync(
      path.join(cwd, "surveys/deep.yaml"),
      `${HEADER}pages: ${"[".repeat(100_000)}${"]".repeat(100_000)}\n`,
    );
  });
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it("reports the file and the line, and fails", () => {
    expect(runSurveysCheck(["surveys/deep.yaml"], cwd)).toEqual({
      lines: [`surveys/deep.yaml:4: ${tooDeep(4)}`],
      status: 1,
    });
  });
});
