import { Link } from "@remix-run/react";
import { countBar, HorizontalBars } from "~/components/charts/bar-charts";
import { ChartFigure } from "~/components/charts/chart-figure";
import type { HorizonOrAll, NeedRank, Overview } from "~/server/dashboards/views";
import { TableWrap } from "./table-wrap";
import { type Formatters } from "./format";
import { Num, Section, TopNeedsTable } from "./sections";

function horizons(filters: Overview["filters"]): HorizonOrAll[] {
  return filters.horizon ? [filters.horizon] : ["short_term", "medium_term"];
}

export function OverviewParticipation({
  o,
  f,
  query,
}: {
  o: Overview;
  f: Formatters;
  query: string;
}) {
  const { t } = f;
  return (
    <Section id="participation" title={t("dashboard.overview.participationHeading")}>
      <ChartFigure
        chart={
          <HorizontalBars
            data={o.groups.map((g) =>
              countBar(f.text(g.group.name, g.group.slug), g.participation.matching, f),
            )}
          />
        }
      >
        <table>
          <caption>{t("dashboard.overview.participationCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("dashboard.overview.group")}</th>
              <th scope="col" className="num">
                {t("dashboard.participation.invited")}
              </th>
              <th scope="col" className="num">
                {t("dashboard.participation.started")}
              </th>
              <th scope="col" className="num">
                {t("dashboard.participation.submitted")}
              </th>
              <th scope="col" className="num">
                {t("dashboard.participation.completionRate")}
              </th>
              <th scope="col" className="num">
                {t("dashboard.participation.responseRate")}
              </th>
              <th scope="col" className="num">
                {t("dashboard.participation.matching")}
              </th>
            </tr>
          </thead>
          <tbody>
            {o.groups.map((g) => (
              <tr key={g.group.slug}>
                <th scope="row">
                  <Link to={`/staff/groups/${g.group.slug}${query ? `?${query}` : ""}`}>
                    {f.text(g.group.name, g.group.slug)}
                  </Link>
                  <br />
                  <span className="meta">{f.text(g.survey.title, g.survey.slug)}</span>
                </th>
                <td className="num">{f.count(g.participation.invited)}</td>
                <td className="num">{f.count(g.participation.started)}</td>
                <td className="num">{f.count(g.participation.submitted)}</td>
                <td className="num">
                  {g.participation.completionRate === null
                    ? t("dashboard.participation.notApplicable")
                    : f.share(g.participation.completionRate)}
                </td>
                <td className="num">
                  {g.participation.responseRate === null
                    ? t("dashboard.participation.notApplicable")
                    : f.share(g.participation.responseRate)}
                </td>
                <Num value={g.participation.matching} f={f} />
              </tr>
            ))}
          </tbody>
        </table>
      </ChartFigure>
    </Section>
  );
}

/** The class (0–4) of a share, for the heatmap's shading; the number is always printed too. */
function heat(share: number | null): number {
  if (share === null) return -1;
  return Math.min(4, Math.floor((share * 10) / 1.5));
}

/** Small multiples: one category × horizon table per group, cells shaded by share. */
export function OverviewHeatmaps({ o, f }: { o: Overview; f: Formatters }) {
  const { t } = f;
  const hs: HorizonOrAll[] = o.filters.horizon
    ? [o.filters.horizon]
    : ["short_term", "medium_term"];
  return (
    <Section id="heatmap" title={t("dashboard.overview.heatmapHeading")}>
      <p className="hint">{t("dashboard.overview.heatmapIntro")}</p>
      <div className="small-multiples">
        {o.groups.map((g) => {
          const name = f.text(g.group.name, g.group.slug);
          const a = g.needs[0];
          return (
            <TableWrap key={g.group.slug} className="small-multiple">
              {!a ? (
                <p>
                  <strong>{name}</strong>: {t("dashboard.overview.notAvailable")}
                </p>
              ) : (
                <table className="heatmap">
                  <caption>
                    {t("dashboard.overview.heatmapCaption", {
                      group: name,
                      n: f.count(a.answered),
                    })}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">{t("dashboard.needs.category")}</th>
                      {hs.map((h) => (
                        <th key={h} scope="col" className="num">
                          {t(`dashboard.horizonsShort.${h}`)}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {a.matrix.map((m) => (
                      <tr key={m.category}>
                        <th scope="row">{f.text(m.label, m.category)}</th>
                        {hs.map((h) => {
                          const cell = m.cells[h];
                          const level = heat(cell.share);
                          return (
                            <td key={h} className={`num heat heat--${level < 0 ? "none" : level}`}>
                              {cell.share === null
                                ? f.count(cell.respondents)
                                : f.share(cell.share)}
                            </td>
                          );
                        })}
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </TableWrap>
          );
        })}
      </div>
    </Section>
  );
}

export function OverviewTopNeeds({
  o,
  f,
  limit = 3,
}: {
  o: Overview;
  f: Formatters;
  limit?: number;
}) {
  const { t } = f;
  return (
    <Section id="top-needs" title={t("dashboard.overview.topHeading")}>
      <p className="hint">{t("dashboard.ci.legend")}</p>
      {o.groups.map((g) => {
        const name = f.text(g.group.name, g.group.slug);
        const a = g.needs[0];
        return (
          <div key={g.group.slug} className="group-top">
            <h3>{name}</h3>
            {!a ? (
              <p>{t("dashboard.overview.notAvailable")}</p>
            ) : (
              <div className="side-by-side">
                {horizons(o.filters).map((h) => (
                  <TableWrap key={h}>
                    <TopNeedsTable
                      ranks={a.ranked[h]}
                      caption={`${t("dashboard.overview.topCaption", { group: name })}: ${t(`dashboard.horizonsShort.${h}`)}`}
                      f={f}
                      limit={limit}
                    />
                  </TableWrap>
                ))}
              </div>
            )}
          </div>
        );
      })}
    </Section>
  );
}

/** The protected shared categories of an analysis in rank order: shown scores first. */
function rankedShared(ranks: NeedRank[]): Array<{ rank: number | null; r: NeedRank }> {
  let n = 0;
  return ranks.map((r) => ({ rank: r.priority ? ++n : null, r }));
}

/**
 * Needs on the programme's shared categories: the programme-wide ranking (chart and table) and
 * every group's priority score on every shared category, side by side.
 */
export function OverviewShared({ o, f }: { o: Overview; f: Formatters }) {
  const { t } = f;
  const s = o.shared;
  const hs = horizons(o.filters);
  return (
    <Section id="shared" title={t("dashboard.overview.sharedHeading")}>
      <p className="hint">{t("dashboard.overview.sharedIntro")}</p>
      <details className="shared-categories">
        <summary>{t("dashboard.overview.sharedCategories")}</summary>
        <dl>
          {s.categories.map((c) => (
            <div key={c.code}>
              <dt>{f.text(c.label, c.code)}</dt>
              <dd>{f.text(c.description)}</dd>
            </div>
          ))}
        </dl>
      </details>
      <h3 id="shared-programme">{t("dashboard.overview.programmeHeading")}</h3>
      {s.leftOut.length > 0 ? (
        <p className="hint shared-left-out">
          {t("dashboard.overview.sharedLeftOut", {
            groups: s.leftOut.map((g) => f.text(g.name, g.slug)).join(", "),
          })}
        </p>
      ) : null}
      {s.groups.length === 0 ? (
        <p>{t("dashboard.overview.noShared")}</p>
      ) : (
        <div className="side-by-side">
          {hs.map((h) => (
            <ChartFigure
              key={h}
              chart={
                <HorizontalBars
                  data={s.programme.ranked[h].map((r) => ({
                    label: f.text(r.label, r.category),
                    value: r.priority?.mean ?? null,
                  }))}
                  domainMax={100}
                />
              }
            >
              <table className="shared-ranking" data-horizon={h}>
                <caption>
                  {t("dashboard.overview.programmeCaption", {
                    horizon: t(`dashboard.horizons.${h}`),
                    n: f.count(s.programme.answered),
                  })}
                </caption>
                <thead>
                  <tr>
                    <th scope="col" className="num">
                      {t("dashboard.needs.rank")}
                    </th>
                    <th scope="col">{t("dashboard.needs.category")}</th>
                    <th scope="col" className="num">
                      {t("dashboard.needs.priority")}
                    </th>
                    <th scope="col" className="num">
                      {t("dashboard.needs.ci")}
                    </th>
                    <th scope="col" className="num">
                      {t("dashboard.needs.urgency")}
                    </th>
                    <th scope="col" className="num">
                      {t("dashboard.needs.importance")}
                    </th>
                    <th scope="col" className="num">
                      {t("dashboard.needs.respondents")}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rankedShared(s.programme.ranked[h]).map(({ rank, r }) => (
                    <tr key={r.category} data-category={r.category}>
                      <td className="num">{rank ?? "–"}</td>
                      <th scope="row">{f.text(r.label, r.category)}</th>
                      <td className="num">{f.num(r.priority?.mean ?? null, 1)}</td>
                      <td className="num">{f.ci(r.priority, 1)}</td>
                      <td className="num">{f.num(r.urgency?.mean ?? null, 2)}</td>
                      <td className="num">{f.num(r.importance?.mean ?? null, 2)}</td>
                      <Num value={r.respondents} f={f} />
                    </tr>
                  ))}
                </tbody>
              </table>
            </ChartFigure>
          ))}
        </div>
      )}
      <h3 id="shared-groups">{t("dashboard.overview.byGroupHeading")}</h3>
      {s.groups.length === 0 ? (
        <p>{t("dashboard.overview.noShared")}</p>
      ) : (
        hs.map((h) => (
          <TableWrap key={h}>
            <table className="shared-needs" data-horizon={h}>
              <caption>
                {t("dashboard.overview.sharedCaption", { horizon: t(`dashboard.horizons.${h}`) })}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t("dashboard.needs.category")}</th>
                  {s.groups.map((g) => (
                    <th key={g.slug} scope="col" className="num">
                      {f.text(g.name, g.slug)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {s.categories.map((c) => (
                  <tr key={c.code} data-category={c.code}>
                    <th scope="row">{f.text(c.label, c.code)}</th>
                    {s.groups.map((g) => {
                      const rank = g.analysis.ranked[h].find((r) => r.category === c.code);
                      if (!rank || typeof rank.respondents !== "number")
                        return (
                          <td key={g.slug} className="num cell--hidden" data-group={g.slug}>
                            {rank ? f.count(rank.respondents) : "–"}
                          </td>
                        );
                      return (
                        <td key={g.slug} className="num" data-group={g.slug}>
                          {rank.priority ? f.num(rank.priority.mean, 1) : "–"}{" "}
                          <span className="muted">({f.count(rank.respondents)})</span>
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        ))
      )}
    </Section>
  );
}
