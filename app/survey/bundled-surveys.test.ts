import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { surveyFileJsonSchema } from "../../scripts/surveys-schema";
import { loadSurveyDirectory } from "./load";

const SURVEYS_DIR = path.resolve("surveys");
const yamlIn = (dir: string) =>
  readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => path.join(dir, name));
const surveyFiles = yamlIn(SURVEYS_DIR);
const blockFiles = yamlIn(path.join(SURVEYS_DIR, "blocks"));
const relative = (file: string) => path.relative(process.cwd(), file);

describe("bundled questionnaires", () => {
  const loaded = loadSurveyDirectory(SURVEYS_DIR);

  it("have no problems", () => {
    const lines = loaded.problems.map(
      (p) => `${relative(p.file)}:${p.line}: ${p.path}: ${p.message}`,
    );
    expect(lines).toEqual([]);
  });

  it.each(surveyFiles.map(relative))("%s loads", (file) => {
    expect(loaded.surveys.map((s) => relative(s.file))).toContain(file);
  });

  it("include the respondent profile with the keys dashboards break down by", () => {
    for (const { file, definition } of loaded.surveys) {
      const keys = definition.pages.flatMap((page) => page.questions.map((q) => q.key));
      expect(keys, relative(file)).toEqual(
        expect.arrayContaining(["country", "org_type", "sector"]),
      );
    }
  });

  it("are accepted by the JSON Schema in surveys/schema.json, which is up to date", () => {
    const onDisk: unknown = JSON.parse(readFileSync(path.join(SURVEYS_DIR, "schema.json"), "utf8"));
    expect(onDisk, "run npm run surveys:schema").toEqual(surveyFileJsonSchema());
    const schema = z.fromJSONSchema(onDisk as Parameters<typeof z.fromJSONSchema>[0]);
    for (const file of [...surveyFiles, ...blockFiles]) {
      const result = schema.safeParse(parse(readFileSync(file, "utf8")));
      expect(result.success, relative(file)).toBe(true);
    }
  });
});
