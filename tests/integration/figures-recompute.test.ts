import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "#db/client";
import { addDemoResponses } from "~/server/demo.server";
import { resolveDashboardSurvey } from "~/server/dashboards.server";
import { submitCompleteResponse } from "~/server/responses";
import { DEMO_RESPONSES_PER_SURVEY } from "~/server/startup.server";
import { addVersion, syncSurveyDirectory } from "~/server/surveys.server";
import { createTheme, listFreeTexts, tagAnswer } from "~/server/themes.server";
import { upsertWorkingGroups, WORKING_GROUPS } from "~/server/working-groups.server";
import { type SurveyDefinition, surveyDefinitionSchema } from "~/survey/schema";
import { createTestDatabase, type TestDatabase } from "./db";
import { checkPage, describe as describeMismatch, type Mismatch } from "./figures/compare";
import { downloadExports, longVersusWide } from "./figures/exports";
import { readPage, type ShownTable } from "./figures/html";
import {
  type Family,
  respondents,
  type SurveyData,
  surveyData,
  type View,
} from "./figures/recompute";
import { renderPage } from "./figures/render";
import { accountWithSession } from "./manage-helpers";
import { createSurvey } from "./respond-helpers";

/*
 * Every figure a coordinator sees on the group dashboard, the overview and the two reports is
 * recomputed from the survey's exports alone (data, long, needs and codebook files, downloaded
 * through their routes) and compared with the text of the pages' tables, under six filter
 * views, on the demo data and on a small hand-made data set. Each figure family is one test, so
 * a failing family names the figures that differ: table caption, row, column, shown, recomputed.
 */

const FAMILIES: Array<[Family | "suppression" | "sample" | "unrecognised", string]> = [
  ["participation", "participation counts (submissions per week, submitted, matching the filters)"],
  ["profile", "respondent profile counts and shares"],
  [
    "choices",
    "single, multiple choice and country answers: counts and shares of those who answered",
  ],
  ["scales", "scale and matrix answers: counts, n, means, 95 % CIs, medians"],
  ["numbers", "number answers: histogram bins"],
  ["rankings", "rankings: mean ranks, CIs and rank counts"],
  ["needs-by-horizon", "respondents and needs per category and horizon, shares of respondents"],
  [
    "priority-scores",
    "priority scores per category and horizon (respondent as the unit), top needs, by country group and by group",
  ],
  ["borich", "Borich discrepancy, MWDS and quadrants"],
  ["themes", "theme counts"],
  ["sample", "report sample sentence and the notices about small or empty selections"],
  ["suppression", "no withheld or suppressed count can be worked out from the shown ones"],
  ["unrecognised", "every table of the pages is recomputed"],
];

interface Run {
  mismatches: Mismatch[];
  checked: Map<string, number>;
  /** Differences between the long file and the data file, per survey. */
  longVersusWide: string[];
}

async function account(db: Db) {
  return (await accountWithSession(db, "figures@example.org", "admin", [])).cookie;
}

function viewQuery(view: View): string {
  const params = new URLSearchParams(
    Object.entries(view).filter(([, v]) => v) as Array<[string, string]>,
  );
  return params.size ? `?${params}` : "";
}

const SAMPLE =
  /Sample: (.+?) submitted responses match the filters \((.+?) from EU member states, (.+?) from Russia, (.+?) from other countries\)\./;

/** The sample sentence of a group report and the "no submissions" notice, against the export. */
function checkNotices(
  page: string,
  text: string,
  s: SurveyData,
  view: View,
  minCell: number,
): Mismatch[] {
  const found: Mismatch[] = [];
  const people = respondents(s, view);
  const counts = [
    people.length,
    ...["eu", "ru", "other"].map((g) => people.filter((r) => r.country_group === g).length),
  ];
  const names = ["matching", "EU", "Russia", "other countries"];
  const ok = (n: number, shown: string) =>
    shown === "withheld"
      ? n >= 1
      : n === 0
        ? shown === "0"
        : n < minCell
          ? shown === `fewer than ${minCell}`
          : shown === n.toLocaleString("en");
  const m = SAMPLE.exec(text);
  if (m) {
    counts.forEach((n, i) => {
      if (!ok(n, m[i + 1]))
        found.push({
          family: "sample",
          page,
          caption: "Methodology",
          row: "Sample",
          column: names[i],
          shown: m[i + 1],
          recomputed: String(n),
        });
    });
  }
  if (text.includes("No submissions yet.") && people.length > 0)
    found.push({
      family: "sample",
      page,
      caption: "Participation",
      row: "",
      column: "",
      shown: "No submissions yet.",
      recomputed: `${people.length} submitted responses match`,
    });
  return found;
}

/** Renders the four pages under every view, downloads the exports and compares. */
async function runChecks(
  db: Db,
  cookie: string,
  group: string,
  views: View[],
  minCell: number,
): Promise<Run> {
  const groupName = (slug: string) => WORKING_GROUPS.find((g) => g.slug === slug)!.name.en;
  const latest = await Promise.all(
    WORKING_GROUPS.map(async (g) => ({
      group: g.slug,
      survey: await resolveDashboardSurvey(db, g.slug, null),
    })),
  );
  const surveys: SurveyData[] = [];
  for (const { group: slug, survey } of latest) {
    if (!survey) continue;
    surveys.push(surveyData(await downloadExports(db, cookie, slug, survey.slug), groupName(slug)));
  }
  const own = surveys.find((s) => s.group === group)!;
  const run: Run = {
    mismatches: [],
    checked: new Map(),
    longVersusWide: surveys.flatMap((s) =>
      longVersusWide(s.exported).map((d) => `${s.exported.survey}: ${d}`),
    ),
  };
  for (const view of views) {
    const q = viewQuery(view);
    // The whole dashboard on one page (its later sections otherwise load when reached).
    const dashboard = (slug: string) => `/staff/groups/${slug}${q ? `${q}&` : "?"}sections=all`;
    // Each group's dashboard under the view: what the overview's top needs are read against.
    const companions: ShownTable[] = [];
    const html = new Map<string, string>();
    for (const s of surveys) {
      const path = dashboard(s.group);
      html.set(path, await renderPage(db, path, cookie, minCell));
      for (const t of readPage(path, html.get(path)!).tables)
        companions.push({ ...t, caption: `${s.groupName}: ${t.caption}` });
    }
    const pages: Array<[string, SurveyData[]]> = [
      [dashboard(group), [own]],
      [`/staff/groups/${group}/report${q}`, [own]],
      [`/staff/overview${q}`, surveys],
      [`/staff/report${q}`, surveys],
    ];
    for (const [path, data] of pages) {
      const page = readPage(
        `${path} (N = ${minCell})`,
        html.get(path) ?? (await renderPage(db, path, cookie, minCell)),
      );
      const { mismatches, tables } = checkPage(page, data, view, minCell, companions);
      run.mismatches.push(...mismatches);
      for (const t of tables) run.checked.set(t.family, (run.checked.get(t.family) ?? 0) + 1);
      if (data.length === 1)
        run.mismatches.push(...checkNotices(page.page, page.text, own, view, minCell));
    }
  }
  return run;
}

function familyTests(get: () => Run, expectTables: Set<string>) {
  it("exports: the long file holds exactly the answers of the data file", () => {
    const lines = get().longVersusWide;
    expect(lines, `${lines.length} values differ:\n${lines.slice(0, 40).join("\n")}`).toEqual([]);
  });
  for (const [family, title] of FAMILIES) {
    it(`${family}: ${title}`, () => {
      const run = get();
      if (expectTables.has(family))
        expect(run.checked.get(family) ?? 0, `no ${family} table was found`).toBeGreaterThan(0);
      const lines = run.mismatches.filter((m) => m.family === family).map(describeMismatch);
      expect(lines, `${lines.length} figures differ:\n${lines.slice(0, 60).join("\n")}`).toEqual(
        [],
      );
    });
  }
}

const ALWAYS = new Set([
  "participation",
  "profile",
  "choices",
  "scales",
  "numbers",
  "rankings",
  "needs-by-horizon",
  "priority-scores",
  "borich",
]);

describe("demo data: figures recomputed from the exports", () => {
  let t: TestDatabase;
  let run: Run;
  beforeAll(async () => {
    t = await createTestDatabase();
    await upsertWorkingGroups(t.db);
    await syncSurveyDirectory(t.db, "surveys");
    await addDemoResponses(t.db, { perSurvey: DEMO_RESPONSES_PER_SURVEY, seed: 11 });
    const cookie = await account(t.db);
    const views: View[] = [
      {},
      { country_group: "eu" },
      { country_group: "ru" },
      { org_type: "university" },
      { horizon: "short_term" },
      { horizon: "medium_term" },
    ];
    run = await runChecks(t.db, cookie, "energy", views, 5);
  }, 240_000);
  afterAll(() => t?.close());
  familyTests(() => run, ALWAYS);
});

/* ------------------------------------------------------------------------------------------ */

const label = (en: string) => ({ en, ru: `${en} (ru)` });
const options = (...codes: string[]) =>
  codes.map((code) => ({ code, label: label(`Option ${code}`) }));

function handMade(version: 1 | 2): SurveyDefinition {
  return surveyDefinitionSchema.parse({
    slug: "figures-check",
    workingGroup: "energy",
    status: "open",
    title: label(`Figures check v${version}`),
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
            options: options("university", "sme"),
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
            label: label("Preferred option"),
            options: options(...(version === 1 ? ["a", "b"] : ["a", "b", "c"])),
          },
          {
            key: "q_multi",
            type: "multi_choice",
            label: label("Services wanted"),
            options: options("x", "y"),
            other: true,
          },
          { key: "q_scale", type: "scale", label: label("Satisfaction"), min: 1, max: 5 },
          { key: "q_share", type: "number", label: label("Share co-financed"), min: 0, max: 1 },
          {
            key: "q_rank",
            type: "ranking",
            label: label("Instruments ranked"),
            items: options("i1", "i2", "i3"),
          },
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
        ],
      },
    ],
  });
}

type Need = [
  category: string,
  horizon: "short_term" | "medium_term",
  urgency: number,
  importance: number,
];
interface HandResponse {
  version: 1 | 2;
  country: string;
  org: string;
  choice: string;
  multi: string[];
  other?: string;
  scale: number;
  share: number;
  rank: [number, number, number];
  needs: Need[];
  borich: [[number, number], [number, number]];
  text?: string;
}

// Shares sit exactly on bin edges (0.2, 0.3 with a 0.1 width); r1 names three funding needs.
const HAND: HandResponse[] = [
  {
    version: 1,
    country: "DE",
    org: "university",
    choice: "a",
    multi: ["x"],
    scale: 4,
    share: 0.2,
    rank: [1, 2, 3],
    needs: [
      ["funding", "short_term", 5, 4],
      ["funding", "short_term", 2, 3],
      ["funding", "medium_term", 4, 4],
    ],
    borich: [
      [5, 2],
      [3, 3],
    ],
    text: "Funding cycles do not match.",
  },
  {
    version: 1,
    country: "RU",
    org: "sme",
    choice: "b",
    multi: ["x", "y"],
    scale: 3,
    share: 0.3,
    rank: [2, 1, 3],
    needs: [["funding", "short_term", 4, 5]],
    borich: [
      [4, 3],
      [2, 2],
    ],
  },
  {
    version: 1,
    country: "RU",
    org: "university",
    choice: "a",
    multi: ["y"],
    other: "Visa help",
    scale: 5,
    share: 0.3,
    rank: [1, 3, 2],
    needs: [
      ["mobility", "medium_term", 3, 3],
      ["funding", "short_term", 3, 4],
    ],
    borich: [
      [5, 4],
      [4, 1],
    ],
    text: "Visas take too long.",
  },
  {
    version: 1,
    country: "FR",
    org: "university",
    choice: "a",
    multi: ["x"],
    scale: 2,
    share: 0.1,
    rank: [3, 1, 2],
    needs: [["mobility", "short_term", 2, 2]],
    borich: [
      [3, 3],
      [5, 2],
    ],
  },
  {
    version: 2,
    country: "RU",
    org: "sme",
    choice: "c",
    multi: ["x", "y"],
    scale: 4,
    share: 0.2,
    rank: [1, 2, 3],
    needs: [
      ["funding", "medium_term", 5, 5],
      ["mobility", "short_term", 4, 3],
    ],
    borich: [
      [4, 2],
      [3, 3],
    ],
    text: "Partner search is hard.",
  },
  {
    version: 2,
    country: "CH",
    org: "university",
    choice: "b",
    multi: ["y"],
    scale: 3,
    share: 0.5,
    rank: [2, 3, 1],
    needs: [["funding", "short_term", 1, 2]],
    borich: [
      [2, 2],
      [4, 4],
    ],
  },
  {
    version: 2,
    country: "RU",
    org: "university",
    choice: "a",
    multi: ["x"],
    scale: 5,
    share: 0.3,
    rank: [1, 2, 3],
    needs: [["mobility", "medium_term", 5, 4]],
    borich: [
      [5, 1],
      [5, 3],
    ],
  },
];

function handAnswers(r: HandResponse): Record<string, unknown> {
  return {
    country: r.country,
    org_type: r.org,
    sector: r.org === "sme" ? "business" : "higher_education",
    q_choice: r.choice,
    q_multi: r.other ? { selected: r.multi, other: r.other } : { selected: r.multi },
    q_scale: r.scale,
    q_share: r.share,
    q_rank: { i1: r.rank[0], i2: r.rank[1], i3: r.rank[2] },
    q_needs: r.needs.map(([category, horizon, urgency, importance], i) => ({
      id: `n${i + 1}`,
      title: `Need ${i + 1}`,
      category,
      horizon,
      urgency,
      importance,
    })),
    q_borich: {
      s1: { importance: r.borich[0][0], current: r.borich[0][1] },
      s2: { importance: r.borich[1][0], current: r.borich[1][1] },
    },
    ...(r.text ? { q_text: r.text } : {}),
  };
}

describe("hand-made data: figures recomputed from the exports", () => {
  let t: TestDatabase;
  let run: Run;
  beforeAll(async () => {
    t = await createTestDatabase();
    await upsertWorkingGroups(t.db);
    // Parsed survey versions are kept in the server process by id; the demo database above used
    // the same ids, so this database numbers its versions elsewhere (one database per process
    // in production).
    await sql`select setval(pg_get_serial_sequence('survey_versions', 'id'), 100000)`.execute(t.db);
    const survey = await createSurvey(t.db, handMade(1), { slug: "figures-check" });
    let key = 0;
    const submit = async (r: HandResponse) => {
      const result = await submitCompleteResponse(t.db, {
        surveySlug: "figures-check",
        idempotencyKey: `figures-${++key}-check`,
        locale: key % 2 ? "en" : "ru",
        answers: handAnswers(r),
      });
      if (result.status !== 201) throw new Error(JSON.stringify(result));
    };
    for (const r of HAND.filter((x) => x.version === 1)) await submit(r);
    await addVersion(t.db, survey.id, handMade(2), "figures-v2", "# v2", "editor", null);
    for (const r of HAND.filter((x) => x.version === 2)) await submit(r);

    // Themes on a need entry and on a long answer.
    const cookie = await accountWithSession(t.db, "figures@example.org", "admin", []);
    const groupId = (
      await t.db
        .selectFrom("working_groups")
        .select("id")
        .where("slug", "=", "energy")
        .executeTakeFirstOrThrow()
    ).id;
    const dash = (await resolveDashboardSurvey(t.db, "energy", "figures-check"))!;
    const texts = (await listFreeTexts(t.db, dash, {}, { minCell: 1 })).items;
    const by = { by: { id: cookie.id, email: "figures@example.org" } };
    await createTheme(t.db, groupId, "Funding", by);
    const tagged = texts.filter((x) => x.text.startsWith("Funding") || x.need?.title === "Need 1");
    for (const item of tagged) {
      const result = await tagAnswer(t.db, groupId, item.answerId, { name: "Funding" }, by);
      if (!result.ok) throw new Error(`tagging ${item.text}: ${result.error}`);
    }
    if (tagged.length < 2) throw new Error(`texts to tag: ${JSON.stringify(texts)}`);

    const views: View[] = [
      {},
      { country_group: "eu" },
      { country_group: "ru" },
      { org_type: "university" },
      { horizon: "short_term" },
      { horizon: "medium_term" },
    ];
    // A threshold of 2 shows most figures of seven responses; the default 5 checks the notices.
    const small = await runChecks(t.db, cookie.cookie, "energy", views, 2);
    const usual = await runChecks(t.db, cookie.cookie, "energy", [{}, { country_group: "eu" }], 5);
    run = {
      longVersusWide: small.longVersusWide,
      mismatches: [...small.mismatches, ...usual.mismatches],
      checked: new Map(
        [...usual.checked, ...small.checked].map(([k]) => [
          k,
          (small.checked.get(k) ?? 0) + (usual.checked.get(k) ?? 0),
        ]),
      ),
    };
  }, 240_000);
  afterAll(() => t?.close());
  familyTests(() => run, new Set([...ALWAYS, "themes"]));
});
