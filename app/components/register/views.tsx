import { Link } from "@remix-run/react";
import { useFormatters } from "~/components/dashboard/format";
import { Section } from "~/components/dashboard/sections";
import type { MessageKey } from "~/i18n/translate";
import type { EvidenceFigures, ProgrammeType } from "#db/schema";

/**
 * The register and the gaps table as plain views: they take plain objects (no loader, no
 * server module) so that the printable page, the findings report and the register pages show
 * the same tables.
 */

type Text = Record<string, string>;

export interface RegisterRowView {
  id: number;
  title: Text;
  groups: Array<{ slug: string; name: Text }>;
  horizon: "short_term" | "medium_term";
  status: "proposed" | "validated" | "in_progress" | "addressed" | "declined";
  statusDate: string | null;
  priority: number | null;
  programmes: Array<{ code: string; name: Text; fit: "full" | "partial" | "weak" }>;
}

export function programmeTypeKey(type: ProgrammeType): MessageKey {
  return type === "other" ? "register.programmeTypes.otherKind" : `register.programmeTypes.${type}`;
}

/** Figures of a piece of evidence: respondents, priority score with CI, MWDS, tagged answers. */
export function FiguresText({ figures, minCell }: { figures: EvidenceFigures; minCell: number }) {
  const f = useFormatters(minCell);
  const { t } = f;
  const parts: string[] = [];
  if (figures.respondents !== null && figures.respondents !== undefined)
    parts.push(`${t("register.figureCells.respondents")}: ${f.count(figures.respondents)}`);
  if (figures.priority) {
    const ci =
      figures.priority.ciLower !== null && figures.priority.ciUpper !== null
        ? ` (${t("register.figureCells.ci")} ${f.num(figures.priority.ciLower, 1)} – ${f.num(figures.priority.ciUpper, 1)})`
        : "";
    parts.push(`${t("register.figureCells.priority")}: ${f.num(figures.priority.mean, 1)}${ci}`);
  } else if ("priority" in figures) parts.push(`${t("register.figureCells.priority")}: –`);
  if ("mwds" in figures)
    parts.push(`${t("register.figureCells.mwds")}: ${f.num(figures.mwds ?? null, 2)}`);
  if (figures.answers !== undefined && figures.answers !== null)
    parts.push(`${t("register.figureCells.answers")}: ${f.count(figures.answers)}`);
  return <>{parts.join("; ")}</>;
}

function Programmes({ row, linked }: { row: RegisterRowView; linked: boolean }) {
  const f = useFormatters(1);
  const { t } = f;
  if (row.programmes.length === 0) return <>{t("register.gaps.uncovered")}</>;
  return (
    <ul className="plain-list">
      {row.programmes.map((p) => (
        <li key={p.code}>
          {linked ? (
            <Link to={`/staff/programmes/${p.code}`}>{f.text(p.name, p.code)}</Link>
          ) : (
            f.text(p.name, p.code)
          )}{" "}
          <span className="small">({t(`register.fits.${p.fit}`)})</span>
        </li>
      ))}
    </ul>
  );
}

interface NeedTableProps {
  rows: readonly RegisterRowView[];
  caption: string;
  /** Titles and programmes link to their pages (not in printed views). */
  linked?: boolean;
}

/**
 * Needs, one row each: the register (with each need's status and its date) or the gaps table
 * (validated needs only, so no status column; rows without a programme marked).
 */
function NeedTable({ rows, caption, linked = true, gaps }: NeedTableProps & { gaps: boolean }) {
  const f = useFormatters(1);
  const { t } = f;
  return (
    <div className="table-wrap">
      <table className={gaps ? "gaps-table" : "register-table"}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("register.list.need")}</th>
            <th scope="col">{t("register.list.groups")}</th>
            <th scope="col">{t("register.list.horizon")}</th>
            {gaps ? null : <th scope="col">{t("register.list.statusSince")}</th>}
            <th scope="col" className="num">
              {t("register.list.priority")}
            </th>
            <th scope="col">{t("register.list.programmes")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((n) => (
            <tr
              key={n.id}
              className={gaps && n.programmes.length === 0 ? "gap-uncovered" : undefined}
            >
              <th scope="row">
                {linked ? (
                  <Link to={`/staff/needs/${n.id}`}>{f.text(n.title)}</Link>
                ) : (
                  f.text(n.title)
                )}
              </th>
              <td>{n.groups.map((g) => f.text(g.name, g.slug)).join(", ")}</td>
              <td>{t(`register.horizons.${n.horizon}`)}</td>
              {gaps ? null : (
                <td>
                  {t(`register.statuses.${n.status}`)}
                  {n.statusDate ? ` (${f.date(n.statusDate)})` : ""}
                </td>
              )}
              <td className="num">{f.num(n.priority, 1)}</td>
              <td>
                <Programmes row={n} linked={linked} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The register: one row per need. */
export function RegisterTable(props: NeedTableProps) {
  return <NeedTable {...props} gaps={false} />;
}

/** The gaps table: validated needs, uncovered ones first (the order of the rows as given). */
export function GapsTable(props: NeedTableProps) {
  return <NeedTable {...props} gaps />;
}

/** Links between the register pages. */
export function RegisterNav({ query = "" }: { query?: string }) {
  const { t } = useFormatters(1);
  const q = query ? `?${query}` : "";
  return (
    <nav aria-label={t("register.nav.label")} className="group-nav">
      <ul>
        <li>
          <Link to={`/staff/needs${q}`}>{t("register.nav.register")}</Link>
        </li>
        <li>
          <Link to={`/staff/needs/gaps${q}`}>{t("register.nav.gaps")}</Link>
        </li>
        <li>
          <Link to="/staff/programmes">{t("register.nav.programmes")}</Link>
        </li>
        <li>
          <Link to={`/staff/needs/print${q}`}>{t("register.nav.print")}</Link>
        </li>
      </ul>
    </nav>
  );
}

/** One dated status change of a need, as the history tables show it. */
export interface StatusEventView {
  status: RegisterRowView["status"];
  onDate: string;
  reason: string | null;
  actor: string;
}

/** A need's dated status history (its own, or that of a need merged into it). */
export function StatusHistoryTable({
  caption,
  history,
  className,
}: {
  caption: string;
  history: readonly StatusEventView[];
  className?: string;
}) {
  const f = useFormatters(1);
  const { t } = f;
  return (
    <div className="table-wrap">
      <table className={className}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("register.detail.date")}</th>
            <th scope="col">{t("register.detail.status")}</th>
            <th scope="col">{t("register.detail.reason")}</th>
            <th scope="col">{t("register.detail.by")}</th>
          </tr>
        </thead>
        <tbody>
          {history.map((h, i) => (
            <tr key={i}>
              <td>{f.date(h.onDate)}</td>
              <td>{t(`register.statuses.${h.status}`)}</td>
              <td className="pre-wrap">{h.reason ?? ""}</td>
              <td>{h.actor}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The register and the gaps table as two sections of a findings report (no links: it is printed). */
export function RegisterReportSections({
  register,
  gaps,
}: {
  register: RegisterRowView[];
  gaps: RegisterRowView[];
}) {
  const { t } = useFormatters(1);
  return (
    <>
      <Section id="register" title={t("register.print.registerHeading")}>
        {register.length === 0 ? (
          <p>{t("register.list.none")}</p>
        ) : (
          <RegisterTable
            rows={register}
            caption={t("register.list.caption", { count: register.length })}
            linked={false}
          />
        )}
      </Section>
      <Section id="gaps" title={t("register.print.gapsHeading")}>
        {gaps.length === 0 ? (
          <p>{t("register.gaps.none")}</p>
        ) : (
          <GapsTable rows={gaps} caption={t("register.gaps.caption")} linked={false} />
        )}
      </Section>
    </>
  );
}
