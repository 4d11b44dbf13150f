// npm run surveys:sync — stores changed questionnaire files in surveys/ as new survey versions.
import { migrateToLatest } from "#db/migrate";
import { SURVEYS_DIR } from "~/server/startup.server";
import { syncSurveyDirectory } from "~/server/surveys.server";
import { upsertWorkingGroups } from "~/server/working-groups.server";
import { withDatabase } from "./lib/cli";

await withDatabase(async (db) => {
  await migrateToLatest(db);
  await upsertWorkingGroups(db);
  const report = await syncSurveyDirectory(db, SURVEYS_DIR);
  for (const p of report.problems) console.error(`${p.file}:${p.line}: ${p.path}: ${p.message}`);
  console.log(
    `created: ${report.created.join(", ") || "none"}; new versions: ${report.newVersions.join(", ") || "none"}; unchanged: ${report.unchanged.length}`,
  );
  return report.problems.length ? 1 : 0;
});
