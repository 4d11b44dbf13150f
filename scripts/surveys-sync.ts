// npm run surveys:sync — stores changed questionnaire files in surveys/ as new survey versions.
// One line per problem (`file:line: path: message`), among them every file refused because it
// names another working group than its stored survey's; exit status 1 when there are any.
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Db } from "#db/client";
import { migrateToLatest } from "#db/migrate";
import { SURVEYS_DIR } from "~/server/startup.server";
import { syncSurveyDirectory } from "~/server/surveys.server";
import { upsertWorkingGroups } from "~/server/working-groups.server";
import { withDatabase } from "./lib/cli";
import { formatProblem } from "./surveys-check";

/** Synchronises `dir`; returns the problem lines, the summary line and the exit status. */
export async function runSurveysSync(
  db: Db,
  dir: string,
): Promise<{ problems: string[]; summary: string; status: 0 | 1 }> {
  const report = await syncSurveyDirectory(db, dir);
  const refused = report.refused.length ? `; refused: ${report.refused.join(", ")}` : "";
  return {
    problems: report.problems.map((p) => formatProblem(p)),
    summary: `created: ${report.created.join(", ") || "none"}; new versions: ${report.newVersions.join(", ") || "none"}; unchanged: ${report.unchanged.length}${refused}`,
    status: report.problems.length ? 1 : 0,
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await withDatabase(async (db) => {
    await migrateToLatest(db);
    await upsertWorkingGroups(db);
    const { problems, summary, status } = await runSurveysSync(db, SURVEYS_DIR);
    for (const line of problems) console.error(line);
    console.log(summary);
    return status;
  });
}
