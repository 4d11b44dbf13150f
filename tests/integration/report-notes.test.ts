import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "#db/client";
import {
  readReportNotes,
  resetReportSummary,
  saveReportComment,
  saveReportSummary,
} from "~/server/dashboards/report-notes.server";
import { saveAccount } from "~/server/users.server";
import { upsertWorkingGroups } from "~/server/working-groups.server";
import { createTestDatabase, type TestDatabase } from "./db";

let t: TestDatabase;
let db: Db;
let surveyId: number;
let by: { id: number; email: string };

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  await upsertWorkingGroups(db);
  const group = await db
    .selectFrom("working_groups")
    .select("id")
    .where("slug", "=", "energy")
    .executeTakeFirstOrThrow();
  surveyId = (
    await db
      .insertInto("surveys")
      .values({
        slug: "energy-notes",
        working_group_id: group.id,
        status: "open",
        access_mode: "open_link",
      })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
  const account = await saveAccount(
    db,
    {
      email: "enzo@example.org",
      password: "correct horse battery",
      role: "coordinator",
      groups: ["energy"],
      name: "Enzo",
    },
    { by: null, actor: "test" },
  );
  if (!account.ok) throw new Error(JSON.stringify(account.errors));
  by = { id: account.id, email: "enzo@example.org" };
  await db.deleteFrom("audit_log").execute();
});
afterAll(() => t.close());

async function auditActions() {
  return (await db.selectFrom("audit_log").select("action").orderBy("id").execute()).map(
    (r) => r.action,
  );
}

describe("report notes", () => {
  it("stores an edited summary per language with the generated text it started from, and resets it", async () => {
    expect(
      await saveReportSummary(
        db,
        {
          surveyId,
          locale: "en",
          text: "  First line.\r\n\r\nSecond.  ",
          generatedFrom: "Generated A.",
        },
        { by, ip: "192.0.2.1" },
      ),
    ).toEqual({ ok: true });
    let notes = await readReportNotes(db, surveyId, "en");
    expect(notes.summary).toMatchObject({
      text: "First line.\n\nSecond.",
      generatedFrom: "Generated A.",
    });
    expect((await readReportNotes(db, surveyId, "ru")).summary).toBeNull();

    // A second save replaces the first.
    await saveReportSummary(
      db,
      { surveyId, locale: "en", text: "Edited again.", generatedFrom: "Generated B." },
      { by },
    );
    notes = await readReportNotes(db, surveyId, "en");
    expect(notes.summary).toMatchObject({ text: "Edited again.", generatedFrom: "Generated B." });

    await resetReportSummary(db, surveyId, "en", { by });
    expect((await readReportNotes(db, surveyId, "en")).summary).toBeNull();
    // Resetting what is not edited changes nothing and logs nothing.
    await resetReportSummary(db, surveyId, "en", { by });
    expect(await auditActions()).toEqual([
      "report.summary_saved",
      "report.summary_saved",
      "report.summary_reset",
    ]);
  });

  it("refuses an empty or too long summary with its reason", async () => {
    expect(
      await saveReportSummary(
        db,
        { surveyId, locale: "en", text: " \n ", generatedFrom: "" },
        { by },
      ),
    ).toEqual({ ok: false, error: "dashboard.summary.errors.empty" });
    expect(
      await saveReportSummary(
        db,
        { surveyId, locale: "en", text: "x".repeat(6001), generatedFrom: "" },
        { by },
      ),
    ).toEqual({ ok: false, error: "dashboard.summary.errors.tooLong" });
    expect((await readReportNotes(db, surveyId, "en")).summary).toBeNull();
  });

  it("stores, replaces and removes a section's comment, audit-logged, and refuses unknown sections", async () => {
    await db.deleteFrom("audit_log").execute();
    expect(
      await saveReportComment(
        db,
        { surveyId, section: "borich", text: "Gaps in data skills." },
        { by },
      ),
    ).toEqual({ ok: true });
    await saveReportComment(db, { surveyId, section: "themes", text: "Few tags yet." }, { by });
    await saveReportComment(
      db,
      { surveyId, section: "borich", text: "Gaps in data sharing." },
      { by },
    );
    expect((await readReportNotes(db, surveyId, "ru")).comments).toEqual({
      borich: "Gaps in data sharing.",
      themes: "Few tags yet.",
    });
    expect(
      await saveReportComment(db, { surveyId, section: "themes", text: "   " }, { by }),
    ).toEqual({ ok: true, removed: true });
    expect((await readReportNotes(db, surveyId, "en")).comments).toEqual({
      borich: "Gaps in data sharing.",
    });
    expect(
      await saveReportComment(db, { surveyId, section: "nowhere", text: "x" }, { by }),
    ).toEqual({ ok: false, error: "dashboard.comments.errors.section" });
    expect(
      await saveReportComment(db, { surveyId, section: "borich", text: "x".repeat(2001) }, { by }),
    ).toEqual({ ok: false, error: "dashboard.comments.errors.tooLong" });
    const log = await db
      .selectFrom("audit_log")
      .select(["action", "actor", "target_type", "target_id", "details"])
      .orderBy("id")
      .execute();
    expect(log.map((r) => r.action)).toEqual([
      "report.comment_saved",
      "report.comment_saved",
      "report.comment_saved",
      "report.comment_removed",
    ]);
    expect(log[0]).toMatchObject({
      actor: "enzo@example.org",
      target_type: "survey",
      target_id: String(surveyId),
      details: { section: "borich", length: 20 },
    });
  });

  it("goes with its survey", async () => {
    await saveReportSummary(
      db,
      { surveyId, locale: "en", text: "Kept?", generatedFrom: "" },
      { by },
    );
    await db.deleteFrom("surveys").where("id", "=", surveyId).execute();
    expect(await db.selectFrom("report_summaries").selectAll().execute()).toEqual([]);
    expect(await db.selectFrom("report_comments").selectAll().execute()).toEqual([]);
  });
});
