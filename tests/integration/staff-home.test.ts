import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "#db/client";
import { loader as staffLoader } from "~/routes/staff._index";
import type { SessionUser } from "~/server/auth.server";
import { resolveDashboardSurvey } from "~/server/dashboards.server";
import { addDemoResponses } from "~/server/demo.server";
import { staffHome, type StaffHomeGroup } from "~/server/staff-home.server";
import { SURVEYS_DIR } from "~/server/startup.server";
import { syncSurveyDirectory } from "~/server/surveys.server";
import { createTheme, listFreeTexts, tagAnswer } from "~/server/themes.server";
import { upsertWorkingGroups } from "~/server/working-groups.server";
import { createTestDatabase, type TestDatabase } from "./db";
import { accountWithSession, outcome } from "./manage-helpers";
import { loaderArgs } from "./remix";

/*
 * The staff start page's figures per survey: responses, response rate (only with invitations),
 * last submission and what needs attention, scoped to the groups the user may see, computed
 * in a fixed number of queries.
 */

const MIN_CELL = 5;
const DAY = 24 * 60 * 60 * 1000;
const NOW = new Date();
let t: TestDatabase;
let db: Db;
let admin: SessionUser;
let energyCoordinator: SessionUser;
let groupIds: Record<string, number>;
let surveyIds: Record<string, number>;

function user(role: SessionUser["role"], groups: string[]): SessionUser {
  return {
    id: 0,
    email: `${role}@example.org`,
    name: "",
    role,
    groupIds: groups.map((g) => groupIds[g]),
    groupSlugs: groups,
  };
}

function surveyOf(groups: StaffHomeGroup[], group: string, slug: string) {
  const s = groups.find((g) => g.slug === group)?.surveys.find((x) => x.slug === slug);
  if (!s) throw new Error(`no ${group}/${slug} on the page`);
  return s;
}

async function untaggedOnFreeTextPage(group: string, slug: string): Promise<number> {
  const survey = (await resolveDashboardSurvey(db, group, slug))!;
  const page = await listFreeTexts(db, survey, { theme: "none" }, { minCell: MIN_CELL });
  expect(page.coverage).toBe("ok");
  return page.total;
}

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  await upsertWorkingGroups(db);
  await syncSurveyDirectory(db, SURVEYS_DIR);
  groupIds = Object.fromEntries(
    (await db.selectFrom("working_groups").select(["slug", "id"]).execute()).map((g) => [
      g.slug,
      g.id,
    ]),
  );
  surveyIds = Object.fromEntries(
    (await db.selectFrom("surveys").select(["slug", "id"]).execute()).map((s) => [s.slug, s.id]),
  );
  // Energy and health collect answers; energy closes in three days, health in a month.
  await db
    .updateTable("surveys")
    .set({ status: "closed" })
    .where("slug", "not in", ["energy-needs-2026", "health-needs-2026"])
    .execute();
  await db
    .updateTable("surveys")
    .set({ closes_at: new Date(NOW.getTime() + 3 * DAY) })
    .where("slug", "=", "energy-needs-2026")
    .execute();
  await db
    .updateTable("surveys")
    .set({ closes_at: new Date(NOW.getTime() + 30 * DAY) })
    .where("slug", "=", "health-needs-2026")
    .execute();
  await addDemoResponses(db, { perSurvey: 20, seed: 5 });
  // Two answers of the other surveys: too few respondents to list any free text.
  await db
    .updateTable("surveys")
    .set({ status: "open" })
    .where("slug", "=", "mobility-needs-2026")
    .execute();
  await db
    .updateTable("surveys")
    .set({ status: "closed" })
    .where("slug", "in", ["energy-needs-2026", "health-needs-2026"])
    .execute();
  await addDemoResponses(db, { perSurvey: 2, seed: 6 });
  await db
    .updateTable("surveys")
    .set({ status: "open" })
    .where("slug", "in", ["energy-needs-2026", "health-needs-2026"])
    .execute();
  await db
    .updateTable("surveys")
    .set({ status: "draft" })
    .where("slug", "=", "nano-materials-needs-2026")
    .execute();

  // Energy: four invitations, one of them answered; health has none.
  const energy = surveyIds["energy-needs-2026"];
  const invitations = await db
    .insertInto("invitations")
    .values(
      [1, 2, 3, 4].map((i) => ({
        survey_id: energy,
        token_hash: randomBytes(32).toString("hex"),
        name: `Invitee ${i}`,
        locale: "en",
      })),
    )
    .returning("id")
    .execute();
  const answered = await db
    .selectFrom("responses")
    .select("id")
    .where("survey_id", "=", energy)
    .where("status", "=", "submitted")
    .limit(1)
    .executeTakeFirstOrThrow();
  await db
    .updateTable("responses")
    .set({ invitation_id: invitations[0].id })
    .where("id", "=", answered.id)
    .execute();

  // Health: two e-mails that failed, one sent.
  await db
    .insertInto("email_outbox")
    .values(
      (["failed", "failed", "sent"] as const).map((status, i) => ({
        survey_id: surveyIds["health-needs-2026"],
        kind: "invitation" as const,
        to_address: `person${i}@example.org`,
        locale: "en",
        link_base: "http://localhost",
        subject: "Invitation",
        body: "…",
        status,
      })),
    )
    .execute();

  // Energy: two free-text answers get a theme.
  const tagger = await accountWithSession(db, "energy@example.org", "coordinator", ["energy"]);
  const by = { by: { id: tagger.id, email: "energy@example.org" } };
  const theme = await createTheme(db, groupIds.energy, "Funding", by);
  if (!theme.ok) throw new Error(theme.error);
  const survey = (await resolveDashboardSurvey(db, "energy", "energy-needs-2026"))!;
  const page = await listFreeTexts(db, survey, { theme: "none" }, { minCell: MIN_CELL });
  expect(page.total).toBeGreaterThan(2);
  for (const item of page.items.slice(0, 2)) {
    const r = await tagAnswer(db, groupIds.energy, item.answerId, { id: theme.id }, by);
    expect(r.ok).toBe(true);
  }

  admin = user("admin", []);
  energyCoordinator = user("coordinator", ["energy"]);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe("the staff start page", () => {
  it("shows each survey's status, responses and last submission", async () => {
    const groups = await staffHome(db, admin, { minCell: MIN_CELL, now: NOW });
    const energy = surveyOf(groups, "energy", "energy-needs-2026");
    expect(energy.status).toBe("open");
    expect(energy.title.en).toMatch(/^Energy working group/);
    const last = await db
      .selectFrom("responses")
      .select([sql<number>`count(*)`.as("n"), sql<Date>`max(submitted_at)`.as("last")])
      .where("survey_id", "=", surveyIds["energy-needs-2026"])
      .where("status", "=", "submitted")
      .executeTakeFirstOrThrow();
    expect(energy.submitted).toBe(Number(last.n));
    expect(energy.submitted).toBeGreaterThanOrEqual(MIN_CELL);
    expect(energy.lastSubmittedAt?.getTime()).toBe(new Date(last.last).getTime());

    expect(surveyOf(groups, "nano-materials", "nano-materials-needs-2026")).toMatchObject({
      status: "draft",
      submitted: 0,
      lastSubmittedAt: null,
    });
    expect(surveyOf(groups, "food-agri-bio", "food-agri-bio-needs-2026").status).toBe("closed");
  });

  it("gives a response rate only when the survey has invitations", async () => {
    const groups = await staffHome(db, admin, { minCell: MIN_CELL, now: NOW });
    expect(surveyOf(groups, "energy", "energy-needs-2026")).toMatchObject({
      invited: 4,
      responseRate: 0.25,
    });
    expect(surveyOf(groups, "health", "health-needs-2026")).toMatchObject({
      invited: 0,
      responseRate: null,
    });
  });

  it("counts the untagged free-text answers as the free-text page lists them", async () => {
    const groups = await staffHome(db, admin, { minCell: MIN_CELL, now: NOW });
    const energy = surveyOf(groups, "energy", "energy-needs-2026");
    const health = surveyOf(groups, "health", "health-needs-2026");
    expect(energy.untagged).toBe(await untaggedOnFreeTextPage("energy", "energy-needs-2026"));
    expect(health.untagged).toBe(await untaggedOnFreeTextPage("health", "health-needs-2026"));
    expect(energy.untagged).toBeGreaterThan(0);
    // The two tagged answers are no longer counted; health has nothing tagged.
    const allEnergyTexts = (
      await listFreeTexts(
        db,
        (await resolveDashboardSurvey(db, "energy", "energy-needs-2026"))!,
        {},
        { minCell: MIN_CELL },
      )
    ).total;
    expect(energy.untagged).toBe(allEnergyTexts - 2);
    // Too few respondents for the free-text page to list anything: nothing to tag.
    expect(surveyOf(groups, "mobility", "mobility-needs-2026")).toMatchObject({
      submitted: 2,
      untagged: null,
    });
  });

  it("counts failed e-mails and flags a survey closing within a week", async () => {
    const groups = await staffHome(db, admin, { minCell: MIN_CELL, now: NOW });
    expect(surveyOf(groups, "health", "health-needs-2026")).toMatchObject({
      failedEmails: 2,
      closingSoon: false,
    });
    expect(surveyOf(groups, "energy", "energy-needs-2026")).toMatchObject({
      failedEmails: 0,
      closingSoon: true,
    });
    // Eight days before the close it is not yet "within a week".
    const earlier = await staffHome(db, admin, {
      minCell: MIN_CELL,
      now: new Date(NOW.getTime() - 5 * DAY),
    });
    expect(surveyOf(earlier, "energy", "energy-needs-2026").closingSoon).toBe(false);
  });

  it("shows a coordinator their groups only, and an administrator every group", async () => {
    const mine = await staffHome(db, energyCoordinator, { minCell: MIN_CELL, now: NOW });
    expect(mine.map((g) => g.slug)).toEqual(["energy"]);
    const all = await staffHome(db, admin, { minCell: MIN_CELL, now: NOW });
    const groupCount = await db
      .selectFrom("working_groups")
      .select(sql<number>`count(*)`.as("n"))
      .executeTakeFirstOrThrow();
    expect(all).toHaveLength(Number(groupCount.n));
    expect(await staffHome(db, user("coordinator", []), { minCell: MIN_CELL })).toEqual([]);
  });

  it("reads the page in the same number of queries for one survey or many", async () => {
    let queries = 0;
    const counted = db.withPlugin({
      transformQuery: (args) => {
        queries++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    await staffHome(counted, energyCoordinator, { minCell: MIN_CELL, now: NOW });
    const forOne = queries;
    queries = 0;
    const all = await staffHome(counted, admin, { minCell: MIN_CELL, now: NOW });
    expect(all.flatMap((g) => g.surveys).length).toBeGreaterThanOrEqual(5);
    expect(queries).toBe(forOne);
    expect(queries).toBeLessThanOrEqual(6);
  });

  it("is the staff index loader, for the signed-in user's groups", async () => {
    const account = await accountWithSession(db, "health@example.org", "coordinator", ["health"]);
    const res = outcome(await staffLoader(loaderArgs("/staff", db, { cookie: account.cookie })));
    expect(res.data.groups.map((g: StaffHomeGroup) => g.slug)).toEqual(["health"]);
    expect(res.data.groups[0].surveys[0]).toMatchObject({
      slug: "health-needs-2026",
      failedEmails: 2,
    });
  });
});
