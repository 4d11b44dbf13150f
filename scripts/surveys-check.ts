// npm run surveys:check [--strict] [files…] — validates the questionnaire files: all of
// surveys/ (surveys and shared blocks), or the given files. One line per problem,
// `file:line: path: message`; exit status 1 when there are problems. Stale translations are
// listed as warnings (`file:line: path: warning: …`), which are problems with --strict.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { checkSurveyFiles, loadSurveyDirectory, type LoadResult } from "~/survey/load";
import type { Problem } from "~/survey/source";

export const SURVEYS_DIR = "surveys";

export function formatProblem(problem: Problem, cwd = process.cwd()): string {
  const file = path.relative(cwd, path.resolve(cwd, problem.file)) || problem.file;
  return problem.path
    ? `${file}:${problem.line}: ${problem.path}: ${problem.message}`
    : `${file}:${problem.line}: ${problem.message}`;
}

/** The blocks directory for explicitly given files: `blocks/` next to the first survey. */
function blocksDirFor(files: readonly string[]): string {
  const dir = path.dirname(files[0]);
  return path.basename(dir) === "blocks" ? dir : path.join(dir, "blocks");
}

/** Runs the check; returns the lines to print and the exit status. */
export function runSurveysCheck(
  files: readonly string[],
  cwd = process.cwd(),
  options: { strict?: boolean } = {},
): { lines: string[]; status: 0 | 1 } {
  const result: LoadResult =
    files.length > 0
      ? checkSurveyFiles(
          files.map((file) => path.resolve(cwd, file)),
          path.resolve(cwd, blocksDirFor(files)),
        )
      : loadSurveyDirectory(path.resolve(cwd, SURVEYS_DIR));
  const warnings = result.stale.map((p) =>
    formatProblem({ ...p, message: `${options.strict ? "error" : "warning"}: ${p.message}` }, cwd),
  );
  if (result.problems.length > 0) {
    return {
      lines: [...result.problems.map((p) => formatProblem(p, cwd)), ...warnings],
      status: 1,
    };
  }
  const slugs = result.surveys.map((s) => s.definition.slug).join(", ");
  const count = result.surveys.length;
  const staleCount = result.stale.length;
  return {
    lines: [
      ...warnings,
      `${count} survey${count === 1 ? "" : "s"} valid${count ? `: ${slugs}` : ""}${
        staleCount
          ? `; ${staleCount} stale translation${staleCount === 1 ? "" : "s"}${options.strict ? " (--strict: not accepted)" : ""}`
          : ""
      }`,
    ],
    status: options.strict && staleCount > 0 ? 1 : 0,
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const { lines, status } = runSurveysCheck(
    args.filter((a) => a !== "--strict"),
    process.cwd(),
    { strict: args.includes("--strict") },
  );
  for (const line of lines) console.log(line);
  process.exitCode = status;
}
