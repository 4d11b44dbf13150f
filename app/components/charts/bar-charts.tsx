import { useId, useMemo } from "react";
import { Bar, BarChart, CartesianGrid, LabelList, Legend, XAxis, YAxis } from "recharts";
import { type Formatters, plotted } from "~/components/dashboard/format";
import type { Distribution, MeanStat, Shown } from "~/server/dashboards/views";
import { useI18n } from "~/i18n/react";
import { SERIES_COLOURS } from "./chart-figure";
import { type Estimate, niceRange, tiedWithNeighbour, wrapLabel } from "./chart-scale";

export interface BarDatum {
  label: string;
  /** null: no bar (not shown, or nothing to show). */
  value: number | null;
  /** A hidden cell's wording ("fewer than 5", "withheld"): drawn as a hatched bar with it. */
  hidden?: string;
  /** The largest value a hidden cell can have (the threshold of a suppressed count). */
  upper?: number;
  /** The mean with its CI, for the "tied" and "n < 10" markers. */
  estimate?: MeanStat | null;
  /** The value label, when it is not the value itself (e.g. the mean rank of a ranking). */
  text?: string;
  /** A small sample without an estimate to compare ("n < 10"). */
  small?: boolean;
  /** Words added to the value label (e.g. the quadrant of a Borich statement). */
  marks?: string[];
}

export interface SeriesDatum {
  label: string;
  values: Record<string, number | null>;
  /** Per series key: a hidden cell's wording, drawn as a hatched bar. */
  hidden?: Record<string, string | undefined>;
}

const AXIS_TICK = { fontSize: 12, fill: "#1b1f24" };
const LABEL = { fontSize: 12, fill: "#1b1f24" };
const HATCH_STROKE = "#555d66";
/** Pixels per character of a 12 px label (Cyrillic is wider than Latin), for wrapping labels. */
const CHAR_WIDTH = 7.4;
const LINE_HEIGHT = 14;

/** A bar of a count: hidden counts become hatched bars with their wording. */
export function countBar(label: string, value: Shown, f: Formatters): BarDatum {
  return typeof value === "number"
    ? { label, value: plotted(value) }
    : {
        label,
        value: plotted(value),
        hidden: f.count(value),
        upper: value === "suppressed" ? f.minCell : undefined,
      };
}

/** A bar of a share (0–1) whose count may be hidden. */
export function shareBar(
  label: string,
  share: number | null,
  count: Shown,
  f: Formatters,
): BarDatum {
  return typeof count === "number"
    ? { label, value: share }
    : { label, value: null, hidden: f.count(count) };
}

/** The pattern that fills hidden cells: diagonal lines, in the chart's own SVG (it is exported). */
function HatchPattern({ id }: { id: string }) {
  return (
    <defs>
      <pattern
        id={id}
        patternUnits="userSpaceOnUse"
        width="6"
        height="6"
        patternTransform="rotate(45)"
      >
        <rect width="6" height="6" fill="#ffffff" />
        <line x1="0" y1="0" x2="0" y2="6" stroke={HATCH_STROKE} strokeWidth="2.5" />
      </pattern>
    </defs>
  );
}

function usePatternId(): string {
  return `hatch-${useId().replace(/[^a-zA-Z0-9_-]/g, "")}`;
}

function useNumberFormat(percent: boolean, digits: number) {
  const { locale } = useI18n();
  return useMemo(() => {
    const value = new Intl.NumberFormat(locale, {
      style: percent ? "percent" : "decimal",
      maximumFractionDigits: digits,
      minimumFractionDigits: digits,
    });
    const tick = new Intl.NumberFormat(locale, {
      style: percent ? "percent" : "decimal",
      maximumFractionDigits: 2,
    });
    return { value: (v: number) => value.format(v), tick: (v: number) => tick.format(v) };
  }, [locale, percent, digits]);
}

/** Ticks and axis ends: round steps up to `domainMax`, or over the bars (below 0 too). */
function axis(values: number[], domainMax: number | undefined, integer: boolean, ticks?: number[]) {
  if (ticks) return { ticks, min: ticks[0], max: ticks[ticks.length - 1] };
  const top = domainMax ?? Math.max(0, ...values);
  const nice = niceRange(Math.min(0, ...values), top > 0 ? top : 1, 5, integer);
  return { ticks: nice, min: nice[0], max: nice[nice.length - 1] };
}

/** The length of a hatched bar: its upper bound, but never so short that it reads as zero. */
function hatchLength(upper: number | undefined, axisMax: number): number {
  return Math.min(axisMax, Math.max(upper ?? 0, axisMax * 0.04));
}

/** Characters per line of a category label in `width` pixels (less the tick's own gap). */
function labelChars(width: number): number {
  return Math.floor((width - 12) / CHAR_WIDTH);
}

/** A category label wrapped over lines, right-aligned against the axis. */
function WrappedTick(props: {
  x?: number | string;
  y?: number | string;
  payload?: { value: string };
  width: number;
}) {
  const lines = wrapLabel(String(props.payload?.value ?? ""), labelChars(props.width));
  const x = Number(props.x ?? 0);
  const y = Number(props.y ?? 0) - ((lines.length - 1) * LINE_HEIGHT) / 2;
  return (
    <text x={x - 4} y={y} textAnchor="end" dominantBaseline="central" {...AXIS_TICK}>
      {lines.map((line, i) => (
        <tspan key={i} x={x - 4} dy={i === 0 ? 0 : LINE_HEIGHT}>
          {line}
        </tspan>
      ))}
    </text>
  );
}

function labelLines(labels: string[], width: number): number {
  return Math.max(1, ...labels.map((l) => wrapLabel(l, labelChars(width)).length));
}

/**
 * Horizontal bars, one per category, in the order given: for counts, shares (0–1, shown as
 * %) or means. Full labels (wrapped), a value label on each bar, round ticks; hidden cells as
 * hatched bars with their wording; means marked "tied" when their CIs overlap heavily with the
 * next one's, and "n < 10" for small samples.
 */
export function HorizontalBars({
  data,
  percent = false,
  domainMax,
  digits,
  ticks: givenTicks,
  tickText,
  labelWidth = 240,
}: {
  data: BarDatum[];
  percent?: boolean;
  domainMax?: number;
  /** Fraction digits of the value labels (default: 0, or 1 for means). */
  digits?: number;
  /** Axis ticks, when round steps are not what the values need (e.g. ranks). */
  ticks?: number[];
  tickText?: (value: number) => string;
  labelWidth?: number;
}) {
  const { t } = useI18n();
  const patternId = usePatternId();
  const means = data.some((d) => d.estimate);
  const fmt = useNumberFormat(percent, digits ?? (means ? 1 : 0));
  const integer =
    !percent && !means && data.every((d) => d.value === null || Number.isInteger(d.value));
  const { ticks, min, max } = axis(
    data.flatMap((d) => [d.value ?? 0, d.upper ?? 0]),
    domainMax,
    integer,
    givenTicks,
  );
  const tied = tiedWithNeighbour(
    data.map((d): Estimate | null =>
      d.estimate && d.value !== null
        ? { mean: d.estimate.mean, lower: d.estimate.ciLower, upper: d.estimate.ciUpper }
        : null,
    ),
  );
  const rows = data.map((d, i) => {
    const marks = [
      ...(tied[i] ? [t("dashboard.chart.tied")] : []),
      ...(d.estimate?.small || d.small ? [t("dashboard.ci.small")] : []),
      ...(d.marks ?? []),
    ];
    return {
      label: d.label,
      value: d.value,
      valueLabel:
        d.value === null ? undefined : [d.text ?? fmt.value(d.value), ...marks].join(" · "),
      hatch: d.value === null && d.hidden ? hatchLength(d.upper, max) : null,
      hatchLabel: d.value === null ? d.hidden : undefined,
    };
  });
  const lines = labelLines(
    data.map((d) => d.label),
    labelWidth,
  );
  const rowHeight = Math.max(30, lines * LINE_HEIGHT + 14);
  const height = data.length * rowHeight + 40;
  const longestLabel = Math.max(0, ...rows.map((r) => (r.valueLabel ?? r.hatchLabel ?? "").length));
  return (
    <BarChart
      layout="vertical"
      data={rows}
      responsive
      style={{ width: "100%", maxWidth: 760, height }}
      margin={{ top: 4, right: Math.max(32, longestLabel * CHAR_WIDTH + 12), bottom: 4, left: 4 }}
      accessibilityLayer={false}
    >
      <HatchPattern id={patternId} />
      <CartesianGrid horizontal={false} stroke="#d9dee3" />
      <XAxis
        type="number"
        domain={[min, max]}
        ticks={ticks}
        tick={AXIS_TICK}
        interval={0}
        tickFormatter={(v: number) => (tickText ? tickText(v) : fmt.tick(v))}
      />
      <YAxis
        type="category"
        dataKey="label"
        width={labelWidth}
        tick={(props: object) => <WrappedTick {...props} width={labelWidth} />}
        interval={0}
      />
      <Bar dataKey="value" stackId="bar" fill={SERIES_COLOURS[0]} isAnimationActive={false}>
        <LabelList dataKey="valueLabel" position="right" {...LABEL} />
      </Bar>
      <Bar
        dataKey="hatch"
        stackId="bar"
        fill={`url(#${patternId})`}
        stroke={HATCH_STROKE}
        isAnimationActive={false}
        className="chart-bar--hidden"
      >
        <LabelList dataKey="hatchLabel" position="right" {...LABEL} />
      </Bar>
    </BarChart>
  );
}

/**
 * Horizontal bars grouped by category, one colour per series (e.g. horizons, country
 * groups), every series in the legend; hidden cells as hatched bars with their wording.
 */
export function GroupedBars({
  data,
  series,
  percent = false,
  domainMax,
  digits,
  labelWidth = 220,
}: {
  data: SeriesDatum[];
  series: Array<{ key: string; label: string }>;
  percent?: boolean;
  domainMax?: number;
  digits?: number;
  labelWidth?: number;
}) {
  const patternId = usePatternId();
  const fmt = useNumberFormat(percent, digits ?? (percent ? 0 : 1));
  const { ticks, max } = axis(
    data.flatMap((d) => Object.values(d.values).map((v) => v ?? 0)),
    domainMax,
    false,
  );
  const rows = data.map((d) => {
    const row: Record<string, string | number | null | undefined> = { label: d.label };
    for (const s of series) {
      const value = d.values[s.key] ?? null;
      const hidden = value === null ? d.hidden?.[s.key] : undefined;
      row[s.key] = value;
      row[`${s.key}__label`] = value === null ? undefined : fmt.value(value);
      row[`${s.key}__hatch`] = hidden ? hatchLength(undefined, max) : null;
      row[`${s.key}__hidden`] = hidden;
    }
    return row;
  });
  const barSize = 12;
  const lines = labelLines(
    data.map((d) => d.label),
    labelWidth,
  );
  const rowHeight = Math.max(series.length * (barSize + 4) + 14, lines * LINE_HEIGHT + 14);
  const height = data.length * rowHeight + 70;
  const longestLabel = Math.max(
    4,
    ...data.flatMap((d) => Object.values(d.hidden ?? {}).map((h) => (h ?? "").length)),
  );
  return (
    <BarChart
      layout="vertical"
      data={rows}
      responsive
      style={{ width: "100%", maxWidth: 760, height }}
      margin={{ top: 4, right: Math.max(40, longestLabel * 6 + 12), bottom: 4, left: 4 }}
      accessibilityLayer={false}
      barGap={2}
    >
      <HatchPattern id={patternId} />
      <CartesianGrid horizontal={false} stroke="#d9dee3" />
      <XAxis
        type="number"
        domain={[0, max]}
        ticks={ticks}
        interval={0}
        tick={AXIS_TICK}
        tickFormatter={(v: number) => fmt.tick(v)}
      />
      <YAxis
        type="category"
        dataKey="label"
        width={labelWidth}
        tick={(props: object) => <WrappedTick {...props} width={labelWidth} />}
        interval={0}
      />
      <Legend verticalAlign="top" height={28} wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
      {series.flatMap((s, i) => [
        <Bar
          key={s.key}
          dataKey={s.key}
          name={s.label}
          stackId={s.key}
          barSize={barSize}
          fill={SERIES_COLOURS[i % SERIES_COLOURS.length]}
          isAnimationActive={false}
        >
          <LabelList dataKey={`${s.key}__label`} position="right" fontSize={11} fill="#1b1f24" />
        </Bar>,
        <Bar
          key={`${s.key}__hatch`}
          dataKey={`${s.key}__hatch`}
          name={s.label}
          stackId={s.key}
          barSize={barSize}
          legendType="none"
          fill={`url(#${patternId})`}
          stroke={SERIES_COLOURS[i % SERIES_COLOURS.length]}
          isAnimationActive={false}
          className="chart-bar--hidden"
        >
          <LabelList dataKey={`${s.key}__hidden`} position="right" fontSize={11} fill="#1b1f24" />
        </Bar>,
      ])}
    </BarChart>
  );
}

/**
 * Vertical columns: a distribution over ordered values (scale points, weeks, bins), with
 * value labels, round ticks and hidden cells as hatched columns.
 */
export function Columns({ data, percent = false }: { data: BarDatum[]; percent?: boolean }) {
  const patternId = usePatternId();
  const fmt = useNumberFormat(percent, 0);
  const { ticks, max } = axis(
    data.flatMap((d) => [d.value ?? 0, d.upper ?? 0]),
    undefined,
    !percent,
  );
  const rows = data.map((d) => ({
    label: d.label,
    value: d.value,
    valueLabel: d.value === null ? undefined : fmt.value(d.value),
    hatch: d.value === null && d.hidden ? hatchLength(d.upper, max) : null,
    hatchLabel: d.value === null ? d.hidden : undefined,
  }));
  const crowded = data.length > 12;
  return (
    <BarChart
      data={rows}
      responsive
      style={{ width: "100%", maxWidth: 760, height: 240 }}
      margin={{ top: 22, right: 16, bottom: 4, left: 0 }}
      accessibilityLayer={false}
    >
      <HatchPattern id={patternId} />
      <CartesianGrid vertical={false} stroke="#d9dee3" />
      <XAxis dataKey="label" tick={AXIS_TICK} interval="preserveStartEnd" />
      <YAxis
        tick={AXIS_TICK}
        width={48}
        domain={[0, max]}
        ticks={ticks}
        interval={0}
        tickFormatter={(v: number) => fmt.tick(v)}
      />
      <Bar dataKey="value" stackId="bar" fill={SERIES_COLOURS[0]} isAnimationActive={false}>
        <LabelList dataKey="valueLabel" position="top" fontSize={crowded ? 9 : 12} fill="#1b1f24" />
      </Bar>
      <Bar
        dataKey="hatch"
        stackId="bar"
        fill={`url(#${patternId})`}
        stroke={HATCH_STROKE}
        isAnimationActive={false}
        className="chart-bar--hidden"
      >
        <LabelList dataKey="hatchLabel" position="top" fontSize={crowded ? 9 : 11} fill="#1b1f24" />
      </Bar>
    </BarChart>
  );
}

/** The points of a mean rank among `places` items: places + 1 − mean rank (a Borda score). */
export function rankPoints(meanRank: number, places: number): number {
  return places + 1 - meanRank;
}

/**
 * A ranking question: the item ranked highest has the longest bar (its Borda score, the
 * number of items + 1 − its mean rank), labelled with the mean rank the table shows.
 */
export function RankingBars({
  items,
  places,
  f,
}: {
  items: Extract<Distribution, { kind: "ranking" }>["items"];
  places: number;
  f: Formatters;
}) {
  const ranked = items
    .filter((i) => i.meanRank)
    .sort((a, b) => a.meanRank!.mean - b.meanRank!.mean);
  return (
    <HorizontalBars
      ticks={Array.from({ length: places + 1 }, (_, i) => i)}
      tickText={() => ""}
      data={ranked.map((i) => ({
        label: f.text(i.label, i.code),
        value: rankPoints(i.meanRank!.mean, places),
        estimate: i.meanRank,
        text: f.t("dashboard.chart.meanRank", { rank: f.num(i.meanRank!.mean) }),
      }))}
    />
  );
}
