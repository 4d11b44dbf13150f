import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";
import type {
  FilterChoices,
  RejectedFilter,
  ResponseFilters,
  SurveyChoice,
} from "~/server/dashboards/views";
import { COUNTRY_GROUPS } from "~/survey/countries";
import { HORIZONS } from "~/survey/constants";
import { countryGroupKey, describeFilters, type Formatters } from "./format";

export { describeFilters };

/** The filter values of the address that were not applied, and why. */
function IgnoredFilters({ ignored, f }: { ignored: RejectedFilter[]; f: Formatters }) {
  const { t } = f;
  const range = ignored.some((i) => i.reason === "range");
  if (!ignored.length) return null;
  return (
    <ul className="notice notice--warn filter-ignored">
      {ignored
        .filter((i) => i.reason === "invalid")
        .map((i) => (
          <li key={i.param}>
            {t("dashboard.filters.ignored", {
              value: i.value,
              param: t(`dashboard.filters.params.${i.param}`),
            })}
          </li>
        ))}
      {range ? <li>{t("dashboard.filters.ignoredRange")}</li> : null}
    </ul>
  );
}

export function FilterSummary({
  filters,
  ignored,
  choices,
  f,
}: {
  filters: ResponseFilters;
  ignored: RejectedFilter[];
  choices: FilterChoices | null;
  f: Formatters;
}) {
  const { t } = f;
  const summary = describeFilters(filters, choices, f);
  return (
    <>
      <p className="filter-summary">
        {summary
          ? t("dashboard.filters.active", { filters: summary })
          : t("dashboard.filters.none")}
      </p>
      <IgnoredFilters ignored={ignored} f={f} />
    </>
  );
}

/**
 * The filters as a GET form: works without JavaScript, and the resulting address is the view
 * to share. `surveys` adds the survey selector; `hidden` keeps other parameters.
 */
export function FilterForm({
  action,
  filters,
  choices,
  surveys,
  survey,
  hidden,
  f,
  idPrefix = "filter",
}: {
  action: string;
  filters: ResponseFilters;
  choices: FilterChoices;
  surveys?: SurveyChoice[];
  survey?: string;
  hidden?: Record<string, string | undefined>;
  f: Formatters;
  idPrefix?: string;
}) {
  const { t } = f;
  const id = (name: string) => `${idPrefix}-${name}`;
  return (
    <Form
      method="get"
      action={action}
      className="filter-form no-print"
      aria-labelledby={id("legend")}
    >
      <h2 id={id("legend")} className="filter-form__title">
        {t("dashboard.filters.legend")}
      </h2>
      <p className="hint" id={id("intro")}>
        {t("dashboard.filters.intro")} {t("dashboard.filters.countriesNote", { min: f.minCell })}
      </p>
      {Object.entries(hidden ?? {}).map(([name, value]) =>
        value ? <input key={name} type="hidden" name={name} value={value} /> : null,
      )}
      <div className="filter-form__grid">
        {surveys && surveys.length > 1 ? (
          <div className="field">
            <label htmlFor={id("survey")}>{t("dashboard.surveyLabel")}</label>
            <select id={id("survey")} name="survey" defaultValue={survey}>
              {surveys.map((s) => (
                <option key={s.slug} value={s.slug}>
                  {f.text(s.title, s.slug)} ({t(`dashboard.surveyStatus.${s.status}`)})
                </option>
              ))}
            </select>
          </div>
        ) : survey ? (
          <input type="hidden" name="survey" value={survey} />
        ) : null}
        <div className="field">
          <label htmlFor={id("country-group")}>{t("dashboard.filters.countryGroup")}</label>
          <select
            id={id("country-group")}
            name="country_group"
            defaultValue={filters.countryGroup ?? ""}
          >
            <option value="">{t("dashboard.filters.all")}</option>
            {COUNTRY_GROUPS.map((g) => (
              <option key={g} value={g}>
                {t(countryGroupKey(g, true))}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={id("country")}>{t("dashboard.filters.country")}</label>
          <select id={id("country")} name="country" defaultValue={filters.country ?? ""}>
            <option value="">{t("dashboard.filters.all")}</option>
            {[...new Set([...choices.countries, ...(filters.country ? [filters.country] : [])])]
              .map((code) => ({ code, name: f.country(code) }))
              .sort((a, b) => a.name.localeCompare(b.name, f.locale))
              .map((c) => (
                <option key={c.code} value={c.code}>
                  {c.name}
                </option>
              ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={id("org-type")}>{t("dashboard.filters.orgType")}</label>
          <select id={id("org-type")} name="org_type" defaultValue={filters.orgType ?? ""}>
            <option value="">{t("dashboard.filters.all")}</option>
            {choices.orgTypes.map((o) => (
              <option key={o.code} value={o.code}>
                {f.text(o.label, o.code)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={id("sector")}>{t("dashboard.filters.sector")}</label>
          <select id={id("sector")} name="sector" defaultValue={filters.sector ?? ""}>
            <option value="">{t("dashboard.filters.all")}</option>
            {choices.sectors.map((o) => (
              <option key={o.code} value={o.code}>
                {f.text(o.label, o.code)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={id("from")}>{t("dashboard.filters.from")}</label>
          <input type="date" id={id("from")} name="from" defaultValue={filters.from ?? ""} />
        </div>
        <div className="field">
          <label htmlFor={id("to")}>{t("dashboard.filters.to")}</label>
          <input type="date" id={id("to")} name="to" defaultValue={filters.to ?? ""} />
        </div>
        <div className="field">
          <label htmlFor={id("horizon")}>{t("dashboard.filters.horizon")}</label>
          <select
            id={id("horizon")}
            name="horizon"
            defaultValue={filters.horizon ?? ""}
            aria-describedby={id("horizon-hint")}
          >
            <option value="">{t("dashboard.filters.bothHorizons")}</option>
            {HORIZONS.map((h) => (
              <option key={h} value={h}>
                {t(`dashboard.horizons.${h}`)}
              </option>
            ))}
          </select>
          <p className="hint field__hint" id={id("horizon-hint")}>
            {t("dashboard.filters.horizonHint")}
          </p>
        </div>
      </div>
      <div className="actions">
        <button type="submit">{t("dashboard.filters.apply")}</button>
        <Link to={survey ? `${action}?survey=${encodeURIComponent(survey)}` : action}>
          {t("dashboard.filters.clear")}
        </Link>
      </div>
    </Form>
  );
}

/**
 * The filters folded into one line: the view's filters summarised ("All respondents" when none)
 * and "change", which opens the form. A `<details>` element: it opens without JavaScript.
 */
export function FilterPanel({
  filters,
  ignored,
  choices,
  f,
  children,
}: {
  filters: ResponseFilters;
  ignored: RejectedFilter[];
  choices: FilterChoices | null;
  f: Formatters;
  /** The filter form. */
  children: ReactNode;
}) {
  const { t } = f;
  const summary = describeFilters(filters, choices, f);
  return (
    <>
      <details className="filter-panel no-print">
        <summary>
          <span className="filter-summary">
            {summary
              ? t("dashboard.filters.active", { filters: summary })
              : t("dashboard.filters.allRespondents")}
          </span>{" "}
          · <span className="filter-panel__change">{t("dashboard.filters.change")}</span>
        </summary>
        {children}
      </details>
      <IgnoredFilters ignored={ignored} f={f} />
    </>
  );
}
