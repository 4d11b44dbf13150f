// npm run surveys:schema — writes surveys/schema.json, the JSON Schema of survey and block files
// generated from the zod schemas, for editors with a YAML language server.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as z from "zod";
import { surveyOrBlockFileSchema } from "~/survey/schema";

export const SCHEMA_FILE = path.resolve("surveys/schema.json");

/**
 * The JSON Schema of the files as written (fields with defaults are optional). The only
 * shared definition is the recursive `showIf` condition, which zod names `__schema0`; it is
 * renamed `Condition` for readable editor messages.
 */
export function surveyFileJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(surveyOrBlockFileSchema, { target: "draft-7", io: "input" });
  const text = JSON.stringify(generated).replaceAll("__schema0", "Condition");
  return {
    $schema: generated.$schema,
    title: "Needsmap survey or shared block file",
    description:
      "A survey (surveys/*.yaml) or a shared block (surveys/blocks/*.yaml); see docs/survey-format.md",
    ...(JSON.parse(text) as Record<string, unknown>),
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(SCHEMA_FILE, `${JSON.stringify(surveyFileJsonSchema(), null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}`);
}
