// npm run programmes:check [file] — validates the programme catalogue (programmes/catalogue.yaml
// or the given file). One line per problem, `file:line: path: message`; exit status 1 when
// there are problems.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseCatalogue } from "~/survey/programmes";
import { formatProblem } from "./surveys-check";

export const CATALOGUE_FILE = "programmes/catalogue.yaml";

export function runProgrammesCheck(
  file: string = CATALOGUE_FILE,
  cwd = process.cwd(),
): { lines: string[]; status: 0 | 1 } {
  const full = path.resolve(cwd, file);
  let text: string;
  try {
    text = readFileSync(full, "utf8");
  } catch (error) {
    return { lines: [`${file}:1: cannot be read (${(error as Error).message})`], status: 1 };
  }
  const { programmes, problems } = parseCatalogue(text, full);
  if (problems.length > 0) return { lines: problems.map((p) => formatProblem(p, cwd)), status: 1 };
  return { lines: [`${programmes.length} programmes valid`], status: 0 };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { lines, status } = runProgrammesCheck(process.argv[2]);
  for (const line of lines) console.log(line);
  process.exitCode = status;
}
