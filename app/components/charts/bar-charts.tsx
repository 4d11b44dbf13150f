import { Bar, BarChart, CartesianGrid, Legend, XAxis, YAxis } from "recharts";
import { SERIES_COLOURS, shorten } from "./chart-figure";

export interface BarDatum {
  label: string;
  /** null: not shown (suppressed), no bar. */
  value: number | null;
}

export interface SeriesDatum {
  label: string;
  values: Record<string, number | null>;
}

const AXIS_TICK = { fontSize: 12, fill: "#1b1f24" };

/** Horizontal bars, one per category: for counts or shares (0–1, shown as %). */
export function HorizontalBars({
  data,
  percent = false,
  domainMax,
  labelWidth = 190,
}: {
  data: BarDatum[];
  percent?: boolean;
  domainMax?: number;
  labelWidth?: number;
}) {
  const height = Math.max(80, data.length * 30 + 40);
  return (
    <BarChart
      layout="vertical"
      data={data}
      responsive
      style={{ width: "100%", maxWidth: 720, height }}
      margin={{ top: 4, right: 24, bottom: 4, left: 4 }}
      accessibilityLayer={false}
    >
      <CartesianGrid horizontal={false} stroke="#d9dee3" />
      <XAxis
        type="number"
        domain={[0, domainMax ?? "auto"]}
        tick={AXIS_TICK}
        allowDecimals={!percent ? false : true}
        tickFormatter={(v: number) => (percent ? `${Math.round(v * 100)}%` : String(v))}
      />
      <YAxis
        type="category"
        dataKey="label"
        width={labelWidth}
        tick={AXIS_TICK}
        tickFormatter={(v: string) => shorten(v)}
        interval={0}
      />
      <Bar dataKey="value" fill={SERIES_COLOURS[0]} isAnimationActive={false} />
    </BarChart>
  );
}

/** Horizontal bars grouped by category, one colour per series (e.g. horizons, country groups). */
export function GroupedBars({
  data,
  series,
  percent = false,
  domainMax,
}: {
  data: SeriesDatum[];
  series: Array<{ key: string; label: string }>;
  percent?: boolean;
  domainMax?: number;
}) {
  const rows = data.map((d) => ({ label: d.label, ...d.values }));
  const height = Math.max(100, data.length * (series.length * 12 + 14) + 70);
  return (
    <BarChart
      layout="vertical"
      data={rows}
      responsive
      style={{ width: "100%", maxWidth: 720, height }}
      margin={{ top: 4, right: 24, bottom: 4, left: 4 }}
      accessibilityLayer={false}
    >
      <CartesianGrid horizontal={false} stroke="#d9dee3" />
      <XAxis
        type="number"
        domain={[0, domainMax ?? "auto"]}
        tick={AXIS_TICK}
        tickFormatter={(v: number) => (percent ? `${Math.round(v * 100)}%` : String(v))}
      />
      <YAxis
        type="category"
        dataKey="label"
        width={190}
        tick={AXIS_TICK}
        tickFormatter={(v: string) => shorten(v)}
        interval={0}
      />
      <Legend verticalAlign="top" height={28} wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
      {series.map((s, i) => (
        <Bar
          key={s.key}
          dataKey={s.key}
          name={s.label}
          fill={SERIES_COLOURS[i % SERIES_COLOURS.length]}
          isAnimationActive={false}
        />
      ))}
    </BarChart>
  );
}

/** Vertical columns: a distribution over ordered values (scale points, weeks, bins). */
export function Columns({ data, percent = false }: { data: BarDatum[]; percent?: boolean }) {
  return (
    <BarChart
      data={data}
      responsive
      style={{ width: "100%", maxWidth: 720, height: 220 }}
      margin={{ top: 8, right: 16, bottom: 4, left: 0 }}
      accessibilityLayer={false}
    >
      <CartesianGrid vertical={false} stroke="#d9dee3" />
      <XAxis dataKey="label" tick={AXIS_TICK} interval="preserveStartEnd" />
      <YAxis
        tick={AXIS_TICK}
        width={44}
        allowDecimals={percent}
        tickFormatter={(v: number) => (percent ? `${Math.round(v * 100)}%` : String(v))}
      />
      <Bar dataKey="value" fill={SERIES_COLOURS[0]} isAnimationActive={false} />
    </BarChart>
  );
}
