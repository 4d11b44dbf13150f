import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { SurveyNav } from "~/components/survey-admin/survey-nav";
import { StaleTranslations } from "~/components/survey-admin/question-changes";
import { countryOptions, SurveyPreviewPage } from "~/components/survey-admin/survey-preview";
import { LANGUAGE_NAMES, LOCALES, localized } from "~/i18n/translate";
import { resolveLocale } from "~/i18n/locale.server";
import { pageTitle } from "~/i18n/meta";
import { useI18n } from "~/i18n/react";
import {
  getVersion,
  listVersions,
  parseVersionParam,
  requireManagedSurvey,
} from "~/server/survey-admin.server";
import { localize } from "~/survey/locale";
import { staleTexts } from "~/survey/translations";

/**
 * GET …/preview?version=&lang=&page=: a version's pages as a respondent sees them, in the
 * language chosen with `lang` (the site's language switch). Read-only: nothing is posted or
 * stored.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { group, survey } = await requireManagedSurvey(request, context, params);
  const url = new URL(request.url);
  const requested = parseVersionParam(url.searchParams.get("version"));
  if (url.searchParams.has("version") && requested == null)
    throw new Response("", { status: 404, statusText: "Not Found" });
  const [version, versions, { locale }] = await Promise.all([
    getVersion(context.db, survey, requested),
    listVersions(context.db, survey.id),
    resolveLocale(request),
  ]);
  if (requested != null && !version)
    throw new Response("", { status: 404, statusText: "Not Found" });
  const pageCount = version?.definition.pages.length ?? 0;
  const raw = Number.parseInt(url.searchParams.get("page") ?? "1", 10);
  const page = Number.isFinite(raw) ? Math.min(Math.max(raw, 1), Math.max(pageCount, 1)) : 1;
  return {
    group,
    survey,
    lang: locale,
    version: version ? { number: version.version, definition: version.definition } : null,
    versions: versions.map((v) => v.version),
    page,
    countries: countryOptions(locale),
  };
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => [
  {
    title: pageTitle(matches, "manage.preview.title", {
      title:
        localized(data?.version?.definition.title, data?.lang ?? "en") || (data?.survey.slug ?? ""),
    }),
  },
];

export default function SurveyPreview() {
  const { group, survey, lang, version, versions, page, countries } =
    useLoaderData<typeof loader>();
  const { t } = useI18n();
  const base = `/staff/groups/${group.slug}/surveys/${survey.slug}`;
  if (!version) {
    return (
      <div className="container">
        <h1>{survey.slug}</h1>
        <SurveyNav base={base} />
        <p className="notice">{t("manage.preview.noVersion")}</p>
      </div>
    );
  }
  const def = version.definition;
  const pages = def.pages;
  const current = pages[page - 1];
  const href = (p: number, l: string = lang) =>
    `${base}/preview?version=${version.number}&lang=${l}&page=${p}`;
  return (
    <div className="container">
      <p className="breadcrumbs">
        <Link to={base}>{localize(def.title, lang)}</Link>
      </p>
      <h1>{t("manage.preview.title", { title: localize(def.title, lang) })}</h1>
      <SurveyNav base={base} />
      <p className="notice notice--warn preview-banner" role="note">
        {t("manage.preview.banner", { version: version.number })}
      </p>
      <StaleTranslations stale={staleTexts(def).filter((s) => s.target === lang)} />
      <div className="preview-controls">
        <nav aria-label={t("manage.preview.language")}>
          <ul className="inline-list">
            {LOCALES.map((l) => (
              <li key={l}>
                {l === lang ? (
                  <span aria-current="true" lang={l}>
                    {LANGUAGE_NAMES[l]}
                  </span>
                ) : (
                  <Link to={href(page, l)} lang={l} hrefLang={l}>
                    {LANGUAGE_NAMES[l]}
                  </Link>
                )}
              </li>
            ))}
          </ul>
        </nav>
        {versions.length > 1 ? (
          <Form method="get" className="inline-form">
            <input type="hidden" name="lang" value={lang} />
            <div className="inline-form__fields">
              <div className="field">
                <label htmlFor="preview-version">{t("manage.preview.version")}</label>
                <select id="preview-version" name="version" defaultValue={version.number}>
                  {versions.map((v) => (
                    <option key={v} value={v}>
                      {t("manage.common.versionShort", { version: v })}
                    </option>
                  ))}
                </select>
              </div>
              <button type="submit" className="secondary">
                {t("manage.preview.show")}
              </button>
            </div>
          </Form>
        ) : null}
      </div>

      <article className="preview card" lang={lang}>
        {page === 1 ? (
          <header className="preview-intro">
            <p className="preview-survey-title">{localize(def.title, lang)}</p>
            {def.estimatedMinutes ? (
              <p className="meta">{t("manage.preview.minutes", { count: def.estimatedMinutes })}</p>
            ) : null}
            {def.introduction ? <p>{localize(def.introduction, lang)}</p> : null}
          </header>
        ) : null}
        <p className="meta">{t("manage.preview.pageOf", { page, total: pages.length })}</p>
        <progress
          max={pages.length}
          value={page}
          aria-label={t("manage.preview.pageOf", { page, total: pages.length })}
        />
        {current ? (
          <SurveyPreviewPage
            def={def}
            page={current}
            lang={lang}
            countries={countries}
            hidden={{ version: String(version.number), lang, page: String(page) }}
          />
        ) : null}
        <nav aria-label={t("manage.preview.pager")} className="preview-pager">
          {page > 1 ? (
            <Link to={href(page - 1)} className="button button--secondary" rel="prev">
              {t("manage.preview.previous")}
            </Link>
          ) : null}
          {page < pages.length ? (
            <Link to={href(page + 1)} className="button" rel="next">
              {t("manage.preview.next")}
            </Link>
          ) : null}
        </nav>
        <nav aria-label={t("manage.preview.pages")} className="preview-pages">
          <ol>
            {pages.map((p, i) => (
              <li key={p.key}>
                {i + 1 === page ? (
                  <span aria-current="page">{localize(p.title, lang)}</span>
                ) : (
                  <Link to={href(i + 1)}>{localize(p.title, lang)}</Link>
                )}
              </li>
            ))}
          </ol>
        </nav>
      </article>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
