import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { formatDateTime, isoOf } from "~/components/survey-admin/format";
import { pageTitle } from "~/i18n/meta";
import { useI18n } from "~/i18n/react";
import {
  AUDIT_PAGE_SIZE as PAGE_SIZE,
  auditActions,
  listAuditEntries,
  normalizeAuditFilter,
} from "~/server/audit-log.server";
import { requireAdmin } from "~/server/auth.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdmin(request, context);
  const filter = normalizeAuditFilter(new URL(request.url).searchParams);
  const [result, actions] = await Promise.all([
    listAuditEntries(context.db, filter),
    auditActions(context.db),
  ]);
  return { filter, actions, pageSize: PAGE_SIZE, ...result };
}

export const meta: MetaFunction = ({ matches }) => [
  { title: pageTitle(matches, "manage.audit.title") },
];

function detailsText(details: Record<string, unknown>): string {
  const entries = Object.entries(details);
  if (entries.length === 0) return "";
  return entries
    .map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join("; ");
}

export default function AuditLog() {
  const { filter, actions, rows, total, page, pages, pageSize } = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const families = [...new Set(actions.map((a) => a.split(".")[0] + "."))];
  const pageHref = (p: number) => {
    const params = new URLSearchParams();
    for (const key of ["action", "user", "from", "to"] as const)
      if (filter[key]) params.set(key, filter[key]!);
    params.set("page", String(p));
    return `?${params}`;
  };
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  return (
    <div className="container">
      <h1>{t("manage.audit.title")}</h1>
      <p className="lead">{t("manage.audit.intro")}</p>
      <Form method="get" className="inline-form" aria-labelledby="audit-filter-heading">
        <h2 id="audit-filter-heading" className="visually-hidden">
          {t("manage.audit.filters")}
        </h2>
        <div className="inline-form__fields">
          <div className="field">
            <label htmlFor="audit-action">{t("manage.audit.action")}</label>
            <select id="audit-action" name="action" defaultValue={filter.action ?? ""}>
              <option value="">{t("manage.audit.anyAction")}</option>
              {families.map((f) => (
                <option key={f} value={f}>
                  {f}*
                </option>
              ))}
              {actions.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="audit-user">{t("manage.audit.user")}</label>
            <input type="search" id="audit-user" name="user" defaultValue={filter.user ?? ""} />
          </div>
          <div className="field">
            <label htmlFor="audit-from">{t("manage.audit.from")}</label>
            <input type="date" id="audit-from" name="from" defaultValue={filter.from ?? ""} />
          </div>
          <div className="field">
            <label htmlFor="audit-to">{t("manage.audit.to")}</label>
            <input type="date" id="audit-to" name="to" defaultValue={filter.to ?? ""} />
          </div>
          <button type="submit" className="secondary">
            {t("manage.audit.apply")}
          </button>
          <Link to="/staff/audit">{t("manage.audit.clear")}</Link>
        </div>
      </Form>
      {rows.length === 0 ? (
        <p>{t("manage.audit.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table className="audit">
            <caption>{t("manage.audit.caption", { first, last, total })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("manage.audit.when")}</th>
                <th scope="col">{t("manage.audit.who")}</th>
                <th scope="col">{t("manage.audit.what")}</th>
                <th scope="col">{t("manage.audit.target")}</th>
                <th scope="col">{t("manage.audit.details")}</th>
                <th scope="col">{t("manage.audit.ip")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td>
                    <time dateTime={isoOf(r.at)}>{formatDateTime(r.at, locale)}</time>
                  </td>
                  <td>{r.actor}</td>
                  <th scope="row">
                    <code>{r.action}</code>
                  </th>
                  <td>{r.targetType ? `${r.targetType} ${r.targetId ?? ""}` : ""}</td>
                  <td className="audit__details">{detailsText(r.details)}</td>
                  <td>{r.ip}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pages > 1 ? (
        <nav aria-label={t("manage.audit.pagination")} className="pager">
          {page > 1 ? (
            <Link to={pageHref(page - 1)} rel="prev">
              {t("manage.audit.previous")}
            </Link>
          ) : null}
          <span>{t("manage.audit.page", { page, pages })}</span>
          {page < pages ? (
            <Link to={pageHref(page + 1)} rel="next">
              {t("manage.audit.next")}
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
