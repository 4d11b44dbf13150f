import type { CSSProperties } from "react";
import { SERIES_COLOURS } from "./chart-figure";

/** A value with its 95 % CI, or null when it is not shown. */
export interface IntervalValue {
  value: number;
  lower: number | null;
  upper: number | null;
}

export interface IntervalRow {
  key: string;
  label: string;
  /** One per series, in the series' order. */
  values: Array<IntervalValue | null>;
}

/**
 * Categories with one value and interval per series (e.g. short and medium term side by side),
 * drawn with HTML and CSS: the server renders it whole, so it shows its figures without
 * JavaScript, stays readable at any width, and needs no charting code. Each value is text; its
 * interval and series are spelled out for screen readers, and the marks are hidden from them.
 */
export function IntervalChart({
  rows,
  series,
  domainMax,
  format,
  intervalText,
  notShown,
  label,
}: {
  rows: IntervalRow[];
  series: Array<{ key: string; label: string }>;
  domainMax: number;
  /** The value as the tables show it. */
  format: (value: number) => string;
  /** The interval as the tables show it (read after the value by screen readers). */
  intervalText: (value: IntervalValue) => string;
  /** Said where a series has no value shown for a category. */
  notShown: string;
  /** The chart's name (a list of categories). */
  label: string;
}) {
  const at = (v: number) => Math.max(0, Math.min(100, (v / domainMax) * 100));
  const pct = (v: number) => `${v.toFixed(1)}%`;
  // The series' colours, set once: each series' marks take theirs through `--c`.
  const colours = Object.fromEntries(
    series.map((_, i) => [`--c${i}`, SERIES_COLOURS[i % SERIES_COLOURS.length]]),
  ) as CSSProperties;
  return (
    <div className="ichart" style={colours}>
      {series.length > 1 ? (
        <p className="ichart__legend" aria-hidden="true">
          {series.map((s, i) => (
            <span key={s.key} className={`ichart__key ichart__s${i}`}>
              {s.label}
            </span>
          ))}
        </p>
      ) : null}
      <ul className="ichart__rows" aria-label={label}>
        {rows.map((row) => (
          <li key={row.key} className="ichart__row">
            <span className="ichart__label">{row.label}</span>
            {row.values.map((v, i) => {
              // The marks: the interval from --l, --w wide, and the point at --v (CSS draws them).
              const marks = (
                v
                  ? {
                      "--v": pct(at(v.value)),
                      ...(v.lower !== null && v.upper !== null
                        ? { "--l": pct(at(v.lower)), "--w": pct(at(v.upper) - at(v.lower)) }
                        : {}),
                    }
                  : {}
              ) as CSSProperties;
              return (
                <span key={series[i]!.key} className={`ichart__series ichart__s${i}`}>
                  {series.length > 1 ? (
                    <span className="visually-hidden">{series[i]!.label}: </span>
                  ) : null}
                  <span
                    className={`ichart__track${v ? "" : " ichart__track--empty"}${v && v.lower !== null && v.upper !== null ? " ichart__track--ci" : ""}`}
                    aria-hidden="true"
                    style={marks}
                  />
                  <span className="ichart__value">
                    {v ? format(v.value) : "–"}
                    <span className="visually-hidden">
                      {v ? ` (${intervalText(v)})` : ` (${notShown})`}
                    </span>
                  </span>
                </span>
              );
            })}
          </li>
        ))}
      </ul>
    </div>
  );
}
