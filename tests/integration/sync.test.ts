import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loader as homeLoader } from "~/routes/_index";
import { listOpenSurveys, syncSurveyDirectory } from "~/server/surveys.server";
import { upsertWorkingGroups, WORKING_GROUPS } from "~/server/working-groups.server";
import { createTestDatabase, type TestDatabase } from "./db";
import { loaderArgs } from "./remix";

let t: TestDatabase;
let dir: string;

beforeAll(async () => {
  t = await createTestDatabase();
  await upsertWorkingGroups(t.db);
  dir = mkdtempSync(path.join(tmpdir(), "needsmap-sync-"));
  cpSync("surveys", dir, { recursive: true });
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function versions(slug: string) {
  return t.db
    .selectFrom("survey_versions")
    .innerJoin("surveys", "surveys.id", "survey_versions.survey_id")
    .select(["survey_versions.id", "survey_versions.version", "survey_versions.content_hash", "surveys.current_version_id"])
    .where("surveys.slug", "=", slug)
    .orderBy("survey_versions.version")
    .execute();
}

describe("survey synchronisation", () => {
  it("creates the five bundled surveys, one version each, open", async () => {
    const report = await syncSurveyDirectory(t.db, dir);
    expect(report.problems).toEqual([]);
    expect(report.created.sort()).toEqual([
      "energy-needs-2026",
      "food-agri-bio-needs-2026",
      "health-needs-2026",
      "mobility-needs-2026",
      "nano-materials-needs-2026",
    ]);
    const open = await listOpenSurveys(t.db);
    expect(open.map((s) => s.workingGroupSlug).sort()).toEqual(WORKING_GROUPS.map((g) => g.slug).sort());
    const v = await versions("energy-needs-2026");
    expect(v).toHaveLength(1);
    expect(v[0].current_version_id).toBe(v[0].id);
  });

  it("is idempotent: unchanged files make no new version", async () => {
    const report = await syncSurveyDirectory(t.db, dir);
    expect(report.created).toEqual([]);
    expect(report.newVersions).toEqual([]);
    expect(report.unchanged).toHaveLength(5);
    expect(await versions("energy-needs-2026")).toHaveLength(1);
  });

  it("ignores formatting-only changes (same content hash)", async () => {
    const file = path.join(dir, "energy.yaml");
    writeFileSync(file, readFileSync(file, "utf8") + "\n# a comment\n\n");
    const report = await syncSurveyDirectory(t.db, dir);
    expect(report.newVersions).toEqual([]);
    expect(await versions("energy-needs-2026")).toHaveLength(1);
  });

  it("makes a new current version when a file's content changes", async () => {
    const file = path.join(dir, "energy.yaml");
    const before = await versions("energy-needs-2026");
    const text = readFileSync(file, "utf8").replace(/estimatedMinutes: \d+/, "estimatedMinutes: 99");
    writeFileSync(file, text);
    const report = await syncSurveyDirectory(t.db, dir);
    expect(report.newVersions).toEqual(["energy-needs-2026"]);
    const after = await versions("energy-needs-2026");
    expect(after).toHaveLength(2);
    expect(after[1].version).toBe(2);
    expect(after[1].content_hash).not.toBe(before[0].content_hash);
    expect(after[1].current_version_id).toBe(after[1].id);
    const again = await syncSurveyDirectory(t.db, dir);
    expect(again.newVersions).toEqual([]);
  });

  it("does not overwrite a version made in the browser while the file is unchanged", async () => {
    const survey = await t.db.selectFrom("surveys").select(["id", "current_version_id"]).where("slug", "=", "health-needs-2026").executeTakeFirstOrThrow();
    const current = await t.db.selectFrom("survey_versions").selectAll().where("id", "=", survey.current_version_id!).executeTakeFirstOrThrow();
    const edited = await t.db
      .insertInto("survey_versions")
      .values({ survey_id: survey.id, version: 2, definition: JSON.stringify(current.definition), content_hash: "edited-in-browser", source_yaml: current.source_yaml, origin: "editor" })
      .returning("id")
      .executeTakeFirstOrThrow();
    await t.db.updateTable("surveys").set({ current_version_id: edited.id }).where("id", "=", survey.id).execute();
    await syncSurveyDirectory(t.db, dir);
    const after = await t.db.selectFrom("surveys").select("current_version_id").where("id", "=", survey.id).executeTakeFirstOrThrow();
    expect(after.current_version_id).toBe(edited.id);
  });

  it("reports an invalid file and still synchronises the others", async () => {
    writeFileSync(path.join(dir, "broken.yaml"), "slug: broken\npages: [\n");
    const report = await syncSurveyDirectory(t.db, dir);
    expect(report.problems.length).toBeGreaterThan(0);
    expect(report.problems[0].file).toMatch(/broken\.yaml$/);
    expect(report.unchanged).toHaveLength(5);
    rmSync(path.join(dir, "broken.yaml"));
  });

  it("the home page lists the five working groups with their open surveys", async () => {
    const data = await homeLoader(loaderArgs("/", t.db));
    expect(data.groups.map((g) => g.slug)).toEqual(WORKING_GROUPS.map((g) => g.slug));
    for (const g of data.groups) expect(g.surveys.length).toBe(1);
    expect(data.groups.find((g) => g.slug === "energy")!.surveys[0].title.ru).toMatch(/[а-яА-Я]/);
  });
});
