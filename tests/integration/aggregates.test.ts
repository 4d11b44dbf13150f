import { type Kysely, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "#db/client";
import type { Database } from "#db/schema";
import { drainAggregates, drainBatch, reaggregate } from "~/server/aggregates.server";
import {
  borichAnalysis,
  type DashboardSurvey,
  distributions,
  groupDashboard,
  needAnalysis,
  resolveDashboardSurvey,
  respondentProfile,
  submissionsByWeek,
} from "~/server/dashboards.server";
import { type ResponseFilters } from "~/server/filters.server";
import { addDemoResponses, addResponsesToSurvey } from "~/server/demo.server";
import { eraseResponse } from "~/server/erasure.server";
import { SURVEYS_DIR } from "~/server/startup.server";
import { participationCounts } from "~/server/dashboards/participation.server";
import { sharedNeedAggregates } from "~/server/dashboards/shared-needs.server";
import { resolveLatestSurveys } from "~/server/dashboards/survey.server";
import type { NeedAggregates } from "~/server/dashboards/needs.server";
import {
  addVersion as addSurveyVersion,
  refreshSharedCategories,
  syncSurveyDirectory,
} from "~/server/surveys.server";
import { needTaxonomy } from "~/server/need-taxonomy.server";
import { upsertWorkingGroups } from "~/server/working-groups.server";
import { COUNTRY_GROUPS } from "~/survey/countries";
import { type SurveyDefinition, surveyDefinitionSchema } from "~/survey/schema";
import { createTestDatabase, type TestDatabase } from "./db";

/*
 * The dashboard aggregates (decision 045) against the answers: random submissions, erasures,
 * profile changes, survey versions and partial drains, with a seed printed so that a failing run
 * can be replayed (AGGREGATES_SEED=…). After each step the figures counted from the aggregates
 * (stored rows plus the queue) are the figures counted from the answers, unfiltered and with each
 * single profile filter; at the end the drained table equals a rebuild from the answers.
 */

const SEED = Number(process.env.AGGREGATES_SEED ?? Math.floor(Math.random() * 1e9));
console.log(`aggregates test seed: AGGREGATES_SEED=${SEED}`);

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(SEED);
const int = (n: number) => Math.floor(random() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];

let t: TestDatabase;
let db: Db;
const GROUPS = ["energy", "health", "mobility", "nano-materials", "food-agri-bio"];
const ALL_TIME = { from: "2000-01-01", to: "2099-12-31" };
const RAW = { minCell: 1 };

/** Numbers equal to 1e-9 (relative): sums taken in another order differ in the last bits. */
function differences(a: unknown, b: unknown, path = "", out: string[] = []): string[] {
  if (typeof a === "number" && typeof b === "number") {
    if (Math.abs(a - b) > 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)))
      out.push(`${path}: ${a} ≠ ${b}`);
  } else if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) out.push(`${path}: length ${a.length} ≠ ${b.length}`);
    else a.forEach((x, i) => differences(x, b[i], `${path}[${i}]`, out));
  } else if (a && b && typeof a === "object" && typeof b === "object") {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys)
      differences(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        `${path}.${k}`,
        out,
      );
  } else if (a !== b) {
    out.push(`${path}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`);
  }
  return out;
}

/** The unfiltered view and every single profile filter with respondents (and one without). */
async function singleFilters(surveyId: number): Promise<ResponseFilters[]> {
  const values = async (column: "country" | "org_type" | "sector") =>
    (
      await db
        .selectFrom("responses")
        .select(column)
        .distinct()
        .where("survey_id", "=", surveyId)
        .where("status", "=", "submitted")
        .where(column, "is not", null)
        .execute()
    ).map((r) => r[column] as string);
  const countries = await values("country");
  return [
    {},
    { horizon: "short_term" },
    ...COUNTRY_GROUPS.map((countryGroup) => ({ countryGroup })),
    { countryGroup: "eu", horizon: "medium_term" },
    ...countries.slice(0, 4).map((country) => ({ country })),
    { country: "JP" },
    ...(await values("org_type")).map((orgType) => ({ orgType })),
    ...(await values("sector")).map((sector) => ({ sector })),
  ];
}

/** Every section counted from the aggregates and from the answers (a date range covering all). */
async function expectSameFigures(survey: DashboardSurvey, filters: ResponseFilters) {
  const sections = (f: ResponseFilters) =>
    Promise.all([
      submissionsByWeek(db, survey, f),
      respondentProfile(db, survey, f, RAW),
      needAnalysis(db, survey, f, RAW),
      borichAnalysis(db, survey, f, RAW),
      distributions(db, survey, f, RAW),
    ]);
  const [fromAggregates, fromAnswers] = await Promise.all([
    sections(filters),
    sections({ ...filters, ...ALL_TIME }),
  ]);
  expect(
    differences(fromAggregates, fromAnswers),
    `${survey.slug} ${JSON.stringify(filters)}`,
  ).toEqual([]);
}

/** Every survey's submitted and started responses from the aggregates equal a count of the rows. */
async function expectSameParticipation() {
  const rows = await db
    .selectFrom("surveys as s")
    .select([
      "s.id",
      sql<string>`(select count(*) from responses r where r.survey_id = s.id and r.status = 'submitted')`.as(
        "submitted",
      ),
      sql<string>`(select count(*) from responses r where r.survey_id = s.id)`.as("started"),
    ])
    .execute();
  const counts = await participationCounts(
    db,
    rows.map((r) => r.id),
  );
  expect(rows.map((r) => [r.id, counts.get(r.id)?.submitted, counts.get(r.id)?.started])).toEqual(
    rows.map((r) => [r.id, Number(r.submitted), Number(r.started)]),
  );
}

/** Rows of NeedAggregates in one order (the two ways of counting them list them differently). */
function sortedRows(rows: NeedAggregates) {
  const key = (r: object) =>
    JSON.stringify(Object.entries(r).filter(([k]) => !/^(mu|sdu|mi|sdi|mp|sdp)$/.test(k)));
  const sort = <T extends object>(xs: T[]) => [...xs].sort((a, b) => key(a).localeCompare(key(b)));
  return { scores: sort(rows.scores), answered: sort(rows.answered) };
}

/** The overview's shared need categories, every group and programme-wide, counted both ways. */
async function expectSameSharedFigures(filters: ResponseFilters) {
  const groups = await db.selectFrom("working_groups").select("id").execute();
  const surveys = await resolveLatestSurveys(
    db,
    groups.map((g) => g.id),
  );
  const [fromAggregates, fromAnswers] = await Promise.all([
    sharedNeedAggregates(db, surveys, filters),
    sharedNeedAggregates(db, surveys, { ...filters, ...ALL_TIME }),
  ]);
  if (Object.keys(filters).length === 0) expect(fromAggregates.scores.length).toBeGreaterThan(0);
  expect(
    differences(sortedRows(fromAggregates), sortedRows(fromAnswers)),
    `shared ${JSON.stringify(filters)}`,
  ).toEqual([]);
}

async function submittedIds(): Promise<Array<{ id: string; survey_id: number }>> {
  return db
    .selectFrom("responses")
    .select(["id", "survey_id"])
    .where("status", "=", "submitted")
    .orderBy("id")
    .execute();
}

/**
 * A new version of a survey, added as the application adds one: a scale question becomes a
 * choice, and (every other time) a need category moves to another shared category, so that the
 * shared facets of the earlier versions' responses are counted again.
 */
async function addVersion(surveyId: number, moveCategory = int(2) === 0): Promise<void> {
  const current = await db
    .selectFrom("surveys as s")
    .innerJoin("survey_versions as v", "v.id", "s.current_version_id")
    .select(["v.definition", "v.version"])
    .where("s.id", "=", surveyId)
    .executeTakeFirstOrThrow();
  const def = structuredClone(current.definition) as SurveyDefinition;
  const changeable = def.pages.flatMap((p) =>
    p.questions.filter((q) => q.type === "scale" && !q.showIf),
  );
  const target = changeable[int(changeable.length)];
  const shared = needTaxonomy().categories.map((c) => c.code);
  for (const page of def.pages) {
    page.questions = page.questions.map((q) => {
      if (q === target)
        return {
          key: q.key,
          type: "single_choice",
          label: q.label,
          options: [
            { code: `v${current.version}_a`, label: { en: "A", ru: "А" } },
            { code: `v${current.version}_b`, label: { en: "B", ru: "Б" } },
          ],
        } as never;
      if (q.type === "need_list" && moveCategory) {
        const own = q.categories.filter((c) => c.parent !== undefined);
        const moved = own[int(own.length)];
        return {
          ...q,
          categories: q.categories.map((c) =>
            c === moved
              ? { ...c, parent: shared.filter((code) => code !== c.parent)[int(shared.length - 1)] }
              : c,
          ),
        };
      }
      return q;
    });
  }
  const parsed = surveyDefinitionSchema.parse(def);
  await db
    .transaction()
    .execute((trx) =>
      addSurveyVersion(
        trx,
        surveyId,
        parsed,
        `agg-${SEED}-${current.version + 1}`,
        "",
        "file",
        null,
      ),
    );
}

async function aggregateTable(): Promise<string[]> {
  const rows = await sql<Record<string, unknown>>`select * from dashboard_aggregates`.execute(db);
  return rows.rows
    .map((r) =>
      JSON.stringify(
        Object.fromEntries(
          Object.entries(r).map(([k, v]) => [
            k,
            ["n", "e", "x", "xx", "y", "yy", "z", "zz"].includes(k) ? Number(v) : v,
          ]),
        ),
      ),
    )
    .sort();
}

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  await upsertWorkingGroups(db);
  await syncSurveyDirectory(db, SURVEYS_DIR);
  await addDemoResponses(db, { perSurvey: 25, seed: SEED % 1000 });
});

afterAll(async () => {
  await t?.close();
});

describe(`dashboard aggregates (${process.env.TEST_DATABASE_URL ? "Postgres" : "PGlite"})`, () => {
  it("give the figures of the answers through random submissions, erasures, changes and versions", async () => {
    const log: string[] = [];
    for (let step = 0; step < 10; step++) {
      const op = pick(["submit", "erase", "erase", "change", "version", "drain", "drain"] as const);
      log.push(op);
      if (op === "submit") {
        await addDemoResponses(db, { perSurvey: 1 + int(4), seed: 1000 + step + SEED });
      } else if (op === "erase") {
        const ids = await submittedIds();
        for (let i = 0; i < 1 + int(3); i++) {
          const victim = pick(ids);
          if (int(2) === 0)
            await eraseResponse(db, { responseId: victim.id }, { user: null, actor: "test" });
          else await db.deleteFrom("responses").where("id", "=", victim.id).execute();
        }
      } else if (op === "change") {
        const ids = await submittedIds();
        const victim = pick(ids);
        await db
          .updateTable("responses")
          .set({
            org_type: pick(["university", "sme", "large_company", "public_body"]),
            country: pick(["DE", "RU", "FR", "CH"]),
            country_group: pick(["eu", "ru", "other"]),
          })
          .where("id", "=", victim.id)
          .execute();
      } else if (op === "version") {
        const open = await db
          .selectFrom("surveys")
          .select("id")
          .where("status", "=", "open")
          .execute();
        await addVersion(pick(open).id);
      } else {
        await drainBatch(db, 1 + int(60));
      }
      // One survey and one view after each step; every survey and view at the end.
      const survey = (await resolveDashboardSurvey(db, pick(GROUPS)))!;
      const view = pick(await singleFilters(survey.id));
      await expectSameFigures(survey, view);
      await expectSameSharedFigures(view);
      await expectSameParticipation();
    }
    // Whatever the steps were: a need category moves to another shared category while responses
    // of every version are queued and stored.
    await addDemoResponses(db, { perSurvey: 2, seed: SEED + 11 });
    await addVersion((await resolveDashboardSurvey(db, "energy"))!.id, true);
    console.log(`aggregates test steps: ${log.join(", ")}`);
    // The shared figures are programme-wide: once per view, whichever group's it is.
    const sharedViews = new Set<string>();
    for (const group of GROUPS) {
      const survey = (await resolveDashboardSurvey(db, group))!;
      for (const filters of await singleFilters(survey.id)) {
        await expectSameFigures(survey, filters);
        const view = JSON.stringify(filters);
        if (sharedViews.has(view)) continue;
        sharedViews.add(view);
        await expectSameSharedFigures(filters);
      }
    }

    await drainAggregates(db);
    const queued = await db
      .selectFrom("aggregate_queue")
      .select(sql<string>`count(*)`.as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(queued.n)).toBe(0);
    const incremental = await aggregateTable();
    expect(incremental.length).toBeGreaterThan(0);
    await reaggregate(db);
    expect(incremental).toEqual(await aggregateTable());
    // A rebuild a few responses at a time (as at a million responses, a chunk at a time) adds
    // up to the same table.
    await reaggregate(db, { chunk: 7 });
    expect(incremental).toEqual(await aggregateTable());
    // And the drained aggregates still give the answers' figures.
    const survey = (await resolveDashboardSurvey(db, pick(GROUPS)))!;
    for (const filters of await singleFilters(survey.id)) await expectSameFigures(survey, filters);
  }, 300_000);

  it("count the shared need categories of a database that had none (as after its migration)", async () => {
    await addDemoResponses(db, { perSurvey: 3, seed: SEED + 13 });
    await drainBatch(db, 4);
    const complete = await aggregateTable();
    await db.deleteFrom("need_shared_categories").execute();
    await db
      .deleteFrom("dashboard_aggregates")
      .where("facet", "in", ["shared_need", "shared_answered"])
      .execute();
    const recounted = await refreshSharedCategories(db);
    expect(recounted.length).toBe(GROUPS.length);
    expect(await aggregateTable()).toEqual(complete);
    // Nothing changed since: nothing is counted again.
    expect(await refreshSharedCategories(db)).toEqual([]);
    await expectSameSharedFigures({});
  });

  it("show a submission or an erasure on another instance at once", async () => {
    // Another instance: its own connection pool (Postgres), or its own Kysely instance (and so
    // its own per-instance state) on the same embedded database.
    const other: Kysely<Database> =
      t.driver === "pg"
        ? await createDb({ driver: "pg", url: t.url!, poolSize: 2 })
        : db.withPlugin({
            transformQuery: (args) => args.node,
            transformResult: async (args) => args.result,
          });
    try {
      const survey = (await resolveDashboardSurvey(db, "energy"))!;
      const before = await groupDashboard(db, survey, {}, RAW);
      await groupDashboard(db, survey, {}, RAW);
      const version = await db
        .selectFrom("surveys as s")
        .innerJoin("survey_versions as v", "v.id", "s.current_version_id")
        .select(["v.id", "v.definition"])
        .where("s.id", "=", survey.id)
        .executeTakeFirstOrThrow();
      const known = new Set((await submittedIds()).map((r) => r.id));
      await addResponsesToSurvey(
        other,
        survey.id,
        version.id,
        version.definition as SurveyDefinition,
        { perSurvey: 1, seed: SEED + 7 },
      );
      const after = await groupDashboard(db, survey, {}, RAW);
      expect(after.participation.submitted).toBe(before.participation.submitted + 1);
      expect(after.participation.matching).toBe((before.participation.matching as number) + 1);
      expect(after.profile?.total).toBe(before.profile!.total + 1);

      const newest = (await submittedIds()).find((r) => !known.has(r.id))!;
      await drainAggregates(other);
      await eraseResponse(other, { responseId: newest.id }, { user: null, actor: "test" });
      const erased = await groupDashboard(db, survey, {}, RAW);
      expect(erased.participation.submitted).toBe(before.participation.submitted);
      expect(differences(erased.distributions, before.distributions)).toEqual([]);
      expect(differences(erased.needs, before.needs)).toEqual([]);
    } finally {
      if (other !== db && t.driver === "pg") await other.destroy();
    }
  });
});
