// npm run db:seed [-- --demo [--per-survey N]]
// Loads the working groups and synchronises surveys/; --demo adds synthetic submitted responses.
import { migrateToLatest } from "#db/migrate";
import { addDemoDelphi } from "~/server/delphi/demo.server";
import { addDemoResponses } from "~/server/demo.server";
import { DEMO_RESPONSES_PER_SURVEY, SURVEYS_DIR } from "~/server/startup.server";
import { syncSurveyDirectory } from "~/server/surveys.server";
import { upsertWorkingGroups } from "~/server/working-groups.server";
import { withDatabase } from "./lib/cli";

const args = process.argv.slice(2);
const perIndex = args.indexOf("--per-survey");
const perSurvey = perIndex >= 0 ? Number(args[perIndex + 1]) : DEMO_RESPONSES_PER_SURVEY;

await withDatabase(async (db) => {
  if (!Number.isInteger(perSurvey) || perSurvey < 1) {
    console.error("--per-survey needs a whole number of responses, at least 1");
    return 1;
  }
  await migrateToLatest(db);
  await upsertWorkingGroups(db);
  const report = await syncSurveyDirectory(db, SURVEYS_DIR);
  for (const p of report.problems) console.error(`${p.file}:${p.line}: ${p.path}: ${p.message}`);
  console.log(
    `working groups loaded; surveys created: ${report.created.length}, new versions: ${report.newVersions.length}, unchanged: ${report.unchanged.length}${report.refused.length ? `, refused: ${report.refused.join(", ")}` : ""}`,
  );
  if (args.includes("--demo")) {
    const added = await addDemoResponses(db, { perSurvey, seed: Date.now() % 100_000 });
    console.log(`demo responses added: ${added}`);
    console.log(`demo Delphi round 2 answers added: ${await addDemoDelphi(db)}`);
  }
  return report.problems.length ? 1 : 0;
});
