// npm run surveys:translations -- --reviewed <files…> — records, beside each translation in the
// given questionnaire or block files, the version of the source text it now translates (the
// translations were reviewed), so that `surveys:check` no longer lists them as stale. Without
// --reviewed it lists the stale translations of the files, as `surveys:check` does.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { staleTranslationProblems } from "~/survey/source";
import { markReviewedInYaml } from "~/survey/translation-records";
import { formatProblem } from "./surveys-check";

export function runSurveysTranslations(
  args: readonly string[],
  cwd = process.cwd(),
): { lines: string[]; status: 0 | 1 } {
  const reviewed = args.includes("--reviewed");
  const files = args.filter((a) => !a.startsWith("--"));
  if (files.length === 0)
    return {
      lines: ["usage: npm run surveys:translations -- [--reviewed] <files…>"],
      status: 1,
    };
  const lines: string[] = [];
  let status: 0 | 1 = 0;
  for (const file of files) {
    const full = path.resolve(cwd, file);
    let text: string;
    try {
      text = readFileSync(full, "utf8");
    } catch (error) {
      lines.push(`${file}: cannot read the file: ${(error as Error).message}`);
      status = 1;
      continue;
    }
    if (!reviewed) {
      lines.push(...staleTranslationProblems(text, full).map((p) => formatProblem(p, cwd)));
      continue;
    }
    try {
      const result = markReviewedInYaml(text);
      if (result.marked > 0) writeFileSync(full, result.text);
      lines.push(
        `${file}: ${result.marked} translation record${result.marked === 1 ? "" : "s"} written`,
      );
    } catch (error) {
      lines.push(`${file}: not changed, the YAML does not parse: ${(error as Error).message}`);
      status = 1;
    }
  }
  return { lines, status };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { lines, status } = runSurveysTranslations(process.argv.slice(2));
  for (const line of lines) console.log(line);
  process.exitCode = status;
}
