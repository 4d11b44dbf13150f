import type { ExportedSurvey, Rows } from "./exports";
import type { ShownTable } from "./html";
import { estimate, mean, median, priority } from "./reference";

/*
 * The figures of the dashboards and reports recomputed from the exported files only, following
 * docs/statistics.md. Labels (options, categories, statements) come from the codebook; the
 * filters are applied here from the exported profile columns.
 */

export interface View {
  country_group?: "eu" | "ru" | "other";
  org_type?: string;
  horizon?: "short_term" | "medium_term";
}

/** What a shown cell must say, in terms of recomputed values. */
export type Expected =
  /** A count; `people` (when given) is the respondents behind it, whose small number may hide it too. */
  | { kind: "count"; n: number; people?: number }
  /** count ÷ of, as a percentage; "–" when the count itself is not shown. */
  | { kind: "share"; n: number; of: number }
  /** A share whose own cell carries the suppression of its count (overview heatmap). */
  | { kind: "countShare"; n: number; of: number }
  | { kind: "stat"; value: number | null; n: number }
  | { kind: "ci"; lower: number | null; upper: number | null; n: number }
  /** "score (lower – upper)" of the dashboard's first screen; "–" when not shown. */
  | { kind: "statCi"; value: number | null; lower: number | null; upper: number | null; n: number }
  /** "score (n)" of the comparison tables. */
  | { kind: "scoreN"; value: number | null; n: number }
  | { kind: "text"; value: string }
  /** A quadrant of a grid: "–" when the statement's means are not shown. */
  | { kind: "quadrant"; value: string; n: number };

export interface ExpectedTable {
  family: Family;
  /** Expected cells by row label, then by column label. */
  rows: Map<string, Record<string, Expected>>;
  /** Only some rows are shown (top needs). */
  partial?: boolean;
  /** The rows are ranked by this column, highest first. */
  rankedBy?: string;
  /** A count stated in the caption ("shares of the 80 respondents who answered the question"). */
  captionCount?: { shown: string; n: number };
  /** Additive relations among the count cells: Σ cells = total (row label, column label). */
  relations: Array<{
    cells: Array<[string, string]>;
    /** A known number, a cell (row, column, caption of its table or "" for this one), or an unknown shared by several relations. */
    total: number | [string, string, string] | { unknown: string };
  }>;
}

export type Family =
  | "participation"
  | "profile"
  | "choices"
  | "scales"
  | "numbers"
  | "rankings"
  | "needs-by-horizon"
  | "priority-scores"
  | "borich"
  | "themes";

export interface Question {
  key: string;
  type: string;
  label: string;
  /** Options, rows, items or statements, in codebook order. */
  items: Array<{ code: string; label: string }>;
  range: [number, number] | null;
}

export interface SurveyData {
  group: string;
  groupName: string;
  exported: ExportedSurvey;
  questions: Map<string, Question>;
  categories: Map<string, string>;
  /** The programme's shared need categories (codebook of the needs table), in its order. */
  sharedCategories: Map<string, string>;
}

const num = (s: string | undefined) => (s === undefined || s === "" ? null : Number(s));

export function surveyData(exported: ExportedSurvey, groupName: string): SurveyData {
  const questions = new Map<string, Question>();
  const categories = new Map<string, string>();
  const sharedCategories = new Map<string, string>();
  for (const r of exported.codebook) {
    if (r.table === "needs" && r.column === "shared_category" && r.code)
      sharedCategories.set(r.code, r.code_label_en);
    if (r.table === "needs" && r.column === "category" && r.code)
      categories.set(r.code, r.code_label_en);
    if (r.table !== "data" || !r.question_key) continue;
    let q = questions.get(r.question_key);
    if (!q) {
      const m = /from (-?[\d.]+) to (-?[\d.]+)/.exec(r.values);
      q = {
        key: r.question_key,
        type: r.type,
        label: r.label_en,
        items: [],
        range: m ? [Number(m[1]), Number(m[2])] : null,
      };
      questions.set(r.question_key, q);
    }
    if (r.code && r.column === r.question_key)
      q.items.push({ code: r.code, label: r.code_label_en });
    else if (r.item && !r.code) {
      const code = r.type === "borich" ? r.item.replace(/\.(importance|current)$/, "") : r.item;
      const label =
        r.type === "borich"
          ? r.item_label_en.replace(/ \((importance|current level)\)$/, "")
          : r.item_label_en;
      if (!q.items.some((i) => i.code === code)) q.items.push({ code, label });
    }
  }
  return { group: exported.group, groupName, exported, questions, categories, sharedCategories };
}

/** The exported responses that the view's respondent filters keep. */
export function respondents(s: SurveyData, view: View): Rows {
  return s.exported.data.filter(
    (r) =>
      (!view.country_group || r.country_group === view.country_group) &&
      (!view.org_type || r.org_type === view.org_type),
  );
}

/** The need entries of the kept respondents, of the view's horizon. */
export function needs(s: SurveyData, view: View): Rows {
  const ids = new Set(respondents(s, view).map((r) => r.response_id));
  return s.exported.needs.filter(
    (n) => ids.has(n.response_id) && (!view.horizon || n.horizon === view.horizon),
  );
}

const COUNTRY_GROUPS: Array<[string, string]> = [
  ["eu", "EU member states"],
  ["ru", "Russia"],
  ["other", "Other countries"],
];
const regions = new Intl.DisplayNames(["en"], { type: "region" });

function partitionTable(
  family: Family,
  entries: Array<[label: string, n: number]>,
  of: number,
  countCol: string,
  shareCol: string,
): ExpectedTable {
  const rows = new Map<string, Record<string, Expected>>();
  for (const [label, n] of entries)
    rows.set(label, { [countCol]: { kind: "count", n }, [shareCol]: { kind: "share", n, of } });
  return { family, rows, relations: [{ cells: entries.map(([l]) => [l, countCol]), total: of }] };
}

/** Countries with at least `minCell` respondents by name, the others pooled into one row. */
function countryEntries(values: string[], minCell: number): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const named = [...counts]
    .filter(([, n]) => n >= minCell)
    .map(([c, n]) => [regions.of(c) ?? c, n] as [string, number]);
  const pooled = [...counts].filter(([, n]) => n < minCell).reduce((s, [, n]) => s + n, 0);
  if (pooled > 0) named.push([`Countries with fewer than ${minCell} respondents each`, pooled]);
  return named;
}

function mondayOf(iso: string): string {
  const d = new Date(iso);
  const day = (d.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day))
    .toISOString()
    .slice(0, 10);
}
const dayLabel = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" });

/** Number bins as the row labels state them: "below 20 %", "20 to under 40 %", "80 % or more". */
function parseBin(label: string): [number, number] | null {
  const n = (s: string) => Number(s.replace(/,/g, ""));
  let m = /^below (-?[\d.,]+)/.exec(label);
  if (m) return [-Infinity, n(m[1])];
  m = /^(-?[\d.,]+) to under (-?[\d.,]+)/.exec(label);
  if (m) return [n(m[1]), n(m[2])];
  m = /^(-?[\d.,]+)\b.* or more$/.exec(label);
  if (m) return [n(m[1]), Infinity];
  return null;
}

/** The expected figures of one shown table, or null when the table is not one this suite knows. */
export function expectTable(
  table: ShownTable,
  surveys: SurveyData[],
  view: View,
  minCell: number,
): ExpectedTable | null {
  const cap = table.caption;
  const single = surveys.length === 1 ? surveys[0] : null;
  const byName = (name: string) => surveys.find((s) => s.groupName === name) ?? null;

  // Overview and overall report: "<group>: …".
  const prefixed =
    /^(.+?): (share of respondents naming each need category \(of (.+?) respondents who answered\)|top needs by priority score: (.*))$/.exec(
      cap,
    );
  if (prefixed) {
    const s = byName(prefixed[1]);
    if (!s) return null;
    if (prefixed[2].startsWith("share")) return heatmap(s, view, table, prefixed[3]);
    return priorityTable(s, view, horizonOf(prefixed[4]), minCell, true);
  }
  if (/^Participation in each group's latest survey$/.test(cap)) {
    const rows = new Map<string, Record<string, Expected>>();
    for (const s of surveys) {
      // The row header names the group and its survey.
      const label = table.rows.find((r) => r.label.startsWith(s.groupName))?.label ?? s.groupName;
      rows.set(label, {
        Submitted: { kind: "count", n: s.exported.data.length },
        "Matching the filters": { kind: "count", n: respondents(s, view).length },
      });
    }
    return { family: "participation", rows, relations: [], partial: true };
  }
  const programme =
    /^All groups together: shared need categories by priority score: (.*) \(of (.+?) respondents who described needs\)$/.exec(
      cap,
    );
  if (programme)
    return programmeRanking(surveys, view, horizonOf(programme[1]), minCell, programme[2]);
  const shared =
    /^Priority score \(respondents\) of every shared need category, by group: (.*)$/.exec(cap);
  if (shared) return sharedByGroup(surveys, view, shared[1], minCell);
  if (!single) return null;
  const s = single;
  const people = respondents(s, view);

  if (cap === "Submissions per week") {
    const weeks = new Map<string, number>();
    for (const r of people)
      weeks.set(mondayOf(r.submitted_at), (weeks.get(mondayOf(r.submitted_at)) ?? 0) + 1);
    const entries = [...weeks]
      .sort()
      .map(([w, n]) => [dayLabel.format(new Date(`${w}T00:00:00Z`)), n] as [string, number]);
    const t = partitionTable("participation", entries, people.length, "Submissions", "-");
    for (const row of t.rows.values()) delete row["-"];
    return t;
  }
  const profile = /^Respondents by (country group|type of organisation|sector|country)$/.exec(cap);
  if (profile) {
    const dim = profile[1];
    let entries: Array<[string, number]>;
    if (dim === "country group")
      entries = COUNTRY_GROUPS.map(([c, l]) => [
        l,
        people.filter((r) => r.country_group === c).length,
      ]);
    else if (dim === "country")
      entries = countryEntries(people.map((r) => r.country).filter(Boolean), minCell);
    else {
      const key = dim === "sector" ? "sector" : "org_type";
      entries = (s.questions.get(key)?.items ?? []).map((o) => [
        o.label,
        people.filter((r) => r[key] === o.code).length,
      ]);
    }
    return partitionTable("profile", entries, people.length, "Respondents", "Share");
  }
  const byHorizon =
    /^Respondents naming each need category, by horizon; shares of the (.+?) respondents who answered the question$/.exec(
      cap,
    );
  if (byHorizon) return needsByHorizon(s, view, byHorizon[1]);
  const ranked = /^Need categories ranked by priority score: (.*)$/.exec(cap);
  if (ranked) return priorityTable(s, view, horizonOf(ranked[1]), minCell, false);
  const top = /^Top needs: (.*)$/.exec(cap);
  if (top) return glanceTable(s, view, table) ?? priorityTable(s, view, horizonOf(top[1]), minCell, true);
  const byGroup = /^By country group: (.*)$/.exec(cap);
  if (byGroup) return countryGroupScores(s, view, horizonOf(byGroup[1]), table);
  if (
    /^Statements ranked by mean weighted discrepancy score/.test(cap) ||
    cap === "Mean importance and mean current level of each statement" ||
    /importance.performance|locus for focus/i.test(cap)
  )
    return borich(s, people, minCell);
  if (cap === "Answers tagged with each theme") return themes(s, view);

  const q = [...s.questions.values()].find((x) => x.label === cap);
  if (!q) return null;
  return questionTable(q, people, table, minCell);
}

function horizonOf(text: string): "short_term" | "medium_term" | null {
  if (text.startsWith("Short term")) return "short_term";
  if (text.startsWith("Medium term")) return "medium_term";
  return null;
}

function questionTable(
  q: Question,
  people: Rows,
  table: ShownTable,
  minCell: number,
): ExpectedTable | null {
  const col = (k: string) =>
    people.map((r) => num(r[`${q.key}.${k}`])).filter((v): v is number => v !== null);
  switch (q.type) {
    case "single_choice": {
      const answered = people.filter((r) => r[q.key] !== "" && r[q.key] !== undefined);
      const t = partitionTable(
        "choices",
        q.items.map((o) => [o.label, answered.filter((r) => r[q.key] === o.code).length]),
        answered.length,
        "Respondents",
        "Share",
      );
      return t;
    }
    case "country": {
      const values = people.map((r) => r[q.key]).filter(Boolean);
      return partitionTable(
        "choices",
        countryEntries(values, minCell),
        values.length,
        "Respondents",
        "Share",
      );
    }
    case "multi_choice": {
      const options = q.items.filter((o) => o.code !== "other");
      const answered = people.filter(
        (r) =>
          options.some((o) => r[`${q.key}.${o.code}`] !== "") || (r[`${q.key}.other`] ?? "") !== "",
      );
      const rows = new Map<string, Record<string, Expected>>();
      for (const o of options) {
        const n = answered.filter((r) => r[`${q.key}.${o.code}`] === "1").length;
        rows.set(o.label, {
          Respondents: { kind: "count", n },
          Share: { kind: "share", n, of: answered.length },
        });
      }
      const otherRow = table.rows.find((r) => !rows.has(r.label) && /^Other/.test(r.label));
      if (otherRow) {
        const n = answered.filter((r) => (r[`${q.key}.other`] ?? "") !== "").length;
        rows.set(otherRow.label, {
          Respondents: { kind: "count", n },
          Share: { kind: "share", n, of: answered.length },
        });
      }
      return { family: "choices", rows, relations: [] };
    }
    case "scale": {
      const values = people.map((r) => num(r[q.key])).filter((v): v is number => v !== null);
      const rows = new Map<string, Record<string, Expected>>();
      for (const r of table.rows) {
        const point = Number(/^(-?\d+)/.exec(r.label)?.[1]);
        const n = values.filter((v) => v === point).length;
        rows.set(r.label, {
          Respondents: { kind: "count", n },
          Share: { kind: "share", n, of: values.length },
        });
      }
      return {
        family: "scales",
        rows,
        relations: [
          { cells: [...rows.keys()].map((l) => [l, "Respondents"]), total: values.length },
        ],
      };
    }
    case "matrix": {
      const rows = new Map<string, Record<string, Expected>>();
      const relations: ExpectedTable["relations"] = [];
      const points = table.columns.filter((c) => /^-?\d+\b/.test(c));
      for (const item of q.items) {
        const values = col(item.code);
        const cells: Record<string, Expected> = {};
        for (const c of points)
          cells[c] = {
            kind: "count",
            n: values.filter((v) => v === Number(/^(-?\d+)/.exec(c)![1])).length,
          };
        const e = estimate(values, q.range ?? [-Infinity, Infinity]);
        cells.n = { kind: "count", n: values.length };
        cells.Mean = { kind: "stat", value: e.mean, n: values.length };
        cells["95 % CI"] = { kind: "ci", lower: e.lower, upper: e.upper, n: values.length };
        cells.Median = {
          kind: "stat",
          value: values.length ? median(values) : null,
          n: values.length,
        };
        rows.set(item.label, cells);
        relations.push({ cells: points.map((c) => [item.label, c]), total: [item.label, "n", ""] });
      }
      return { family: "scales", rows, relations };
    }
    case "ranking": {
      const rows = new Map<string, Record<string, Expected>>();
      const rankCols = table.columns.filter((c) => /^Rank \d+$/.test(c));
      const relations: ExpectedTable["relations"] = [];
      for (const item of q.items) {
        const values = col(item.code);
        const e = estimate(values, [1, q.items.length]);
        const cells: Record<string, Expected> = {
          "Mean rank": { kind: "stat", value: e.mean, n: values.length },
          "95 % CI": { kind: "ci", lower: e.lower, upper: e.upper, n: values.length },
        };
        for (const c of rankCols)
          cells[c] = { kind: "count", n: values.filter((v) => v === Number(c.slice(5))).length };
        rows.set(item.label, cells);
        // Every respondent who ranks gives each item one rank and each rank to one item, so every
        // row and every column adds up to the same number of respondents (not shown itself).
        relations.push({
          cells: rankCols.map((c) => [item.label, c]),
          total: { unknown: "ranked" },
        });
      }
      for (const c of rankCols)
        relations.push({ cells: q.items.map((i) => [i.label, c]), total: { unknown: "ranked" } });
      return { family: "rankings", rows, relations };
    }
    case "number": {
      const values = people.map((r) => num(r[q.key])).filter((v): v is number => v !== null);
      const rows = new Map<string, Record<string, Expected>>();
      for (const r of table.rows) {
        const bin = parseBin(r.label);
        const n = bin ? values.filter((v) => v >= bin[0] && v < bin[1]).length : -1;
        rows.set(r.label, {
          Respondents: { kind: "count", n },
          Share: { kind: "share", n, of: values.length },
        });
      }
      const inBins = [...rows.values()].reduce((s, c) => s + (c.Respondents as { n: number }).n, 0);
      if (inBins !== values.length)
        rows.set("(answers in no bin)", {
          Respondents: { kind: "count", n: values.length - inBins },
        });
      return {
        family: "numbers",
        rows,
        relations: [
          { cells: table.rows.map((r) => [r.label, "Respondents"]), total: values.length },
        ],
      };
    }
    default:
      return null;
  }
}

/** Respondents who named at least one need in the survey (the base of the need shares). */
function needBase(s: SurveyData, view: View): number {
  return new Set(needs(s, { ...view, horizon: undefined }).map((n) => n.response_id)).size;
}

function needsByHorizon(s: SurveyData, view: View, shownBase: string): ExpectedTable {
  const entries = needs(s, view);
  const base = needBase(s, view);
  const rows = new Map<string, Record<string, Expected>>();
  const relations: ExpectedTable["relations"] = [];
  for (const [code, label] of s.categories) {
    const cells: Record<string, Expected> = {};
    for (const [h, name] of [
      ["short_term", "Short term"],
      ["medium_term", "Medium term"],
      [null, "Both"],
    ] as const) {
      const list = entries.filter((n) => n.category === code && (!h || n.horizon === h));
      const people = new Set(list.map((n) => n.response_id)).size;
      cells[`${name} / Respondents`] = { kind: "count", n: people };
      cells[`${name} / Needs`] = { kind: "count", n: list.length, people };
      cells[`${name} / Share of respondents`] = { kind: "share", n: people, of: base };
    }
    rows.set(label, cells);
    relations.push({
      cells: [
        [label, "Short term / Needs"],
        [label, "Medium term / Needs"],
      ],
      total: [label, "Both / Needs", ""],
    });
  }
  return {
    family: "needs-by-horizon",
    rows,
    relations,
    captionCount: { shown: shownBase, n: base },
  };
}

function heatmap(s: SurveyData, view: View, table: ShownTable, shownBase: string): ExpectedTable {
  const entries = needs(s, view);
  const base = needBase(s, view);
  const rows = new Map<string, Record<string, Expected>>();
  for (const [code, label] of s.categories) {
    const cells: Record<string, Expected> = {};
    for (const c of table.columns.slice(1)) {
      const h = horizonOf(c);
      const people = new Set(
        entries.filter((n) => n.category === code && n.horizon === h).map((n) => n.response_id),
      ).size;
      cells[c] = { kind: "countShare", n: people, of: base };
    }
    rows.set(label, cells);
  }
  return {
    family: "needs-by-horizon",
    rows,
    relations: [],
    captionCount: { shown: shownBase, n: base },
  };
}

/**
 * Priority score of a category with the respondent as the unit: each respondent's mean priority
 * over their entries in the category first, then the mean and its CI over respondents.
 */
function categoryScore(entries: Rows) {
  return perRespondent(entries, (n) => priority(Number(n.urgency), Number(n.importance)), [4, 100]);
}

/** Each respondent's mean of `value` over their entries, then the estimate over respondents. */
function perRespondent(
  entries: Rows,
  value: (entry: Rows[number]) => number,
  range: [number, number],
) {
  const byPerson = new Map<string, number[]>();
  for (const n of entries) {
    const list = byPerson.get(n.response_id) ?? [];
    list.push(value(n));
    byPerson.set(n.response_id, list);
  }
  return estimate([...byPerson.values()].map(mean), range);
}

function priorityTable(
  s: SurveyData,
  view: View,
  horizon: "short_term" | "medium_term" | null,
  _minCell: number,
  top: boolean,
): ExpectedTable {
  const entries = needs(s, view).filter((n) => !horizon || n.horizon === horizon);
  const rows = new Map<string, Record<string, Expected>>();
  for (const [code, label] of s.categories) {
    const list = entries.filter((n) => n.category === code);
    const score = categoryScore(list);
    const cells: Record<string, Expected> = {
      Respondents: { kind: "count", n: score.n },
      "Priority score": { kind: "stat", value: score.mean, n: score.n },
      "95 % CI": { kind: "ci", lower: score.lower, upper: score.upper, n: score.n },
    };
    if (!top) {
      cells.Needs = { kind: "count", n: list.length, people: score.n };
      // The respondent is the unit: each respondent's mean over their entries, then the mean.
      cells["Mean urgency"] = {
        kind: "stat",
        value: perRespondent(list, (n) => Number(n.urgency), [1, 5]).mean,
        n: score.n,
      };
      cells["Mean importance"] = {
        kind: "stat",
        value: perRespondent(list, (n) => Number(n.importance), [1, 5]).mean,
        n: score.n,
      };
    }
    rows.set(label, cells);
  }
  return {
    family: "priority-scores",
    rows,
    relations: [],
    partial: top,
    rankedBy: "Priority score",
  };
}

/**
 * The dashboard's first screen: the top need categories with each horizon's priority score and
 * its 95 % CI in one cell per horizon ("Short term: priority score (95 % CI)"); null for a table
 * without such columns (the report's top-needs tables have the same caption).
 */
function glanceTable(s: SurveyData, view: View, table: ShownTable): ExpectedTable | null {
  const columns = table.columns.flatMap((c) => {
    const m = /^(Short term|Medium term): priority score \(95 % CI\)$/.exec(c);
    return m ? [{ column: c, horizon: horizonOf(m[1])! }] : [];
  });
  if (columns.length === 0) return null;
  const entries = needs(s, view);
  const rows = new Map<string, Record<string, Expected>>();
  for (const [code, label] of s.categories) {
    const cells: Record<string, Expected> = {};
    for (const { column, horizon } of columns) {
      const score = categoryScore(
        entries.filter((n) => n.category === code && n.horizon === horizon),
      );
      cells[column] = {
        kind: "statCi",
        value: score.mean,
        lower: score.lower,
        upper: score.upper,
        n: score.n,
      };
    }
    rows.set(label, cells);
  }
  return { family: "priority-scores", rows, relations: [], partial: true };
}

/**
 * The groups in the overview's programme-wide figures: those whose figures are shown (some
 * respondents match, not fewer than N, and not all but fewer than N of the submitted ones).
 */
function shownGroups(surveys: SurveyData[], view: View, minCell: number): SurveyData[] {
  const filtered = Boolean(view.country_group || view.org_type);
  return surveys.filter((s) => {
    const matching = respondents(s, view).length;
    const rest = s.exported.data.length - matching;
    return matching >= minCell && !(filtered && rest > 0 && rest < minCell);
  });
}

/** The need entries of the view (both horizons) in a shared category, of the groups shown. */
function sharedEntries(surveys: SurveyData[], view: View): Rows {
  return surveys.flatMap((s) => needs(s, view).filter((n) => n.shared_category));
}

/** The shared categories ranked programme-wide, from every shown group's needs export together. */
function programmeRanking(
  surveys: SurveyData[],
  view: View,
  horizon: "short_term" | "medium_term" | null,
  minCell: number,
  shownBase: string,
): ExpectedTable {
  const groups = shownGroups(surveys, view, minCell);
  const all = sharedEntries(groups, view);
  const entries = all.filter((n) => !horizon || n.horizon === horizon);
  const rows = new Map<string, Record<string, Expected>>();
  for (const [code, label] of surveys[0]?.sharedCategories ?? []) {
    const list = entries.filter((n) => n.shared_category === code);
    const score = categoryScore(list);
    rows.set(label, {
      Respondents: { kind: "count", n: score.n },
      "Priority score": { kind: "stat", value: score.mean, n: score.n },
      "95 % CI": { kind: "ci", lower: score.lower, upper: score.upper, n: score.n },
      "Mean urgency": {
        kind: "stat",
        value: perRespondent(list, (n) => Number(n.urgency), [1, 5]).mean,
        n: score.n,
      },
      "Mean importance": {
        kind: "stat",
        value: perRespondent(list, (n) => Number(n.importance), [1, 5]).mean,
        n: score.n,
      },
    });
  }
  return {
    family: "priority-scores",
    rows,
    relations: [],
    rankedBy: "Priority score",
    // Respondents who described needs in a shared category, whatever the horizon filter.
    captionCount: {
      shown: shownBase,
      n: new Set(sharedEntries(groups, { ...view, horizon: undefined }).map((n) => n.response_id))
        .size,
    },
  };
}

/** Every shared category in every shown group; the groups add up to the programme-wide figure. */
function sharedByGroup(
  surveys: SurveyData[],
  view: View,
  horizonText: string,
  minCell: number,
): ExpectedTable {
  const horizon = horizonOf(horizonText);
  const groups = shownGroups(surveys, view, minCell);
  const rows = new Map<string, Record<string, Expected>>();
  const relations: ExpectedTable["relations"] = [];
  for (const [code, label] of surveys[0]?.sharedCategories ?? []) {
    const cells: Record<string, Expected> = {};
    for (const s of groups) {
      const score = categoryScore(
        needs(s, view).filter(
          (n) => n.shared_category === code && (!horizon || n.horizon === horizon),
        ),
      );
      cells[s.groupName] = { kind: "scoreN", value: score.mean, n: score.n };
    }
    rows.set(label, cells);
    relations.push({
      cells: groups.map((s) => [label, s.groupName]),
      // The caption of the programme-wide ranking of the same horizon starts so.
      total: [
        label,
        "Respondents",
        `All groups together: shared need categories by priority score: ${horizonText} (of`,
      ],
    });
  }
  return { family: "priority-scores", rows, relations };
}

function countryGroupScores(
  s: SurveyData,
  view: View,
  horizon: "short_term" | "medium_term" | null,
  table: ShownTable,
): ExpectedTable {
  const entries = needs(s, view).filter((n) => !horizon || n.horizon === horizon);
  const groupOf = new Map(s.exported.data.map((r) => [r.response_id, r.country_group]));
  const rows = new Map<string, Record<string, Expected>>();
  const relations: ExpectedTable["relations"] = [];
  const names: Record<string, string> = { EU: "eu", Russia: "ru", "Other countries": "other" };
  const rankedCaption = `Need categories ranked by priority score: ${table.caption.replace(/^By country group: /, "")}`;
  for (const [code, label] of s.categories) {
    const cells: Record<string, Expected> = {};
    for (const c of table.columns.slice(1)) {
      const score = categoryScore(
        entries.filter((n) => n.category === code && groupOf.get(n.response_id) === names[c]),
      );
      cells[c] = { kind: "scoreN", value: score.mean, n: score.n };
    }
    rows.set(label, cells);
    relations.push({
      cells: table.columns.slice(1).map((c) => [label, c]),
      total: [label, "Respondents", rankedCaption],
    });
  }
  return { family: "priority-scores", rows, relations, partial: true };
}

function borich(s: SurveyData, people: Rows, minCell: number): ExpectedTable | null {
  const q = [...s.questions.values()].find((x) => x.type === "borich");
  if (!q) return null;
  const stats = q.items.map((st) => {
    const pairs = people
      .map(
        (r) =>
          [
            num(r[`${q.key}.${st.code}.importance`]),
            num(r[`${q.key}.${st.code}.current`]),
          ] as const,
      )
      .filter((p): p is readonly [number, number] => p[0] !== null && p[1] !== null);
    const imp = pairs.length ? mean(pairs.map((p) => p[0])) : null;
    const cur = pairs.length ? mean(pairs.map((p) => p[1])) : null;
    const gap = estimate(
      pairs.map((p) => p[0] - p[1]),
      [-4, 4],
    );
    return {
      st,
      n: pairs.length,
      imp,
      cur,
      gap,
      mwds: gap.mean !== null && imp !== null ? gap.mean * imp : null,
    };
  });
  // The grids split at the means over the shown statements (rated by at least minCell respondents).
  const shown = stats.filter((x) => x.imp !== null && x.n >= minCell);
  const mImp = mean(shown.map((x) => x.imp!));
  const mCur = mean(shown.map((x) => x.cur!));
  const mGap = mean(shown.map((x) => x.gap.mean!));
  const rows = new Map<string, Record<string, Expected>>();
  for (const x of stats) {
    const quadrant =
      x.imp === null || x.cur === null
        ? "–"
        : x.imp >= mImp
          ? x.cur < mCur
            ? "Act first"
            : "Keep up"
          : x.cur < mCur
            ? "Low priority"
            : "Possible overkill";
    const locus =
      x.imp === null || x.gap.mean === null
        ? "–"
        : x.imp >= mImp
          ? x.gap.mean >= mGap
            ? "Locus for focus (high importance, large gap)"
            : "High importance, small gap"
          : x.gap.mean >= mGap
            ? "Lower importance, large gap"
            : "Lower importance, small gap";
    rows.set(x.st.label, {
      Respondents: { kind: "count", n: x.n },
      "Mean importance": { kind: "stat", value: x.imp, n: x.n },
      "Mean current level": { kind: "stat", value: x.cur, n: x.n },
      "Mean gap (importance − current)": { kind: "stat", value: x.gap.mean, n: x.n },
      "Mean discrepancy": { kind: "stat", value: x.gap.mean, n: x.n },
      "95 % CI": { kind: "ci", lower: x.gap.lower, upper: x.gap.upper, n: x.n },
      MWDS: { kind: "stat", value: x.mwds, n: x.n },
      "Importance–performance quadrant": { kind: "quadrant", value: quadrant, n: x.n },
      "Locus-for-focus quadrant": { kind: "quadrant", value: locus, n: x.n },
    });
  }
  return { family: "borich", rows, relations: [], rankedBy: "MWDS" };
}

/**
 * Theme counts from tags.csv (one row per tag on an answer): answers = tags, respondents =
 * distinct responses with a tag, of the matching responses; with a horizon filter, tags on need
 * entries of the other horizon are left out (the need entry's horizon is in needs.csv).
 */
function themes(s: SurveyData, view: View): ExpectedTable {
  const ids = new Set(respondents(s, view).map((r) => r.response_id));
  const horizonOfNeed = new Map(
    s.exported.needs.map((n) => [`${n.response_id}\u0000${n.need_id}`, n.horizon]),
  );
  const tagged = s.exported.tags.filter(
    (t) =>
      ids.has(t.response_id) &&
      (!view.horizon ||
        t.answer_part !== "need" ||
        horizonOfNeed.get(`${t.response_id}\u0000${t.item}`) === view.horizon),
  );
  const rows = new Map<string, Record<string, Expected>>();
  for (const theme of new Set(tagged.map((t) => t.theme_name))) {
    const mine = tagged.filter((t) => t.theme_name === theme);
    rows.set(theme, {
      "Tagged answers": { kind: "count", n: mine.length },
      Respondents: { kind: "count", n: new Set(mine.map((t) => t.response_id)).size },
    });
  }
  return { family: "themes", rows, relations: [] };
}
