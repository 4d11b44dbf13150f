import type { Translate } from "~/i18n/translate";

/**
 * The distribution of a round's ratings: a small bar chart drawn as SVG on the server (so it
 * shows without JavaScript and in print), hidden from assistive technology, and a table with
 * the same counts.
 */
export function DistributionFigure({
  counts,
  caption,
  t,
}: {
  counts: ReadonlyArray<{ value: number; count: number }>;
  caption: string;
  t: Translate;
}) {
  const max = Math.max(1, ...counts.map((c) => c.count));
  const barWidth = 28;
  const gap = 8;
  const height = 60;
  const width = counts.length * (barWidth + gap);
  return (
    <figure className="delphi-distribution">
      <svg
        aria-hidden="true"
        focusable="false"
        width={width}
        height={height + 16}
        viewBox={`0 0 ${width} ${height + 16}`}
        className="delphi-distribution__chart"
      >
        {counts.map((c, i) => {
          const h = Math.round((c.count / max) * height);
          const x = i * (barWidth + gap);
          return (
            <g key={c.value}>
              <rect x={x} y={height - h} width={barWidth} height={h} fill="#0b5cad" />
              <text
                x={x + barWidth / 2}
                y={height + 13}
                textAnchor="middle"
                fontSize="11"
                fill="#1a1a1a"
              >
                {c.value}
              </text>
            </g>
          );
        })}
      </svg>
      <table className="delphi-distribution__table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="row">{t("delphi.feedback.rating")}</th>
            {counts.map((c) => (
              <th key={c.value} scope="col">
                {c.value}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">{t("delphi.feedback.count")}</th>
            {counts.map((c) => (
              <td key={c.value}>{c.count}</td>
            ))}
          </tr>
        </tbody>
      </table>
    </figure>
  );
}
