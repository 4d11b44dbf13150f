import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import type { GroupDashboard } from "~/server/dashboards/views";
import { type Formatters, useHydrated } from "./format";
import { Section } from "./sections";

/** Print button (with JavaScript) and the way back; neither is printed. */
export function ReportTools({ back, f }: { back: string; f: Formatters }) {
  const hydrated = useHydrated();
  return (
    <div className="report-tools no-print">
      <Link to={back}>{f.t("dashboard.report.backToDashboard")}</Link>
      {hydrated ? (
        <button type="button" onClick={() => window.print()}>
          {f.t("dashboard.report.print")}
        </button>
      ) : null}
    </div>
  );
}

export function ReportHeader({
  title,
  subtitle,
  filters,
  f,
}: {
  title: string;
  subtitle?: string;
  filters: string;
  f: Formatters;
}) {
  const { t } = f;
  return (
    <header className="report-header">
      <p className="report-header__brand">{t("common.appName")}</p>
      <h1>{title}</h1>
      {subtitle ? <p className="lead">{subtitle}</p> : null}
      <p className="meta">
        {t("dashboard.report.generated", { date: f.date(new Date()) })}
        <br />
        {t("dashboard.report.filters", { filters: filters || t("dashboard.filters.none") })}
      </p>
    </header>
  );
}

function FormulaList({ f, children }: { f: Formatters; children?: ReactNode }) {
  const { t } = f;
  return (
    <>
      <h3>{t("dashboard.report.formulas")}</h3>
      <ul>
        <li>{t("dashboard.report.formulaMean")}</li>
        <li>{t("dashboard.report.formulaMedian")}</li>
        <li>{t("dashboard.report.formulaPriority")}</li>
        <li>{t("dashboard.report.formulaShare")}</li>
        <li>{t("dashboard.report.formulaMwds")}</li>
        {children}
      </ul>
      <p>{t("dashboard.report.suppressionRule", { min: f.minCell })}</p>
      <p>{t("dashboard.report.versions")}</p>
    </>
  );
}

/** Sample, response rate, formulas and the suppression rule of a group report. */
export function Methodology({ d, f }: { d: GroupDashboard; f: Formatters }) {
  const { t } = f;
  const p = d.participation;
  const byGroup = (code: string) => {
    // No profile beside figures: a country-group view whose number of responses is hidden
    // (decision 026); the filter empties the other groups.
    if (!d.profile) return f.count(code === d.filters.countryGroup ? p.matching : 0);
    const cell = d.profile.breakdowns.country_group.find((c) => c.code === code);
    return f.count(cell?.count ?? 0);
  };
  const completion =
    p.completionRate === null
      ? t("dashboard.participation.notApplicable")
      : f.share(p.completionRate);
  return (
    <Section id="methodology" title={t("dashboard.report.methodology")}>
      <p>
        {d.coverage === "small"
          ? // Too few to show: say only that (the profile is not computed, so no breakdown).
            t("dashboard.report.sampleSmall", { min: f.minCell })
          : d.coverage === "complement"
            ? // The filters leave out a few: no count of the view, no breakdown.
              t("dashboard.report.sampleComplement", { min: f.minCell })
            : d.coverage === "empty"
              ? t("dashboard.report.sampleEmpty")
              : t("dashboard.report.sample", {
                  n: f.count(p.matching),
                  eu: byGroup("eu"),
                  ru: byGroup("ru"),
                  other: byGroup("other"),
                })}
      </p>
      <p>
        {p.responseRate === null
          ? t("dashboard.report.responseRateOpen", { completion })
          : t("dashboard.report.responseRate", { rate: f.share(p.responseRate), completion })}
      </p>
      <FormulaList f={f} />
    </Section>
  );
}

export function OverallMethodology({ f }: { f: Formatters }) {
  const { t } = f;
  return (
    <Section id="methodology" title={t("dashboard.report.methodology")}>
      <p>{t("dashboard.report.sampleOverall")}</p>
      <FormulaList f={f} />
    </Section>
  );
}
