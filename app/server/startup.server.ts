import path from "node:path";
import type { Db } from "#db/client";
import { migrateToLatest } from "#db/migrate";
import type { Env } from "~/env.server";
import type { Logger } from "~/server/logger.server";
import { addDemoDelphi } from "~/server/delphi/demo.server";
import { addDemoResponses, hasNoResponses } from "~/server/demo.server";
import { syncProgrammeCatalogue } from "~/server/programmes.server";
import { refreshSharedCategories, syncSurveyDirectory } from "~/server/surveys.server";
import { credentialsBox, ensureDemoAdmin } from "~/server/users.server";
import { upsertWorkingGroups } from "~/server/working-groups.server";

export const SURVEYS_DIR = path.resolve("surveys");
export const CATALOGUE_FILE = path.resolve("programmes/catalogue.yaml");

/**
 * Everything the app needs in its database before it serves a request: the schema, the
 * working groups and the questionnaires in surveys/. Safe to run from several processes at
 * once (migrations and synchronisation take Postgres locks).
 */
export async function prepareDatabase(db: Db, env: Env, logger: Logger): Promise<void> {
  const applied = await migrateToLatest(db);
  for (const line of applied) logger.info("migration", { result: line });
  await upsertWorkingGroups(db);
  const report = await syncSurveyDirectory(db, SURVEYS_DIR);
  for (const p of report.problems) {
    logger.warn("survey file skipped", {
      file: p.file,
      line: p.line,
      path: p.path,
      problem: p.message,
    });
  }
  logger.info("surveys synchronised", {
    created: report.created,
    newVersions: report.newVersions,
    unchanged: report.unchanged.length,
    refused: report.refused,
  });
  // The shared need categories follow the taxonomy file, which may have changed since the last
  // start (a database migrated to need_shared_categories also gets its rows here).
  const recounted = await refreshSharedCategories(db);
  if (recounted.length > 0)
    logger.info("shared need categories counted again", { surveys: recounted.length });
  const catalogue = await syncProgrammeCatalogue(db, CATALOGUE_FILE);
  for (const p of catalogue.problems) {
    logger.warn("programme catalogue not loaded", {
      file: p.file,
      line: p.line,
      path: p.path,
      problem: p.message,
    });
  }
  logger.info("programme catalogue loaded", {
    created: catalogue.created,
    updated: catalogue.updated,
    unchanged: catalogue.unchanged,
  });
  if (wantsDemoData(env) && (await hasNoResponses(db))) {
    const added = await addDemoResponses(db, { perSurvey: DEMO_RESPONSES_PER_SURVEY });
    const delphi = await addDemoDelphi(db);
    logger.info("demo data added", { responses: added, delphiRound2: delphi });
  }
  // A first admin account, so that a fresh embedded (or demo) installation can be signed in to.
  if (wantsDemoData(env)) {
    const admin = await ensureDemoAdmin(db, logger);
    if (admin) console.log(credentialsBox(admin.email, admin.password));
  }
}

export const DEMO_RESPONSES_PER_SURVEY = 80;

/** Demo data goes into a fresh embedded database (`auto`), or anywhere with DEMO_DATA=on. */
export function wantsDemoData(env: Env): boolean {
  return env.DEMO_DATA === "on" || (env.DEMO_DATA === "auto" && !env.DATABASE_URL);
}
