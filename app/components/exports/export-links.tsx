import { useI18n } from "~/i18n/react";
import type { ResponseFilters } from "~/server/dashboards/views";

/** Query-string names of the filters (the same as the dashboard's, see filters.server.ts). */
const FILTER_QUERY = {
  countryGroup: "country_group",
  country: "country",
  orgType: "org_type",
  sector: "sector",
  from: "from",
  to: "to",
  horizon: "horizon",
} as const satisfies Record<keyof ResponseFilters, string>;

type Filters = { [K in keyof ResponseFilters]?: string };

export interface ExportLinksProps {
  /** Working-group slug and survey slug. */
  survey: { group: string; slug: string };
  /** The dashboard's current filters; the files cover the same responses. */
  filters?: Filters;
  /** Heading level of the section (default 2). */
  level?: 2 | 3;
}

/** The survey's export URL of `file` with the filters (and `labels`) as query parameters. */
export function exportHref(survey: ExportLinksProps["survey"], file: string, filters: Filters = {}, labels?: string): string {
  const query = new URLSearchParams();
  for (const [name, param] of Object.entries(FILTER_QUERY) as [keyof Filters, string][]) {
    const value = filters[name];
    if (value) query.set(param, value);
  }
  if (labels) query.set("labels", labels);
  const base = `/staff/groups/${encodeURIComponent(survey.group)}/surveys/${encodeURIComponent(survey.slug)}/${file}`;
  return query.size ? `${base}?${query}` : base;
}

/**
 * Download links for a survey's exports with the current filters: plain links, so they work
 * without JavaScript and can be copied as stable URLs.
 */
export function ExportLinks({ survey, filters = {}, level = 2 }: ExportLinksProps) {
  const { t } = useI18n();
  const Heading = level === 2 ? "h2" : "h3";
  const filtered = Object.keys(FILTER_QUERY).some((name) => filters[name as keyof Filters]);
  const href = (file: string, labels?: string) => exportHref(survey, file, filters, labels);
  const headingId = `exports-${survey.slug}`;
  return (
    <section className="export-links" aria-labelledby={headingId}>
      <Heading id={headingId}>{t("exports.heading")}</Heading>
      <p>{t("exports.intro")}</p>
      <p className="hint">
        {filtered ? t("exports.filtered") : t("exports.unfiltered")}
        {filters.horizon ? ` ${t("exports.horizonNote")}` : null}
      </p>
      <ul className="export-links__list">
        <li>
          <a href={href("export.xlsx")} download>
            {t("exports.links.xlsx")}
          </a>
        </li>
        <li>
          <a href={href("export.csv")} download>
            {t("exports.links.wide")}
          </a>
        </li>
        <li>
          <a href={href("export.csv", "en")} download>
            {t("exports.links.wideLabels", { language: t("exports.languages.en") })}
          </a>
        </li>
        <li>
          <a href={href("export.csv", "ru")} download>
            {t("exports.links.wideLabels", { language: t("exports.languages.ru") })}
          </a>
        </li>
        <li>
          <a href={href("export-long.csv")} download>
            {t("exports.links.long")}
          </a>
        </li>
        <li>
          <a href={href("needs.csv")} download>
            {t("exports.links.needs")}
          </a>
        </li>
        <li>
          <a href={href("tags.csv")} download>
            {t("exports.links.tags")}
          </a>
        </li>
        <li>
          <a href={href("codebook.csv")} download>
            {t("exports.links.codebook")}
          </a>
        </li>
        <li>
          <a href={href("export.json")} download>
            {t("exports.links.json")}
          </a>
        </li>
      </ul>
      <p className="hint">{t("exports.hint")}</p>
    </section>
  );
}
