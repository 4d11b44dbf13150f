import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { FilterForm, FilterSummary } from "~/components/dashboard/filters";
import { useFormatters } from "~/components/dashboard/format";
import { Contents } from "~/components/dashboard/layout";
import {
  OverviewHeatmaps,
  OverviewParticipation,
  OverviewShared,
  OverviewTopNeeds,
} from "~/components/dashboard/overview";
import { SuppressionNote } from "~/components/dashboard/sections";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { resolveLocale } from "~/i18n/locale.server";
import { pageTitle } from "~/i18n/meta";
import { requireUser } from "~/server/auth.server";
import { overviewPage } from "~/server/dashboards/overview.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { locale } = await resolveLocale(request);
  return overviewPage(context, user, new URL(request.url), locale);
}

export const meta: MetaFunction = ({ matches }) => [
  { title: pageTitle(matches, "dashboard.overview.title") },
];

export default function OverviewPage() {
  const { overview: o, ignored, minCell, query } = useLoaderData<typeof loader>();
  const f = useFormatters(minCell);
  const { t } = f;
  return (
    <div className="container dashboard">
      <h1>{t("dashboard.overview.title")}</h1>
      <p className="lead">{t("dashboard.overview.intro")}</p>
      <nav aria-label={t("dashboard.nav.label")} className="group-nav no-print">
        <ul>
          <li>
            <Link to="/staff">{t("dashboard.nav.staffHome")}</Link>
          </li>
          <li>
            <Link to={`/staff/report${query ? `?${query}` : ""}`}>
              {t("dashboard.nav.overallReport")}
            </Link>
          </li>
        </ul>
      </nav>
      {o.groups.length === 0 ? (
        <p className="notice">{t("dashboard.overview.noGroups")}</p>
      ) : (
        <>
          <FilterForm action="/staff/overview" filters={o.filters} choices={o.choices} f={f} />
          <FilterSummary filters={o.filters} ignored={ignored} choices={o.choices} f={f} />
          <SuppressionNote f={f} />
          <Contents
            items={[
              ["participation", t("dashboard.overview.participationHeading")],
              ["heatmap", t("dashboard.overview.heatmapHeading")],
              ["top-needs", t("dashboard.overview.topHeading")],
              ["shared", t("dashboard.overview.sharedHeading")],
            ]}
            f={f}
          />
          <OverviewParticipation o={o} f={f} query={query} />
          <OverviewHeatmaps o={o} f={f} />
          <OverviewTopNeeds o={o} f={f} />
          <OverviewShared o={o} f={f} />
        </>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
