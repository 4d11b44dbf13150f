import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useFormatters } from "~/components/dashboard/format";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { programmeTypeKey, RegisterNav } from "~/components/register/views";
import { resolveLocale } from "~/i18n/locale.server";
import { pageTitle } from "~/i18n/meta";
import { requireUser } from "~/server/auth.server";
import { inLocale } from "~/i18n/in-locale";
import { listProgrammes } from "~/server/programmes.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { locale } = await resolveLocale(request);
  const notice = new URL(request.url).searchParams.get("notice") === "saved";
  return {
    programmes: inLocale(await listProgrammes(context.db), locale),
    admin: user.role === "admin",
    notice,
  };
}

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "register.programmes.title") }];

export default function ProgrammesPage() {
  const { programmes, admin, notice } = useLoaderData<typeof loader>();
  const f = useFormatters(1);
  const { t } = f;
  return (
    <div className="container">
      <h1>{t("register.programmes.title")}</h1>
      <RegisterNav />
      <p className="lead">{t("register.programmes.intro")}</p>
      {notice ? (
        <p className="notice notice--ok" role="status">
          {t("register.programmes.saved")}
        </p>
      ) : null}
      {admin ? (
        <p>
          <Link to="/staff/programmes/new" className="button">
            {t("register.programmes.add")}
          </Link>
        </p>
      ) : null}
      <div className="table-wrap">
        <table className="programmes-table">
          <caption>{t("register.programmes.caption", { count: programmes.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("register.programmes.name")}</th>
              <th scope="col">{t("register.programmes.funder")}</th>
              <th scope="col">{t("register.programmes.countries")}</th>
              <th scope="col">{t("register.programmes.type")}</th>
              <th scope="col">{t("register.programmes.status")}</th>
              <th scope="col">{t("register.programmes.deadline")}</th>
            </tr>
          </thead>
          <tbody>
            {programmes.map((p) => (
              <tr key={p.code}>
                <th scope="row">
                  <Link to={`/staff/programmes/${p.code}`}>{f.text(p.name, p.code)}</Link>
                </th>
                <td>{f.text(p.funder)}</td>
                <td>{p.countries.join(", ")}</td>
                <td>{t(programmeTypeKey(p.type))}</td>
                <td>{t(`register.programmeStatuses.${p.status}`)}</td>
                <td>{p.nextDeadline ? f.date(p.nextDeadline) : t("register.programmes.noDeadline")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
