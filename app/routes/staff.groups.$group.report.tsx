import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { ChartLoading } from "~/components/charts/chart-figure";
import { DistributionsSection } from "~/components/dashboard/distributions";
import { describeFilters, FilterSummary } from "~/components/dashboard/filters";
import { ConsensusSection } from "~/components/delphi/consensus-section";
import { useFormatters } from "~/components/dashboard/format";
import { Contents } from "~/components/dashboard/layout";
import {
  ExecutiveSummary,
  Methodology,
  PrintPageBoxes,
  ReportHeader,
  ReportTools,
  SectionComment,
} from "~/components/dashboard/report";
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
import { localized, type MessageKey } from "~/i18n/translate";
import { resolveLocale } from "~/i18n/locale.server";
import { pageTitle } from "~/i18n/meta";
import { requireGroupAccess } from "~/server/auth.server";
import { groupView, viewQuery } from "~/server/dashboards/page.server";
import type { CommentSection, NoteError } from "~/server/dashboards/report-notes";
import {
  resetReportSummary,
  saveReportComment,
  saveReportSummary,
} from "~/server/dashboards/report-notes.server";
import { groupReportPage } from "~/server/dashboards/report.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const slug = params.group ?? "";
  const user = await requireGroupAccess(request, context, slug);
  const { locale } = await resolveLocale(request);
  return groupReportPage(context, user, slug, new URL(request.url), locale);
}

const NOTICES = {
  "summary-saved": "dashboard.summary.saved",
  "summary-reset": "dashboard.summary.wasReset",
  "comment-saved": "dashboard.comments.saved",
  "comment-removed": "dashboard.comments.removed",
} as const satisfies Record<string, MessageKey>;
type Notice = keyof typeof NOTICES;

/** Saves the edited summary (or drops it) and the comments of the sections. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const slug = params.group ?? "";
  const user = await requireGroupAccess(request, context, slug);
  const { locale } = await resolveLocale(request);
  const url = new URL(request.url);
  const { group, survey, filters } = await groupView(context, slug, url);
  if (!survey) throw new Response("No survey", { status: 404 });
  const form = await request.formData();
  const intent = form.get("intent");
  const options = { by: user, ip: context.clientIp };
  const back = (notice: Notice, anchor: string) => {
    const q = new URLSearchParams(viewQuery(url.searchParams.get("survey"), filters));
    q.set("notice", notice);
    return `/staff/groups/${group.slug}/report?${q}#${anchor}`;
  };
  const text = String(form.get("text") ?? "");
  if (intent === "summary") {
    const result = await saveReportSummary(
      context.db,
      { surveyId: survey.id, locale, text, generatedFrom: form.get("generated") },
      options,
    );
    if (!result.ok)
      return data(
        { error: { target: "summary", message: result.error, text } as NoteError },
        { status: 400 },
      );
    return redirect(back("summary-saved", "summary"));
  }
  if (intent === "reset-summary") {
    await resetReportSummary(context.db, survey.id, locale, options);
    return redirect(back("summary-reset", "summary"));
  }
  if (intent === "comment") {
    const section = form.get("section");
    const result = await saveReportComment(
      context.db,
      { surveyId: survey.id, section, text },
      options,
    );
    if (!result.ok) {
      const unknown = result.error === "dashboard.comments.errors.section";
      const error: NoteError = {
        target: unknown ? "" : String(section),
        message: result.error,
        text,
        section: String(section ?? "").slice(0, 80),
      };
      return data({ error }, { status: 400 });
    }
    return redirect(
      back(result.removed ? "comment-removed" : "comment-saved", `comment-${String(section)}`),
    );
  }
  return data(
    {
      error: {
        target: "",
        message: "dashboard.errors.badRequest",
        text: "",
      } as NoteError,
    },
    { status: 400 },
  );
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
    notes,
    dashboard: d,
    consensus,
    register,
    gaps: gapRows,
    filters,
    ignored,
    minCell,
    query,
  } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const f = useFormatters(minCell);
  const { t } = f;
  const groupName = f.text(group.name, group.slug);
  const title = t("dashboard.report.title", { group: groupName });
  const ok = d.coverage === "ok";
  const base = `/staff/groups/${group.slug}/report`;
  const formAction = `${base}${query ? `?${query}` : ""}`;
  const error = actionData?.error ?? null;
  const notice = searchParams.get("notice");
  const sections: Array<[CommentSection, string]> = [
    ["headline", t("dashboard.report.headline")],
    ...(ok
      ? ([
          ["findings", t("dashboard.findings.heading")],
          ["needs-matrix", t("dashboard.needs.heading")],
          ["ranked-needs", t("dashboard.needs.rankedHeading")],
          ...(d.borich.length ? [["borich", t("dashboard.borich.heading")]] : []),
          ["themes", t("dashboard.themes.heading")],
          ...(d.profile ? [["profile", t("dashboard.profile.heading")]] : []),
        ] as Array<[CommentSection, string]>)
      : []),
    ...(consensus
      ? ([["consensus", t("delphi.consensus.title")]] as Array<[CommentSection, string]>)
      : []),
    ["register", t("register.print.registerHeading")],
    ["gaps", t("register.print.gapsHeading")],
    ["methodology", t("dashboard.report.methodology")],
    ...(ok
      ? ([["questions", t("dashboard.report.appendix")]] as Array<[CommentSection, string]>)
      : []),
  ];
  const comment = (section: CommentSection) => (
    <SectionComment
      section={section}
      title={sections.find(([s]) => s === section)?.[1] ?? section}
      text={notes.comments[section]}
      action={formAction}
      error={error}
      f={f}
    />
  );
  return (
    <ChartLoading.Provider value="eager">
      <PrintPageBoxes title={title} f={f} />
      <div className="container report">
        <ReportTools
          back={`/staff/groups/${group.slug}?${query}`}
          docx={`${base}.docx${query ? `?${query}` : ""}`}
          f={f}
        />
        {notice && notice in NOTICES ? (
          <p className="notice notice--ok no-print" role="status">
            {t(NOTICES[notice as Notice])}
          </p>
        ) : null}
        {error && !error.target ? (
          <p className="notice notice--warn no-print" role="alert">
            {t(error.message, { section: error.section ?? "" })}
          </p>
        ) : null}
        <div className="report-first">
          <ReportHeader
            title={title}
            subtitle={f.text(d.survey.title, d.survey.slug)}
            filters={describeFilters(filters, d.choices, f)}
            f={f}
          />
          {ignored.length ? (
            <FilterSummary filters={filters} ignored={ignored} choices={d.choices} f={f} />
          ) : null}
          <ExecutiveSummary notes={notes.summary} action={formAction} error={error} f={f} />
        </div>
        <Contents items={[["summary", t("dashboard.summary.heading")], ...sections]} f={f} />
        <Section id="headline" title={t("dashboard.report.headline")}>
          <ParticipationFigures p={d.participation} f={f} withoutInvitations />
          <CoverageNotice coverage={d.coverage} f={f} />
        </Section>
        {comment("headline")}
        {ok ? (
          <>
            <FindingsSection d={d} f={f} />
            {comment("findings")}
            <NeedsMatrixSection d={d} f={f} />
            {comment("needs-matrix")}
            <RankedNeedsSection d={d} f={f} />
            {comment("ranked-needs")}
            <BorichSection borich={d.borich} f={f} />
            {d.borich.length ? comment("borich") : null}
            <Section id="themes" title={t("dashboard.themes.heading")}>
              <ThemeCountsTable themes={d.themes} f={f} />
            </Section>
            {comment("themes")}
            {d.profile ? (
              <>
                <ProfileSection profile={d.profile} f={f} />
                {comment("profile")}
              </>
            ) : null}
          </>
        ) : null}
        {consensus ? (
          <>
            <div className="dash-section" id="consensus">
              <ConsensusSection view={consensus} locale={f.locale} t={t} />
            </div>
            {comment("consensus")}
          </>
        ) : null}
        <RegisterReportSections register={register} gaps={gapRows} />
        {comment("register")}
        {comment("gaps")}
        <Methodology d={d} f={f} />
        {comment("methodology")}
        {ok ? (
          <>
            <DistributionsSection
              distributions={d.distributions}
              f={f}
              id="questions"
              title={t("dashboard.report.appendix")}
            />
            {comment("questions")}
          </>
        ) : null}
      </div>
    </ChartLoading.Provider>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
