import { Link } from "@remix-run/react";
import { Fragment, type ReactNode } from "react";
import { Columns, countBar, GroupedBars, HorizontalBars } from "~/components/charts/bar-charts";
import { QuadrantChart } from "~/components/charts/quadrant-chart";
import type {
  BorichAnalysis,
  GroupDashboard,
  HorizonOrAll,
  MeanStat,
  NeedQuestionAnalysis,
  NeedRank,
  Participation,
  ProfileDimension,
  RespondentProfile,
  Shown,
  ThemeCount,
} from "~/server/dashboards/views";
import {
  comparedCategories,
  horizonsShown,
  SHOWN_DIGITS,
  TOP_NEEDS,
} from "~/server/dashboards/precision";

export { horizonsShown };
import { COUNTRY_GROUPS } from "~/survey/countries";
import { THEME_QUESTION } from "~/survey/register";
import { AddToRegisterCell, AddToRegisterHeading, useRegisterLinks } from "./register-links";
import { FigureWithTable as ChartFigure } from "./show-table";
import { TableWrap } from "./table-wrap";
import { countryGroupKey, type Formatters, isHidden } from "./format";

export function Num({ value, f }: { value: Shown; f: Formatters }) {
  return <td className={`num${isHidden(value) ? " cell--hidden" : ""}`}>{f.count(value)}</td>;
}

export function Section({
  id,
  title,
  children,
  className,
  header,
}: {
  id: string;
  title: ReactNode;
  children: ReactNode;
  className?: string;
  /** Shown beside the heading where there is room. */
  header?: ReactNode;
}) {
  return (
    <section
      className={`dash-section${className ? ` ${className}` : ""}`}
      aria-labelledby={`${id}-title`}
      id={id}
    >
      {header ? (
        <div className="dash-section__header">
          <h2 id={`${id}-title`}>{title}</h2>
          {header}
        </div>
      ) : (
        <h2 id={`${id}-title`}>{title}</h2>
      )}
      {children}
    </section>
  );
}

export function SuppressionNote({ f }: { f: Formatters }) {
  return (
    <p className="hint suppression-note">{f.t("dashboard.suppression.rule", { min: f.minCell })}</p>
  );
}

export function CoverageNotice({
  coverage,
  f,
}: {
  coverage: GroupDashboard["coverage"];
  f: Formatters;
}) {
  if (coverage === "ok") return null;
  return (
    <p className="notice notice--warn" role="status">
      {coverage === "small"
        ? f.t("dashboard.suppression.small", { min: f.minCell })
        : coverage === "complement"
          ? f.t("dashboard.suppression.complement", { min: f.minCell })
          : f.t("dashboard.suppression.empty")}
    </p>
  );
}

// ---------------------------------------------------------------------------------------------
// Participation

/**
 * The participation counts as figure cards. `withoutInvitations` (the printed report) leaves out
 * the invitation count and the response rate when the survey had no invitations.
 */
export function ParticipationFigures({
  p,
  f,
  withoutInvitations = false,
}: {
  p: Participation;
  f: Formatters;
  withoutInvitations?: boolean;
}) {
  const { t } = f;
  const invitations = !(withoutInvitations && p.invited === 0);
  const items: Array<[string, string, string?]> = [
    ...(invitations
      ? ([[t("dashboard.participation.invited"), f.count(p.invited)]] as Array<[string, string]>)
      : []),
    [t("dashboard.participation.started"), f.count(p.started)],
    [t("dashboard.participation.submitted"), f.count(p.submitted)],
    [
      t("dashboard.participation.completionRate"),
      p.completionRate === null
        ? t("dashboard.participation.notApplicable")
        : f.share(p.completionRate),
      t("dashboard.participation.completionHint"),
    ],
    ...(invitations
      ? ([
          [
            t("dashboard.participation.responseRate"),
            p.responseRate === null
              ? t("dashboard.participation.notApplicable")
              : f.share(p.responseRate),
            t("dashboard.participation.responseHint"),
          ],
        ] as Array<[string, string, string]>)
      : []),
    [t("dashboard.participation.matching"), f.count(p.matching)],
  ];
  return (
    <dl className="stat-list">
      {items.map(([label, value, hint]) => (
        <div key={label} className="stat">
          <dt>
            {label}
            {hint ? <span className="stat__hint">{hint}</span> : null}
          </dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function ParticipationSection({
  p,
  f,
  id = "participation",
}: {
  p: Participation;
  f: Formatters;
  id?: string;
}) {
  const { t } = f;
  return (
    <Section id={id} title={t("dashboard.participation.heading")}>
      <ParticipationFigures p={p} f={f} />
      <p className="hint">{t("dashboard.participation.filtersNote")}</p>
      <h3>{t("dashboard.participation.overTime")}</h3>
      {p.weeks.length === 0 ? (
        <p>
          {p.matching === "withheld"
            ? t("dashboard.participation.complement", { min: f.minCell })
            : typeof p.matching !== "number"
              ? t("dashboard.participation.fewerThanMatching", { min: f.minCell })
              : p.submitted > 0
                ? t("dashboard.participation.noneMatching")
                : t("dashboard.participation.noSubmissions")}
        </p>
      ) : (
        <ChartFigure
          base={f.count(p.matching)}
          chart={<Columns data={p.weeks.map((w) => countBar(f.date(w.week), w.count, f))} />}
        >
          <table>
            <caption>{t("dashboard.participation.overTime")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("dashboard.participation.week")}</th>
                <th scope="col" className="num">
                  {t("dashboard.participation.submissions")}
                </th>
              </tr>
            </thead>
            <tbody>
              {p.weeks.map((w) => (
                <tr key={w.week}>
                  <th scope="row">{f.date(w.week)}</th>
                  <Num value={w.count} f={f} />
                </tr>
              ))}
            </tbody>
          </table>
        </ChartFigure>
      )}
    </Section>
  );
}

// ---------------------------------------------------------------------------------------------
// Respondent profile

const PROFILE_CAPTIONS = {
  country_group: "dashboard.profile.byCountryGroup",
  country: "dashboard.profile.byCountry",
  org_type: "dashboard.profile.byOrgType",
  sector: "dashboard.profile.bySector",
} as const satisfies Record<ProfileDimension, string>;

export function ProfileSection({ profile, f }: { profile: RespondentProfile; f: Formatters }) {
  const { t } = f;
  const labelOf = (
    dimension: ProfileDimension,
    cell: RespondentProfile["breakdowns"][ProfileDimension][number],
  ) =>
    cell.code === null
      ? t("dashboard.profile.unknown")
      : dimension === "country_group"
        ? t(countryGroupKey(cell.code, true))
        : dimension === "country"
          ? cell.code === "_small"
            ? t("dashboard.profile.smallCountries", { min: f.minCell })
            : f.country(cell.code)
          : f.text(cell.label, cell.code);
  return (
    <Section id="profile" title={t("dashboard.profile.heading")}>
      <div className="dash-grid">
        {(["country_group", "org_type", "sector", "country"] as const).map((dimension) => {
          const cells = profile.breakdowns[dimension];
          return (
            <ChartFigure
              key={dimension}
              base={f.count(profile.total)}
              chart={
                <HorizontalBars
                  data={cells.map((c) => countBar(labelOf(dimension, c), c.count, f))}
                />
              }
            >
              <table>
                <caption>{t(PROFILE_CAPTIONS[dimension])}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("dashboard.profile.category")}</th>
                    <th scope="col" className="num">
                      {t("dashboard.profile.respondents")}
                    </th>
                    <th scope="col" className="num">
                      {t("dashboard.profile.share")}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {cells.map((c) => (
                    <tr key={c.code ?? "none"}>
                      <th scope="row">{labelOf(dimension, c)}</th>
                      <Num value={c.count} f={f} />
                      <td className="num">{f.share(c.share)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ChartFigure>
          );
        })}
      </div>
    </Section>
  );
}

// ---------------------------------------------------------------------------------------------
// Needs

function PriorityCell({ stat, f }: { stat: MeanStat | null; f: Formatters }) {
  return <td className="num">{f.num(stat?.mean ?? null, SHOWN_DIGITS.priority)}</td>;
}

/** The top categories of a ranking: those with a shown priority score, best first. */
export function topRanks(ranks: NeedRank[], limit = TOP_NEEDS): NeedRank[] {
  return ranks.filter((r) => r.priority).slice(0, limit);
}

/** The top categories of one horizon: rank, priority with CI, respondents. */
export function TopNeedsTable({
  ranks,
  caption,
  f,
  limit = TOP_NEEDS,
}: {
  ranks: NeedRank[];
  caption: string;
  f: Formatters;
  limit?: number;
}) {
  const { t } = f;
  const top = topRanks(ranks, limit);
  return (
    <table className="top-needs">
      <caption>{caption}</caption>
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
            {t("dashboard.needs.respondents")}
          </th>
        </tr>
      </thead>
      <tbody>
        {top.length === 0 ? (
          <tr>
            <td colSpan={5}>
              {/* Needs named, but no category with a shown score (small or withheld groups). */}
              {ranks.some((r) => r.entries !== 0)
                ? t("dashboard.findings.noneShown")
                : t("dashboard.findings.none")}
            </td>
          </tr>
        ) : (
          top.map((r, i) => (
            <tr key={r.category}>
              <td className="num">{i + 1}</td>
              <th scope="row">{f.text(r.label, r.category)}</th>
              <PriorityCell stat={r.priority} f={f} />
              <td className="num">{f.ci(r.priority, SHOWN_DIGITS.priority)}</td>
              <Num value={r.respondents} f={f} />
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}

/** Priority (respondents) of each category by country group. */
export function ComparisonTable({
  analysis,
  horizon,
  f,
  limit,
}: {
  analysis: NeedQuestionAnalysis;
  horizon: HorizonOrAll;
  f: Formatters;
  limit?: number;
}) {
  const { t } = f;
  const compared = limit === undefined ? null : comparedCategories(analysis.ranked[horizon], limit);
  const rows = analysis.byCountryGroup[horizon].filter(
    (r) => !compared || compared.has(r.category),
  );
  const cell = (g: (typeof COUNTRY_GROUPS)[number], row: (typeof rows)[number]) => {
    const c = row.groups[g];
    if (typeof c.respondents !== "number")
      return <td className="num cell--hidden">{f.count(c.respondents)}</td>;
    if (c.respondents === 0) return <td className="num">–</td>;
    return (
      <td className="num">
        {f.num(c.priority?.mean ?? null, SHOWN_DIGITS.priority)}{" "}
        <span className="muted">({f.count(c.respondents)})</span>
      </td>
    );
  };
  return (
    <ChartFigure
      base={f.count(analysis.answered)}
      chart={
        <GroupedBars
          data={rows.map((r) => ({
            label: f.text(r.label, r.category),
            values: Object.fromEntries(
              COUNTRY_GROUPS.map((g) => [g, r.groups[g].priority?.mean ?? null]),
            ),
            hidden: Object.fromEntries(
              COUNTRY_GROUPS.map((g) => [
                g,
                isHidden(r.groups[g].respondents) ? f.count(r.groups[g].respondents) : undefined,
              ]),
            ),
          }))}
          series={COUNTRY_GROUPS.map((g) => ({ key: g, label: t(countryGroupKey(g)) }))}
          domainMax={100}
        />
      }
    >
      <table className="comparison">
        <caption>
          {t("dashboard.findings.comparison", { horizon: t(`dashboard.horizonsShort.${horizon}`) })}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t("dashboard.needs.category")}</th>
            {COUNTRY_GROUPS.map((g) => (
              <th key={g} scope="col" className="num">
                {t(countryGroupKey(g))}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.category}>
              <th scope="row">{f.text(r.label, r.category)}</th>
              {COUNTRY_GROUPS.map((g) => (
                <Fragment key={g}>{cell(g, r)}</Fragment>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </ChartFigure>
  );
}

/** The answer on one screen: top needs per horizon side by side, then by country group. */
export function FindingsSection({
  d,
  f,
  id = "findings",
  groupLinks,
  topNeeds = true,
}: {
  d: Pick<GroupDashboard, "needs" | "filters">;
  f: Formatters;
  id?: string;
  /** Links to the same view restricted to each country group. */
  groupLinks?: Array<{ group: string; to: string }>;
  /** False where the page shows the top needs already (the dashboard's first screen). */
  topNeeds?: boolean;
}) {
  const { t } = f;
  const horizons = horizonsShown(d.filters);
  return (
    <Section
      id={id}
      title={t(topNeeds ? "dashboard.findings.heading" : "dashboard.findings.byCountryGroup")}
    >
      <p className="hint">
        {t(topNeeds ? "dashboard.findings.intro" : "dashboard.findings.comparisonIntro")}
      </p>
      {d.needs.length === 0 ? <p>{t("dashboard.findings.none")}</p> : null}
      {d.needs.map((a) => (
        <div key={a.key}>
          {d.needs.length > 1 ? <h3>{f.text(a.label, a.key)}</h3> : null}
          {topNeeds ? (
            <div className="side-by-side">
              {horizons.map((h) => (
                <TableWrap key={h}>
                  <TopNeedsTable
                    ranks={a.ranked[h]}
                    caption={t("dashboard.findings.topByHorizon", {
                      horizon: t(`dashboard.horizons.${h}`),
                    })}
                    f={f}
                  />
                </TableWrap>
              ))}
            </div>
          ) : null}
          {topNeeds ? <h3>{t("dashboard.findings.comparisonIntro")}</h3> : null}
          <div className="side-by-side">
            {horizons.map((h) => (
              <ComparisonTable key={h} analysis={a} horizon={h} f={f} limit={TOP_NEEDS} />
            ))}
          </div>
        </div>
      ))}
      {groupLinks && d.needs.length ? (
        <p className="no-print">
          {t("dashboard.findings.filterBy")}{" "}
          {groupLinks.map((l, i) => (
            <Fragment key={l.group}>
              {i > 0 ? " · " : null}
              <Link to={l.to}>{t(countryGroupKey(l.group, true))}</Link>
            </Fragment>
          ))}
        </p>
      ) : null}
      <p className="hint">{t("dashboard.needs.formula")}</p>
      <p className="hint">{t("dashboard.ci.legend")}</p>
    </Section>
  );
}

export function NeedsMatrixSection({
  d,
  f,
}: {
  d: Pick<GroupDashboard, "needs" | "filters">;
  f: Formatters;
}) {
  const { t } = f;
  const horizons: HorizonOrAll[] = d.filters.horizon
    ? [d.filters.horizon]
    : ["short_term", "medium_term", "all"];
  return (
    <Section id="needs-matrix" title={t("dashboard.needs.heading")}>
      {d.needs.map((a) => (
        <div key={a.key}>
          <p>
            {t("dashboard.needs.question", { label: f.text(a.label, a.key) })}
            <br />
            {t("dashboard.needs.answered", { n: f.count(a.answered) })}
          </p>
          <ChartFigure
            base={f.count(a.answered)}
            chart={
              <GroupedBars
                percent
                data={a.matrix.map((m) => ({
                  label: f.text(m.label, m.category),
                  values: Object.fromEntries(
                    horizons.filter((h) => h !== "all").map((h) => [h, m.cells[h].share]),
                  ),
                  hidden: Object.fromEntries(
                    horizons.map((h) => [
                      h,
                      isHidden(m.cells[h].respondents)
                        ? f.count(m.cells[h].respondents)
                        : undefined,
                    ]),
                  ),
                }))}
                series={horizons
                  .filter((h) => h !== "all")
                  .map((h) => ({ key: h, label: t(`dashboard.horizonsShort.${h}`) }))}
              />
            }
          >
            <table className="needs-matrix">
              <caption>{t("dashboard.needs.matrixCaption", { n: f.count(a.answered) })}</caption>
              <thead>
                <tr>
                  <th scope="col" rowSpan={2}>
                    {t("dashboard.needs.category")}
                  </th>
                  {horizons.map((h) => (
                    <th key={h} scope="colgroup" colSpan={3} className="num">
                      {t(`dashboard.horizonsShort.${h}`)}
                    </th>
                  ))}
                </tr>
                <tr>
                  {horizons.map((h) => (
                    <Fragment key={h}>
                      <th scope="col" className="num">
                        {t("dashboard.needs.respondents")}
                      </th>
                      <th scope="col" className="num">
                        {t("dashboard.needs.entries")}
                      </th>
                      <th scope="col" className="num">
                        {t("dashboard.needs.share")}
                      </th>
                    </Fragment>
                  ))}
                </tr>
              </thead>
              <tbody>
                {a.matrix.map((m) => (
                  <tr key={m.category}>
                    <th scope="row">{f.text(m.label, m.category)}</th>
                    {horizons.map((h) => (
                      <Fragment key={h}>
                        <Num value={m.cells[h].respondents} f={f} />
                        <Num value={m.cells[h].entries} f={f} />
                        <td className="num">{f.share(m.cells[h].share)}</td>
                      </Fragment>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </ChartFigure>
        </div>
      ))}
    </Section>
  );
}

export function RankedNeedsTable({
  ranks,
  caption,
  f,
  question,
}: {
  ranks: NeedRank[];
  caption: string;
  f: Formatters;
  /** The need question's key, for the "Add to register" links. */
  question?: string;
}) {
  const { t } = f;
  const links = useRegisterLinks() && question !== undefined;
  return (
    <table className="ranked-needs">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col" className="num">
            {t("dashboard.needs.rank")}
          </th>
          <th scope="col">{t("dashboard.needs.category")}</th>
          <th scope="col" className="num">
            {t("dashboard.needs.respondents")}
          </th>
          <th scope="col" className="num">
            {t("dashboard.needs.entries")}
          </th>
          <th scope="col" className="num">
            {t("dashboard.needs.urgency")}
          </th>
          <th scope="col" className="num">
            {t("dashboard.needs.importance")}
          </th>
          <th scope="col" className="num">
            {t("dashboard.needs.priority")}
          </th>
          <th scope="col" className="num">
            {t("dashboard.needs.ci")}
          </th>
          {links ? <AddToRegisterHeading /> : null}
        </tr>
      </thead>
      <tbody>
        {ranks.map((r, i) => (
          <tr key={r.category}>
            <td className="num">{r.priority ? i + 1 : "–"}</td>
            <th scope="row">{f.text(r.label, r.category)}</th>
            <Num value={r.respondents} f={f} />
            <Num value={r.entries} f={f} />
            <td className="num">{f.num(r.urgency?.mean)}</td>
            <td className="num">{f.num(r.importance?.mean)}</td>
            <PriorityCell stat={r.priority} f={f} />
            <td className="num">{f.ci(r.priority, SHOWN_DIGITS.priority)}</td>
            {links ? (
              <AddToRegisterCell
                kind="category"
                question={question}
                code={r.category}
                label={f.text(r.label, r.category)}
              />
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function RankedNeedsSection({
  d,
  f,
}: {
  d: Pick<GroupDashboard, "needs" | "filters">;
  f: Formatters;
}) {
  const { t } = f;
  const horizons: HorizonOrAll[] = d.filters.horizon
    ? [d.filters.horizon]
    : ["short_term", "medium_term", "all"];
  return (
    <Section id="ranked-needs" title={t("dashboard.needs.rankedHeading")}>
      <p className="hint">{t("dashboard.needs.formula")}</p>
      <p className="hint">{t("dashboard.ci.legend")}</p>
      {d.needs.map((a) =>
        horizons.map((h) => (
          <ChartFigure
            key={`${a.key}-${h}`}
            base={f.count(a.answered)}
            note={t("dashboard.chart.tiedNote")}
            chart={
              <HorizontalBars
                domainMax={100}
                data={a.ranked[h]
                  .filter((r) => r.priority)
                  .map((r) => ({
                    label: f.text(r.label, r.category),
                    value: r.priority!.mean,
                    estimate: r.priority,
                  }))}
              />
            }
          >
            <RankedNeedsTable
              question={a.key}
              ranks={a.ranked[h]}
              caption={t("dashboard.needs.rankedCaption", {
                horizon: t(`dashboard.horizons.${h}`),
              })}
              f={f}
            />
          </ChartFigure>
        )),
      )}
    </Section>
  );
}

// ---------------------------------------------------------------------------------------------
// Borich

export function BorichTable({ b, f, limit }: { b: BorichAnalysis; f: Formatters; limit?: number }) {
  const { t } = f;
  const statements = limit ? b.statements.slice(0, limit) : b.statements;
  const links = useRegisterLinks();
  return (
    <table className="borich">
      <caption>{t("dashboard.borich.caption")}</caption>
      <thead>
        <tr>
          <th scope="col" className="num">
            {t("dashboard.needs.rank")}
          </th>
          <th scope="col">{t("dashboard.borich.statement")}</th>
          <th scope="col" className="num">
            {t("dashboard.borich.respondents")}
          </th>
          <th scope="col" className="num">
            {t("dashboard.borich.importance")}
          </th>
          <th scope="col" className="num">
            {t("dashboard.borich.current")}
          </th>
          <th scope="col" className="num">
            {t("dashboard.borich.discrepancy")}
          </th>
          <th scope="col" className="num">
            {t("dashboard.needs.ci")}
          </th>
          <th scope="col" className="num">
            {t("dashboard.borich.mwds")}
          </th>
          <th scope="col">{t("dashboard.borich.quadrant")}</th>
          {links ? <AddToRegisterHeading /> : null}
        </tr>
      </thead>
      <tbody>
        {statements.map((s, i) => (
          <tr key={s.statement}>
            <td className="num">{s.mwds !== null ? i + 1 : "–"}</td>
            <th scope="row">{f.text(s.label, s.statement)}</th>
            <Num value={s.respondents} f={f} />
            <td className="num">{f.num(s.importance?.mean)}</td>
            <td className="num">{f.num(s.current?.mean)}</td>
            <td className="num">{f.num(s.discrepancy?.mean)}</td>
            <td className="num">{f.ci(s.discrepancy)}</td>
            <td className="num">{f.num(s.mwds)}</td>
            <td>{s.quadrant ? t(`dashboard.borich.quadrants.${s.quadrant}`) : "–"}</td>
            {links ? (
              <AddToRegisterCell
                kind="borich"
                question={b.key}
                code={s.statement}
                label={f.text(s.label, s.statement)}
              />
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function BorichSection({
  borich,
  f,
  limit,
}: {
  borich: BorichAnalysis[];
  f: Formatters;
  limit?: number;
}) {
  const { t } = f;
  if (borich.length === 0) return null;
  return (
    <Section id="borich" title={t("dashboard.borich.heading")}>
      <p className="hint">{t("dashboard.borich.formula")}</p>
      <p className="hint">{t("dashboard.ci.legend")}</p>
      {borich.map((b) => {
        const points = b.statements
          .map((s, i) => ({ s, i }))
          .filter(({ s }) => s.importance && s.current)
          .map(({ s, i }) => ({
            tag: String(i + 1),
            importance: s.importance!.mean,
            current: s.current!.mean,
            actFirst: s.quadrant === "act_first",
          }));
        return (
          <div key={b.key}>
            {borich.length > 1 ? <h3>{f.text(b.label, b.key)}</h3> : null}
            <ChartFigure
              chart={
                <HorizontalBars
                  digits={2}
                  data={(limit ? b.statements.slice(0, limit) : b.statements)
                    .filter((s) => s.mwds !== null)
                    .map((s) => ({
                      label: `${b.statements.indexOf(s) + 1}. ${f.text(s.label, s.statement)}`,
                      value: s.mwds,
                      small: s.discrepancy?.small,
                      marks:
                        s.quadrant === "act_first"
                          ? [t("dashboard.borich.quadrants.act_first")]
                          : [],
                    }))}
                />
              }
            >
              <BorichTable b={b} f={f} limit={limit} />
            </ChartFigure>
            {b.meanImportance !== null && b.meanCurrent !== null && points.length > 0 ? (
              <>
                <h3>{t("dashboard.borich.quadrantHeading")}</h3>
                <p className="hint">
                  {t("dashboard.borich.quadrantHint", {
                    importance: f.num(b.meanImportance),
                    current: f.num(b.meanCurrent),
                  })}
                </p>
                <ChartFigure
                  className="chart-figure--quadrant"
                  chart={
                    <QuadrantChart
                      points={points}
                      meanImportance={b.meanImportance}
                      meanCurrent={b.meanCurrent}
                      importanceLabel={t("dashboard.borich.axisImportance")}
                      currentLabel={t("dashboard.borich.axisCurrent")}
                      legend={{
                        highlighted: t("dashboard.borich.quadrants.act_first"),
                        others: t("dashboard.chart.otherStatements"),
                      }}
                    />
                  }
                >
                  <table>
                    <caption>{t("dashboard.borich.quadrantCaption")}</caption>
                    <thead>
                      <tr>
                        <th scope="col" className="num">
                          {t("dashboard.needs.rank")}
                        </th>
                        <th scope="col">{t("dashboard.borich.statement")}</th>
                        <th scope="col" className="num">
                          {t("dashboard.borich.importance")}
                        </th>
                        <th scope="col" className="num">
                          {t("dashboard.borich.current")}
                        </th>
                        <th scope="col">{t("dashboard.borich.quadrant")}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {b.statements
                        .filter((s) => s.importance && s.current)
                        .map((s, i) => (
                          <tr key={s.statement}>
                            <td className="num">{i + 1}</td>
                            <th scope="row">{f.text(s.label, s.statement)}</th>
                            <td className="num">{f.num(s.importance!.mean)}</td>
                            <td className="num">{f.num(s.current!.mean)}</td>
                            <td>
                              {s.quadrant ? t(`dashboard.borich.quadrants.${s.quadrant}`) : "–"}
                            </td>
                          </tr>
                        ))}
                    </tbody>
                  </table>
                </ChartFigure>
              </>
            ) : null}
            {b.meanImportance !== null && b.meanDiscrepancy !== null && points.length > 0 ? (
              <LocusForFocus b={b} f={f} />
            ) : null}
          </div>
        );
      })}
    </Section>
  );
}

/**
 * The locus for focus (Edwards & Briers 1999): mean importance against mean discrepancy, split
 * at the means over the statements; a table, like every figure, that works without JavaScript.
 */
function LocusForFocus({ b, f }: { b: BorichAnalysis; f: Formatters }) {
  const { t } = f;
  const shown = b.statements.filter((s) => s.importance && s.discrepancy);
  return (
    <>
      <h3>{t("dashboard.borich.locusHeading")}</h3>
      <p className="hint">
        {t("dashboard.borich.locusHint", {
          importance: f.num(b.meanImportance),
          discrepancy: f.num(b.meanDiscrepancy),
        })}
      </p>
      <ChartFigure
        className="chart-figure--quadrant"
        chart={
          <QuadrantChart
            points={shown.map((s, i) => ({
              tag: String(i + 1),
              importance: s.importance!.mean,
              current: s.discrepancy!.mean,
              actFirst: s.locus === "focus",
            }))}
            meanImportance={b.meanImportance!}
            meanCurrent={b.meanDiscrepancy!}
            importanceLabel={t("dashboard.borich.axisImportance")}
            currentLabel={t("dashboard.borich.axisDiscrepancy")}
            horizontal={{ domain: [-4, 4], ticks: [-4, -2, 0, 2, 4] }}
            legend={{
              highlighted: t("dashboard.borich.locusQuadrants.focus"),
              others: t("dashboard.chart.otherStatements"),
            }}
          />
        }
      >
        <table className="locus-for-focus">
          <caption>{t("dashboard.borich.locusCaption")}</caption>
          <thead>
            <tr>
              <th scope="col" className="num">
                {t("dashboard.needs.rank")}
              </th>
              <th scope="col">{t("dashboard.borich.statement")}</th>
              <th scope="col" className="num">
                {t("dashboard.borich.importance")}
              </th>
              <th scope="col" className="num">
                {t("dashboard.borich.discrepancy")}
              </th>
              <th scope="col">{t("dashboard.borich.locus")}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((s, i) => (
              <tr key={s.statement}>
                <td className="num">{i + 1}</td>
                <th scope="row">{f.text(s.label, s.statement)}</th>
                <td className="num">{f.num(s.importance!.mean)}</td>
                <td className="num">{f.num(s.discrepancy!.mean)}</td>
                <td>{s.locus ? t(`dashboard.borich.locusQuadrants.${s.locus}`) : "–"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ChartFigure>
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// Themes

export function ThemeCountsTable({ themes, f }: { themes: ThemeCount[]; f: Formatters }) {
  const { t } = f;
  const links = useRegisterLinks();
  if (themes.length === 0) return <p>{t("dashboard.themes.none")}</p>;
  return (
    <ChartFigure
      chart={<HorizontalBars data={themes.map((th) => countBar(th.name, th.answers, f))} />}
    >
      <table className="theme-counts">
        <caption>{t("dashboard.themes.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("dashboard.themes.theme")}</th>
            <th scope="col" className="num">
              {t("dashboard.themes.answers")}
            </th>
            <th scope="col" className="num">
              {t("dashboard.themes.respondents")}
            </th>
            {links ? <AddToRegisterHeading /> : null}
          </tr>
        </thead>
        <tbody>
          {themes.map((th) => (
            <tr key={th.id}>
              <th scope="row">{th.name}</th>
              <Num value={th.answers} f={f} />
              <Num value={th.respondents} f={f} />
              {links ? (
                <AddToRegisterCell
                  kind="theme"
                  question={THEME_QUESTION}
                  code={String(th.id)}
                  label={th.name}
                />
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </ChartFigure>
  );
}
