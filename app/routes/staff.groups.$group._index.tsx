import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import type { ReactNode } from "react";
import { Link, useLoaderData } from "@remix-run/react";
import { OnDemandSection } from "~/components/dashboard/on-demand";
import { DistributionsSection } from "~/components/dashboard/distributions";
import { FilterForm, FilterPanel } from "~/components/dashboard/filters";
import { GlanceSection } from "~/components/dashboard/glance";
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
import { groupDashboardPage, type OnDemand } from "~/server/dashboards/group-dashboard.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const slug = params.group ?? "";
  const user = await requireGroupAccess(request, context, slug);
  const { locale } = await resolveLocale(request);
  return groupDashboardPage(context, user, slug, new URL(request.url), locale);
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
    hasConsensus,
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
          ["findings", t("dashboard.findings.byCountryGroup")],
          ...(dashboard.hasProfile ? [["profile", t("dashboard.profile.heading")]] : []),
          ["needs-matrix", t("dashboard.needs.heading")],
          ["ranked-needs", t("dashboard.needs.rankedHeading")],
          ...(dashboard.hasBorich ? [["borich", t("dashboard.borich.heading")]] : []),
          ["themes", t("dashboard.themes.heading")],
          ["questions", t("dashboard.distributions.heading")],
        ] as Array<[string, string]>)
      : []),
    ...(hasConsensus
      ? ([["consensus", t("delphi.consensus.title")]] as Array<[string, string]>)
      : []),
    [`exports-${survey.slug}`, t("exports.heading")],
  ];
  const base = `/staff/groups/${group.slug}`;
  // The whole dashboard on one page, at a section; and the loader's address for one section.
  const full = (id: OnDemand) => `${base}?${viewQueryWith(query, "sections", "all")}#${id}`;
  const load = (id: OnDemand) => `${base}?index&${viewQueryWith(query, "sections", id)}`;
  type Data = ReturnType<typeof useLoaderData<typeof loader>>;
  const onDemand = (id: OnDemand, title: string, render: (data: Data) => ReactNode) => (
    <OnDemandSection<Data>
      id={id}
      title={title}
      full={full(id)}
      load={load(id)}
      render={render}
      f={f}
    />
  );
  const profile = dashboard.profile ? (
    <ProfileSection profile={dashboard.profile} f={f} />
  ) : dashboard.hasProfile ? (
    onDemand("profile", t("dashboard.profile.heading"), (d) =>
      d.dashboard?.profile ? <ProfileSection profile={d.dashboard.profile} f={f} /> : null,
    )
  ) : null;
  const borich = dashboard.borich ? (
    <BorichSection borich={dashboard.borich} f={f} />
  ) : dashboard.hasBorich ? (
    onDemand("borich", t("dashboard.borich.heading"), (d) =>
      d.dashboard?.borich ? <BorichSection borich={d.dashboard.borich} f={f} /> : null,
    )
  ) : null;
  const distributions = dashboard.distributions ? (
    <DistributionsSection distributions={dashboard.distributions} f={f} />
  ) : (
    onDemand("questions", t("dashboard.distributions.heading"), (d) =>
      d.dashboard?.distributions ? (
        <DistributionsSection distributions={d.dashboard.distributions} f={f} />
      ) : null,
    )
  );
  const consensusSection = (view: NonNullable<Data["consensus"]>) => (
    <div className="dash-section" id="consensus">
      <ConsensusSection view={view} locale={f.locale} t={t} />
    </div>
  );
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
        <FilterPanel filters={filters} ignored={ignored} choices={dashboard.choices} f={f}>
          <FilterForm
            action={`/staff/groups/${group.slug}`}
            filters={filters}
            choices={dashboard.choices}
            surveys={surveys}
            survey={survey.slug}
            f={f}
          />
        </FilterPanel>
        <CoverageNotice coverage={dashboard.coverage} f={f} />
        <GlanceSection d={dashboard} gaps={dashboard.gaps} f={f} />
        <div className="dash-layout">
          <Contents items={contents} f={f} />
          <div className="dash-layout__main">
            <SuppressionNote f={f} />
            <ParticipationSection p={dashboard.participation} f={f} />
            {ok ? (
              <>
                <FindingsSection
                  d={dashboard}
                  f={f}
                  topNeeds={false}
                  groupLinks={COUNTRY_GROUPS.filter((g) => g !== filters.countryGroup).map((g) => ({
                    group: g,
                    to: `/staff/groups/${group.slug}?${viewQueryWith(query, "country_group", g)}#findings`,
                  }))}
                />
                {profile}
                <NeedsMatrixSection d={dashboard} f={f} />
                <RankedNeedsSection d={dashboard} f={f} />
                {borich}
                <Section id="themes" title={t("dashboard.themes.heading")}>
                  <ThemeCountsTable themes={dashboard.themes} f={f} />
                  <p>
                    <Link to={`/staff/groups/${group.slug}/texts?${query}`}>
                      {t("dashboard.themes.manage")}
                    </Link>
                  </p>
                </Section>
                {distributions}
              </>
            ) : null}
            {consensus
              ? consensusSection(consensus)
              : hasConsensus
                ? onDemand("consensus", t("delphi.consensus.title"), (d) =>
                    d.consensus ? consensusSection(d.consensus) : null,
                  )
                : null}
            <div className="dash-section">
              <ExportLinks survey={{ group: group.slug, slug: survey.slug }} filters={filters} />
            </div>
          </div>
        </div>
      </div>
    </RegisterLinkContext.Provider>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
