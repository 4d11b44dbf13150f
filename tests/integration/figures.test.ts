import { randomBytes } from "node:crypto";
import { parse } from "csv-parse/sync";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { createMemoryRouter, RouterProvider } from "react-router-dom";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "#db/client";
import { formatters } from "~/components/dashboard/format";
import { Methodology } from "~/components/dashboard/report";
import { NeedsMatrixSection, ParticipationSection } from "~/components/dashboard/sections";
import { catalogs, translator } from "~/i18n/catalog";
import {
  borichAnalysis,
  clearDashboardCache,
  type DashboardSurvey,
  distributions,
  type Distribution,
  groupDashboard,
  needAnalysis,
  resolveDashboardSurvey,
} from "~/server/dashboards.server";
import { type ResponseFilters } from "~/server/filters.server";
import { exportSnapshotTime } from "~/server/export-read.server";
import {
  createExport,
  type ExportKind,
  loadExportPlan,
  summaryRows,
} from "~/server/exports.server";
import { profileColumns } from "~/server/respondent-profile";
import { refreshSharedCategories } from "~/server/surveys.server";
import { upsertWorkingGroups } from "~/server/working-groups.server";
import { type Answers, type SurveyDefinition, surveyDefinitionSchema } from "~/survey/schema";
import { answersToRows, packedValuesText } from "~/survey/storage";
import { createTestDatabase, type TestDatabase } from "./db";

/*
 * The figures of the dashboard recomputed from the exported files only (the wide and needs CSV
 * and the summary sheet), with plain arithmetic and the definitions of docs/statistics.md, as an
 * analyst would: every figure the page shows must be the one the exports give.
 */

const label = (en: string) => ({ en, ru: `${en} (ru)` });
const options = (...codes: string[]) => codes.map((code) => ({ code, label: label(code) }));

const DEFINITION: SurveyDefinition = surveyDefinitionSchema.parse({
  slug: "figures",
  workingGroup: "energy",
  status: "open",
  title: label("Figures"),
  pages: [
    {
      key: "profile",
      title: label("Profile"),
      questions: [{ key: "country", type: "country", required: true, label: label("Country") }],
    },
    {
      key: "main",
      title: label("Main"),
      questions: [
        {
          key: "own_cofunding_share",
          type: "number",
          label: label("Own co-funding share"),
          min: 0,
          max: 1,
          integer: false,
        },
        { key: "rating", type: "scale", label: label("Rating"), min: 1, max: 5 },
        {
          key: "needs",
          type: "need_list",
          label: label("Needs"),
          categories: options("a", "b", "c", "d"),
        },
        {
          key: "gaps",
          type: "borich",
          label: label("Competences"),
          statements: options("s1", "s2", "s3"),
        },
      ],
    },
  ],
});

type Need = [category: string, horizon: "short_term" | "medium_term", u: number, i: number];

/*
 * 24 respondents: r1–r14 Germany, r15–r21 Russia, r22–r24 Switzerland (other countries).
 * Needs: b is named by r1–r6 (80 each); a by r7–r11 (80 each, r7 three times); c by r12–r16
 * (80 each): a, b and c tie on 80, b has the most respondents, a and c the same number.
 * d: r17 names it three times at 100, r18–r20 and r1 once at 20 (respondent unit: 36 over
 * n = 5; over entries it would be 54.3 over 7). r21 and r22 name only medium-term needs, r23
 * and r24 none: 22 respondents answered the need question, 20 of them in the short term.
 */
function needsOf(n: number): Need[] {
  const needs: Need[] = [];
  if (n <= 6) needs.push(["b", "short_term", 5, 4]);
  if (n >= 7 && n <= 11) needs.push(["a", "short_term", 4, 5]);
  if (n === 7)
    needs.push(["a", "short_term", 5, 4], ["a", "short_term", 4, 5], ["a", "medium_term", 3, 3]);
  if (n >= 12 && n <= 16) needs.push(["c", "short_term", 5, 4]);
  if (n === 17) needs.push(["d", "short_term", 5, 5], ["d", "short_term", 5, 5]);
  if (n === 17) needs.push(["d", "short_term", 5, 5]);
  if ((n >= 18 && n <= 20) || n === 1) needs.push(["d", "short_term", 1, 5]);
  if (n <= 10) needs.push(["a", "medium_term", 3, 3]);
  if (n === 21 || n === 22) needs.push(["b", "medium_term", 2, 2]);
  return needs;
}

/** Decimal answers with values on the bin edges (width 0.1). */
const SHARES = [
  0.1, 0.1, 0.1, 0.1, 0.2, 0.2, 0.3, 0.3, 0.3, 0.4, 0.4, 0.4, 0.4, 0.5, 0.5, 0.5, 0.6, 0.6, 0.6,
  0.7, 0.7, 0.7, 0.7, 0.7,
];
const RATINGS = [4, 5, 3, 4, 2, 5, 4, 3, 4, 5, 1, 4, 4, 5, 3, 4, 2, 4, 3, 5, 4, 4, 5, 5];
const GAPS: Array<[number, number][]> = Array.from({ length: 24 }, (_, k) => [
  [5, 1 + (k % 3)],
  [3 + (k % 2), 3],
  [2 + (k % 3), 1 + (k % 2)],
]);

function answersOf(n: number): Answers {
  const k = n - 1;
  const answers: Answers = {
    country: n <= 14 ? "DE" : n <= 21 ? "RU" : "CH",
    own_cofunding_share: SHARES[k],
    rating: RATINGS[k],
    gaps: Object.fromEntries(
      GAPS[k].map(([importance, current], s) => [`s${s + 1}`, { importance, current }]),
    ),
  };
  const needs = needsOf(n);
  if (needs.length)
    answers.needs = needs.map(([category, horizon, urgency, importance], i) => ({
      id: `n${i + 1}`,
      title: `Need ${i + 1}`,
      category,
      horizon,
      urgency,
      importance,
    }));
  return answers;
}

let t: TestDatabase;
let db: Db;
let survey: DashboardSurvey;
const ALL = { minCell: 1 };

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  await upsertWorkingGroups(db);
  const group = await db
    .selectFrom("working_groups")
    .select("id")
    .where("slug", "=", "energy")
    .executeTakeFirstOrThrow();
  const s = await db
    .insertInto("surveys")
    .values({
      slug: "figures",
      working_group_id: group.id,
      status: "open",
      access_mode: "open_link",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const version = await db
    .insertInto("survey_versions")
    .values({
      survey_id: s.id,
      version: 1,
      definition: JSON.stringify(DEFINITION),
      content_hash: "h1",
      source_yaml: "",
      origin: "file",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .updateTable("surveys")
    .set({ current_version_id: version.id })
    .where("id", "=", s.id)
    .execute();
  // What adding a version through the application does (surveys.server.ts addVersion).
  await refreshSharedCategories(db, [s.id]);
  for (let n = 1; n <= 24; n++) {
    const answers = answersOf(n);
    const id = crypto.randomUUID();
    const day = `2026-04-${String(1 + (n % 20)).padStart(2, "0")}`;
    await db
      .insertInto("responses")
      .values({
        id,
        survey_id: s.id,
        survey_version_id: version.id,
        invitation_id: null,
        locale: "en",
        status: "submitted",
        idempotency_key: randomBytes(8).toString("hex"),
        started_at: `${day}T09:00:00Z`,
        submitted_at: `${day}T10:00:00Z`,
        ...profileColumns(answers),
        // As a submission stores them (storeSubmission): what the exports read.
        answer_values: packedValuesText(answersToRows(DEFINITION, answers)),
      })
      .execute();
    await db
      .insertInto("answers")
      .values(
        answersToRows(DEFINITION, answers).map((row) => ({
          response_id: id,
          survey_id: s.id,
          question_key: row.questionKey,
          item: row.item,
          option_code: row.optionCode,
          value_num: row.valueNum,
          value_text: row.valueText,
          value_json: row.valueJson == null ? null : JSON.stringify(row.valueJson),
        })),
      )
      .execute();
  }
  survey = (await resolveDashboardSurvey(db, "energy"))!;
});
afterAll(() => t?.close());

// ---------------------------------------------------------------------------------------------
// Reading the exports, and a plain reference implementation of docs/statistics.md

/** An export file as the coordinator downloads it, parsed as CSV. */
async function exported(
  kind: ExportKind,
  filters: ResponseFilters = {},
): Promise<Record<string, string>[]> {
  const plan = (await loadExportPlan(db, "energy", "figures"))!;
  const file = await createExport(db, plan, kind, { filters, minCell: ALL.minCell });
  const text = await new Response(file.body).text();
  const [header, ...rows] = parse(text, { bom: true }) as string[][];
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const avg = (xs: number[]) => sum(xs) / xs.length;
const sd = (xs: number[]) => {
  const m = avg(xs);
  return Math.sqrt(sum(xs.map((x) => (x - m) ** 2)) / (xs.length - 1));
};
/** qt(0.975, df) from R, for the df these tests need. */
const T975: Record<number, number> = { 2: 4.302653, 4: 2.776445, 5: 2.570582, 23: 2.068658 };
function interval(xs: number[], min: number, max: number) {
  const m = avg(xs);
  const half = (T975[xs.length - 1] * sd(xs)) / Math.sqrt(xs.length);
  return { mean: m, lower: Math.max(min, m - half), upper: Math.min(max, m + half) };
}

interface Scored {
  category: string;
  respondents: number;
  entries: number;
  score: number;
  urgency: number;
}

/** Priority scores from the needs CSV: each respondent's entries averaged first. */
function scoresFrom(rows: Record<string, string>[], horizon?: string): Scored[] {
  const byCategory = new Map<string, Map<string, Array<{ u: number; i: number }>>>();
  for (const r of rows) {
    if (horizon && r.horizon !== horizon) continue;
    const people = byCategory.get(r.category) ?? new Map();
    const list = people.get(r.response_id) ?? [];
    list.push({ u: Number(r.urgency), i: Number(r.importance) });
    people.set(r.response_id, list);
    byCategory.set(r.category, people);
  }
  return [...byCategory].map(([category, people]) => {
    const lists = [...people.values()];
    return {
      category,
      respondents: lists.length,
      entries: sum(lists.map((l) => l.length)),
      score: avg(lists.map((l) => avg(l.map(({ u, i }) => (u * i * 100) / 25)))),
      urgency: avg(lists.map((l) => avg(l.map(({ u }) => u)))),
    };
  });
}

/** The tie rule of docs/statistics.md: score (to 9 decimals), respondents, code. */
function referenceRanking(list: Scored[]): string[] {
  return [...list]
    .sort(
      (a, b) =>
        Math.round(b.score * 1e9) - Math.round(a.score * 1e9) ||
        b.respondents - a.respondents ||
        (a.category < b.category ? -1 : a.category > b.category ? 1 : 0),
    )
    .map((s) => s.category);
}

function dist<K extends Distribution["kind"]>(list: Distribution[], key: string, kind: K) {
  const d = list.find((x) => x.key === key);
  if (!d || d.kind !== kind) throw new Error(`no ${kind} distribution for ${key}`);
  return d as Extract<Distribution, { kind: K }>;
}

const render = (element: Parameters<typeof renderToString>[0]) =>
  renderToString(element)
    .replace(/<!-- -->/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/\s+/g, " ");
/** Renders a component that reads the language from the root route's data, as on the page. */
const renderPage = (locale: "en" | "ru", element: Parameters<typeof renderToString>[0]) =>
  render(
    createElement(RouterProvider, {
      router: createMemoryRouter([{ id: "root", path: "/", element }], {
        hydrationData: { loaderData: { root: { locale, messages: catalogs[locale] } } },
      }),
    }),
  );
const f = (locale: "en" | "ru", minCell = 5) => formatters(locale, translator(locale), minCell);

// ---------------------------------------------------------------------------------------------

describe(`figures recomputed from the exports (${process.env.TEST_DATABASE_URL ? "Postgres" : "PGlite"})`, () => {
  it("bins decimal numbers exactly: a value on an edge opens the upper bin", async () => {
    const values = (await exported("wide")).map((r) => Number(r.own_cofunding_share));
    expect(values).toHaveLength(24);
    const num = dist(await distributions(db, survey, {}, ALL), "own_cofunding_share", "number");
    // Counted from the export: lower ≤ x < upper, the outer bins open.
    const counted = num.bins.map(
      (b) =>
        values.filter(
          (x) => (b.lower === null || x >= b.lower) && (b.upper === null || x < b.upper),
        ).length,
    );
    expect(num.bins.map((b) => b.count)).toEqual(counted);
    expect(num.bins.map((b) => [b.lower, b.upper, b.count])).toEqual([
      [null, 0.2, 4],
      [0.2, 0.3, 2],
      [0.3, 0.4, 3],
      [0.4, 0.5, 4],
      [0.5, 0.6, 3],
      [0.6, 0.7, 3],
      [0.7, null, 5],
    ]);
  });

  it("bins numbers by the rule written in docs/statistics.md (Number bins)", async () => {
    const values = (await exported("wide")).map((r) => Number(r.own_cofunding_share));
    const sorted = [...values].sort((a, b) => a - b);
    // percentile_cont: linear interpolation between the two nearest values.
    const percentile = (p: number) => {
      const at = p * (sorted.length - 1);
      const lower = Math.floor(at);
      return sorted[lower] + (at - lower) * ((sorted[lower + 1] ?? sorted[lower]) - sorted[lower]);
    };
    const exact = (x: number) => Math.round(x * 1e9) / 1e9;
    const p05 = percentile(0.05);
    const p95 = percentile(0.95);
    const raw = (p95 - p05) / 6;
    const p = 10 ** Math.floor(Math.log10(raw));
    const w = raw <= 0 ? 1 : exact([p, 2 * p, 5 * p, 10 * p].find((x) => exact(x) >= exact(raw))!);
    const lo = exact(Math.floor(exact(p05 / w)) * w);
    const m = Math.max(1, Math.ceil(exact((p95 - lo) / w)));
    // Exact decimal arithmetic, here by rounding to 9 decimals (the values have fewer).
    const binOf = (x: number) => Math.min(Math.max(Math.floor(exact((x - lo) / w)), 0), m);
    const expected = Array.from({ length: m + 1 }, (_, b) => [
      b === 0 ? null : exact(lo + b * w),
      b === m ? null : exact(lo + (b + 1) * w),
      values.filter((x) => binOf(x) === b).length,
    ]);
    const num = dist(await distributions(db, survey, {}, ALL), "own_cofunding_share", "number");
    expect(num.bins.map((b) => [b.lower, b.upper, b.count])).toEqual(expected);
  });

  it("counts submissions by week from Monday, UTC, as docs/statistics.md says", async () => {
    const byWeek = new Map<string, number>();
    for (const r of await exported("wide")) {
      const at = new Date(r.submitted_at);
      const monday = new Date(
        Date.UTC(
          at.getUTCFullYear(),
          at.getUTCMonth(),
          at.getUTCDate() - ((at.getUTCDay() + 6) % 7),
        ),
      );
      const week = monday.toISOString().slice(0, 10);
      byWeek.set(week, (byWeek.get(week) ?? 0) + 1);
    }
    clearDashboardCache(db);
    const d = await groupDashboard(db, survey, {}, ALL);
    expect(d.participation.weeks).toEqual(
      [...byWeek.entries()].sort().map(([week, count]) => ({ week, count })),
    );
  });

  it("divides every share of a need category by the respondents who answered the question, with or without a horizon filter", async () => {
    const all = await exported("needs");
    const answered = new Set(all.map((r) => r.response_id)).size;
    expect(answered).toBe(22);
    const short = await exported("needs", { horizon: "short_term" });
    const bShort = new Set(short.filter((r) => r.category === "b").map((r) => r.response_id)).size;
    expect(bShort).toBe(6);

    const [unfiltered] = await needAnalysis(db, survey, {}, ALL);
    const [filtered] = await needAnalysis(db, survey, { horizon: "short_term" }, ALL);
    const cell = (a: typeof unfiltered) =>
      a.matrix.find((m) => m.category === "b")!.cells.short_term;
    expect(cell(unfiltered).share).toBeCloseTo(bShort / answered, 12); // 6 / 22, not 6 / 20
    expect(cell(filtered).share).toBe(cell(unfiltered).share);
    expect(filtered.answered).toBe(answered);

    // The base is named on the page, in both languages.
    const d = { needs: [filtered], filters: { horizon: "short_term" as const } };
    expect(renderPage("en", createElement(NeedsMatrixSection, { d, f: f("en") }))).toContain(
      "shares of the 22 respondents who answered the question",
    );
    expect(renderPage("ru", createElement(NeedsMatrixSection, { d, f: f("ru") }))).toContain(
      "доли — от 22 респондентов, ответивших на вопрос",
    );
  });

  it("ranks need categories by one priority score and one tie rule on the dashboard and in the summary sheet", async () => {
    const needs = await exported("needs");
    const reference = scoresFrom(needs, "short_term");
    const order = referenceRanking(reference);
    // a, b and c tie at 80: b (6 respondents) first, then a and c (5 each) by code; d last.
    expect(order).toEqual(["b", "a", "c", "d"]);

    const [analysis] = await needAnalysis(db, survey, {}, ALL);
    const ranked = analysis.ranked.short_term;
    expect(ranked.map((r) => r.category)).toEqual(order);
    for (const r of ranked) {
      const ref = reference.find((x) => x.category === r.category)!;
      expect(r.priority!.mean).toBeCloseTo(ref.score, 9);
      expect(r.priority!.n).toBe(ref.respondents);
      expect(r.respondents).toBe(ref.respondents);
      expect(r.entries).toBe(ref.entries);
      expect(r.urgency!.mean).toBeCloseTo(ref.urgency, 9);
    }

    // The summary sheet of the workbook: the same order, scores and respondents.
    const plan = (await loadExportPlan(db, "energy", "figures"))!;
    const until = await exportSnapshotTime(db);
    const rows = await summaryRows(
      db,
      plan,
      { surveyId: survey.id, filters: {}, until },
      "en",
      ALL.minCell,
    );
    const shortRows = rows.filter((r) => r[0] === "Short term (up to 2 years)");
    expect(shortRows.map((r) => r[1])).toEqual(order);
    expect(shortRows.map((r) => r[5])).toEqual(
      order.map((c) => Math.round(reference.find((x) => x.category === c)!.score * 10) / 10),
    );
    expect(shortRows.map((r) => r[6])).toEqual(
      order.map((c) => reference.find((x) => x.category === c)!.respondents),
    );
  });

  it("takes the respondent as the unit of the priority score, its interval and its suppression", async () => {
    const needs = await exported("needs");
    const people = new Map<string, number[]>();
    for (const r of needs.filter((x) => x.category === "d" && x.horizon === "short_term")) {
      const list = people.get(r.response_id) ?? [];
      list.push((Number(r.urgency) * Number(r.importance) * 100) / 25);
      people.set(r.response_id, list);
    }
    const perRespondent = [...people.values()].map(avg);
    expect(perRespondent).toHaveLength(5); // 7 entries from 5 respondents
    const ref = interval(perRespondent, 4, 100);

    const [analysis] = await needAnalysis(db, survey, {}, { minCell: 5 });
    const d = analysis.ranked.short_term.find((r) => r.category === "d")!;
    expect(d.respondents).toBe(5);
    expect(d.priority!.n).toBe(5);
    expect(d.priority!.mean).toBeCloseTo(ref.mean, 9); // 36, not 54.3 over the 7 entries
    expect(d.priority!.ciLower).toBeCloseTo(ref.lower, 4);
    expect(d.priority!.ciUpper).toBeCloseTo(ref.upper, 4);
    expect(d.priority!.small).toBe(true);
    // With a threshold of 6 the 5 respondents are too few, whatever the 7 entries.
    const [strict] = await needAnalysis(db, survey, {}, { minCell: 6 });
    const hidden = strict.ranked.short_term.find((r) => r.category === "d")!;
    expect(hidden.respondents).toBe("suppressed");
    expect(hidden.priority).toBeNull();
  });

  it("gives intervals with the exact t quantile, cut to the scale and flagged below n = 10", async () => {
    const ratings = (await exported("wide")).map((r) => Number(r.rating));
    const ref = interval(ratings, 1, 5); // df 23: t = 2.068658 (the old table gave 2.0687)
    const all = dist(await distributions(db, survey, {}, ALL), "rating", "scale").summary.mean!;
    expect(all.ciLower).toBeCloseTo(ref.lower, 6);
    expect(all.ciUpper).toBeCloseTo(ref.upper, 6);
    expect(all.small).toBe(false);

    // Other countries: 3 respondents rated 4, 5, 5: 4.667 ± 1.434 would reach 6.10.
    const other = (await exported("wide", { countryGroup: "other" })).map((r) => Number(r.rating));
    expect([...other].sort()).toEqual([4, 5, 5]);
    const small = interval(other, 1, 5);
    expect(small.upper).toBe(5);
    const stat = dist(
      await distributions(db, survey, { countryGroup: "other" }, ALL),
      "rating",
      "scale",
    ).summary.mean!;
    expect(stat.n).toBe(3);
    expect(stat.ciLower).toBeCloseTo(small.lower, 5);
    expect(stat.ciUpper).toBe(5);
    expect(stat.small).toBe(true);
    expect(f("en").ci(stat)).toBe("3.23 – 5.00 (n < 10)");
    expect(f("ru").ci(stat)).toBe("3,23 – 5,00 (n < 10)");
  });

  it("places Borich statements on the importance–performance grid and in the locus for focus", async () => {
    const wide = await exported("wide");
    const col = (s: string, d: string) => wide.map((r) => Number(r[`gaps.${s}.${d}`]));
    const stats = ["s1", "s2", "s3"].map((s) => {
      const imp = col(s, "importance");
      const cur = col(s, "current");
      return {
        s,
        importance: avg(imp),
        current: avg(cur),
        gap: avg(imp.map((x, k) => x - cur[k])),
      };
    });
    const mi = avg(stats.map((x) => x.importance));
    const mc = avg(stats.map((x) => x.current));
    const md = avg(stats.map((x) => x.gap));
    const [b] = await borichAnalysis(db, survey, {}, ALL);
    expect(b.meanImportance).toBeCloseTo(mi, 9);
    expect(b.meanCurrent).toBeCloseTo(mc, 9);
    expect(b.meanDiscrepancy).toBeCloseTo(md, 9);
    for (const x of stats) {
      const st = b.statements.find((y) => y.statement === x.s)!;
      expect(st.discrepancy!.mean).toBeCloseTo(x.gap, 9);
      const high = x.importance >= mi;
      expect(st.quadrant).toBe(
        high
          ? x.current < mc
            ? "act_first"
            : "keep_up"
          : x.current < mc
            ? "low_priority"
            : "possible_overkill",
      );
      expect(st.locus).toBe(
        high
          ? x.gap >= md
            ? "focus"
            : "important_small_gap"
          : x.gap >= md
            ? "large_gap_less_important"
            : "low",
      );
    }
    // s1 (importance 5, largest gap) is the locus for focus.
    expect(b.statements.find((y) => y.statement === "s1")!.locus).toBe("focus");
  });

  it("says only “fewer than N” when a filter leaves too few responses", async () => {
    clearDashboardCache(db);
    const matching = (await exported("wide", { countryGroup: "other" })).length;
    expect(matching).toBe(3);
    const d = await groupDashboard(db, survey, { countryGroup: "other" }, { minCell: 5 });
    expect(d.coverage).toBe("small");
    for (const locale of ["en", "ru"] as const) {
      const report = render(createElement(Methodology, { d, f: f(locale) }));
      expect(report).not.toMatch(/\(0 |: 0\b/);
      const participation = render(
        createElement(ParticipationSection, { p: d.participation, f: f(locale) }),
      );
      expect(participation).not.toContain(locale === "en" ? "No submissions" : "Пока ничего");
      if (locale === "en") {
        expect(report).toContain(
          "Sample: fewer than 5 submitted responses match the filters, too few to show any figure.",
        );
        expect(report).not.toContain("from EU member states");
        expect(participation).toContain("Fewer than 5 submissions match these filters");
      } else {
        expect(report).toContain("фильтрам соответствует менее 5 отправленных анкет");
        expect(participation).toContain("соответствует менее 5 отправленных анкет");
      }
    }
    // EU: 14 of 24 match, with N = 11 the 10 left out are fewer than N ("complement"): the
    // page says that the filters leave out a few, not that a few match.
    const eu = await groupDashboard(db, survey, { countryGroup: "eu" }, { minCell: 11 });
    expect(eu.coverage).toBe("complement");
    for (const locale of ["en", "ru"] as const) {
      const report = render(createElement(Methodology, { d: eu, f: f(locale, 11) }));
      const participation = render(
        createElement(ParticipationSection, { p: eu.participation, f: f(locale, 11) }),
      );
      expect(report).not.toMatch(/withheld submitted|from EU member states|\(0 /);
      if (locale === "en") {
        expect(report).toContain(
          "Sample: these filters leave out fewer than 11 responses; figures are not shown.",
        );
        expect(participation).toContain(
          "These filters leave out fewer than 11 responses; figures are not shown.",
        );
        expect(participation).not.toContain("submissions match these filters");
      } else {
        expect(report).toContain("Выборка: эти фильтры исключают менее 11 анкет");
        expect(participation).toContain("Эти фильтры исключают менее 11 анкет");
        expect(participation).not.toContain("соответствует менее");
      }
    }
    const none = await groupDashboard(db, survey, { country: "JP" }, { minCell: 5 });
    expect(render(createElement(Methodology, { d: none, f: f("en") }))).toContain(
      "Sample: no submitted response matches the filters.",
    );
    expect(
      render(createElement(ParticipationSection, { p: none.participation, f: f("en") })),
    ).toContain("No submission matches these filters.");
  });
});
