import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "#db/client";
import { action as textsAction } from "~/routes/staff.groups.$group.texts";
import { resolveDashboardSurvey } from "~/server/dashboards.server";
import { addDemoResponses } from "~/server/demo.server";
import { SURVEYS_DIR } from "~/server/startup.server";
import { syncSurveyDirectory } from "~/server/surveys.server";
import {
  BULK_TAG_MAX_ANSWERS,
  createTheme,
  listFreeTexts,
  listThemes,
  tagAnswers,
  untagAnswers,
} from "~/server/themes.server";
import { upsertWorkingGroups } from "~/server/working-groups.server";
import { createTestDatabase, type TestDatabase } from "./db";
import { accountWithSession, outcome, statusOf } from "./manage-helpers";
import { actionArgs } from "./remix";

/*
 * Tagging several free-text answers at once: the server function and the form post of the
 * free-text page. A coordinator tags only answers of their own group, every posted id is
 * checked, a request is bounded, and tagging twice changes nothing.
 */

const MIN_CELL = 5;
let t: TestDatabase;
let db: Db;
let groupIds: Record<string, number>;
let energy: { id: number; cookie: string };
let health: { id: number; cookie: string };
const by = () => ({ by: { id: energy.id, email: "energy@example.org" }, ip: "127.0.0.1" });

async function untagged(group: string, slug: string): Promise<string[]> {
  const survey = (await resolveDashboardSurvey(db, group, slug))!;
  const page = await listFreeTexts(
    db,
    survey,
    { theme: "none", pageSize: BULK_TAG_MAX_ANSWERS },
    { minCell: MIN_CELL },
  );
  expect(page.coverage).toBe("ok");
  return page.items.map((i) => i.answerId);
}

async function auditEntries(action: string) {
  return db
    .selectFrom("audit_log")
    .select(["action", "target_type", "target_id", "details", "actor"])
    .where("action", "=", action)
    .orderBy("id")
    .execute();
}

async function tagsOf(answerIds: string[]): Promise<Array<[string, number]>> {
  const rows = await db
    .selectFrom("answer_tags")
    .select(["answer_id", "theme_id"])
    .where("answer_id", "in", answerIds)
    .orderBy("answer_id")
    .orderBy("theme_id")
    .execute();
  return rows.map((r) => [String(r.answer_id), r.theme_id]);
}

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  await upsertWorkingGroups(db);
  await syncSurveyDirectory(db, SURVEYS_DIR);
  await db
    .updateTable("surveys")
    .set({ status: "closed" })
    .where("slug", "not in", ["energy-needs-2026", "health-needs-2026"])
    .execute();
  await addDemoResponses(db, { perSurvey: 20, seed: 11 });
  groupIds = Object.fromEntries(
    (await db.selectFrom("working_groups").select(["slug", "id"]).execute()).map((g) => [
      g.slug,
      g.id,
    ]),
  );
  energy = await accountWithSession(db, "energy@example.org", "coordinator", ["energy"]);
  health = await accountWithSession(db, "health@example.org", "coordinator", ["health"]);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe("tagging several answers at once", () => {
  it("tags the chosen answers with chosen and new themes, once, with one audit entry", async () => {
    const before = await untagged("energy", "energy-needs-2026");
    expect(before.length).toBeGreaterThan(6);
    const chosen = before.slice(0, 4);
    const funding = await createTheme(db, groupIds.energy, "Funding", by());
    if (!funding.ok) throw new Error(funding.error);

    const result = await tagAnswers(
      db,
      groupIds.energy,
      // A repeated id counts once.
      { answers: [...chosen, chosen[0]], themes: [String(funding.id)], newTheme: " Visas " },
      by(),
    );
    expect(result).toMatchObject({ ok: true, answers: 4, changed: 8 });
    const visas = (await listThemes(db, groupIds.energy)).find((th) => th.name === "Visas")!;
    expect(visas.answers).toBe(4);
    // The tagged answers leave the untagged list; the others stay.
    const after = await untagged("energy", "energy-needs-2026");
    expect(after).toEqual(before.filter((id) => !chosen.includes(id)));

    const entries = await auditEntries("answers.tagged");
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      target_type: "working_group",
      target_id: String(groupIds.energy),
      actor: "energy@example.org",
    });
    expect(entries[0].details).toMatchObject({
      answers: 4,
      added: 8,
      themes: [funding.id, visas.id],
    });

    // Again, with the theme named differently in case: nothing new, no new audit entry.
    const again = await tagAnswers(
      db,
      groupIds.energy,
      { answers: chosen, themes: [String(funding.id)], newTheme: "visas" },
      by(),
    );
    expect(again).toMatchObject({ ok: true, answers: 4, changed: 0 });
    expect(await auditEntries("answers.tagged")).toHaveLength(1);
    expect(await tagsOf(chosen)).toHaveLength(8);
  });

  it("refuses the whole request when one answer is another group's, and changes nothing", async () => {
    const own = (await untagged("energy", "energy-needs-2026")).slice(0, 2);
    const foreign = (await untagged("health", "health-needs-2026"))[0];
    const theme = await createTheme(db, groupIds.energy, "Infrastructure", by());
    if (!theme.ok) throw new Error(theme.error);
    expect(
      await tagAnswers(
        db,
        groupIds.energy,
        { answers: [...own, foreign], themes: [String(theme.id)] },
        by(),
      ),
    ).toEqual({ ok: false, error: "dashboard.texts.errors.answersNotFound" });
    expect(await tagsOf([...own, foreign])).toEqual([]);
    // Nor can the health group use the energy group's theme on its own answers.
    expect(
      await tagAnswers(db, groupIds.health, { answers: [foreign], themes: [String(theme.id)] }, by()),
    ).toEqual({ ok: false, error: "dashboard.themes.errors.notFound" });
    // An id that is no answer at all, or an answer of a response not submitted, likewise.
    expect(
      await tagAnswers(
        db,
        groupIds.energy,
        { answers: [own[0], "999999999"], themes: [String(theme.id)] },
        by(),
      ),
    ).toEqual({ ok: false, error: "dashboard.texts.errors.answersNotFound" });
    expect(await tagsOf(own)).toEqual([]);
  });

  it("answers bad input with a specific error", async () => {
    const own = (await untagged("energy", "energy-needs-2026")).slice(0, 1);
    const theme = (await listThemes(db, groupIds.energy))[0];
    const cases: Array<[Parameters<typeof tagAnswers>[2], string]> = [
      [{ answers: [], themes: [String(theme.id)] }, "dashboard.texts.errors.chooseAnswers"],
      [{ answers: ["12x"], themes: [String(theme.id)] }, "dashboard.texts.errors.answersNotFound"],
      [{ answers: ["-1"], themes: [String(theme.id)] }, "dashboard.texts.errors.answersNotFound"],
      [
        {
          answers: Array.from({ length: BULK_TAG_MAX_ANSWERS + 1 }, (_, i) => String(i + 1)),
          themes: [String(theme.id)],
        },
        "dashboard.texts.errors.tooManyAnswers",
      ],
      [{ answers: own, themes: [] }, "dashboard.texts.errors.chooseTheme"],
      [{ answers: own, themes: ["abc"] }, "dashboard.themes.errors.notFound"],
      [
        { answers: own, themes: Array.from({ length: 21 }, (_, i) => String(i + 1)) },
        "dashboard.texts.errors.tooManyThemes",
      ],
      [{ answers: own, themes: [], newTheme: "x".repeat(81) }, "dashboard.themes.errors.nameTooLong"],
    ];
    for (const [input, error] of cases) {
      expect([input.answers.length, await tagAnswers(db, groupIds.energy, input, by())]).toEqual([
        input.answers.length,
        { ok: false, error },
      ]);
    }
    expect(
      await untagAnswers(db, groupIds.energy, { answers: own, themes: [] }, by()),
    ).toEqual({ ok: false, error: "dashboard.texts.errors.chooseThemeToRemove" });
    expect(await tagsOf(own)).toEqual([]);
  });

  it("removes themes from several answers, once, with one audit entry", async () => {
    const themes = await listThemes(db, groupIds.energy);
    const funding = themes.find((th) => th.name === "Funding")!;
    const visas = themes.find((th) => th.name === "Visas")!;
    const tagged = (
      await db
        .selectFrom("answer_tags")
        .select("answer_id")
        .where("theme_id", "=", funding.id)
        .orderBy("answer_id")
        .execute()
    ).map((r) => String(r.answer_id));
    expect(tagged).toHaveLength(4);
    const removed = await untagAnswers(
      db,
      groupIds.energy,
      { answers: tagged.slice(0, 3), themes: [String(funding.id)] },
      by(),
    );
    expect(removed).toMatchObject({ ok: true, answers: 3, changed: 3 });
    // Visas stays on all four; Funding on the last one only.
    expect((await tagsOf(tagged)).filter(([, th]) => th === visas.id)).toHaveLength(4);
    expect((await tagsOf(tagged)).filter(([, th]) => th === funding.id)).toEqual([
      [tagged[3], funding.id],
    ]);
    const again = await untagAnswers(
      db,
      groupIds.energy,
      { answers: tagged.slice(0, 3), themes: [String(funding.id)] },
      by(),
    );
    expect(again).toMatchObject({ ok: true, changed: 0 });
    const entries = await auditEntries("answers.untagged");
    expect(entries).toHaveLength(1);
    expect(entries[0].details).toMatchObject({ answers: 3, removed: 3, themes: [funding.id] });
  });
});

describe("pages of the free-text list", () => {
  it("lists 20, 50 or 100 a page, and a page past the end as the last page", async () => {
    const survey = (await resolveDashboardSurvey(db, "energy", "energy-needs-2026"))!;
    const opts = { minCell: MIN_CELL };
    const all = await listFreeTexts(db, survey, { pageSize: 100 }, opts);
    expect(all.total).toBeGreaterThan(20);
    expect(all.total).toBeLessThanOrEqual(100);
    const first = await listFreeTexts(db, survey, {}, opts);
    expect([first.items.length, first.pageSize, first.pages]).toEqual([
      20,
      20,
      Math.ceil(all.total / 20),
    ]);
    const last = await listFreeTexts(db, survey, { page: 999, pageSize: 20 }, opts);
    expect(last.page).toBe(first.pages);
    expect(last.items.map((i) => i.answerId)).toEqual(
      all.items.slice((first.pages - 1) * 20, first.pages * 20).map((i) => i.answerId),
    );
    // Never more than a bulk request can take.
    expect((await listFreeTexts(db, survey, { pageSize: 10_000 }, opts)).pageSize).toBe(
      BULK_TAG_MAX_ANSWERS,
    );
  });
});

describe("the free-text page's bulk form", () => {
  const path = "/staff/groups/energy/texts";
  const post = (form: Record<string, string | string[]>, cookie: string) =>
    textsAction(actionArgs(path, db, form, { params: { group: "energy" }, cookie }));

  it("lets only the group's coordinators post", async () => {
    const own = (await untagged("energy", "energy-needs-2026")).slice(0, 2);
    const theme = (await listThemes(db, groupIds.energy))[0];
    const form = { intent: "bulk-tag", answers: own, themes: [String(theme.id)] };
    expect(await statusOf(post(form, health.cookie))).toBe(403);
    expect(await statusOf(post(form, ""))).toBe(302);
    expect(await tagsOf(own)).toEqual([]);
  });

  it("tags and returns to the same view with the themes still picked", async () => {
    const own = (await untagged("energy", "energy-needs-2026")).slice(0, 3);
    const theme = (await listThemes(db, groupIds.energy)).find((th) => th.name === "Funding")!;
    const back = "/staff/groups/energy/texts?survey=energy-needs-2026&theme=none&per=50&page=2";
    const r = outcome(
      await post(
        { intent: "bulk-tag", answers: own, themes: [String(theme.id)], back },
        energy.cookie,
      ),
    );
    expect(r.status).toBe(302);
    const to = new URL(r.headers.get("Location")!, "http://x");
    expect(to.pathname).toBe(path);
    expect(Object.fromEntries(to.searchParams)).toEqual({
      survey: "energy-needs-2026",
      theme: "none",
      per: "50",
      page: "2",
      notice: "bulk_tagged",
      count: "3",
      changed: "3",
      pick: String(theme.id),
    });
    expect(await tagsOf(own)).toEqual(own.map((id) => [id, theme.id]));

    // Removing them again: the same form, the other button.
    const removed = outcome(
      await post(
        { intent: "bulk-untag", answers: own, themes: [String(theme.id)], back },
        energy.cookie,
      ),
    );
    expect(removed.headers.get("Location")).toContain("notice=bulk_untagged");
    expect(await tagsOf(own)).toEqual([]);
  });

  it("refuses another group's ids and bad input with 400 and a message, never 500", async () => {
    const own = (await untagged("energy", "energy-needs-2026")).slice(0, 1);
    const foreign = (await untagged("health", "health-needs-2026")).slice(0, 1);
    const theme = (await listThemes(db, groupIds.energy))[0];
    const bad: Array<[Record<string, string | string[]>, string]> = [
      [
        { intent: "bulk-tag", answers: [...own, ...foreign], themes: [String(theme.id)] },
        "dashboard.texts.errors.answersNotFound",
      ],
      [{ intent: "bulk-tag", themes: [String(theme.id)] }, "dashboard.texts.errors.chooseAnswers"],
      [
        { intent: "bulk-tag", answers: ["1; drop table answers"], themes: [String(theme.id)] },
        "dashboard.texts.errors.answersNotFound",
      ],
      [
        {
          intent: "bulk-tag",
          answers: Array.from({ length: 500 }, (_, i) => String(i + 1)),
          themes: [String(theme.id)],
        },
        "dashboard.texts.errors.tooManyAnswers",
      ],
      [{ intent: "bulk-tag", answers: own }, "dashboard.texts.errors.chooseTheme"],
      [{ intent: "bulk-untag", answers: own, new_theme: "New" }, "dashboard.texts.errors.chooseThemeToRemove"],
    ];
    for (const [form, message] of bad) {
      const r = outcome(await post(form, energy.cookie));
      expect([r.status, r.data?.formError?.message]).toEqual([400, message]);
    }
    expect(await tagsOf([...own, ...foreign])).toEqual([]);
  });
});
