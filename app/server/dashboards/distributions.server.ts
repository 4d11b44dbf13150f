import { sql } from "kysely";
import type { Db } from "#db/client";
import type { LocalizedText } from "#db/schema";
import type { AggregationKind } from "~/survey/registry";
import type { ValueRange } from "~/survey/scoring";
import { protectRankTable } from "./protected-tables";
import { aggregateRows, type Margin } from "../aggregates.server";
import type { ResponseFilters } from "../filters.server";
import { meanStat, protectPartition, shareOf, shownCount } from "./figures";
import {
  type AnswerScope,
  PROFILE_KEYS,
  aggregateMargin,
  aggregateRowsOf,
  answerRowsOf,
  dashboardQuery,
  withFiltered,
} from "./sql.server";
import { SMALL_CODES, poolSmallCodes } from "./profile.server";
import type {
  CodeLabel,
  DashboardQuestion,
  DashboardSurvey,
  Distribution,
  SectionOptions,
  Shown,
  Summary,
} from "./views";

/**
 * Section: the distribution of every question with a chart (choice, scale, matrix, ranking,
 * number, date, country).
 */

/** The aggregations counted per option or value (numbers are binned; needs, Borich and texts have sections of their own). */
const COUNTED = new Set<AggregationKind>([
  "choice",
  "country",
  "multi",
  "scale",
  "matrix",
  "ranking",
]);

/** Aggregations with several answer rows per respondent: their respondents are counted apart. */
const SEVERAL_ROWS = new Set<AggregationKind>(["multi", "matrix"]);

interface CountRow {
  row_kind: "count" | "stat" | "respondents";
  k: string;
  item: string | null;
  opt: string | null;
  val: number | null;
  n: number;
  mean: number | null;
  sd: number | null;
  median: number | null;
}

interface NumberRow {
  k: string;
  n: number;
  mean: number | null;
  sd: number | null;
  median: number | null;
  lo: number | null;
  step: number | null;
  nb: number | null;
  bins: Array<{ b: number; n: number }>;
}

function summaryOf(
  n: number,
  mean: number | null,
  sd: number | null,
  median: number | null,
  minCell: number,
  range?: ValueRange,
): Summary {
  const m = meanStat(n, mean, sd, n, minCell, range);
  return { mean: m, median: m ? median : null };
}

/**
 * The distribution of every choice, multiple-choice, country, scale, matrix, ranking and
 * number question: one query for the counted types (grouping sets give counts per option or
 * value, per row or item, and per question, with means and medians), one for numbers (binned).
 */
export async function distributions(
  db: Db,
  survey: Pick<DashboardSurvey, "id" | "questions">,
  filters: ResponseFilters,
  { minCell }: SectionOptions,
): Promise<Distribution[]> {
  const counted = survey.questions.filter(
    (q) => COUNTED.has(q.aggregation) && !PROFILE_KEYS.has(q.key),
  );
  const numbers = survey.questions.filter((q) => q.aggregation === "number");
  const margin = aggregateMargin(filters);
  const [countRows, numberRows] = await Promise.all([
    counted.length
      ? margin
        ? countQueryOf(db, survey.id, counted, margin)
        : countQuery(db, survey.id, counted, filters)
      : Promise.resolve([] as CountRow[]),
    numbers.length
      ? margin
        ? numberQueryOf(db, survey.id, numbers, margin)
        : numberQuery(db, survey.id, numbers, filters)
      : Promise.resolve([] as NumberRow[]),
  ]);
  const out: Distribution[] = [];
  for (const q of survey.questions) {
    if (q.aggregation === "number") {
      const r = numberRows.find((x) => x.k === q.key);
      out.push(numberDistribution(q, r, minCell));
    } else if (counted.includes(q)) {
      out.push(
        countedDistribution(
          q,
          countRows.filter((r) => r.k === q.key),
          minCell,
        ),
      );
    }
  }
  return out;
}

/** Mean, sample SD and median of counted values (w: val, n, and cum = running count by val within total). */
const COUNTED_MEAN = sql<number>`sum(w.n * w.val) / sum(w.n)`;

const COUNTED_SD = sql<number | null>`case when sum(w.n) > 1
  then sqrt(greatest(sum(w.n * w.val * w.val) - sum(w.n * w.val) ^ 2 / sum(w.n), 0) / (sum(w.n) - 1)) end`;

const COUNTED_MEDIAN = sql<number>`(min(w.val) filter (where w.cum >= ceil(w.total / 2.0))
  + min(w.val) filter (where w.cum >= floor(w.total / 2.0) + 1)) / 2`;

/** countQuery from the aggregates: the same counts, summed over the survey's versions. */
async function countQueryOf(
  db: Db,
  surveyId: number,
  questions: DashboardQuestion[],
  margin: Margin,
): Promise<CountRow[]> {
  const severalRows = questions.filter((q) => SEVERAL_ROWS.has(q.aggregation));
  const result = await sql<CountRow>`with
    c as (
      select g.question_key as k, g.item, g.code as opt, g.value as val, sum(g.n)::float8 as n
      from (${aggregateRows([surveyId], "count", margin)}) g
      where ${aggregateRowsOf(questions)}
      group by g.question_key, g.item, g.code, g.value having sum(g.n) > 0),
    w as (
      select c.k, c.item, c.val, c.n, sum(c.n) over (partition by c.k, c.item) as total,
             sum(c.n) over (partition by c.k, c.item order by c.val) as cum
      from c where c.val is not null),
    st as (
      select w.k, w.item, sum(w.n) as n, ${COUNTED_MEAN} as mean, ${COUNTED_SD} as sd,
             ${COUNTED_MEDIAN} as median
      from w group by w.k, w.item),
    r as (
      select g.question_key as k, sum(g.n)::float8 as n
      from (${aggregateRows([surveyId], "resp", margin)}) g
      where ${severalRows.length ? aggregateRowsOf(severalRows) : sql`false`}
      group by g.question_key having sum(g.n) > 0)
    select 'count' as row_kind, c.k, c.item, c.opt, c.val, c.n,
           null::float8 as mean, null::float8 as sd, null::float8 as median from c
    union all
    select 'stat', st.k, st.item, null, null, st.n, st.mean, st.sd, st.median from st
    union all
    select 'respondents', r.k, null, null, null, r.n, null, null, null from r`.execute(db);
  return result.rows.map((r) => ({ ...r, n: Number(r.n) }));
}

/**
 * percentile_cont(f) of the values of a histogram (c: x, n, cum = running count by x, tot), as
 * Postgres computes it: the values at 0-based positions ⌊f(tot−1)⌋ and ⌈f(tot−1)⌉, interpolated.
 */
function histogramPercentile(f: number) {
  const rowPos = sql`(${f}::float8 * (c.tot - 1))`;
  const pos = sql`(${f}::float8 * (max(c.tot) - 1))`;
  const lo = sql`min(c.x) filter (where c.cum > floor(${rowPos}))`;
  const hi = sql`min(c.x) filter (where c.cum > ceil(${rowPos}))`;
  return sql<number>`${lo} + ((${pos} - floor(${pos})) * (${hi} - ${lo}))`;
}

/** numberQuery from the aggregates: the per-value counts of the numbers give n, mean, SD, percentiles and bins. */
async function numberQueryOf(
  db: Db,
  surveyId: number,
  questions: DashboardQuestion[],
  margin: Margin,
): Promise<NumberRow[]> {
  const integers = questions.filter((q) => q.number?.integer).map((q) => q.key);
  const result = await sql<NumberRow>`with
    h as (
      select g.question_key as k, g.value as x, sum(g.n)::float8 as n
      from (${aggregateRows([surveyId], "count", margin)}) g
      where ${aggregateRowsOf(questions)} and g.value is not null
      group by g.question_key, g.value having sum(g.n) > 0),
    c as (
      select h.k, h.x, h.n, sum(h.n) over (partition by h.k order by h.x) as cum,
             sum(h.n) over (partition by h.k) as tot
      from h),
    s as (
      select c.k, max(c.tot) as n, sum(c.n * c.x) / max(c.tot) as mean,
             case when max(c.tot) > 1
               then sqrt(greatest(sum(c.n * c.x * c.x) - sum(c.n * c.x) ^ 2 / max(c.tot), 0) / (max(c.tot) - 1)) end as sd,
             ${histogramPercentile(0.5)} as median, ${histogramPercentile(0.05)} as p05,
             ${histogramPercentile(0.95)} as p95
      from c group by c.k),
    w as (select s.k, ${binWidth(integers)} as step from s)
    select s.k, s.n, s.mean, s.sd, s.median,
           (floor(s.p05::numeric / w.step) * w.step)::float8 as lo,
           w.step::float8 as step,
           greatest(1, ceil((s.p95::numeric - floor(s.p05::numeric / w.step) * w.step) / w.step))::int as nb,
           (select coalesce(json_agg(json_build_object('b', x.b, 'n', x.n) order by x.b), '[]'::json) from (
              select least(greatest(floor((h.x::numeric - floor(s.p05::numeric / w.step) * w.step) / w.step)::int, 0),
                           greatest(1, ceil((s.p95::numeric - floor(s.p05::numeric / w.step) * w.step) / w.step))::int) as b,
                     sum(h.n) as n
              from h where h.k = s.k group by 1) x) as bins
    from s join w on w.k = s.k`.execute(db);
  return result.rows.map((r) => ({
    ...r,
    n: Number(r.n),
    lo: r.lo === null ? null : Number(r.lo),
    step: r.step === null ? null : Number(r.step),
    nb: r.nb === null ? null : Number(r.nb),
  }));
}

/**
 * Counts per (question, row or item, option, value) in one pass (a hash aggregate); the means,
 * sample SDs and medians of each (question, row or item) are then computed in SQL from those
 * counts, and the respondents of multiple-choice and matrix questions (several rows each) by a
 * distinct count.
 */
async function countQuery(
  db: Db,
  surveyId: number,
  questions: DashboardQuestion[],
  filters: ResponseFilters,
) {
  const severalRows = questions.filter((q) => SEVERAL_ROWS.has(q.aggregation));
  const rows = await dashboardQuery(db, (trx) =>
    withFiltered(trx, [surveyId], filters)
      .with("c", (qb) =>
        qb
          .selectFrom("answers as a")
          .innerJoin("fr", "fr.id", "a.response_id")
          .select([
            "a.question_key as k",
            "a.item",
            "a.option_code as opt",
            "a.value_num as val",
            sql<number>`count(*)::float8`.as("n"),
          ])
          .where((eb) => answerRowsOf(eb as unknown as AnswerScope, [surveyId], questions))
          .groupBy(["a.question_key", "a.item", "a.option_code", "a.value_num"]),
      )
      .with("w", (qb) =>
        qb
          .selectFrom("c")
          .select([
            "c.k",
            "c.item",
            "c.val",
            "c.n",
            sql<number>`sum(c.n) over (partition by c.k, c.item)`.as("total"),
            sql<number>`sum(c.n) over (partition by c.k, c.item order by c.val)`.as("cum"),
          ])
          .where("c.val", "is not", null),
      )
      .with("st", (qb) =>
        qb
          .selectFrom("w")
          .select([
            "w.k",
            "w.item",
            sql<number>`sum(w.n)`.as("n"),
            COUNTED_MEAN.as("mean"),
            COUNTED_SD.as("sd"),
            COUNTED_MEDIAN.as("median"),
          ])
          .groupBy(["w.k", "w.item"]),
      )
      .with("r", (qb) =>
        qb
          .selectFrom((sub) =>
            sub
              .selectFrom("answers as a")
              .innerJoin("fr", "fr.id", "a.response_id")
              .select(["a.question_key as k", "a.response_id"])
              .distinct()
              .where((eb) =>
                severalRows.length
                  ? answerRowsOf(eb as unknown as AnswerScope, [surveyId], severalRows)
                  : sql<boolean>`false`,
              )
              .as("x"),
          )
          .select(["x.k", sql<number>`count(*)::float8`.as("n")])
          .groupBy("x.k"),
      )
      .selectFrom("c")
      .select([
        sql<"count">`'count'`.as("row_kind"),
        "c.k",
        "c.item",
        "c.opt",
        "c.val",
        "c.n",
        sql<number | null>`null::float8`.as("mean"),
        sql<number | null>`null::float8`.as("sd"),
        sql<number | null>`null::float8`.as("median"),
      ])
      .unionAll(
        (qb) =>
          qb
            .selectFrom("st")
            .select([
              sql<"stat">`'stat'`.as("row_kind"),
              "st.k",
              "st.item",
              sql<string | null>`null`.as("opt"),
              sql<number | null>`null::float8`.as("val"),
              "st.n",
              "st.mean",
              "st.sd",
              "st.median",
            ]) as never,
      )
      .unionAll(
        (qb) =>
          qb
            .selectFrom("r")
            .select([
              sql<"respondents">`'respondents'`.as("row_kind"),
              "r.k",
              sql<string | null>`null`.as("item"),
              sql<string | null>`null`.as("opt"),
              sql<number | null>`null::float8`.as("val"),
              "r.n",
              sql<number | null>`null::float8`.as("mean"),
              sql<number | null>`null::float8`.as("sd"),
              sql<number | null>`null::float8`.as("median"),
            ]) as never,
      )
      .execute(),
  );
  return rows.map((r) => ({ ...r, n: Number(r.n) })) as CountRow[];
}

/**
 * The bin width of a number question from its p05 and p95 (CTE s: k, p05, p95): 1, 2 or 5 times
 * a power of ten, at least 1 for whole numbers. numeric, not float8: edges and bin numbers must
 * be exact for decimal widths.
 */
function binWidth(integers: readonly string[]) {
  return sql<number>`(select case when r.raw <= 0 then 1::numeric
      else greatest(case when r.raw / p.p <= 1 then p.p when r.raw / p.p <= 2 then 2 * p.p
                         when r.raw / p.p <= 5 then 5 * p.p else 10 * p.p end,
                    case when s.k in (${sql.join(integers.length ? integers : [""])}) then 1 else 0 end) end
    from (select (s.p95::numeric - s.p05::numeric) / 6 as raw) r,
         lateral (select case when r.raw > 0 then power(10::numeric, floor(log(r.raw))) else 1::numeric end as p) p)`;
}

/**
 * Numbers: n, mean, sd, median, and a histogram of about six bins of a round width between
 * the 5th and 95th percentiles (the outer bins are open, so that extreme single answers are
 * not pinned down).
 */
async function numberQuery(
  db: Db,
  surveyId: number,
  questions: DashboardQuestion[],
  filters: ResponseFilters,
) {
  const integers = questions.filter((q) => q.number?.integer).map((q) => q.key);
  const rows = await dashboardQuery(db, (trx) =>
    withFiltered(trx, [surveyId], filters)
      .with("v", (qb) =>
        qb
          .selectFrom("answers as a")
          .innerJoin("fr", "fr.id", "a.response_id")
          .select(["a.question_key as k", "a.value_num as x"])
          .where((eb) => answerRowsOf(eb as unknown as AnswerScope, [surveyId], questions))
          .where("a.value_num", "is not", null),
      )
      .with("s", (qb) =>
        qb
          .selectFrom("v")
          .select([
            "v.k",
            sql<number>`count(*)`.as("n"),
            sql<number | null>`avg(v.x)`.as("mean"),
            sql<number | null>`stddev_samp(v.x)`.as("sd"),
            sql<number | null>`percentile_cont(0.5) within group (order by v.x)`.as("median"),
            sql<number>`percentile_cont(0.05) within group (order by v.x)`.as("p05"),
            sql<number>`percentile_cont(0.95) within group (order by v.x)`.as("p95"),
          ])
          .groupBy("v.k"),
      )
      .with("w", (qb) => qb.selectFrom("s").select(["s.k", binWidth(integers).as("step")]))
      .selectFrom("s")
      .innerJoin("w", "w.k", "s.k")
      .select([
        "s.k",
        "s.n",
        "s.mean",
        "s.sd",
        "s.median",
        // Exact decimal arithmetic: a value on an edge (0.3 with width 0.1) opens the upper bin.
        sql<number>`(floor(s.p05::numeric / w.step) * w.step)::float8`.as("lo"),
        sql<number>`w.step::float8`.as("step"),
        sql<number>`greatest(1, ceil((s.p95::numeric - floor(s.p05::numeric / w.step) * w.step) / w.step))::int`.as(
          "nb",
        ),
        sql<Array<{ b: number; n: number }>>`(
        select coalesce(json_agg(json_build_object('b', x.b, 'n', x.n) order by x.b), '[]'::json) from (
          select least(greatest(floor((v.x::numeric - floor(s.p05::numeric / w.step) * w.step) / w.step)::int, 0),
                       greatest(1, ceil((s.p95::numeric - floor(s.p05::numeric / w.step) * w.step) / w.step))::int) as b,
                 count(*) as n
          from v where v.k = s.k group by 1) x)`.as("bins"),
      ])
      .execute(),
  );
  return rows.map((r) => ({
    ...r,
    n: Number(r.n),
    lo: r.lo === null ? null : Number(r.lo),
    step: r.step === null ? null : Number(r.step),
    nb: r.nb === null ? null : Number(r.nb),
  })) as NumberRow[];
}

function numberDistribution(
  q: DashboardQuestion,
  r: NumberRow | undefined,
  minCell: number,
): Distribution {
  const n = r?.n ?? 0;
  const answered = shownCount(n, minCell);
  const base = {
    kind: "number" as const,
    key: q.key,
    type: q.type,
    label: q.label,
    unit: q.number?.unit,
    answered,
  };
  if (!r || n < minCell || r.lo === null || r.step === null || r.nb === null) {
    return { ...base, summary: { mean: null, median: null }, bins: [] };
  }
  const counts = Array.from({ length: r.nb + 1 }, (_, b) =>
    Number(r.bins.find((x) => x.b === b)?.n ?? 0),
  );
  const shown = protectPartition(counts, minCell);
  const round = (x: number) => Math.round(x * 1e9) / 1e9;
  return {
    ...base,
    summary: summaryOf(n, r.mean, r.sd, r.median, minCell, {
      min: q.number?.min ?? -Infinity,
      max: q.number?.max ?? Infinity,
    }),
    bins: counts.map((_, b) => ({
      lower: b === 0 ? null : round(r.lo! + b * r.step!),
      upper: b === r.nb ? null : round(r.lo! + (b + 1) * r.step!),
      count: shown[b],
      share: shareOf(shown[b], n),
    })),
  };
}

function countedDistribution(
  q: DashboardQuestion,
  rows: readonly CountRow[],
  minCell: number,
): Distribution {
  const detail = rows.filter((r) => r.row_kind === "count");
  const perItem = rows.filter((r) => r.row_kind === "stat");
  const respondents = SEVERAL_ROWS.has(q.aggregation)
    ? (rows.find((r) => r.row_kind === "respondents")?.n ?? 0)
    : q.aggregation === "ranking"
      ? Math.max(0, ...perItem.map((r) => r.n))
      : detail.reduce((sum, r) => sum + r.n, 0);
  const answered = shownCount(respondents, minCell);
  const hide = respondents < minCell;

  const codeCells = (
    codes: ReadonlyArray<{ code: string; label?: LocalizedText }>,
    countOf: (code: string) => number,
    partition: boolean,
  ) => {
    const counts = codes.map((c) => countOf(c.code));
    const shown = hide
      ? counts.map((c): Shown => (c === 0 ? 0 : "suppressed"))
      : partition
        ? protectPartition(counts, minCell)
        : counts.map((c) => shownCount(c, minCell));
    return codes.map((c, i) => ({
      code: c.code,
      label: c.label,
      count: shown[i],
      share: shareOf(shown[i], respondents),
    }));
  };
  const withUnknown = (known: readonly CodeLabel[], found: ReadonlyArray<string | null>) => [
    ...known,
    ...[...new Set(found)]
      .filter((c): c is string => c !== null && !known.some((k) => k.code === c))
      .map((code) => ({ code, label: undefined as LocalizedText | undefined })),
  ];

  switch (q.aggregation) {
    case "choice":
    case "country": {
      if (q.aggregation === "country") {
        const counts = new Map<string, number>();
        for (const r of detail)
          if (r.opt !== null) counts.set(r.opt, (counts.get(r.opt) ?? 0) + r.n);
        const pooled = hide
          ? respondents > 0
            ? [{ code: SMALL_CODES as string | null, count: "suppressed" as Shown }]
            : []
          : poolSmallCodes(
              [...counts].map(([code, n]) => ({ code, n })),
              minCell,
            );
        const options = pooled.map((c) => ({
          code: c.code ?? SMALL_CODES,
          count: c.count,
          share: shareOf(c.count, respondents),
        }));
        return {
          kind: "choice",
          key: q.key,
          type: q.type,
          label: q.label,
          answered,
          options,
          countries: q.countries === true,
        };
      }
      const codes = withUnknown(
        q.codes,
        detail.map((r) => r.opt),
      );
      const options = codeCells(
        codes,
        (code) => detail.filter((r) => r.opt === code).reduce((s, r) => s + r.n, 0),
        true,
      );
      return {
        kind: "choice",
        key: q.key,
        type: q.type,
        label: q.label,
        answered,
        options,
        countries: q.countries === true,
      };
    }
    case "multi": {
      const codes = withUnknown(
        q.codes,
        detail.filter((r) => r.item !== "_other").map((r) => r.item),
      );
      const options = codeCells(
        codes,
        (code) => detail.find((r) => r.item === code)?.n ?? 0,
        false,
      );
      const otherCount = detail.find((r) => r.item === "_other")?.n ?? 0;
      return {
        kind: "multi",
        key: q.key,
        type: q.type,
        label: q.label,
        answered,
        options,
        other:
          q.other || otherCount > 0
            ? hide && otherCount > 0
              ? "suppressed"
              : shownCount(otherCount, minCell)
            : null,
      };
    }
    case "scale":
    case "matrix":
    case "ranking": {
      const points = (item: string | null, min: number, max: number) => {
        const values = Array.from({ length: max - min + 1 }, (_, i) => min + i);
        const extra = detail
          .filter((r) => r.item === item && r.val !== null && (r.val < min || r.val > max))
          .map((r) => r.val as number);
        const all = [...values, ...new Set(extra)].sort((a, b) => a - b);
        const counts = all.map((v) => detail.find((r) => r.item === item && r.val === v)?.n ?? 0);
        const itemTotal = counts.reduce((s, c) => s + c, 0);
        const shown =
          itemTotal < minCell
            ? counts.map((c): Shown => (c === 0 ? 0 : "suppressed"))
            : protectPartition(counts, minCell);
        return all.map((value, i) => ({
          value,
          count: shown[i],
          share: shareOf(shown[i], itemTotal),
        }));
      };
      if (q.aggregation === "scale") {
        const s = q.scale!;
        const r = perItem.find((x) => x.item === null);
        return {
          kind: "scale",
          key: q.key,
          type: q.type,
          label: q.label,
          answered,
          scale: s,
          values: points(null, s.min, s.max),
          summary: r
            ? summaryOf(r.n, r.mean, r.sd, r.median, minCell, s)
            : { mean: null, median: null },
        };
      }
      if (q.aggregation === "matrix") {
        const s = q.scale!;
        const rowCodes = withUnknown(
          q.codes,
          perItem.map((r) => r.item),
        );
        return {
          kind: "matrix",
          key: q.key,
          type: q.type,
          label: q.label,
          answered,
          scale: s,
          rows: rowCodes.map((c) => {
            const r = perItem.find((x) => x.item === c.code);
            return {
              code: c.code,
              label: c.label ?? { en: c.code, ru: c.code },
              answered: shownCount(r?.n ?? 0, minCell),
              values: points(c.code, s.min, s.max),
              summary: r
                ? summaryOf(r.n, r.mean, r.sd, r.median, minCell, s)
                : { mean: null, median: null },
            };
          }),
        };
      }
      const itemCodes = withUnknown(
        q.codes,
        perItem.map((r) => r.item),
      );
      // Every respondent gives every item a rank of its own: the counts add up by item and by
      // rank, so the items' ranks are protected together, not item by item.
      const rankRows = itemCodes.map((c) =>
        points(c.code, 1, Math.max(q.codes.length, 1)).map((p) => ({
          value: p.value,
          n: detail.find((r) => r.item === c.code && r.val === p.value)?.n ?? 0,
        })),
      );
      const rankShown = protectRankTable(rankRows, minCell);
      const items = itemCodes.map((c, i) => {
        const r = perItem.find((x) => x.item === c.code);
        const total = rankRows[i].reduce((s, p) => s + p.n, 0);
        return {
          code: c.code,
          label: c.label ?? { en: c.code, ru: c.code },
          answered: shownCount(r?.n ?? 0, minCell),
          meanRank: r
            ? meanStat(r.n, r.mean, r.sd, r.n, minCell, {
                min: 1,
                max: Math.max(q.codes.length, 1),
              })
            : null,
          ranks: rankRows[i].map((p, j) => ({
            value: p.value,
            count: rankShown[i][j],
            share: shareOf(rankShown[i][j], total),
          })),
        };
      });
      items.sort(
        (a, b) =>
          (a.meanRank?.mean ?? Infinity) - (b.meanRank?.mean ?? Infinity) ||
          a.code.localeCompare(b.code),
      );
      return { kind: "ranking", key: q.key, type: q.type, label: q.label, answered, items };
    }
    default:
      throw new Error(`no distribution for ${q.aggregation}`);
  }
}
