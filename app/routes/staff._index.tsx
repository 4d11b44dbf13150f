import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useFormatters } from "~/components/dashboard/format";
import { formatDateTime, isoOf } from "~/components/survey-admin/format";
import { StatusBadge } from "~/components/survey-admin/status-badge";
import { localized } from "~/i18n/translate";
import { pageTitle } from "~/i18n/meta";
import { useI18n } from "~/i18n/react";
import { requireUser } from "~/server/auth.server";
import { staffHome, type StaffHomeSurvey } from "~/server/staff-home.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const minCell = context.env.MIN_CELL_SIZE;
  const groups = await staffHome(context.db, user, { minCell });
  return {
    user: { name: user.name || user.email, role: user.role },
    groups,
    minCell,
  };
}

export const meta: MetaFunction = ({ matches }) => [
  { title: pageTitle(matches, "auth.staff.title") },
];

export default function StaffHome() {
  const { user, groups, minCell } = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const isAdmin = user.role === "admin";
  return (
    <div className="container">
      <h1>{t("auth.staff.title")}</h1>
      <p className="lead">
        {t("auth.staff.welcome", { name: user.name, role: t(`auth.roles.${user.role}`) })}
      </p>

      <h2>{t("auth.staff.groupsHeading")}</h2>
      {groups.length === 0 ? (
        <p className="notice">{t("auth.staff.noGroups")}</p>
      ) : (
        <>
          <p>{isAdmin ? t("auth.staff.groupsAdmin") : t("auth.staff.groupsCoordinator")}</p>
          <p>
            <Link to="/staff/overview">{t("dashboard.nav.overviewLong")}</Link>
          </p>
          {groups.map((g) => {
            const groupName = localized(g.name, locale);
            return (
              <section key={g.slug} className="staff-group" aria-labelledby={`group-${g.slug}`}>
                <h3 id={`group-${g.slug}`}>{groupName}</h3>
                <p className="staff-group__links">
                  <Link to={`/staff/groups/${g.slug}`}>
                    {t("auth.staff.openDashboard", { group: groupName })}
                  </Link>
                  <Link to={`/staff/groups/${g.slug}/surveys`}>
                    {t("manage.nav.groupSurveys", { group: groupName })}
                  </Link>
                </p>
                {g.surveys.length === 0 ? (
                  <p className="muted">{t("auth.staff.noSurveys")}</p>
                ) : (
                  <ul className="staff-surveys">
                    {g.surveys.map((s) => (
                      <SurveyCard key={s.slug} group={g.slug} survey={s} minCell={minCell} />
                    ))}
                  </ul>
                )}
              </section>
            );
          })}
        </>
      )}

      <h2>{t("auth.staff.administration")}</h2>
      <ul>
        {isAdmin ? (
          <li>
            <Link to="/staff/users">{t("auth.staff.manageUsers")}</Link>
          </li>
        ) : null}
        {isAdmin ? (
          <li>
            <Link to="/staff/audit">{t("manage.nav.audit")}</Link>
          </li>
        ) : null}
        <li>
          <Link to="/staff/account">{t("auth.staff.yourAccount")}</Link>
        </li>
      </ul>
    </div>
  );
}

/** Dates arrive as Date on the server render and as Date or string after a client navigation. */
type Survey = Omit<StaffHomeSurvey, "closesAt" | "lastSubmittedAt"> & {
  closesAt: Date | string | null;
  lastSubmittedAt: Date | string | null;
};

function SurveyCard({
  group,
  survey: s,
  minCell,
}: {
  group: string;
  survey: Survey;
  minCell: number;
}) {
  const { t, locale } = useI18n();
  const f = useFormatters(minCell);
  const title = localized(s.title, locale) || s.slug;
  const headingId = `survey-${group}-${s.slug}`;
  const attentionId = `${headingId}-attention`;
  const texts = `/staff/groups/${group}/texts?${new URLSearchParams({ survey: s.slug, theme: "none" })}`;
  const attention = [
    s.closingSoon && s.closesAt ? (
      <li key="closing">
        {t("auth.staff.closingSoon", { date: "" })}
        <time dateTime={isoOf(s.closesAt)}>{formatDateTime(s.closesAt, locale)}</time>
      </li>
    ) : null,
    s.untagged ? (
      <li key="untagged">
        <Link to={texts}>{t("auth.staff.untagged", { count: s.untagged })}</Link>
      </li>
    ) : null,
    s.failedEmails > 0 ? (
      <li key="failed">
        <Link to={`/staff/groups/${group}/surveys/${s.slug}/emails#outbox-heading`}>
          {t("auth.staff.failedEmails", { count: s.failedEmails })}
        </Link>
      </li>
    ) : null,
  ].filter(Boolean);
  return (
    <li className="card staff-survey" aria-labelledby={headingId}>
      <h4 id={headingId} className="staff-survey__title">
        <Link to={`/staff/groups/${group}/surveys/${s.slug}`}>{title}</Link>{" "}
        <StatusBadge status={s.status} />
      </h4>
      <dl className="staff-survey__figures">
        <div>
          <dt>{t("auth.staff.responses")}</dt>
          <dd>{s.submitted}</dd>
        </div>
        {s.responseRate !== null ? (
          <div>
            <dt>{t("auth.staff.responseRate")}</dt>
            <dd>
              {f.share(s.responseRate)}{" "}
              <span className="meta">{t("auth.staff.invited", { count: s.invited })}</span>
            </dd>
          </div>
        ) : null}
        <div>
          <dt>{t("auth.staff.lastSubmission")}</dt>
          <dd>
            {s.lastSubmittedAt ? (
              <time dateTime={isoOf(s.lastSubmittedAt)}>
                {formatDateTime(s.lastSubmittedAt, locale)}
              </time>
            ) : (
              t("auth.staff.noSubmission")
            )}
          </dd>
        </div>
      </dl>
      {attention.length > 0 ? (
        <>
          <p id={attentionId} className="staff-survey__attention-heading">
            {t("auth.staff.attention")}
          </p>
          <ul className="staff-survey__attention" aria-labelledby={attentionId}>
            {attention}
          </ul>
        </>
      ) : (
        <p className="muted">{t("auth.staff.nothingPending")}</p>
      )}
    </li>
  );
}
