import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ChartLoading } from "~/components/charts/chart-figure";
import { DistributionsSection } from "~/components/dashboard/distributions";
import { describeFilters, FilterSummary } from "~/components/dashboard/filters";
import { ConsensusSection } from "~/components/delphi/consensus-section";
import { useFormatters } from "~/components/dashboard/format";
import { Contents } from "~/components/dashboard/layout";
import { Methodology, ReportHeader, ReportTools } from "~/components/dashboard/report";
import {
  BorichSection,
  CoverageNotice,
  FindingsSection,
  NeedsMatrixSection,
  ParticipationFigures,
  ProfileSection,
  RankedNeedsSection,
  Section,
  ThemeCountsTable,
} from "~/components/dashboard/sections";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { RegisterReportSections } from "~/components/register/views";
import { localized } from "~/i18n/translate";
import { resolveLocale } from "~/i18n/locale.server";
import { pageTitle } from "~/i18n/meta";
import { requireGroupAccess } from "~/server/auth.server";
import { groupReportPage } from "~/server/dashboards/report.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const slug = params.group ?? "";
  const user = await requireGroupAccess(request, context, slug);
  const { locale } = await resolveLocale(request);
  return groupReportPage(context, user, slug, new URL(request.url), locale);
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const locale =
    (matches.find((m) => m.id === "root")?.data as { locale?: string } | undefined)?.locale ?? "en";
  return [
    {
      title: pageTitle(matches, "dashboard.report.title", {
        group: localized(data?.group.name, locale),
      }),
    },
  ];
};

export default function GroupReportPage() {
  const {
    group,
    dashboard: d,
    consensus,
    register,
    gaps: gapRows,
    filters,
    ignored,
    minCell,
    query,
  } = useLoaderData<typeof loader>();
  const f = useFormatters(minCell);
  const { t } = f;
  const groupName = f.text(group.name, group.slug);
  const ok = d.coverage === "ok";
  return (
    <ChartLoading.Provider value="eager">
      <div className="container report">
        <ReportTools back={`/staff/groups/${group.slug}?${query}`} f={f} />
        <ReportHeader
          title={t("dashboard.report.title", { group: groupName })}
          subtitle={f.text(d.survey.title, d.survey.slug)}
          filters={describeFilters(filters, d.choices, f)}
          f={f}
        />
        {ignored.length ? (
          <FilterSummary filters={filters} ignored={ignored} choices={d.choices} f={f} />
        ) : null}
        <Contents
          items={[
            ["headline", t("dashboard.report.headline")],
            ...(ok
              ? ([
                  ["findings", t("dashboard.findings.heading")],
                  ["needs-matrix", t("dashboard.needs.heading")],
                  ["ranked-needs", t("dashboard.needs.rankedHeading")],
                  ...(d.borich.length ? [["borich", t("dashboard.borich.heading")]] : []),
                  ["themes", t("dashboard.themes.heading")],
                  ["profile", t("dashboard.profile.heading")],
                ] as Array<[string, string]>)
              : []),
            ...(consensus
              ? ([["consensus", t("delphi.consensus.title")]] as Array<[string, string]>)
              : []),
            ["register", t("register.print.registerHeading")],
            ["gaps", t("register.print.gapsHeading")],
            ["methodology", t("dashboard.report.methodology")],
            ...(ok
              ? ([["questions", t("dashboard.report.appendix")]] as Array<[string, string]>)
              : []),
          ]}
          f={f}
        />
        <Section id="headline" title={t("dashboard.report.headline")} className="report-first">
          <ParticipationFigures p={d.participation} f={f} />
          <CoverageNotice coverage={d.coverage} f={f} />
        </Section>
        {ok ? (
          <>
            <FindingsSection d={d} f={f} />
            <NeedsMatrixSection d={d} f={f} />
            <RankedNeedsSection d={d} f={f} />
            <BorichSection borich={d.borich} f={f} />
            <Section id="themes" title={t("dashboard.themes.heading")}>
              <ThemeCountsTable themes={d.themes} f={f} />
            </Section>
            {d.profile ? <ProfileSection profile={d.profile} f={f} /> : null}
          </>
        ) : null}
        {consensus ? (
          <div className="dash-section" id="consensus">
            <ConsensusSection view={consensus} locale={f.locale} t={t} />
          </div>
        ) : null}
        <RegisterReportSections register={register} gaps={gapRows} />
        <Methodology d={d} f={f} />
        {ok ? (
          <DistributionsSection
            distributions={d.distributions}
            f={f}
            id="questions"
            title={t("dashboard.report.appendix")}
          />
        ) : null}
      </div>
    </ChartLoading.Provider>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
