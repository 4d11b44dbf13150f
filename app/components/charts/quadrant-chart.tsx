import {
  CartesianGrid,
  LabelList,
  Legend,
  ReferenceLine,
  Scatter,
  ScatterChart,
  XAxis,
  YAxis,
} from "recharts";
import { SERIES_COLOURS } from "./chart-figure";

export interface QuadrantPoint {
  /** Shown next to the point; the table explains it. */
  tag: string;
  importance: number;
  /** The horizontal value: the current level (or the discrepancy, for the locus for focus). */
  current: number;
  /** Drawn as a highlighted diamond (act first; the locus for focus). */
  actFirst: boolean;
}

/** The names of the two kinds of points, shown in the legend. */
export interface QuadrantLegend {
  highlighted: string;
  others: string;
}

/**
 * Importance (vertical) against current level (horizontal), with reference lines at the
 * means: the upper-left quadrant (important, low current level) is where to act first. With
 * `horizontal` the horizontal axis is another quantity (the discrepancy of the locus for focus).
 * Points are tagged with the statement's rank in the Borich table (by MWDS), the one order of
 * the section, and the legend names the highlighted quadrant as the table does.
 */
export function QuadrantChart({
  points,
  meanImportance,
  meanCurrent,
  importanceLabel,
  currentLabel,
  horizontal = { domain: [1, 5], ticks: [1, 2, 3, 4, 5] },
  legend,
}: {
  points: QuadrantPoint[];
  meanImportance: number;
  meanCurrent: number;
  importanceLabel: string;
  currentLabel: string;
  horizontal?: { domain: [number, number]; ticks: number[] };
  legend: QuadrantLegend;
}) {
  const actFirst = points.filter((p) => p.actFirst);
  const others = points.filter((p) => !p.actFirst);
  return (
    <ScatterChart
      responsive
      style={{ width: "100%", maxWidth: 560, aspectRatio: 1.25 }}
      margin={{ top: 12, right: 24, bottom: 28, left: 8 }}
      accessibilityLayer={false}
    >
      <CartesianGrid stroke="#d9dee3" />
      <XAxis
        type="number"
        dataKey="current"
        name={currentLabel}
        domain={horizontal.domain}
        ticks={horizontal.ticks}
        tick={{ fontSize: 12, fill: "#1b1f24" }}
        label={{
          value: currentLabel,
          position: "bottom",
          offset: 8,
          fontSize: 12,
          fill: "#1b1f24",
        }}
      />
      <YAxis
        type="number"
        dataKey="importance"
        name={importanceLabel}
        domain={[1, 5]}
        ticks={[1, 2, 3, 4, 5]}
        width={48}
        tick={{ fontSize: 12, fill: "#1b1f24" }}
        label={{
          value: importanceLabel,
          angle: -90,
          position: "insideLeft",
          fontSize: 12,
          fill: "#1b1f24",
        }}
      />
      <ReferenceLine
        x={meanCurrent}
        stroke="#555d66"
        strokeDasharray="4 4"
        ifOverflow="extendDomain"
      />
      <ReferenceLine
        y={meanImportance}
        stroke="#555d66"
        strokeDasharray="4 4"
        ifOverflow="extendDomain"
      />
      <Legend verticalAlign="top" height={28} wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
      <Scatter
        data={actFirst}
        name={legend.highlighted}
        fill={SERIES_COLOURS[5]}
        shape="diamond"
        legendType="diamond"
        isAnimationActive={false}
      >
        <LabelList dataKey="tag" position="right" fontSize={12} fill="#1b1f24" />
      </Scatter>
      <Scatter
        data={others}
        name={legend.others}
        fill={SERIES_COLOURS[0]}
        isAnimationActive={false}
      >
        <LabelList dataKey="tag" position="right" fontSize={12} fill="#1b1f24" />
      </Scatter>
    </ScatterChart>
  );
}
