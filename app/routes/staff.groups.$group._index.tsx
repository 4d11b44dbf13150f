import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { DistributionsSection } from "~/components/dashboard/distributions";
import { FilterForm, FilterSummary } from "~/components/dashboard/filters";
import { ConsensusSection } from "~/components/delphi/consensus-section";
import { useFormatters } from "~/components/dashboard/format";
import { RegisterLinkContext } from "~/components/dashboard/register-links";
import { Contents, GroupNav } from "~/components/dashboard/layout";
import {
  BorichSection,
  CoverageNotice,
  FindingsSection,
  NeedsMatrixSection,
  ParticipationSection,
  ProfileSection,
  RankedNeedsSection,
  Section,
  SuppressionNote,
  ThemeCountsTable,
} from "~/components/dashboard/sections";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ExportLinks } from "~/components/exports/export-links";
import { localized } from "~/i18n/translate";
import { resolveLocale } from "~/i18n/locale.server";
import { pageTitle } from "~/i18n/meta";
import { COUNTRY_GROUPS } from "~/survey/countries";
import { requireGroupAccess } from "~/server/auth.server";
import { surveyConsensusView } from "~/server/delphi";
import { canEditNeed } from "~/server/needs.server";
import {
  findGroup,
  groupDashboard,
  listGroupSurveys,
  parseDashboardFilters,
  resolveDashboardSurvey,
  viewQuery,
  inLocale,
} from "~/server/dashboards.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const slug = params.group ?? "";
  const user = await requireGroupAccess(request, context, slug);
  const group = await findGroup(context.db, slug);
  if (!group) throw new Response("", { status: 404, statusText: "Not Found" });
  const url = new URL(request.url);
  const surveyParam = url.searchParams.get("survey")?.trim() || null;
  const { filters, ignored } = parseDashboardFilters(url.searchParams);
  const minCell = context.env.MIN_CELL_SIZE;
  const [survey, surveys] = await Promise.all([
    resolveDashboardSurvey(context.db, slug, surveyParam),
    listGroupSurveys(context.db, group.id),
  ]);
  if (!survey && surveyParam)
    throw new Response(`No survey "${surveyParam.slice(0, 80)}" in this working group`, {
      status: 404,
    });
  if (!survey)
    return {
      group,
      survey: null,
      surveys,
      dashboard: null,
      consensus: null,
      registerLinks: false,
      filters,
      ignored,
      minCell,
      query: "",
    };
  const [dashboard, consensus] = await Promise.all([
    groupDashboard(context.readDb, survey, filters, { minCell }),
    surveyConsensusView(context.readDb, survey.id, { minCell }),
  ]);
  const { locale } = await resolveLocale(request);
  return inLocale(
    {
      group,
      consensus,
      registerLinks: canEditNeed(user, [group.id]),
      survey: {
        slug: survey.slug,
        title: survey.title,
        status: survey.status,
        versionCount: survey.versionCount,
      },
      surveys,
      dashboard,
      filters,
      ignored,
      minCell,
      query: viewQuery(survey.slug, filters),
    },
    locale,
  );
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const locale =
    (matches.find((m) => m.id === "root")?.data as { locale?: string } | undefined)?.locale ?? "en";
  return [
    {
      title: pageTitle(matches, "dashboard.title", { group: localized(data?.group.name, locale) }),
    },
  ];
};

function viewQueryWith(query: string, name: string, value: string): string {
  const params = new URLSearchParams(query);
  params.set(name, value);
  return params.toString();
}

export default function GroupDashboardPage() {
  const {
    group,
    survey,
    surveys,
    dashboard,
    consensus,
    registerLinks,
    filters,
    ignored,
    minCell,
    query,
  } = useLoaderData<typeof loader>();
  const f = useFormatters(minCell);
  const { t } = f;
  const groupName = f.text(group.name, group.slug);
  if (!survey || !dashboard) {
    return (
      <div className="container">
        <h1>{t("dashboard.title", { group: groupName })}</h1>
        <p className="notice">{t("dashboard.noSurvey")}</p>
      </div>
    );
  }
  const ok = dashboard.coverage === "ok";
  const contents: Array<[string, string]> = [
    ["participation", t("dashboard.participation.heading")],
    ...(ok
      ? ([
          ["findings", t("dashboard.findings.heading")],
          ["profile", t("dashboard.profile.heading")],
          ["needs-matrix", t("dashboard.needs.heading")],
          ["ranked-needs", t("dashboard.needs.rankedHeading")],
          ...(dashboard.borich.length ? [["borich", t("dashboard.borich.heading")]] : []),
          ["themes", t("dashboard.themes.heading")],
          ["questions", t("dashboard.distributions.heading")],
        ] as Array<[string, string]>)
      : []),
    ...(consensus ? ([["consensus", t("delphi.consensus.title")]] as Array<[string, string]>) : []),
    [`exports-${survey.slug}`, t("exports.heading")],
  ];
  return (
    <RegisterLinkContext.Provider
      value={registerLinks ? { group: group.slug, survey: survey.slug } : null}
    >
      <div className="container dashboard">
        <h1>{t("dashboard.title", { group: groupName })}</h1>
        <p className="lead">
          {f.text(survey.title, survey.slug)}{" "}
          <span className="muted">
            ({t(`dashboard.surveyStatus.${survey.status}`)},{" "}
            {t("dashboard.versions", { count: survey.versionCount })})
          </span>
        </p>
        <GroupNav group={group.slug} query={query} f={f} />
        <FilterForm
          action={`/staff/groups/${group.slug}`}
          filters={filters}
          choices={dashboard.choices}
          surveys={surveys}
          survey={survey.slug}
          f={f}
        />
        <FilterSummary filters={filters} ignored={ignored} choices={dashboard.choices} f={f} />
        <SuppressionNote f={f} />
        <Contents items={contents} f={f} />
        <ParticipationSection p={dashboard.participation} f={f} />
        <CoverageNotice coverage={dashboard.coverage} f={f} />
        {ok ? (
          <>
            <FindingsSection
              d={dashboard}
              f={f}
              groupLinks={COUNTRY_GROUPS.filter((g) => g !== filters.countryGroup).map((g) => ({
                group: g,
                to: `/staff/groups/${group.slug}?${viewQueryWith(query, "country_group", g)}#findings`,
              }))}
            />
            {dashboard.profile ? <ProfileSection profile={dashboard.profile} f={f} /> : null}
            <NeedsMatrixSection d={dashboard} f={f} />
            <RankedNeedsSection d={dashboard} f={f} />
            <BorichSection borich={dashboard.borich} f={f} />
            <Section id="themes" title={t("dashboard.themes.heading")}>
              <ThemeCountsTable themes={dashboard.themes} f={f} />
              <p>
                <Link to={`/staff/groups/${group.slug}/texts?${query}`}>
                  {t("dashboard.themes.manage")}
                </Link>
              </p>
            </Section>
            <DistributionsSection distributions={dashboard.distributions} f={f} />
          </>
        ) : null}
        {consensus ? (
          <div className="dash-section" id="consensus">
            <ConsensusSection view={consensus} locale={f.locale} t={t} />
          </div>
        ) : null}
        <div className="dash-section">
          <ExportLinks survey={{ group: group.slug, slug: survey.slug }} filters={filters} />
        </div>
      </div>
    </RegisterLinkContext.Provider>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
