import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { localized } from "~/i18n/translate";
import { pageTitle } from "~/i18n/meta";
import { useI18n } from "~/i18n/react";
import { listAccessibleGroups, requireUser } from "~/server/auth.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const groups = await listAccessibleGroups(context.db, user);
  return {
    user: { name: user.name || user.email, role: user.role },
    groups: groups.map((g) => ({ slug: g.slug, name: g.name })),
  };
}

export const meta: MetaFunction = ({ matches }) => [
  { title: pageTitle(matches, "auth.staff.title") },
];

export default function StaffHome() {
  const { user, groups } = useLoaderData<typeof loader>();
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
          <ul className="staff-groups">
            {groups.map((g) => (
              <li key={g.slug}>
                <Link to={`/staff/groups/${g.slug}`} className="card staff-groups__link">
                  {t("auth.staff.openDashboard", { group: localized(g.name, locale) })}
                </Link>
                <Link to={`/staff/groups/${g.slug}/surveys`} className="staff-groups__surveys">
                  {t("manage.nav.groupSurveys", { group: localized(g.name, locale) })}
                </Link>
              </li>
            ))}
          </ul>
          <p>
            <Link to="/staff/overview">{t("dashboard.nav.overviewLong")}</Link>
          </p>
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
