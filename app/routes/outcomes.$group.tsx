import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { useI18n } from "~/i18n/react";
import { resolveLocale } from "~/i18n/locale.server";
import { pageTitle } from "~/i18n/meta";
import { localized } from "~/i18n/translate";
import { inLocale } from "~/i18n/in-locale";
import { publicOutcome } from "~/server/needs.server";

/**
 * The public outcome page of a working group: its confirmed needs and their status, in the
 * reader's language, without personal data. Shown when one of the group's surveys chose to.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const outcome = await publicOutcome(context.db, params.group ?? "");
  if (!outcome) throw new Response("", { status: 404, statusText: "Not Found" });
  const { locale } = await resolveLocale(request);
  return inLocale(outcome, locale);
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const locale =
    (matches.find((m) => m.id === "root")?.data as { locale?: string } | undefined)?.locale ?? "en";
  return [{ title: pageTitle(matches, "outcomes.title", { group: localized(data?.group.name, locale) }) }];
};

export default function OutcomePage() {
  const { group, needs } = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const text = (v: Record<string, string> | undefined) => localized(v, locale);
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" });
  return (
    <div className="container">
      <h1>{t("outcomes.title", { group: text(group.name) || group.slug })}</h1>
      <p className="lead">{t("outcomes.intro")}</p>
      {needs.length === 0 ? (
        <p>{t("outcomes.none")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption>{t("outcomes.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("outcomes.need")}</th>
                <th scope="col">{t("outcomes.horizon")}</th>
                <th scope="col">{t("outcomes.status")}</th>
              </tr>
            </thead>
            <tbody>
              {needs.map((n, i) => (
                <tr key={i}>
                  <th scope="row">
                    {text(n.title)}
                    {text(n.description) ? (
                      <>
                        <br />
                        <span className="small">{text(n.description)}</span>
                      </>
                    ) : null}
                  </th>
                  <td>{t(`outcomes.horizons.${n.horizon}`)}</td>
                  <td>
                    {t(`outcomes.statuses.${n.status as "validated"}`)}
                    {n.statusDate
                      ? ` (${t("outcomes.since", { date: dates.format(new Date(`${n.statusDate}T00:00:00Z`)) })})`
                      : ""}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="small">{t("outcomes.privacy")}</p>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
