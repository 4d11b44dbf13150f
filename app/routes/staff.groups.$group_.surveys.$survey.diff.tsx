import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { QuestionChanges } from "~/components/survey-admin/question-changes";
import { SurveyNav } from "~/components/survey-admin/survey-nav";
import { localized } from "~/i18n/translate";
import { pageTitle } from "~/i18n/meta";
import { useI18n } from "~/i18n/react";
import {
  diffSources,
  getVersion,
  listVersions,
  parseVersionParam,
  requireManagedSurvey,
} from "~/server/survey-admin.server";
import { questionDiff } from "~/survey/question-diff";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { group, survey } = await requireManagedSurvey(request, context, params);
  const url = new URL(request.url);
  const versions = (await listVersions(context.db, survey.id))
    .map((v) => v.version)
    .sort((a, b) => a - b);
  const current = await getVersion(context.db, survey, null);
  const to = parseVersionParam(url.searchParams.get("to")) ?? current?.version ?? null;
  const from =
    parseVersionParam(url.searchParams.get("from")) ??
    (to != null ? ([...versions].reverse().find((v) => v < to) ?? null) : null);
  const [a, b] = await Promise.all([
    from != null ? getVersion(context.db, survey, from) : null,
    to != null ? getVersion(context.db, survey, to) : null,
  ]);
  if ((url.searchParams.has("from") && !a) || (url.searchParams.has("to") && !b)) {
    throw new Response("", { status: 404, statusText: "Not Found" });
  }
  return {
    group,
    survey,
    title: current?.definition.title ?? null,
    versions,
    from: a?.version ?? null,
    to: b?.version ?? null,
    rows: a && b ? diffSources(a.sourceYaml, b.sourceYaml) : null,
    changes: a && b ? questionDiff(a.definition, b.definition) : null,
  };
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => [
  {
    title: pageTitle(matches, "manage.diff.title", { from: data?.from ?? "", to: data?.to ?? "" }),
  },
];

export default function VersionDiff() {
  const { group, survey, title, versions, from, to, rows, changes } =
    useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const base = `/staff/groups/${group.slug}/surveys/${survey.slug}`;
  const changed = rows?.some((r) => r.kind === "added" || r.kind === "removed") ?? false;
  return (
    <div className="container">
      <p className="breadcrumbs">
        <Link to={base}>{localized(title, locale) || survey.slug}</Link>
      </p>
      <h1>
        {rows
          ? t("manage.diff.title", { from: from ?? "", to: to ?? "" })
          : t("manage.versions.compareHeading")}
      </h1>
      <SurveyNav base={base} />
      <Form method="get" className="inline-form">
        <div className="inline-form__fields">
          <div className="field">
            <label htmlFor="diff-from">{t("manage.versions.from")}</label>
            <select id="diff-from" name="from" defaultValue={from ?? undefined}>
              {versions.map((v) => (
                <option key={v} value={v}>
                  {t("manage.common.versionShort", { version: v })}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="diff-to">{t("manage.versions.to")}</label>
            <select id="diff-to" name="to" defaultValue={to ?? undefined}>
              {versions.map((v) => (
                <option key={v} value={v}>
                  {t("manage.common.versionShort", { version: v })}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="secondary">
            {t("manage.versions.compare")}
          </button>
        </div>
      </Form>
      {!rows ? (
        <p>{t("manage.diff.pick")}</p>
      ) : !changed ? (
        <p className="notice">{t("manage.diff.identical")}</p>
      ) : (
        <>
          <h2 id="changes-heading">{t("builder.changes.heading")}</h2>
          <QuestionChanges changes={changes ?? []} />
          <details className="line-diff">
            <summary>{t("builder.changes.lineDiff")}</summary>
            <p className="hint">{t("manage.diff.intro", { from: from ?? "", to: to ?? "" })}</p>
            <div className="table-wrap">
              <table className="diff">
                <caption>{t("manage.diff.caption")}</caption>
                <thead>
                  <tr>
                    <th scope="col" className="num">
                      {t("manage.diff.oldLine", { version: from ?? "" })}
                    </th>
                    <th scope="col" className="num">
                      {t("manage.diff.newLine", { version: to ?? "" })}
                    </th>
                    <th scope="col">
                      <span className="visually-hidden">{t("manage.diff.change")}</span>
                    </th>
                    <th scope="col">{t("manage.diff.text")}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row, i) =>
                    row.kind === "skip" ? (
                      <tr key={i} className="diff__skip">
                        <td colSpan={4}>{t("manage.diff.skipped", { count: row.count })}</td>
                      </tr>
                    ) : (
                      <tr key={i} className={`diff__${row.kind}`}>
                        <td className="num">{row.oldLine ?? ""}</td>
                        <td className="num">{row.newLine ?? ""}</td>
                        <td className="diff__marker">
                          <span aria-hidden="true">
                            {row.kind === "added" ? "+" : row.kind === "removed" ? "−" : ""}
                          </span>
                          {row.kind !== "same" ? (
                            <span className="visually-hidden">{t(`manage.diff.${row.kind}`)}</span>
                          ) : null}
                        </td>
                        <td>
                          <pre className="diff__text">
                            {row.kind === "added" ? (
                              <ins>{row.text}</ins>
                            ) : row.kind === "removed" ? (
                              <del>{row.text}</del>
                            ) : (
                              row.text
                            )}
                          </pre>
                        </td>
                      </tr>
                    ),
                  )}
                </tbody>
              </table>
            </div>
          </details>
        </>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
