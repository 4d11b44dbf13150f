import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ChartLoading } from "~/components/charts/chart-figure";
import { describeFilters, FilterSummary } from "~/components/dashboard/filters";
import { useFormatters } from "~/components/dashboard/format";
import { Contents } from "~/components/dashboard/layout";
import {
  OverviewHeatmaps,
  OverviewParticipation,
  OverviewShared,
  OverviewTopNeeds,
} from "~/components/dashboard/overview";
import {
  OverallMethodology,
  PrintPageBoxes,
  ReportHeader,
  ReportTools,
} from "~/components/dashboard/report";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { RegisterReportSections } from "~/components/register/views";
import { resolveLocale } from "~/i18n/locale.server";
import { pageTitle } from "~/i18n/meta";
import { requireUser } from "~/server/auth.server";
import { overallReportPage } from "~/server/dashboards/report.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { locale } = await resolveLocale(request);
  return overallReportPage(context, user, new URL(request.url), locale);
}

export const meta: MetaFunction = ({ matches }) => [
  { title: pageTitle(matches, "dashboard.report.overallTitle") },
];

export default function OverallReportPage() {
  const {
    overview: o,
    register,
    gaps: gapRows,
    ignored,
    minCell,
    query,
  } = useLoaderData<typeof loader>();
  const f = useFormatters(minCell);
  const { t } = f;
  return (
    <ChartLoading.Provider value="eager">
      <PrintPageBoxes title={t("dashboard.report.overallTitle")} f={f} />
      <div className="container report">
        <ReportTools back={`/staff/overview${query ? `?${query}` : ""}`} f={f} />
        <ReportHeader
          title={t("dashboard.report.overallTitle")}
          filters={describeFilters(o.filters, o.choices, f)}
          f={f}
        />
        {ignored.length ? (
          <FilterSummary filters={o.filters} ignored={ignored} choices={o.choices} f={f} />
        ) : null}
        {o.groups.length === 0 ? (
          <p className="notice">{t("dashboard.overview.noGroups")}</p>
        ) : (
          <>
            <Contents
              items={[
                ["participation", t("dashboard.overview.participationHeading")],
                ["top-needs", t("dashboard.overview.topHeading")],
                ["shared", t("dashboard.overview.sharedHeading")],
                ["heatmap", t("dashboard.overview.heatmapHeading")],
                ["register", t("register.print.registerHeading")],
                ["gaps", t("register.print.gapsHeading")],
                ["methodology", t("dashboard.report.methodology")],
              ]}
              f={f}
            />
            <div className="report-first">
              <OverviewParticipation o={o} f={f} query={query} />
            </div>
            <OverviewTopNeeds o={o} f={f} limit={5} />
            <OverviewShared o={o} f={f} />
            <OverviewHeatmaps o={o} f={f} />
            <RegisterReportSections register={register} gaps={gapRows} />
          </>
        )}
        <OverallMethodology f={f} />
      </div>
    </ChartLoading.Provider>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
