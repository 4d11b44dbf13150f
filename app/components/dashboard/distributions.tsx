import { Fragment } from "react";
import {
  Columns,
  countBar,
  HorizontalBars,
  RankingBars,
  shareBar,
} from "~/components/charts/bar-charts";
import { FigureWithTable as ChartFigure } from "./show-table";
import type { Distribution, Summary } from "~/server/dashboards/views";
import { type Formatters, numberBinLabel } from "./format";
import { Num, Section } from "./sections";

function SummaryLine({
  summary,
  f,
  rank = false,
}: {
  summary: Summary;
  f: Formatters;
  rank?: boolean;
}) {
  const { t } = f;
  if (!summary.mean) return null;
  return (
    <p className="summary-line">
      {rank ? t("dashboard.distributions.meanRank") : t("dashboard.distributions.mean")}:{" "}
      <strong>{f.num(summary.mean.mean)}</strong> ({t("dashboard.needs.ci")} {f.ci(summary.mean)}) ·{" "}
      {t("dashboard.distributions.median")}: <strong>{f.num(summary.median)}</strong> ·{" "}
      {t("dashboard.distributions.sd")}: {f.num(summary.mean.sd)} · n = {f.count(summary.mean.n)}
    </p>
  );
}

function ValueTable({
  caption,
  values,
  f,
  valueHeader,
}: {
  caption: string;
  values: Array<{ label: string; count: Parameters<Formatters["count"]>[0]; share: number | null }>;
  f: Formatters;
  valueHeader: string;
}) {
  const { t } = f;
  return (
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{valueHeader}</th>
          <th scope="col" className="num">
            {t("dashboard.distributions.count")}
          </th>
          <th scope="col" className="num">
            {t("dashboard.distributions.share")}
          </th>
        </tr>
      </thead>
      <tbody>
        {values.map((v) => (
          <tr key={v.label}>
            <th scope="row">{v.label}</th>
            <Num value={v.count} f={f} />
            <td className="num">{f.share(v.share)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One question: its distribution as a chart and a table, with mean and median where they apply. */
export function DistributionCard({
  d,
  f,
  headingLevel = 3,
}: {
  d: Distribution;
  f: Formatters;
  headingLevel?: 3 | 4;
}) {
  const { t } = f;
  const H = headingLevel === 3 ? "h3" : "h4";
  const title = f.text(d.label, d.key);
  const small = typeof d.answered !== "number" || d.answered === 0;
  let body: React.ReactNode = null;
  if (!small) {
    switch (d.kind) {
      case "choice":
      case "multi": {
        const rows = [
          ...d.options.map((o) => ({
            label:
              d.kind === "multi" || !d.countries
                ? f.text(o.label, o.code)
                : o.code === "_small"
                  ? t("dashboard.profile.smallCountries", { min: f.minCell })
                  : f.country(o.code),
            count: o.count,
            share: o.share,
          })),
          ...(d.kind === "multi" && d.other !== null
            ? [{ label: t("dashboard.distributions.otherText"), count: d.other, share: null }]
            : []),
        ];
        body = (
          <>
            {d.kind === "multi" ? (
              <p className="hint">{t("dashboard.distributions.multiNote")}</p>
            ) : null}
            <ChartFigure
              base={f.count(d.answered)}
              chart={
                <HorizontalBars
                  percent
                  domainMax={1}
                  data={rows.map((r) => shareBar(r.label, r.share, r.count, f))}
                />
              }
            >
              <ValueTable
                caption={title}
                values={rows}
                f={f}
                valueHeader={t("dashboard.distributions.option")}
              />
            </ChartFigure>
          </>
        );
        break;
      }
      case "scale": {
        const label = (v: number) =>
          v === d.scale.min && d.scale.minLabel
            ? `${v} – ${f.text(d.scale.minLabel)}`
            : v === d.scale.max && d.scale.maxLabel
              ? `${v} – ${f.text(d.scale.maxLabel)}`
              : String(v);
        body = (
          <>
            <SummaryLine summary={d.summary} f={f} />
            <ChartFigure
              base={f.count(d.answered)}
              chart={<Columns data={d.values.map((v) => countBar(String(v.value), v.count, f))} />}
            >
              <ValueTable
                caption={title}
                values={d.values.map((v) => ({
                  label: label(v.value),
                  count: v.count,
                  share: v.share,
                }))}
                f={f}
                valueHeader={t("dashboard.distributions.value")}
              />
            </ChartFigure>
          </>
        );
        break;
      }
      case "matrix": {
        const points = d.rows[0]?.values.map((v) => v.value) ?? [];
        body = (
          <ChartFigure
            base={f.count(d.answered)}
            note={f.t("dashboard.chart.tiedNote")}
            chart={
              <HorizontalBars
                domainMax={d.scale.max}
                digits={2}
                data={d.rows
                  .filter((r) => r.summary.mean)
                  .map((r) => ({
                    label: f.text(r.label, r.code),
                    value: r.summary.mean!.mean,
                    estimate: r.summary.mean,
                  }))}
              />
            }
          >
            <table>
              <caption>{title}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("dashboard.distributions.row")}</th>
                  {points.map((p) => (
                    <th key={p} scope="col" className="num">
                      {p === d.scale.min && d.scale.minLabel
                        ? `${p} (${f.text(d.scale.minLabel)})`
                        : p === d.scale.max && d.scale.maxLabel
                          ? `${p} (${f.text(d.scale.maxLabel)})`
                          : p}
                    </th>
                  ))}
                  <th scope="col" className="num">
                    n
                  </th>
                  <th scope="col" className="num">
                    {t("dashboard.distributions.mean")}
                  </th>
                  <th scope="col" className="num">
                    {t("dashboard.needs.ci")}
                  </th>
                  <th scope="col" className="num">
                    {t("dashboard.distributions.median")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {d.rows.map((r) => (
                  <tr key={r.code}>
                    <th scope="row">{f.text(r.label, r.code)}</th>
                    {r.values.map((v) => (
                      <Num key={v.value} value={v.count} f={f} />
                    ))}
                    <Num value={r.answered} f={f} />
                    <td className="num">{f.num(r.summary.mean?.mean)}</td>
                    <td className="num">{f.ci(r.summary.mean)}</td>
                    <td className="num">{f.num(r.summary.median)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ChartFigure>
        );
        break;
      }
      case "ranking": {
        const ranks = d.items[0]?.ranks.map((r) => r.value) ?? [];
        body = (
          <>
            <p className="hint">{t("dashboard.distributions.rankingNote")}</p>
            <ChartFigure
              base={f.count(d.answered)}
              note={f.t("dashboard.chart.rankingNote")}
              chart={<RankingBars items={d.items} places={ranks.length} f={f} />}
            >
              <table>
                <caption>{title}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("dashboard.distributions.item")}</th>
                    <th scope="col" className="num">
                      {t("dashboard.distributions.meanRank")}
                    </th>
                    <th scope="col" className="num">
                      {t("dashboard.needs.ci")}
                    </th>
                    {ranks.map((r) => (
                      <th key={r} scope="col" className="num">
                        {t("dashboard.distributions.rank", { rank: r })}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {d.items.map((i) => (
                    <tr key={i.code}>
                      <th scope="row">{f.text(i.label, i.code)}</th>
                      <td className="num">{f.num(i.meanRank?.mean)}</td>
                      <td className="num">{f.ci(i.meanRank)}</td>
                      {i.ranks.map((r) => (
                        <Num key={r.value} value={r.count} f={f} />
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </ChartFigure>
          </>
        );
        break;
      }
      case "number": {
        const unit = d.unit ? ` ${f.text(d.unit)}` : "";
        const binLabel = (b: (typeof d.bins)[number]) => numberBinLabel(f, b, unit);
        body = (
          <>
            <SummaryLine summary={d.summary} f={f} />
            <ChartFigure
              base={f.count(d.answered)}
              chart={<Columns data={d.bins.map((b) => countBar(binLabel(b), b.count, f))} />}
            >
              <ValueTable
                caption={title}
                values={d.bins.map((b) => ({ label: binLabel(b), count: b.count, share: b.share }))}
                f={f}
                valueHeader={t("dashboard.distributions.bin")}
              />
            </ChartFigure>
          </>
        );
        break;
      }
    }
  }
  return (
    <article className="question-card">
      <H>{title}</H>
      <p className="meta">{t("dashboard.distributions.answered", { n: f.count(d.answered) })}</p>
      {small && d.answered !== 0 ? (
        <p>{t("dashboard.suppression.questionSmall", { min: f.minCell })}</p>
      ) : null}
      {body}
    </article>
  );
}

export function DistributionsSection({
  distributions,
  f,
  id = "questions",
  title,
}: {
  distributions: Distribution[];
  f: Formatters;
  id?: string;
  title?: string;
}) {
  return (
    <Section id={id} title={title ?? f.t("dashboard.distributions.heading")}>
      <p className="hint">{f.t("dashboard.ci.legend")}</p>
      {distributions.map((d) => (
        <Fragment key={d.key}>
          <DistributionCard d={d} f={f} />
        </Fragment>
      ))}
    </Section>
  );
}
