import { IntervalChart, type IntervalRow } from "~/components/charts/interval-chart";
import { SHOWN_DIGITS, TOP_NEEDS } from "~/server/dashboards/precision";
import type {
  GroupDashboard,
  HorizonOrAll,
  NeedQuestionAnalysis,
  NeedRank,
  Participation,
  TopGaps,
} from "~/server/dashboards/views";
import type { Formatters } from "./format";
import { horizonsShown, Section, topRanks } from "./sections";
import { ShowTable } from "./show-table";
import { TableWrap } from "./table-wrap";

/**
 * The categories of the first screen: the top ones over both horizons (or the one filtered
 * on) that have a score shown in at least one horizon, each with its score per horizon.
 */
export function glanceRows(
  analysis: NeedQuestionAnalysis,
  horizons: HorizonOrAll[],
  limit = TOP_NEEDS,
): Array<{ category: string; label: NeedRank["label"]; ranks: Array<NeedRank | null> }> {
  const order = horizons.length === 1 ? analysis.ranked[horizons[0]!] : analysis.ranked.all;
  return topRanks(order, order.length)
    .map((r) => ({
      category: r.category,
      label: r.label,
      ranks: horizons.map((h) => analysis.ranked[h].find((x) => x.category === r.category) ?? null),
    }))
    .filter((row) => row.ranks.some((r) => r?.priority))
    .slice(0, limit);
}

function ResponsesLine({ p, f }: { p: Participation; f: Formatters }) {
  const { t } = f;
  return (
    <dl className="glance-figures">
      <div>
        <dt>{t("dashboard.glance.responses")}</dt>
        <dd>{f.count(p.matching)}</dd>
      </div>
      {p.responseRate !== null ? (
        <div>
          <dt>{t("dashboard.glance.responseRate")}</dt>
          <dd>{f.share(p.responseRate)}</dd>
        </div>
      ) : null}
    </dl>
  );
}

function TopNeedsChart({
  analysis,
  horizons,
  f,
  title,
}: {
  analysis: NeedQuestionAnalysis;
  horizons: HorizonOrAll[];
  f: Formatters;
  title: string;
}) {
  const { t } = f;
  const rows = glanceRows(analysis, horizons);
  if (rows.length === 0)
    return (
      <p>
        {analysis.ranked.all.some((r) => r.entries !== 0)
          ? t("dashboard.findings.noneShown")
          : t("dashboard.findings.none")}
      </p>
    );
  const digits = SHOWN_DIGITS.priority;
  const series = horizons.map((h) => ({ key: h, label: t(`dashboard.horizonsShort.${h}`) }));
  const chartRows: IntervalRow[] = rows.map((row) => ({
    key: row.category,
    label: f.text(row.label, row.category),
    values: row.ranks.map((r) =>
      r?.priority
        ? { value: r.priority.mean, lower: r.priority.ciLower, upper: r.priority.ciUpper }
        : null,
    ),
  }));
  return (
    <figure className="glance-chart">
      <figcaption>{title}</figcaption>
      <IntervalChart
        rows={chartRows}
        series={series}
        domainMax={100}
        label={title}
        format={(v) => f.num(v, digits)}
        intervalText={(v) =>
          `${t("dashboard.needs.ci")} ${f.ci(
            { n: 0, mean: v.value, sd: null, ciLower: v.lower, ciUpper: v.upper, small: false },
            digits,
          )}`
        }
        notShown={t("dashboard.suppression.notShown")}
      />
      <p className="hint">{t("dashboard.glance.chartHint")}</p>
      <ShowTable>
        <TableWrap>
          <table className="glance-table">
            <caption>{title}</caption>
            <thead>
              <tr>
                <th scope="col">{t("dashboard.needs.category")}</th>
                {horizons.map((h) => (
                  <th key={h} scope="col" className="num">
                    {t("dashboard.glance.priorityIn", {
                      horizon: t(`dashboard.horizonsShort.${h}`),
                    })}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.category}>
                  <th scope="row">{f.text(row.label, row.category)}</th>
                  {row.ranks.map((r, i) => (
                    <td key={horizons[i]} className="num">
                      {f.num(r?.priority?.mean ?? null, digits)}
                      {r?.priority ? (
                        <span className="glance-table__ci"> ({f.ci(r.priority, digits)})</span>
                      ) : null}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </ShowTable>
    </figure>
  );
}

function TopGapsList({ gaps, f, many }: { gaps: TopGaps; f: Formatters; many: boolean }) {
  const { t } = f;
  const title = many
    ? t("dashboard.glance.gapsOf", { label: f.text(gaps.label, gaps.key) })
    : t("dashboard.glance.gaps");
  return (
    <div className="glance-gaps">
      <h3>{title}</h3>
      {gaps.statements.length === 0 ? (
        <p>{t("dashboard.glance.noGaps")}</p>
      ) : (
        <ol>
          {gaps.statements.map((s) => (
            <li key={s.statement}>
              {f.text(s.label, s.statement)}{" "}
              <span className="glance-gaps__mwds">
                {t("dashboard.glance.mwds", { value: f.num(s.mwds) })}
              </span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

/**
 * The first screen of a working group's dashboard: how many responded, the top needs in both
 * horizons side by side with their intervals, and the largest Borich gaps. Every figure is
 * also in the sections below.
 */
export function GlanceSection({
  d,
  gaps,
  f,
}: {
  d: Pick<GroupDashboard, "needs" | "filters" | "participation" | "coverage">;
  gaps: TopGaps[];
  f: Formatters;
}) {
  const { t } = f;
  const horizons = horizonsShown(d.filters);
  const horizonsText =
    horizons.length > 1
      ? t("dashboard.glance.bothHorizons")
      : t(`dashboard.horizonsShort.${horizons[0]!}`);
  return (
    <Section
      id="glance"
      title={t("dashboard.glance.heading")}
      className="glance"
      header={<ResponsesLine p={d.participation} f={f} />}
    >
      {d.coverage === "ok" ? (
        <div className="glance__body">
          <div className="glance__needs">
            {d.needs.length === 0 ? <p>{t("dashboard.findings.none")}</p> : null}
            {d.needs.map((a) => (
              <TopNeedsChart
                key={a.key}
                analysis={a}
                horizons={horizons}
                f={f}
                title={
                  d.needs.length > 1
                    ? t("dashboard.glance.topNeedsOf", {
                        label: f.text(a.label, a.key),
                        horizons: horizonsText,
                      })
                    : t("dashboard.glance.topNeeds", { horizons: horizonsText })
                }
              />
            ))}
          </div>
          {gaps.length ? (
            <div className="glance__gaps">
              {gaps.map((g) => (
                <TopGapsList key={g.key} gaps={g} f={f} many={gaps.length > 1} />
              ))}
              <p>
                <a href="#borich">{t("dashboard.glance.allGaps")}</a>
              </p>
            </div>
          ) : null}
        </div>
      ) : null}
    </Section>
  );
}
