import { sql } from "kysely";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "#db/client";
import { loader as groupLoader } from "~/routes/staff.groups.$group._index";
import { loader as reportLoader } from "~/routes/staff.groups.$group.report";
import { action as textsAction, loader as textsLoader } from "~/routes/staff.groups.$group.texts";
import {
  action as themesAction,
  loader as themesLoader,
} from "~/routes/staff.groups.$group.themes";
import { loader as overviewLoader } from "~/routes/staff.overview";
import { loader as overallReportLoader } from "~/routes/staff.report";
import { commitSession, createSession } from "~/server/auth.server";
import {
  borichAnalysis,
  clearDashboardCache,
  type DashboardSurvey,
  distributions,
  type Distribution,
  groupDashboard,
  type MeanStat,
  needAnalysis,
  overview,
  participation,
  poolSmallCodes,
  protectPartition,
  resolveDashboardSurvey,
  respondentProfile,
  themeCounts,
} from "~/server/dashboards.server";
import { type ResponseFilters, parseResponseFilters } from "~/server/filters.server";
import { mergeVersions, refreshSharedCategories } from "~/server/surveys.server";
import type { NeedRank } from "~/server/dashboards/views";
import { profileColumns } from "~/server/respondent-profile";
import {
  createTheme,
  listFreeTexts,
  listThemes,
  mergeThemes,
  renameTheme,
  tagAnswer,
  untagAnswer,
} from "~/server/themes.server";
import { saveAccount } from "~/server/users.server";
import { upsertWorkingGroups } from "~/server/working-groups.server";
import { type Answers, type SurveyDefinition, surveyDefinitionSchema } from "~/survey/schema";
import { borichMwds, estimateMean, median, priorityScore } from "~/survey/scoring";
import { answersToRows } from "~/survey/storage";
import { createTestDatabase, type TestDatabase } from "./db";
import { actionArgs, loaderArgs, testEnv } from "./remix";

/*
 * A hand-made survey of the energy group with two versions and twelve submitted responses
 * (plus two drafts). Every expected figure below is worked out by hand from the table of
 * answers in `RESPONSES`; the comments show the arithmetic.
 */

const label = (en: string) => ({ en, ru: `${en} (ru)` });
const options = (...codes: string[]) => codes.map((code) => ({ code, label: label(code) }));

function definition(version: 1 | 2): SurveyDefinition {
  return surveyDefinitionSchema.parse({
    slug: "fixture-needs",
    workingGroup: "energy",
    status: "open",
    title: label(`Fixture survey v${version}`),
    pages: [
      {
        key: "profile",
        title: label("Profile"),
        questions: [
          { key: "country", type: "country", required: true, label: label("Country") },
          {
            key: "org_type",
            type: "single_choice",
            required: true,
            label: label("Organisation"),
            options: options("university", "sme", "other"),
          },
          {
            key: "sector",
            type: "single_choice",
            required: true,
            label: label("Sector"),
            options: options("higher_education", "business"),
          },
        ],
      },
      {
        key: "main",
        title: label("Main"),
        questions: [
          {
            key: "q_choice",
            type: "single_choice",
            label: label("Choice"),
            options: options(...(version === 1 ? ["a", "b", "c"] : ["a", "b", "c", "d"])),
          },
          {
            key: "q_multi",
            type: "multi_choice",
            label: label("Multi"),
            options: options("x", "y", "z"),
            other: true,
          },
          { key: "q_scale", type: "scale", label: label("Scale"), min: 1, max: 5 },
          { key: "q_matrix", type: "matrix", label: label("Matrix"), rows: options("r1", "r2") },
          {
            key: "q_rank",
            type: "ranking",
            label: label("Ranking"),
            items: options("i1", "i2", "i3"),
          },
          { key: "q_num", type: "number", label: label("Number"), min: 0, max: 100, integer: true },
          {
            key: "q_needs",
            type: "need_list",
            label: label("Needs"),
            categories: options("funding", "mobility"),
          },
          {
            key: "q_borich",
            type: "borich",
            label: label("Competences"),
            statements: options("s1", "s2"),
          },
          { key: "q_text", type: "long_text", label: label("Comments") },
          // The key keeps its name but changes type: v1 asked yes/no, v2 a 1–5 scale.
          version === 1
            ? {
                key: "q_changed",
                type: "single_choice",
                label: label("Changed"),
                options: options("yes", "no"),
              }
            : { key: "q_changed", type: "scale", label: label("Changed"), min: 1, max: 5 },
          ...(version === 1
            ? [
                {
                  key: "q_old",
                  type: "single_choice",
                  label: label("Old"),
                  options: options("p", "q"),
                },
              ]
            : []),
        ],
      },
    ],
  });
}

type Need = [
  category: "funding" | "mobility",
  horizon: "short_term" | "medium_term",
  urgency: number,
  importance: number,
];

interface Fixture {
  version: 1 | 2;
  country: string;
  org: string;
  sector: string;
  day: string;
  choice?: string;
  multi?: { selected: string[]; other?: string };
  scale: number;
  matrix: Record<string, number>;
  rank?: [number, number, number];
  num?: number;
  needs?: Need[];
  borich?: [[number, number], [number, number]];
  text?: string;
  changed: string | number;
  old?: string;
}

// r1–r6 EU (DE, FR), r7–r11 Russia, r12 other (CH); r1–r4 answered version 1.
const RESPONSES: Fixture[] = [
  /* r1  */ {
    version: 1,
    country: "DE",
    org: "university",
    sector: "higher_education",
    day: "2026-03-02",
    choice: "a",
    multi: { selected: ["x", "y"] },
    scale: 4,
    matrix: { r1: 5, r2: 2 },
    rank: [1, 2, 3],
    num: 10,
    needs: [
      ["funding", "short_term", 4, 5],
      ["mobility", "medium_term", 2, 3],
    ],
    borich: [
      [5, 2],
      [3, 3],
    ],
    text: "Funding cycles do not match",
    changed: "yes",
    old: "p",
  },
  /* r2  */ {
    version: 1,
    country: "DE",
    org: "university",
    sector: "higher_education",
    day: "2026-03-02",
    choice: "a",
    multi: { selected: ["x"] },
    scale: 5,
    matrix: { r1: 4, r2: 3 },
    rank: [1, 3, 2],
    num: 20,
    needs: [["funding", "short_term", 5, 5]],
    borich: [
      [4, 2],
      [2, 4],
    ],
    text: "Visa delays are the main obstacle",
    changed: "no",
    old: "q",
  },
  /* r3  */ {
    version: 1,
    country: "DE",
    org: "university",
    sector: "higher_education",
    day: "2026-03-03",
    choice: "b",
    multi: { selected: ["x", "z"] },
    scale: 3,
    matrix: { r1: 4, r2: 2 },
    rank: [2, 1, 3],
    num: 30,
    needs: [
      ["funding", "short_term", 3, 4],
      ["funding", "medium_term", 2, 2],
    ],
    borich: [
      [5, 3],
      [3, 4],
    ],
    changed: "yes",
    old: "p",
  },
  /* r4  */ {
    version: 1,
    country: "FR",
    org: "university",
    sector: "higher_education",
    day: "2026-03-03",
    choice: "a",
    multi: { selected: ["y"] },
    scale: 4,
    matrix: { r1: 5, r2: 1 },
    rank: [1, 2, 3],
    num: 40,
    needs: [["funding", "short_term", 4, 4]],
    borich: [
      [4, 4],
      [2, 2],
    ],
    changed: "yes",
    old: "p",
  },
  /* r5  */ {
    version: 2,
    country: "FR",
    org: "university",
    sector: "higher_education",
    day: "2026-03-04",
    choice: "a",
    multi: { selected: ["x", "y"] },
    scale: 2,
    matrix: { r1: 3 },
    rank: [3, 1, 2],
    num: 50,
    needs: [
      ["funding", "short_term", 5, 4],
      ["mobility", "short_term", 3, 3],
    ],
    borich: [
      [3, 1],
      [4, 3],
    ],
    text: "Better funding alignment needed",
    changed: 2,
  },
  /* r6  */ {
    version: 2,
    country: "FR",
    org: "university",
    sector: "higher_education",
    day: "2026-03-04",
    choice: "b",
    multi: { selected: ["x"] },
    scale: 5,
    matrix: { r1: 4 },
    rank: [1, 2, 3],
    num: 60,
    needs: [["funding", "medium_term", 3, 5]],
    borich: [
      [5, 2],
      [3, 5],
    ],
    changed: 3,
  },
  /* r7  */ {
    version: 2,
    country: "RU",
    org: "university",
    sector: "higher_education",
    day: "2026-03-05",
    choice: "a",
    multi: { selected: ["y", "z"] },
    scale: 4,
    matrix: { r1: 5 },
    rank: [2, 3, 1],
    num: 70,
    needs: [["mobility", "short_term", 4, 5]],
    borich: [
      [4, 3],
      [2, 3],
    ],
    changed: 4,
  },
  /* r8  */ {
    version: 2,
    country: "RU",
    org: "sme",
    sector: "higher_education",
    day: "2026-03-05",
    choice: "c",
    multi: { selected: ["x"], other: "Need faster visas" },
    scale: 3,
    matrix: { r1: 4 },
    rank: [1, 2, 3],
    num: 80,
    needs: [["funding", "short_term", 2, 3]],
    borich: [
      [5, 1],
      [3, 2],
    ],
    changed: 5,
  },
  /* r9  */ {
    version: 2,
    country: "RU",
    org: "sme",
    sector: "business",
    day: "2026-03-10",
    choice: "a",
    multi: { selected: ["x", "y", "z"] },
    scale: 4,
    matrix: { r1: 4 },
    rank: [1, 3, 2],
    num: 90,
    needs: [["mobility", "medium_term", 5, 5]],
    borich: [
      [4, 2],
      [2, 4],
    ],
    changed: 1,
  },
  /* r10 */ {
    version: 2,
    country: "RU",
    org: "sme",
    sector: "business",
    day: "2026-03-10",
    choice: "b",
    scale: 5,
    matrix: { r1: 3 },
    rank: [2, 1, 3],
    num: 100,
    needs: [["funding", "medium_term", 4, 4]],
    borich: [
      [3, 3],
      [3, 3],
    ],
    changed: 2,
  },
  /* r11 */ {
    version: 2,
    country: "RU",
    org: "sme",
    sector: "business",
    day: "2026-03-10",
    choice: "d",
    multi: { selected: ["y"] },
    scale: 1,
    matrix: { r1: 5 },
    needs: [["funding", "short_term", 3, 5]],
    changed: 3,
  },
  /* r12 */ {
    version: 2,
    country: "CH",
    org: "other",
    sector: "business",
    day: "2026-03-10",
    multi: { selected: [], other: "Customs for samples" },
    scale: 4,
    matrix: { r1: 4 },
    changed: 4,
  },
];

function toAnswers(r: Fixture): Answers {
  const a: Answers = {
    country: r.country,
    org_type: r.org,
    sector: r.sector,
    q_scale: r.scale,
    q_matrix: r.matrix,
    q_changed: r.changed,
  };
  if (r.choice) a.q_choice = r.choice;
  if (r.multi)
    a.q_multi = r.multi.other
      ? { selected: r.multi.selected, other: r.multi.other }
      : { selected: r.multi.selected };
  if (r.rank) a.q_rank = { i1: r.rank[0], i2: r.rank[1], i3: r.rank[2] };
  if (r.num !== undefined) a.q_num = r.num;
  if (r.needs) {
    a.q_needs = r.needs.map(([category, horizon, urgency, importance], i) => ({
      id: `n${i + 1}`,
      title: category === "funding" ? "Joint calls" : "Exchange grants",
      ...(r === RESPONSES[1] && i === 0 ? { description: "Synchronised funding cycles" } : {}),
      category,
      horizon,
      urgency,
      importance,
    }));
  }
  if (r.borich)
    a.q_borich = {
      s1: { importance: r.borich[0][0], current: r.borich[0][1] },
      s2: { importance: r.borich[1][0], current: r.borich[1][1] },
    };
  if (r.text) a.q_text = r.text;
  if (r.old) a.q_old = r.old;
  return a;
}

let t: TestDatabase;
let db: Db;
let groupIds: Record<string, number>;
let survey: DashboardSurvey;
let surveyId: number;
let versionIds: number[];
const responseIds: string[] = [];
const users: Record<"admin" | "energy" | "health", { id: number; email: string; cookie: string }> =
  {} as never;
const MIN = 5;
const opts = { minCell: MIN };

async function insertResponse(
  def: SurveyDefinition,
  versionId: number,
  answers: Answers,
  status: "submitted" | "in_progress",
  day: string,
  invitationId: number | null,
) {
  const id = crypto.randomUUID();
  await db
    .insertInto("responses")
    .values({
      id,
      survey_id: surveyId,
      survey_version_id: versionId,
      invitation_id: invitationId,
      locale: "en",
      status,
      idempotency_key: randomBytes(8).toString("hex"),
      started_at: `${day}T09:00:00Z`,
      submitted_at: status === "submitted" ? `${day}T10:00:00Z` : null,
      ...(status === "submitted" ? profileColumns(answers) : {}),
    })
    .execute();
  const rows = answersToRows(def, answers).map((row) => ({
    response_id: id,
    survey_id: surveyId,
    question_key: row.questionKey,
    item: row.item,
    option_code: row.optionCode,
    value_num: row.valueNum,
    value_text: row.valueText,
    value_json: row.valueJson == null ? null : JSON.stringify(row.valueJson),
  }));
  await db.insertInto("answers").values(rows).execute();
  return id;
}

async function cookieFor(userId: number): Promise<string> {
  const session = await createSession(db, userId);
  return (await commitSession(testEnv, session)).split(";")[0];
}

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  await upsertWorkingGroups(db);
  const groups = await db.selectFrom("working_groups").select(["id", "slug"]).execute();
  groupIds = Object.fromEntries(groups.map((g) => [g.slug, g.id]));
  const s = await db
    .insertInto("surveys")
    .values({
      slug: "fixture-needs",
      working_group_id: groupIds.energy,
      status: "open",
      access_mode: "open_link",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  surveyId = s.id;
  const defs = { 1: definition(1), 2: definition(2) };
  versionIds = [];
  for (const v of [1, 2] as const) {
    const row = await db
      .insertInto("survey_versions")
      .values({
        survey_id: surveyId,
        version: v,
        definition: JSON.stringify(defs[v]),
        content_hash: `h${v}`,
        source_yaml: "",
        origin: "file",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    versionIds.push(row.id);
  }
  await db
    .updateTable("surveys")
    .set({ current_version_id: versionIds[1] })
    .where("id", "=", surveyId)
    .execute();
  // What adding a version through the application does (surveys.server.ts addVersion).
  await refreshSharedCategories(db, [surveyId]);
  // Three active invitations and a revoked one; r1 and r2 came through invitations.
  const invitations = [];
  for (const [i, status] of (["active", "active", "active", "revoked"] as const).entries()) {
    const inv = await db
      .insertInto("invitations")
      .values({
        survey_id: surveyId,
        token_hash: randomBytes(16).toString("hex"),
        name: `Invitee ${i}`,
        locale: "en",
        status,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    invitations.push(inv.id);
  }
  for (const [i, r] of RESPONSES.entries()) {
    responseIds.push(
      await insertResponse(
        defs[r.version],
        versionIds[r.version - 1],
        toAnswers(r),
        "submitted",
        r.day,
        i < 2 ? invitations[i] : null,
      ),
    );
  }
  // Two drafts with answers that must never be counted.
  for (const day of ["2026-03-04", "2026-03-11"]) {
    await insertResponse(
      defs[2],
      versionIds[1],
      {
        q_choice: "c",
        q_scale: 1,
        q_needs: [
          {
            id: "n1",
            title: "Draft",
            category: "mobility",
            horizon: "short_term",
            urgency: 1,
            importance: 1,
          },
        ],
      },
      "in_progress",
      day,
      null,
    );
  }
  survey = (await resolveDashboardSurvey(db, "energy"))!;

  const make = async (email: string, role: string, groups: string[]) => {
    const r = await saveAccount(
      db,
      { email, password: "correct horse battery", role, groups, name: "" },
      { by: null, actor: "test" },
    );
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    return { id: r.id, email, cookie: await cookieFor(r.id) };
  };
  users.admin = await make("admin@example.org", "admin", []);
  users.energy = await make("energy@example.org", "coordinator", ["energy"]);
  users.health = await make("health@example.org", "coordinator", ["health"]);
});
afterAll(() => t?.close());

/** The figure rounded to 3 decimals, for comparing with hand-computed values. */
const r3 = (x: number | null | undefined) =>
  x === null || x === undefined ? x : Math.round(x * 1000) / 1000;
const stat3 = (s: MeanStat | null) =>
  s
    ? { n: s.n, mean: r3(s.mean), sd: r3(s.sd), ciLower: r3(s.ciLower), ciUpper: r3(s.ciUpper) }
    : s;
function dist<K extends Distribution["kind"]>(
  list: Distribution[],
  key: string,
  kind: K,
): Extract<Distribution, { kind: K }> {
  const d = list.find((x) => x.key === key);
  if (!d || d.kind !== kind) throw new Error(`no ${kind} distribution for ${key}`);
  return d as Extract<Distribution, { kind: K }>;
}

describe(`dashboard figures (${process.env.TEST_DATABASE_URL ? "Postgres" : "PGlite"})`, () => {
  it("merges the versions by key and keeps a changed key's current type", () => {
    expect(survey.slug).toBe("fixture-needs");
    expect(survey.versionCount).toBe(2);
    const changed = survey.questions.find((q) => q.key === "q_changed")!;
    expect(changed.type).toBe("scale");
    expect(changed.versionIds).toEqual([versionIds[1]]);
    const choice = survey.questions.find((q) => q.key === "q_choice")!;
    expect(choice.versionIds).toBeNull();
    expect(choice.codes.map((c) => c.code)).toEqual(["a", "b", "c", "d"]);
    const old = survey.questions.find((q) => q.key === "q_old")!;
    expect(old.inCurrentVersion).toBe(false);
    // The pure merge, directly: the newest definition wins labels.
    const merged = mergeVersions(
      [
        { id: 1, version: 1, definition: definition(1) },
        { id: 2, version: 2, definition: definition(2) },
      ],
      2,
    );
    expect(merged.map((q) => q.key).slice(-2)).toEqual(["q_changed", "q_old"]);
  });

  it("counts participation: invited, started, submitted, rates and weeks", async () => {
    const p = await participation(db, survey, {}, opts);
    // 3 active invitations (the revoked one does not count); 12 submitted + 2 drafts started.
    expect(p.invited).toBe(3);
    expect(p.started).toBe(14);
    expect(p.submitted).toBe(12);
    expect(r3(p.completionRate)).toBe(0.857); // 12 / 14
    expect(r3(p.responseRate)).toBe(0.667); // 2 invitation responses / 3 invitations
    expect(p.matching).toBe(12);
    // Week of Monday 2 March: r1–r8 (8); week of 9 March: r9–r12 (4 < 5, suppressed), so the
    // 8 is withheld too (it would give the 4 away as 12 − 8).
    expect(p.weeks).toEqual([
      { week: "2026-03-02", count: "withheld" },
      { week: "2026-03-09", count: "suppressed" },
    ]);
  });

  it("breaks the respondents down with small cells suppressed", async () => {
    const profile = await respondentProfile(db, survey, {}, opts);
    expect(profile.total).toBe(12);
    // EU 6, Russia 5, other 1: the 1 is suppressed. Russia's 5 is shown anyway as the country
    // RU below (Russia is one country), so withholding it would not help: the EU's 6 is withheld.
    expect(profile.breakdowns.country_group.map((c) => [c.code, c.count])).toEqual([
      ["eu", "withheld"],
      ["ru", 5],
      ["other", "suppressed"],
    ]);
    expect(profile.breakdowns.country_group[0].share).toBeNull();
    // RU 5 is listed; DE 3, FR 3 and CH 1 are pooled (7) so that no small country is named.
    expect(profile.breakdowns.country.map((c) => [c.code, c.count])).toEqual([
      ["RU", 5],
      ["_small", 7],
    ]);
    // university 7, sme 4, other 1: two small cells, no secondary suppression needed.
    expect(profile.breakdowns.org_type.map((c) => [c.code, c.count])).toEqual([
      ["university", 7],
      ["sme", "suppressed"],
      ["other", "suppressed"],
    ]);
    // higher_education 8, business 4 → 4 suppressed, so 8 withheld.
    expect(profile.breakdowns.sector.map((c) => [c.code, c.count])).toEqual([
      ["higher_education", "withheld"],
      ["business", "suppressed"],
    ]);
  });

  it("counts choice, multiple choice, scale, matrix, ranking and number questions", async () => {
    const list = await distributions(db, survey, {}, opts);
    // Profile questions are shown in the profile section, not here.
    expect(list.map((d) => d.key)).toEqual([
      "q_choice",
      "q_multi",
      "q_scale",
      "q_matrix",
      "q_rank",
      "q_num",
      "q_changed",
      "q_old",
    ]);

    // q_choice: a ×6 (r1 r2 r4 r5 r7 r9), b ×3, c ×1, d ×1 (only in v2), r12 did not answer: 11.
    const choice = dist(list, "q_choice", "choice");
    expect(choice.answered).toBe(11);
    expect(choice.options.map((o) => [o.code, o.count])).toEqual([
      ["a", 6],
      ["b", "suppressed"],
      ["c", "suppressed"],
      ["d", "suppressed"],
    ]);
    expect(r3(choice.options[0].share)).toBe(0.545); // 6 / 11

    // q_multi: x ×7, y ×6, z ×3, other ×2 (r8, r12); 11 respondents (r10 skipped it).
    const multi = dist(list, "q_multi", "multi");
    expect(multi.answered).toBe(11);
    expect(multi.options.map((o) => [o.code, o.count, r3(o.share)])).toEqual([
      ["x", 7, 0.636],
      ["y", 6, 0.545],
      ["z", "suppressed", null],
    ]);
    expect(multi.other).toBe("suppressed");

    // q_scale: 4 5 3 4 2 5 4 3 4 5 1 4 → n 12, Σ 44, mean 3.667; sorted 1 2 3 3 4 4|4 4 4 5 5 5 →
    // median 4; Σx² 178, SS = 178 − 44²/12 = 16.667, sd = √(16.667/11) = 1.231;
    // CI = 3.667 ± 2.201 × 1.231 / √12 = 3.667 ± 0.782.
    const scale = dist(list, "q_scale", "scale");
    expect(scale.answered).toBe(12);
    expect(stat3(scale.summary.mean)).toEqual({
      n: 12,
      mean: 3.667,
      sd: 1.231,
      ciLower: 2.885,
      ciUpper: 4.449,
    });
    expect(scale.summary.median).toBe(4);
    expect(scale.values.map((v) => v.count)).toEqual([
      "suppressed",
      "suppressed",
      "suppressed",
      5,
      "suppressed",
    ]);
    const values = RESPONSES.map((r) => r.scale);
    const reference = estimateMean(values);
    expect(r3(scale.summary.mean!.ciLower)).toBe(r3(reference.ci!.lower));
    expect(scale.summary.median).toBe(median(values));

    // q_matrix r1: 5 4 4 5 3 4 5 4 4 3 5 4 → Σ 50, mean 4.167, median 4; r2 answered by 4 only.
    const matrix = dist(list, "q_matrix", "matrix");
    expect(matrix.answered).toBe(12);
    const [row1, row2] = matrix.rows;
    expect(row1.answered).toBe(12);
    expect(r3(row1.summary.mean?.mean)).toBe(4.167);
    expect(row1.summary.median).toBe(4);
    expect(row2.answered).toBe("suppressed");
    expect(row2.summary.mean).toBeNull();
    expect(row2.summary.median).toBeNull();

    // q_rank (r1–r10): i1 ranks 1 1 2 1 3 1 2 1 1 2 → mean 1.5; i2 → 2.0; i3 → 2.5.
    const rank = dist(list, "q_rank", "ranking");
    expect(rank.answered).toBe(10);
    expect(rank.items.map((i) => [i.code, r3(i.meanRank?.mean)])).toEqual([
      ["i1", 1.5],
      ["i2", 2],
      ["i3", 2.5],
    ]);
    // i1 was ranked first by 6, second by 3, third by 1.
    expect(rank.items[0].ranks.map((r) => r.count)).toEqual([6, "suppressed", "suppressed"]);

    // q_num: 10, 20, …, 100 → mean 55, median 55, SS 8250, sd = √(8250/9) = 30.277,
    // CI = 55 ± 2.2622 × 30.277 / √10 = 55 ± 21.659. Bins: p05 = 14.5, p95 = 95.5, width
    // (95.5 − 14.5)/6 = 13.5 rounded up to 20, from 0: below 20 | 20–40 | … | 80–100 | 100 or more.
    const num = dist(list, "q_num", "number");
    expect(num.answered).toBe(10);
    expect(stat3(num.summary.mean)).toEqual({
      n: 10,
      mean: 55,
      sd: 30.277,
      ciLower: 33.341,
      ciUpper: 76.659,
    });
    expect(num.summary.median).toBe(55);
    expect(num.bins.map((b) => [b.lower, b.upper])).toEqual([
      [null, 20],
      [20, 40],
      [40, 60],
      [60, 80],
      [80, 100],
      [100, null],
    ]);
    expect(num.bins.every((b) => b.count === "suppressed")).toBe(true);

    // q_changed: only the version-2 scale answers count (r5–r12: 2 3 4 5 1 2 3 4 → mean 3).
    const changed = dist(list, "q_changed", "scale");
    expect(changed.answered).toBe(8);
    expect(changed.summary.mean?.mean).toBe(3);

    // q_old was asked in version 1 only (4 answers): suppressed.
    expect(dist(list, "q_old", "choice").answered).toBe("suppressed");
  });

  it("ranks needs by priority score with n and confidence interval", async () => {
    const [needs] = await needAnalysis(db, survey, {}, opts);
    // Respondents with at least one need: r1–r11 = 11; short term 8, medium term 5.
    expect(needs.answered).toBe(11);

    // Funding, short term: r1 (4,5) r2 (5,5) r3 (3,4) r4 (4,4) r5 (5,4) r8 (2,3) r11 (3,5).
    // Priorities u·i/25·100: 80 100 48 64 80 24 60 → Σ 456, mean 65.143; Σp² 33376,
    // SS = 33376 − 456²/7 = 3670.857, sd = √(3670.857/6) = 24.735;
    // CI = 65.143 ± 2.4469 × 24.735 / √7 = 65.143 ± 22.876.
    // (The arithmetic without small-group protection; what it hides is checked below.)
    const [raw] = await needAnalysis(db, survey, {}, { minCell: 1 });
    const funding = raw.ranked.short_term.find((r) => r.category === "funding")!;
    expect(funding.respondents).toBe(7);
    expect(funding.entries).toBe(7);
    expect(r3(funding.urgency?.mean)).toBe(3.714); // 26 / 7
    expect(r3(funding.importance?.mean)).toBe(4.286); // 30 / 7
    expect(stat3(funding.priority)).toEqual({
      n: 7,
      mean: 65.143,
      sd: 24.735,
      ciLower: 42.267,
      ciUpper: 88.019,
    });
    const ref = priorityScore(
      RESPONSES.flatMap((r, index) =>
        (r.needs ?? []).map((n) => ({ need: n, respondent: `r${index + 1}` })),
      )
        .filter(({ need: [c, h] }) => c === "funding" && h === "short_term")
        .map(({ need: [, , urgency, importance], respondent }) => ({
          respondent,
          urgency,
          importance,
        })),
    );
    expect(r3(funding.priority!.mean)).toBe(r3(ref.mean));
    expect(r3(funding.priority!.ciUpper)).toBe(r3(ref.ci!.upper));
    expect(raw.ranked.short_term[0].category).toBe("funding");

    // Mobility short term: r5, r7 only → suppressed, no means.
    const mobility = needs.ranked.short_term.find((r) => r.category === "mobility")!;
    expect(mobility.respondents).toBe("suppressed");
    expect(mobility.priority).toBeNull();

    // Both horizons: funding named by 9 respondents (r3 in both horizons counts once), 10 needs.
    // The respondent is the unit: r3's 48 and 16 average to 32 first, so the score is
    // (80 + 100 + 32 + 64 + 80 + 60 + 24 + 64 + 60) / 9 = 564 / 9 = 62.667 over n = 9 (the mean
    // over the 10 entries, 59.6, counted r3 twice).
    const fundingAll = needs.ranked.all.find((r) => r.category === "funding")!;
    expect(fundingAll.respondents).toBe(9);
    expect(fundingAll.entries).toBe(10);
    expect(r3(fundingAll.priority?.mean)).toBe(62.667);
    expect(fundingAll.priority?.n).toBe(9);

    // Category × horizon: funding short term 7 of 11 respondents, medium term 3 (r3, r6, r10),
    // both 9. Both = short + medium would give the 3 away (9 − 7 ≥ 2), so the smaller of the
    // two totals beside it, short term, is withheld (docs/statistics.md).
    const cell = raw.matrix.find((m) => m.category === "funding")!.cells;
    expect(cell.short_term.respondents).toBe(7);
    expect(r3(cell.short_term.share)).toBe(0.636);
    const shown = needs.matrix.find((m) => m.category === "funding")!.cells;
    expect(shown.short_term).toEqual({ respondents: "withheld", entries: "withheld", share: null });
    expect(shown.medium_term.respondents).toBe("suppressed");
    expect(shown.all.respondents).toBe(9);
    expect(needs.ranked.short_term.find((r) => r.category === "funding")).toMatchObject({
      respondents: "withheld",
      priority: null,
    });

    // By country group, funding short term: EU r1–r5 (5), Russia r8 r11 (2), other none: the 2 is
    // suppressed; the total 7 beside it is withheld, so the EU 5 can be shown.
    const compare = needs.byCountryGroup.short_term.find((r) => r.category === "funding")!;
    expect(compare.groups.eu.respondents).toBe(5);
    expect(r3(compare.groups.eu.priority?.mean)).toBe(74.4); // 80 100 48 64 80
    expect(compare.groups.ru).toEqual({ respondents: "suppressed", priority: null });
    expect(compare.groups.other).toEqual({ respondents: 0, priority: null });
  });

  it("ranks Borich statements by MWDS with the CI of the gap and quadrants", async () => {
    const [b] = await borichAnalysis(db, survey, {}, opts);
    // s1 (r1–r10): importance Σ 42 → 4.2, current Σ 23 → 2.3, gaps 3 2 2 0 2 3 1 4 2 0 → 1.9;
    // MWDS = 1.9 × 4.2 = 7.98; gap SS = 51 − 19²/10 = 14.9, sd = √(14.9/9) = 1.287,
    // CI = 1.9 ± 2.2622 × 1.287 / √10 = 1.9 ± 0.920.
    // s2: importance 2.7, current 3.3, gap −0.6, MWDS −1.62.
    expect(b.statements.map((s) => [s.statement, s.respondents, r3(s.mwds)])).toEqual([
      ["s1", 10, 7.98],
      ["s2", 10, -1.62],
    ]);
    const s1 = b.statements[0];
    expect(r3(s1.importance?.mean)).toBe(4.2);
    expect(r3(s1.current?.mean)).toBe(2.3);
    expect(stat3(s1.discrepancy)).toEqual({
      n: 10,
      mean: 1.9,
      sd: 1.287,
      ciLower: 0.98,
      ciUpper: 2.82,
    });
    expect(r3(s1.mwds)).toBe(
      r3(
        borichMwds(
          RESPONSES.filter((r) => r.borich).map((r) => ({
            importance: r.borich![0][0],
            current: r.borich![0][1],
          })),
        ),
      ),
    );
    // Means over statements: importance 3.45, current 2.8 → s1 act first, s2 possible overkill.
    expect(r3(b.meanImportance)).toBe(3.45);
    expect(r3(b.meanCurrent)).toBe(2.8);
    expect(b.statements.map((s) => s.quadrant)).toEqual(["act_first", "possible_overkill"]);
  });

  it("applies every filter", async () => {
    const matching = async (filters: ResponseFilters) =>
      (await participation(db, survey, filters, opts)).matching;
    expect(await matching({ countryGroup: "eu" })).toBe(6);
    expect(await matching({ country: "RU" })).toBe(5);
    expect(await matching({ orgType: "sme" })).toBe("suppressed"); // 4
    expect(await matching({ orgType: "university" })).toBe(7);
    expect(await matching({ sector: "higher_education" })).toBe(8);
    expect(await matching({ from: "2026-03-03", to: "2026-03-05" })).toBe(6); // r3–r8
    expect(await matching({ from: "2026-03-10" })).toBe("suppressed"); // r9–r12
    expect(await matching({ to: "2026-03-01" })).toBe(0);

    // EU only: scale 4 5 3 4 2 5 → mean 23/6 = 3.833; funding short term now shown: r1–r5,
    // priorities 80 100 48 64 80 → 74.4.
    const eu = await distributions(db, survey, { countryGroup: "eu" }, opts);
    expect(r3(dist(eu, "q_scale", "scale").summary.mean?.mean)).toBe(3.833);
    const [needsEu] = await needAnalysis(db, survey, { countryGroup: "eu" }, { minCell: 1 });
    expect(
      r3(needsEu.ranked.short_term.find((r) => r.category === "funding")?.priority?.mean),
    ).toBe(74.4);
    // Protected: short 5, medium 2 (suppressed), both 6. The EU view is the EU column of the
    // unfiltered table and shows each cell as that table does (hidden there, hidden here), so
    // the two views together give nothing away.
    const [euShown] = await needAnalysis(db, survey, { countryGroup: "eu" }, opts);
    const [unfiltered] = await needAnalysis(db, survey, {}, opts);
    for (const h of ["short_term", "medium_term", "all"] as const) {
      const wide = unfiltered.byCountryGroup[h].find((r) => r.category === "funding")!.groups.eu;
      const cell = euShown.matrix.find((m) => m.category === "funding")!.cells[h];
      expect([h, cell.respondents]).toEqual([h, wide.respondents]);
    }
    expect(
      euShown.matrix.find((m) => m.category === "funding")!.cells.medium_term.respondents,
    ).toBe("suppressed");

    // Horizon: only short-term needs count, in every grouping; the base of the shares stays the
    // 11 respondents who answered the need question (8 of them named a short-term need).
    const [short] = await needAnalysis(db, survey, { horizon: "short_term" }, opts);
    expect(short.answered).toBe(11);
    const [shortAll] = await needAnalysis(db, survey, { horizon: "short_term" }, { minCell: 1 });
    expect(r3(shortAll.ranked.all.find((r) => r.category === "funding")?.priority?.mean)).toBe(
      65.143,
    );
    // The short-term view is the short-term row of the unfiltered table: each cell as shown there.
    for (const m of short.matrix) {
      const wide = unfiltered.matrix.find((x) => x.category === m.category)!.cells.short_term;
      expect([m.category, m.cells.all.respondents]).toEqual([m.category, wide.respondents]);
      expect([m.category, m.cells.short_term.respondents]).toEqual([m.category, wide.respondents]);
      expect(m.cells.medium_term.respondents).toBe(0);
    }

    // A filter that leaves 1–4 respondents withholds every figure.
    clearDashboardCache(db);
    const small = await groupDashboard(db, survey, { orgType: "sme" }, opts);
    expect(small.coverage).toBe("small");
    expect(small.profile).toBeNull();
    expect(small.needs).toEqual([]);
    expect(small.distributions).toEqual([]);
    expect(small.participation.weeks).toEqual([]);
    const none = await groupDashboard(db, survey, { country: "JP" }, opts);
    expect(none.coverage).toBe("empty");
  });

  it("parses filters from the query string, ignoring bad values with a note", () => {
    const ok = parseResponseFilters(
      new URLSearchParams(
        "country_group=ru&country=de&org_type=sme&sector=business&from=2026-03-01&to=2026-03-31&horizon=medium_term&survey=x",
      ),
    );
    expect(ok.filters).toEqual({
      countryGroup: "ru",
      country: "DE",
      orgType: "sme",
      sector: "business",
      from: "2026-03-01",
      to: "2026-03-31",
      horizon: "medium_term",
    });
    expect(ok.rejected).toEqual([]);
    const bad = parseResponseFilters(
      new URLSearchParams(
        "country_group=mars&country=XX&from=2026-02-30&horizon=&org_type=Robert';drop",
      ),
    );
    expect(bad.filters).toEqual({});
    expect(bad.rejected.map((i) => i.param)).toEqual([
      "country_group",
      "country",
      "org_type",
      "from",
    ]);
    const range = parseResponseFilters(new URLSearchParams("from=2026-04-01&to=2026-03-01"));
    expect(range.filters).toEqual({});
    expect(range.rejected.map((i) => i.reason)).toEqual(["range", "range"]);
  });

  it("protects partitions and pools small countries", () => {
    expect(protectPartition([6, 5, 1], 5)).toEqual([6, "withheld", "suppressed"]);
    expect(protectPartition([6, 5, 0], 5)).toEqual([6, 5, 0]);
    expect(protectPartition([2, 3, 9], 5)).toEqual(["suppressed", "suppressed", 9]);
    expect(protectPartition([4], 5)).toEqual(["suppressed"]);
    expect(
      poolSmallCodes(
        [
          { code: "DE", n: 3 },
          { code: "RU", n: 6 },
          { code: "FR", n: 1 },
        ],
        5,
      ),
    ).toEqual([
      { code: "RU", count: "withheld" },
      { code: "_small", count: "suppressed" },
    ]);
  });

  it("serves the same figures from the cache until a response is submitted", async () => {
    clearDashboardCache(db);
    const first = await groupDashboard(db, survey, {}, opts);
    expect(first.participation.submitted).toBe(12);
    const again = await groupDashboard(db, survey, {}, opts);
    expect(again.distributions).toBe(first.distributions);
    // A thirteenth submission changes the fingerprint: everything is counted again.
    const id = await insertResponse(
      definition(2),
      versionIds[1],
      { country: "DE", org_type: "university", sector: "business", q_scale: 1 },
      "submitted",
      "2026-03-11",
      null,
    );
    const after = await groupDashboard(db, survey, {}, opts);
    expect(after.participation.submitted).toBe(13);
    expect(dist(after.distributions, "q_scale", "scale").answered).toBe(13);
    await db.deleteFrom("responses").where("id", "=", id).execute();
    clearDashboardCache(db);
  });
});

describe("themes and free-text answers", () => {
  const by = () => ({ by: { id: users.energy.id, email: users.energy.email }, ip: "127.0.0.1" });

  it("lists long answers, other answers and need descriptions, searchable", async () => {
    const all = await listFreeTexts(db, survey, {}, opts);
    // 3 long texts + 2 "other" answers + 14 need entries (drafts excluded).
    expect(all.total).toBe(3 + 2 + 14);
    const found = await listFreeTexts(db, survey, { q: "FUNDING" }, opts);
    // r1 and r5 long texts, and r2's need description "Synchronised funding cycles".
    expect(found.items.map((i) => i.kind).sort()).toEqual(["long_text", "long_text", "need"]);
    const others = await listFreeTexts(db, survey, { question: "q_multi" }, opts);
    expect(others.items.map((i) => i.text).sort()).toEqual([
      "Customs for samples",
      "Need faster visas",
    ]);
    const small = await listFreeTexts(db, survey, { filters: { orgType: "sme" } }, opts);
    expect(small.coverage).toBe("small");
    expect(small.items).toEqual([]);
  });

  it("creates, renames and merges themes; tags answers; counts them", async () => {
    const texts = (await listFreeTexts(db, survey, { question: "q_text" }, opts)).items;
    const byText = (s: string) => texts.find((x) => x.text.startsWith(s))!.answerId;

    const created = await createTheme(db, groupIds.energy, "  Funding  ", by());
    expect(created).toMatchObject({ ok: true, name: "Funding" });
    expect(await createTheme(db, groupIds.energy, "funding", by())).toEqual({
      ok: false,
      error: "dashboard.themes.errors.nameTaken",
    });
    expect(await createTheme(db, groupIds.energy, " ", by())).toEqual({
      ok: false,
      error: "dashboard.themes.errors.nameRequired",
    });
    const fundingId = (created as { id: number }).id;
    expect(await renameTheme(db, groupIds.energy, fundingId, "Funding cycles", by())).toEqual({
      ok: true,
      name: "Funding cycles",
    });
    // A theme of another group cannot be renamed through this one.
    expect(await renameTheme(db, groupIds.health, fundingId, "X", by())).toEqual({
      ok: false,
      error: "dashboard.themes.errors.notFound",
    });

    await tagAnswer(db, groupIds.energy, byText("Funding cycles"), { id: fundingId }, by());
    await tagAnswer(db, groupIds.energy, byText("Better funding"), { id: fundingId }, by());
    const visas = await tagAnswer(
      db,
      groupIds.energy,
      byText("Visa delays"),
      { name: "Visas" },
      by(),
    );
    expect(visas.ok).toBe(true);
    // Tagging twice keeps one tag; another group's coordinator cannot tag this answer.
    await tagAnswer(db, groupIds.energy, byText("Funding cycles"), { id: fundingId }, by());
    expect(
      await tagAnswer(db, groupIds.health, byText("Funding cycles"), { name: "Health" }, by()),
    ).toEqual({
      ok: false,
      error: "dashboard.texts.errors.answerNotFound",
    });
    let themes = await listThemes(db, groupIds.energy);
    expect(themes.map((x) => [x.name, x.answers])).toEqual([
      ["Funding cycles", 2],
      ["Visas", 1],
    ]);

    const visasId = (visas as { themeId: number }).themeId;
    const merged = await mergeThemes(db, groupIds.energy, visasId, fundingId, by());
    expect(merged).toMatchObject({ ok: true, moved: 1, source: "Visas", target: "Funding cycles" });
    themes = await listThemes(db, groupIds.energy);
    expect(themes.map((x) => [x.name, x.answers])).toEqual([["Funding cycles", 3]]);

    // On the dashboard the theme's 3 respondents are fewer than 5: suppressed; with N = 1 shown.
    expect((await themeCounts(db, survey, {}, opts)).map((x) => [x.name, x.respondents])).toEqual([
      ["Funding cycles", "suppressed"],
    ]);
    expect(
      (await themeCounts(db, survey, {}, { minCell: 1 })).map((x) => [
        x.name,
        x.answers,
        x.respondents,
      ]),
    ).toEqual([["Funding cycles", 3, 3]]);
    const tagged = await listFreeTexts(db, survey, { theme: fundingId }, opts);
    expect(tagged.total).toBe(3);
    const untagged = await listFreeTexts(db, survey, { theme: "none", question: "q_text" }, opts);
    expect(untagged.total).toBe(0);

    expect(
      (await untagAnswer(db, groupIds.energy, byText("Visa delays"), fundingId, by())).ok,
    ).toBe(true);
    expect((await listThemes(db, groupIds.energy))[0].answers).toBe(2);

    const audit = await db
      .selectFrom("audit_log")
      .select(["action", "actor"])
      .where("action", "like", "theme.%")
      .orderBy("id")
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      "theme.created",
      "theme.renamed",
      "theme.created",
      "theme.merged",
    ]);
    const tags = await db
      .selectFrom("audit_log")
      .select("action")
      .where("action", "like", "answer.%")
      .execute();
    expect(tags.map((a) => a.action).sort()).toEqual([
      "answer.tagged",
      "answer.tagged",
      "answer.tagged",
      "answer.untagged",
    ]);
  });
});

describe("overview", () => {
  it("puts the groups side by side and finds shared need categories", async () => {
    const o = await overview(db, Object.values(groupIds), {}, opts);
    // Only the energy group has a survey in this database.
    expect(o.groups.map((g) => g.group.slug)).toEqual(["energy"]);
    expect(o.groups[0].participation.matching).toBe(12);
    // Funding over both horizons (short term is withheld: see "ranks needs by priority score").
    const funding = o.groups[0].needs[0].ranked.all.find((r) => r.category === "funding");
    expect(r3(funding?.priority?.mean)).toBe(62.667);
    // The shared categories of the need taxonomy: "mobility" is one, "funding" (no parent, not a
    // shared code) belongs to none. Every shared category is listed, ranked programme-wide.
    expect(o.shared.groups.map((g) => g.slug)).toEqual(["energy"]);
    expect(o.shared.programme.ranked.all.map((r) => r.category).sort()).toEqual(
      o.shared.categories.map((c) => c.code).sort(),
    );
    const mobility = (ranks: NeedRank[]) => ranks.find((r) => r.category === "mobility")!;
    const own = mobility(o.groups[0].needs[0].ranked.all);
    expect(mobility(o.shared.programme.ranked.all).respondents).toBe(own.respondents);
    expect(r3(mobility(o.shared.programme.ranked.all).priority?.mean)).toBe(r3(own.priority?.mean));
    expect(mobility(o.shared.groups[0].analysis.ranked.all).respondents).toBe(own.respondents);
    expect(
      o.shared.programme.ranked.all.filter((r) => r.category !== "mobility").map((r) => r.entries),
    ).toEqual(o.shared.categories.filter((c) => c.code !== "mobility").map(() => 0));
  });

  it("leaves a group whose figures are not shown out of the shared categories", async () => {
    // A health survey asking about the same need categories (funding, mobility), with no
    // submissions yet: not in the shared categories, whose programme figures are energy's.
    const health = await db
      .insertInto("surveys")
      .values({
        slug: "fixture-health",
        working_group_id: groupIds.health,
        status: "open",
        access_mode: "open_link",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    try {
      const def = { ...definition(2), slug: "fixture-health", workingGroup: "health" };
      const version = await db
        .insertInto("survey_versions")
        .values({
          survey_id: health.id,
          version: 1,
          definition: JSON.stringify(def),
          content_hash: "health-1",
          source_yaml: "",
          origin: "file",
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await db
        .updateTable("surveys")
        .set({ current_version_id: version.id })
        .where("id", "=", health.id)
        .execute();
      await refreshSharedCategories(db, [health.id]);

      const o = await overview(db, Object.values(groupIds), {}, opts);
      expect(o.groups.map((g) => g.group.slug).sort()).toEqual(["energy", "health"]);
      expect(o.groups.find((g) => g.group.slug === "health")?.coverage).toBe("empty");
      expect(o.shared.groups.map((g) => g.slug)).toEqual(["energy"]);
      expect(o.shared.programme.ranked.all).toEqual(o.shared.groups[0].analysis.ranked.all);
    } finally {
      await db
        .updateTable("surveys")
        .set({ current_version_id: null })
        .where("id", "=", health.id)
        .execute();
      await db.deleteFrom("survey_versions").where("survey_id", "=", health.id).execute();
      await db.deleteFrom("surveys").where("id", "=", health.id).execute();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Authorisation of every route

type Who = "anonymous" | "other" | "coordinator" | "admin";
const WHO: Who[] = ["anonymous", "other", "coordinator", "admin"];
const cookieOf = (who: Who) =>
  who === "anonymous"
    ? undefined
    : who === "other"
      ? users.health.cookie
      : who === "coordinator"
        ? users.energy.cookie
        : users.admin.cookie;

/** The status a loader or action ends with: thrown or returned Response, data(), or plain data (200). */
async function statusOf(
  run: () => Promise<unknown>,
): Promise<{ status: number; location: string | null; data: unknown }> {
  try {
    const r = await run();
    if (r instanceof Response)
      return { status: r.status, location: r.headers.get("Location"), data: null };
    const d = r as { type?: string; data?: unknown; init?: ResponseInit | null };
    if (d && d.type === "DataWithResponseInit")
      return { status: d.init?.status ?? 200, location: null, data: d.data };
    return { status: 200, location: null, data: r };
  } catch (e) {
    if (e instanceof Response)
      return { status: e.status, location: e.headers.get("Location"), data: null };
    throw e;
  }
}

const env = testEnv;
const params = { group: "energy" };

describe("authorisation", () => {
  const groupLoaders = {
    dashboard: ["/staff/groups/energy", groupLoader],
    texts: ["/staff/groups/energy/texts", textsLoader],
    themes: ["/staff/groups/energy/themes", themesLoader],
    report: ["/staff/groups/energy/report", reportLoader],
  } as const;

  for (const [name, [path, loader]] of Object.entries(groupLoaders)) {
    it(`GET ${path} (${name})`, async () => {
      const expected: Record<Who, number> = {
        anonymous: 302,
        other: 403,
        coordinator: 200,
        admin: 200,
      };
      for (const who of WHO) {
        const r = await statusOf(() =>
          loader(loaderArgs(path, db, { params, cookie: cookieOf(who), context: { env } })),
        );
        expect(r.status, `${who} on ${path}`).toBe(expected[who]);
        if (who === "anonymous")
          expect(r.location).toBe(`/login?${new URLSearchParams({ redirectTo: path })}`);
      }
    });
  }

  it("the dashboard loader answers 404 for an unknown survey and ignores bad filters", async () => {
    const missing = await statusOf(() =>
      groupLoader(
        loaderArgs("/staff/groups/energy?survey=nope", db, { params, cookie: users.admin.cookie }),
      ),
    );
    expect(missing.status).toBe(404);
    const bad = await statusOf(() =>
      groupLoader(
        loaderArgs("/staff/groups/energy?country_group=mars&from=yesterday", db, {
          params,
          cookie: users.energy.cookie,
        }),
      ),
    );
    expect(bad.status).toBe(200);
    expect((bad.data as { ignored: Array<{ param: string }> }).ignored.map((i) => i.param)).toEqual(
      ["country_group", "from"],
    );
    const unknownGroup = await statusOf(() =>
      groupLoader(
        loaderArgs("/staff/groups/nowhere", db, {
          params: { group: "nowhere" },
          cookie: users.admin.cookie,
        }),
      ),
    );
    expect(unknownGroup.status).toBe(404);
  });

  it("the dashboard loader gives the figures of the group's latest survey", async () => {
    const r = await statusOf(() =>
      groupLoader(
        loaderArgs("/staff/groups/energy?country_group=eu", db, {
          params,
          cookie: users.energy.cookie,
        }),
      ),
    );
    const data = r.data as {
      survey: { slug: string };
      dashboard: { participation: { matching: number | string } };
      query: string;
    };
    expect(data.survey.slug).toBe("fixture-needs");
    // Six responses from the EU, a count the unfiltered respondent profile withholds (so that a
    // small group cannot be worked out from the total): the EU view withholds it too.
    expect(data.dashboard.participation.matching).toBe("withheld");
    expect(data.query).toBe("country_group=eu&survey=fixture-needs");
  });

  it("the dashboard's first view leaves the later sections' figures to a request of their own", async () => {
    type Data = {
      dashboard: {
        distributions: unknown[] | null;
        profile: unknown;
        hasProfile: boolean;
        borich: unknown[] | null;
        needs: unknown[];
      };
    };
    const load = async (query: string) =>
      (
        await statusOf(() =>
          groupLoader(
            loaderArgs(`/staff/groups/energy${query}`, db, { params, cookie: users.energy.cookie }),
          ),
        )
      ).data as Data;
    const first = (await load("")).dashboard;
    const all = (await load("?sections=all")).dashboard;
    const questions = (await load("?sections=questions")).dashboard;
    expect(all.distributions?.length).toBeGreaterThan(0);
    expect(all.profile).not.toBeNull();
    expect(first).toMatchObject({ distributions: null, profile: null, borich: null });
    expect(first.hasProfile).toBe(true);
    // The first view's own figures are those of the whole page.
    expect(first.needs).toEqual(all.needs);
    expect(questions.distributions).toEqual(all.distributions);
    expect(questions.profile).toBeNull();
  });

  it("POST texts and themes actions", async () => {
    const answer = (await listFreeTexts(db, survey, { question: "q_text" }, opts)).items[0]
      .answerId;
    const texts = (who: Who, form: Record<string, string>) =>
      statusOf(() =>
        textsAction(
          actionArgs("/staff/groups/energy/texts", db, form, { params, cookie: cookieOf(who) }),
        ),
      );
    const themes = (who: Who, form: Record<string, string>) =>
      statusOf(() =>
        themesAction(
          actionArgs("/staff/groups/energy/themes", db, form, { params, cookie: cookieOf(who) }),
        ),
      );

    expect((await texts("anonymous", { intent: "tag", answer, new_theme: "Anon" })).status).toBe(
      302,
    );
    expect(
      (await texts("anonymous", { intent: "tag", answer, new_theme: "Anon" })).location,
    ).toMatch(/^\/login/);
    expect((await texts("other", { intent: "tag", answer, new_theme: "Other" })).status).toBe(403);
    const tagged = await texts("coordinator", {
      intent: "tag",
      answer,
      new_theme: "Coordinated",
      back: "/staff/groups/energy/texts?q=x",
    });
    expect(tagged.status).toBe(302);
    expect(tagged.location).toBe(`/staff/groups/energy/texts?q=x&notice=tagged#answer-${answer}`);
    expect(
      (await texts("admin", { intent: "tag", answer, new_theme: "Administered" })).status,
    ).toBe(302);
    const empty = await texts("coordinator", { intent: "tag", answer });
    expect(empty.status).toBe(400);
    expect((await texts("coordinator", { intent: "bogus" })).status).toBe(400);

    expect((await themes("anonymous", { intent: "create", name: "Anon" })).status).toBe(302);
    expect((await themes("other", { intent: "create", name: "Other" })).status).toBe(403);
    expect((await themes("coordinator", { intent: "create", name: "Infrastructure" })).status).toBe(
      302,
    );
    expect((await themes("admin", { intent: "create", name: "Data" })).status).toBe(302);
    const duplicate = await themes("coordinator", { intent: "create", name: "data" });
    expect(duplicate.status).toBe(400);
    expect(duplicate.data).toMatchObject({ error: "dashboard.themes.errors.nameTaken" });
    const list = await listThemes(db, groupIds.energy);
    const id = (name: string) => String(list.find((x) => x.name === name)!.id);
    expect(
      (await themes("coordinator", { intent: "rename", theme: id("Data"), name: "Data sharing" }))
        .status,
    ).toBe(302);
    expect(
      (
        await themes("coordinator", {
          intent: "merge",
          theme: id("Administered"),
          target: id("Coordinated"),
        })
      ).status,
    ).toBe(302);
    expect(
      (
        await themes("other", {
          intent: "merge",
          theme: id("Coordinated"),
          target: id("Infrastructure"),
        })
      ).status,
    ).toBe(403);
    const names = (await listThemes(db, groupIds.energy)).map((x) => x.name);
    expect(names).toEqual(
      expect.arrayContaining(["Coordinated", "Data sharing", "Infrastructure"]),
    );
    expect(names).not.toContain("Administered");
  });

  it("GET /staff/overview and /staff/report: sign-in required; coordinators see their groups only", async () => {
    for (const [path, loader] of [
      ["/staff/overview", overviewLoader],
      ["/staff/report", overallReportLoader],
    ] as const) {
      const anon = await statusOf(() => loader(loaderArgs(path, db)));
      expect(anon.status).toBe(302);
      expect(anon.location).toBe(`/login?${new URLSearchParams({ redirectTo: path })}`);
      const other = await statusOf(() =>
        loader(loaderArgs(path, db, { cookie: users.health.cookie })),
      );
      expect(other.status).toBe(200);
      // The health coordinator's group has no survey here: nothing of the energy group leaks.
      expect((other.data as { overview: { groups: unknown[] } }).overview.groups).toEqual([]);
      const coordinator = await statusOf(() =>
        loader(loaderArgs(path, db, { cookie: users.energy.cookie })),
      );
      expect(
        (
          coordinator.data as { overview: { groups: Array<{ group: { slug: string } }> } }
        ).overview.groups.map((g) => g.group.slug),
      ).toEqual(["energy"]);
      const admin = await statusOf(() =>
        loader(loaderArgs(path, db, { cookie: users.admin.cookie })),
      );
      expect(admin.status).toBe(200);
    }
  });
});

describe("theme counts under a horizon filter", () => {
  const by = () => ({ by: { id: users.energy.id, email: users.energy.email }, ip: "127.0.0.1" });
  const needEntries = async () =>
    (
      await db
        .selectFrom("answers as a")
        .innerJoin("responses as r", "r.id", "a.response_id")
        .select(["a.id", "a.response_id", sql<string>`a.value_json ->> 'horizon'`.as("hz")])
        .where("a.survey_id", "=", survey.id)
        .where("r.status", "=", "submitted")
        .where(sql<boolean>`a.value_json ->> 'horizon' is not null`)
        .orderBy("a.id")
        .execute()
    ).map((r) => ({ id: String(r.id), rid: String(r.response_id), hz: r.hz }));

  it("withholds a theme whose difference to the view without the filter isolates a few tags, and orders by shown figures, then by name in code-point order", async () => {
    const entries = await needEntries();
    const short = entries.filter((e) => e.hz === "short_term");
    const medium = entries.filter((e) => e.hz === "medium_term");
    const shortRespondents = new Set(short.map((e) => e.rid)).size;
    expect(shortRespondents).toBeGreaterThanOrEqual(2);
    expect(medium.length).toBeGreaterThanOrEqual(1);
    // "Wide": every short-term need and one medium-term need. Under `horizon=short_term` its
    // figures would be the unfiltered ones minus that one medium-term tag.
    const wide = await createTheme(db, groupIds.energy, "Wide", by());
    const wideId = (wide as { id: number }).id;
    for (const e of [...short, medium[0]])
      await tagAnswer(db, groupIds.energy, e.id, { id: wideId }, by());
    // "Zed" and "alpha": the same two short-term needs of two respondents, shown equally.
    const two = short.filter((e, i) => short.findIndex((x) => x.rid === e.rid) === i).slice(0, 2);
    for (const name of ["alpha", "Zed"]) {
      const th = (await createTheme(db, groupIds.energy, name, by())) as { id: number };
      for (const e of two) await tagAnswer(db, groupIds.energy, e.id, { id: th.id }, by());
    }
    const min = { minCell: 2 };
    const view = await themeCounts(db, survey, { horizon: "short_term" }, min);
    const of = (name: string) => view.find((x) => x.name === name)!;
    // Unfiltered: the medium-term tag is counted; the short-term view would differ by 1 answer.
    expect(of("Wide")).toMatchObject({ answers: "withheld", respondents: "withheld" });
    expect(of("Zed")).toMatchObject({ answers: 2, respondents: 2 });
    // Shown figures first (the withheld "Wide" has the most tags but goes last among the shown
    // order), equal figures by name in code-point order (capitals first).
    const names = view.map((x) => x.name);
    expect(names.indexOf("Zed")).toBeLessThan(names.indexOf("alpha"));
    expect(names.indexOf("alpha")).toBeLessThan(names.indexOf("Wide"));
    // Without the filter nothing is subtracted: "Wide" is shown, and first.
    const all = await themeCounts(db, survey, {}, min);
    expect(all[0]).toMatchObject({ name: "Wide", answers: short.length + 1 });
  });
});
