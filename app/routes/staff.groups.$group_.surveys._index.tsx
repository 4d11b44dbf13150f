import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { formatDate, isoOf } from "~/components/survey-admin/format";
import { StatusBadge } from "~/components/survey-admin/status-badge";
import { localized } from "~/i18n/translate";
import { pageTitle } from "~/i18n/meta";
import { useI18n } from "~/i18n/react";
import { listGroupSurveys, requireManagedGroup } from "~/server/survey-admin.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { group } = await requireManagedGroup(request, context, params);
  const surveys = await listGroupSurveys(context.db, group.id);
  return { group, surveys };
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => {
  const root = matches.find((m) => m.id === "root")?.data as { locale?: string } | undefined;
  return [
    {
      title: pageTitle(matches, "manage.list.title", {
        group: localized(data?.group.name, root?.locale ?? "en"),
      }),
    },
  ];
};

export default function GroupSurveys() {
  const { group, surveys } = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const groupName = localized(group.name, locale);
  const base = `/staff/groups/${group.slug}/surveys`;
  return (
    <div className="container">
      <p className="breadcrumbs">
        <Link to="/staff">{t("auth.staff.title")}</Link> ·{" "}
        <Link to={`/staff/groups/${group.slug}`}>
          {t("manage.list.toDashboard", { group: groupName })}
        </Link>
      </p>
      <h1>{t("manage.list.title", { group: groupName })}</h1>
      <p className="lead">{t("manage.list.intro")}</p>
      <p>
        <Link to={`${base}/new`} className="button">
          {t("manage.list.newSurvey")}
        </Link>
      </p>
      {surveys.length === 0 ? (
        <p className="notice">{t("manage.list.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table className="survey-table">
            <caption>{t("manage.list.caption", { group: groupName })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("manage.list.survey")}</th>
                <th scope="col">{t("manage.list.status")}</th>
                <th scope="col">{t("manage.list.dates")}</th>
                <th scope="col">{t("manage.list.access")}</th>
                <th scope="col" className="num">
                  {t("manage.list.version")}
                </th>
                <th scope="col" className="num">
                  {t("manage.list.invited")}
                </th>
                <th scope="col" className="num">
                  {t("manage.list.started")}
                </th>
                <th scope="col" className="num">
                  {t("manage.list.submitted")}
                </th>
              </tr>
            </thead>
            <tbody>
              {surveys.map((s) => (
                <tr key={s.id}>
                  <th scope="row">
                    <Link to={`${base}/${s.slug}`}>
                      {localized(s.title, locale) || t("manage.common.untitled")}
                    </Link>
                    <span className="meta">
                      <code>{s.slug}</code>
                    </span>
                  </th>
                  <td>
                    <StatusBadge status={s.effectiveStatus} />
                  </td>
                  <td>
                    {s.opensAt || s.closesAt ? (
                      <>
                        {s.opensAt ? (
                          <span className="meta">
                            {t("manage.list.opens", { date: "" })}
                            <time dateTime={isoOf(s.opensAt)}>{formatDate(s.opensAt, locale)}</time>
                          </span>
                        ) : null}
                        {s.closesAt ? (
                          <span className="meta">
                            {t("manage.list.closes", { date: "" })}
                            <time dateTime={isoOf(s.closesAt)}>
                              {formatDate(s.closesAt, locale)}
                            </time>
                          </span>
                        ) : null}
                      </>
                    ) : (
                      <span className="muted">{t("manage.list.noDates")}</span>
                    )}
                  </td>
                  <td>{t(`manage.access.${s.accessMode}`)}</td>
                  <td className="num">
                    {s.currentVersion != null
                      ? t("manage.common.versionShort", { version: s.currentVersion })
                      : "—"}
                  </td>
                  <td className="num">{s.invited}</td>
                  <td className="num">{s.started}</td>
                  <td className="num">{s.submitted}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
