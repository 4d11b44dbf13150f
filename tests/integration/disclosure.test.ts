import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "#db/client";
import { loader as reportLoader } from "~/routes/staff.groups.$group.report";
import { commitSession, createSession } from "~/server/auth.server";
import {
  clearDashboardCache,
  groupDashboard,
  type NeedQuestionAnalysis,
  resolveDashboardSurvey,
  type Shown,
} from "~/server/dashboards.server";
import { addDemoResponses } from "~/server/demo.server";
import { DEMO_RESPONSES_PER_SURVEY, SURVEYS_DIR } from "~/server/startup.server";
import { syncSurveyDirectory } from "~/server/surveys.server";
import { saveAccount } from "~/server/users.server";
import { upsertWorkingGroups } from "~/server/working-groups.server";
import { COUNTRY_GROUPS } from "~/survey/countries";
import { solvableCells, type SumRelation } from "../linear-disclosure";
import { createTestDatabase, type TestDatabase } from "./db";
import { loaderArgs, testEnv } from "./remix";

/*
 * The demo data (every open survey, 80 responses each) has many need categories where a horizon
 * has 1–4 respondents beside the other horizon and "both": the case where subtraction gave the
 * hidden count away. Every need table the dashboards and reports show is checked here by linear
 * algebra against its relations, independently of the code that protects it.
 */

let t: TestDatabase;
let db: Db;
let cookie: string;
const MIN = 5;
const GROUPS = ["food-agri-bio", "health", "nano-materials", "energy", "mobility"];
const HORIZONS = ["short_term", "medium_term", "all"] as const;
const COLS = [...COUNTRY_GROUPS, null] as const;

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  await upsertWorkingGroups(db);
  await syncSurveyDirectory(db, SURVEYS_DIR);
  await addDemoResponses(db, { perSurvey: DEMO_RESPONSES_PER_SURVEY, seed: 3 });
  const saved = await saveAccount(
    db,
    {
      email: "admin@example.org",
      password: "correct horse battery",
      role: "admin",
      groups: [],
      name: "",
    },
    { by: null, actor: "test" },
  );
  if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
  cookie = (await commitSession(testEnv, await createSession(db, saved.id))).split(";")[0];
});
afterAll(() => t?.close());

/**
 * One category's table as shown: rows short term, medium term, both; columns the country groups
 * and the category total. Both = short + medium (at most: counted as equal to be safe), total =
 * Σ groups.
 */
function categoryTable(needs: NeedQuestionAnalysis, category: string): Shown[] {
  const cells = needs.matrix.find((m) => m.category === category)!.cells;
  return HORIZONS.flatMap((h) => {
    const compare = needs.byCountryGroup[h].find((r) => r.category === category)!;
    const ranked = needs.ranked[h].find((r) => r.category === category)!;
    // The rankings show the same cell as the needs table.
    expect(ranked.respondents).toEqual(cells[h].respondents);
    return COLS.map((g) => (g === null ? cells[h].respondents : compare.groups[g].respondents));
  });
}

const C = COLS.length;
const RELATIONS: SumRelation[] = [
  ...HORIZONS.map((_, r) => ({
    total: r * C + C - 1,
    parts: COUNTRY_GROUPS.map((_, c) => r * C + c),
  })),
  ...COLS.map((_, c) => ({ total: 2 * C + c, parts: [c, C + c] })),
];

/** The hidden cells of every need table of a dashboard that its shown cells give away. */
function givenAway(needs: readonly NeedQuestionAnalysis[]): string[] {
  const found: string[] = [];
  for (const n of needs) {
    for (const m of n.matrix) {
      const table = categoryTable(n, m.category);
      const hidden = table.map((s) => typeof s !== "number");
      for (const i of solvableCells(table.length, RELATIONS, hidden))
        found.push(
          `${n.key}/${m.category}/${HORIZONS[Math.floor(i / C)]}/${COLS[i % C] ?? "total"}`,
        );
      // A hidden cell hides its needs and shares too.
      for (const h of HORIZONS)
        if (typeof m.cells[h].respondents !== "number") {
          expect(m.cells[h].entries).toBe(m.cells[h].respondents);
          expect(m.cells[h].share).toBeNull();
        }
    }
  }
  return found;
}

describe("complementary suppression on the demo data", () => {
  it("no withheld count of a needs table can be worked out from the shown ones", async () => {
    let exposedBefore = 0;
    for (const slug of GROUPS) {
      const survey = (await resolveDashboardSurvey(db, slug))!;
      const d = await groupDashboard(db, survey, {}, { minCell: MIN });
      expect(d.coverage).toBe("ok");
      expect(givenAway(d.needs)).toEqual([]);

      // The same data with only the small cells hidden (the rule before complementary
      // suppression of the needs table): subtraction gave counts away.
      const raw = await groupDashboard(db, survey, {}, { minCell: 1 });
      for (const n of raw.needs)
        for (const m of n.matrix) {
          const table = categoryTable(n, m.category) as number[];
          const hidden = table.map((v) => v > 0 && v < MIN);
          exposedBefore += solvableCells(table.length, RELATIONS, hidden).length;
        }
    }
    expect(exposedBefore).toBeGreaterThan(0);
  });

  it("a country-group or horizon view does not show a count the unfiltered view hides", async () => {
    let checked = 0;
    for (const slug of ["health", "energy", "mobility"]) {
      const survey = (await resolveDashboardSurvey(db, slug))!;
      const all = await groupDashboard(db, survey, {}, { minCell: MIN });
      // A narrowed view's cells are cells of the unfiltered table: the view of group g holds the
      // column g (its total column and its own group column), the view of horizon h the row h
      // (its own row and "both").
      const views: Array<{ needs: NeedQuestionAnalysis[]; cellOf: (i: number) => number | null }> =
        [];
      for (const g of COUNTRY_GROUPS) {
        const v = await groupDashboard(db, survey, { countryGroup: g }, { minCell: MIN });
        if (v.coverage !== "ok") continue;
        const gc = COLS.indexOf(g);
        views.push({
          needs: v.needs,
          cellOf: (i) => (i % C === C - 1 || i % C === gc ? Math.floor(i / C) * C + gc : null),
        });
      }
      for (const h of ["short_term", "medium_term"] as const) {
        const v = await groupDashboard(db, survey, { horizon: h }, { minCell: MIN });
        const hr = HORIZONS.indexOf(h);
        views.push({
          needs: v.needs,
          cellOf: (i) =>
            Math.floor(i / C) === hr || Math.floor(i / C) === 2 ? hr * C + (i % C) : null,
        });
      }
      for (const n of all.needs)
        for (const m of n.matrix) {
          const table = categoryTable(n, m.category);
          const known = table.map((s) => (typeof s === "number" ? s : null));
          for (const v of views) {
            const vn = v.needs.find((x) => x.key === n.key)!;
            categoryTable(vn, m.category).forEach((s, i) => {
              const at = v.cellOf(i);
              if (at === null || typeof s !== "number") return;
              // The same respondents: a shown cell of a narrowed view is a cell of the table.
              if (known[at] !== null) expect(s).toBe(known[at]);
              known[at] = s;
            });
          }
          checked++;
          const hidden = known.map((k) => k === null);
          expect([n.key, m.category, solvableCells(table.length, RELATIONS, hidden)]).toEqual([
            n.key,
            m.category,
            [],
          ]);
        }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it("no rank count of a ranking question can be worked out from its rows and columns", async () => {
    let rankings = 0;
    for (const slug of GROUPS) {
      const survey = (await resolveDashboardSurvey(db, slug))!;
      const d = await groupDashboard(db, survey, {}, { minCell: MIN });
      for (const dist of d.distributions) {
        if (dist.kind !== "ranking") continue;
        rankings++;
        // Cells items × ranks, then each item's total and each rank's total (both known: every
        // respondent ranks every item, each rank once).
        const cells = dist.items.flatMap((item) => item.ranks.map((r) => r.count));
        const k = dist.items.length;
        const width = dist.items[0].ranks.length;
        const relations: SumRelation[] = [
          ...dist.items.map((_, i) => ({
            total: cells.length + i,
            parts: Array.from({ length: width }, (_, j) => i * width + j),
          })),
          ...Array.from({ length: width }, (_, j) => ({
            total: cells.length + k + j,
            parts: Array.from({ length: k }, (_, i) => i * width + j),
          })),
        ];
        const hidden = [
          ...cells.map((c) => typeof c !== "number"),
          ...new Array(k + width).fill(false),
        ];
        expect([dist.key, solvableCells(hidden.length, relations, hidden)]).toEqual([dist.key, []]);
      }
    }
    expect(rankings).toBeGreaterThan(0);
  });

  it("the findings report shows the same protected figures", async () => {
    for (const slug of ["health", "energy"]) {
      clearDashboardCache(db);
      const data = (await reportLoader(
        loaderArgs(`/staff/groups/${slug}/report?lang=en`, db, { params: { group: slug }, cookie }),
      )) as { dashboard: { needs: NeedQuestionAnalysis[] } };
      expect(givenAway(data.dashboard.needs)).toEqual([]);
      const survey = (await resolveDashboardSurvey(db, slug))!;
      const d = await groupDashboard(db, survey, {}, { minCell: MIN });
      const counts = (needs: NeedQuestionAnalysis[]) =>
        needs.map((n) => n.matrix.map((m) => HORIZONS.map((h) => m.cells[h].respondents)));
      expect(counts(data.dashboard.needs)).toEqual(counts(d.needs));
    }
  });

  it("a filtered view that leaves out 1 to N − 1 respondents shows no figures", async () => {
    const survey = (await resolveDashboardSurvey(db, "mobility"))!;
    const ids = await db
      .selectFrom("responses")
      .select("id")
      .where("survey_id", "=", survey.id)
      .where("status", "=", "submitted")
      .orderBy("id")
      .execute();
    // Every respondent a university but three from an SME.
    await db
      .updateTable("responses")
      .set({ org_type: "university" })
      .where("survey_id", "=", survey.id)
      .execute();
    await db
      .updateTable("responses")
      .set({ org_type: "sme" })
      .where(
        "id",
        "in",
        ids.slice(0, 3).map((r) => r.id),
      )
      .execute();
    clearDashboardCache(db);
    const all = await groupDashboard(db, survey, {}, { minCell: MIN });
    expect(all.coverage).toBe("ok");
    // Universities = all minus three: the difference to the unfiltered view would describe them.
    const universities = await groupDashboard(
      db,
      survey,
      { orgType: "university" },
      { minCell: MIN },
    );
    expect(universities.coverage).toBe("complement");
    // Its number of responses beside the submitted total would count the three: withheld too.
    expect(universities.participation.matching).toBe("withheld");
    expect(universities.participation.submitted).toBe(ids.length);
    expect(universities.needs).toEqual([]);
    expect(universities.distributions).toEqual([]);
    expect(universities.profile).toBeNull();
    expect(universities.themes).toEqual([]);
    const smes = await groupDashboard(db, survey, { orgType: "sme" }, { minCell: MIN });
    expect(smes.coverage).toBe("small");
    // A horizon is not a filter of respondents: the same respondents, nothing to subtract.
    const shortTerm = await groupDashboard(db, survey, { horizon: "short_term" }, { minCell: MIN });
    expect(shortTerm.coverage).toBe("ok");
  });

  it("a country-group view shows its number of responses only as the unfiltered profile does", async () => {
    const check = async (slug: string) => {
      clearDashboardCache(db);
      const survey = (await resolveDashboardSurvey(db, slug))!;
      const all = await groupDashboard(db, survey, {}, { minCell: MIN });
      const profile = all.profile!.breakdowns.country_group;
      const shown: Record<string, Shown> = {};
      for (const g of COUNTRY_GROUPS) {
        const v = await groupDashboard(db, survey, { countryGroup: g }, { minCell: MIN });
        const cell = profile.find((c) => c.code === g)?.count ?? 0;
        shown[g] = v.participation.matching;
        // The view's count is the group's count in the profile; hidden there, hidden here,
        // together with the weeks and the profile that add up to it.
        if (typeof cell === "number") expect([g, v.participation.matching]).toEqual([g, cell]);
        else {
          expect([g, typeof v.participation.matching]).toEqual([g, "string"]);
          expect(v.participation.weeks).toEqual([]);
          expect(v.profile).toBeNull();
        }
      }
      return { profile, shown };
    };
    for (const slug of GROUPS) await check(slug);

    // Three respondents from "other", seventeen from "ru", the rest from "eu": the profile
    // suppresses "other" and withholds "ru" (the smallest other group) so that "other" cannot be
    // worked out from the total.
    const survey = (await resolveDashboardSurvey(db, "food-agri-bio"))!;
    const ids = (
      await db
        .selectFrom("responses")
        .select("id")
        .where("survey_id", "=", survey.id)
        .where("status", "=", "submitted")
        .orderBy("id")
        .execute()
    ).map((r) => r.id);
    await db
      .updateTable("responses")
      .set({ country_group: "eu" })
      .where("survey_id", "=", survey.id)
      .execute();
    await db
      .updateTable("responses")
      .set({ country_group: "ru" })
      .where("id", "in", ids.slice(3, 20))
      .execute();
    await db
      .updateTable("responses")
      .set({ country_group: "other" })
      .where("id", "in", ids.slice(0, 3))
      .execute();
    const { profile, shown } = await check("food-agri-bio");
    expect(profile.find((c) => c.code === "ru")?.count).toBe("withheld");
    expect(profile.find((c) => c.code === "other")?.count).toBe("suppressed");
    expect(shown).toEqual({ eu: ids.length - 20, ru: "withheld", other: "suppressed" });
  });
});
