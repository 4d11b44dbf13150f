import { localized, type Translate } from "~/i18n/translate";
import { SHOWN_DIGITS } from "./precision";
import type { FilterChoices, MeanStat, ResponseFilters, Shown } from "./views";

/**
 * Number, count and label formatting in a reader's language, with the suppression wording: one
 * set for the pages (through `useFormatters`) and for what the server writes itself (the
 * report's generated summary, its Word download).
 */

export interface Formatters {
  locale: string;
  t: Translate;
  minCell: number;
  /** A count, or "fewer than N" / "withheld". */
  count: (value: Shown) => string;
  /** A share 0–1 as a percentage with one decimal; "–" when the count is not shown. */
  share: (value: number | null) => string;
  /** A decimal with `digits` fraction digits; "–" for null. */
  num: (value: number | null | undefined, digits?: number) => string;
  /** "lower – upper" (with "n < 10" for a small sample), or "–". */
  ci: (stat: MeanStat | null, digits?: number) => string;
  text: (text: Record<string, string> | undefined | null, fallback?: string) => string;
  country: (code: string | null) => string;
  date: (value: string | Date) => string;
}

const DASH = "–";

/** Number and label formatters for a given language and translate function (pages get them from `useFormatters`). */
export function formatters(locale: string, t: Translate, minCell: number): Formatters {
  const numberFormats = new Map<number, Intl.NumberFormat>();
  const nf = (digits: number) => {
    let f = numberFormats.get(digits);
    if (!f) {
      f = new Intl.NumberFormat(locale, {
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      });
      numberFormats.set(digits, f);
    }
    return f;
  };
  const percent = new Intl.NumberFormat(locale, {
    style: "percent",
    minimumFractionDigits: SHOWN_DIGITS.share - 2,
    maximumFractionDigits: SHOWN_DIGITS.share - 2,
  });
  let regions: Intl.DisplayNames | null = null;
  try {
    regions = new Intl.DisplayNames([locale], { type: "region" });
  } catch {
    regions = null;
  }
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" });
  return {
    locale,
    t,
    minCell,
    count: (value) =>
      value === "suppressed"
        ? t("dashboard.suppression.fewerThan", { min: minCell })
        : value === "withheld"
          ? t("dashboard.suppression.withheld")
          : nf(0).format(value),
    share: (value) => (value === null ? DASH : percent.format(value)),
    num: (value, digits = SHOWN_DIGITS.mean) =>
      value === null || value === undefined ? DASH : nf(digits).format(value),
    ci: (stat, digits = SHOWN_DIGITS.mean) =>
      stat && stat.ciLower !== null && stat.ciUpper !== null
        ? `${nf(digits).format(stat.ciLower)} – ${nf(digits).format(stat.ciUpper)}${
            stat.small ? ` (${t("dashboard.ci.small")})` : ""
          }`
        : DASH,
    text: (text, fallback = "") => localized(text, locale) || fallback,
    country: (code) => (code ? (regions?.of(code) ?? code) : t("dashboard.profile.unknown")),
    date: (value) =>
      dates.format(typeof value === "string" ? new Date(`${value.slice(0, 10)}T00:00:00Z`) : value),
  };
}

/** The catalog key of a country group's name ("other" is stored as `others`: `other` marks plural forms). */
export function countryGroupKey(group: string, long = false) {
  const key = group === "other" ? "others" : (group as "eu" | "ru");
  return long
    ? (`dashboard.countryGroupsLong.${key}` as const)
    : (`dashboard.countryGroups.${key}` as const);
}

/** The fraction digits a bin bound is written with: as many as it has, at most 3. */
function digitsOf(value: number | null): number {
  if (value === null || Number.isInteger(value)) return 0;
  const text = String(value);
  return Math.min(3, text.length - text.indexOf(".") - 1);
}

/** The label of a number question's bin ("below 20 %", "20 to under 40 %", "80 % or more"). */
export function numberBinLabel(
  f: Formatters,
  b: { lower: number | null; upper: number | null },
  unit = "",
): string {
  const { t } = f;
  return b.lower === null && b.upper !== null
    ? t("dashboard.distributions.below", { value: f.num(b.upper, digitsOf(b.upper)) + unit })
    : b.upper === null && b.lower !== null
      ? t("dashboard.distributions.above", { value: f.num(b.lower, digitsOf(b.lower)) + unit })
      : t("dashboard.distributions.range", {
          from: f.num(b.lower, digitsOf(b.lower)),
          to: f.num(b.upper, digitsOf(b.upper)) + unit,
        });
}

/** A human summary of the active filters ("respondents from: EU; sector: Business…"). */
export function describeFilters(
  filters: ResponseFilters,
  choices: FilterChoices | null,
  f: Formatters,
): string {
  const { t } = f;
  const parts: string[] = [];
  if (filters.countryGroup)
    parts.push(
      `${t("dashboard.filters.params.country_group")}: ${t(countryGroupKey(filters.countryGroup))}`,
    );
  if (filters.country)
    parts.push(`${t("dashboard.filters.params.country")}: ${f.country(filters.country)}`);
  if (filters.orgType) {
    const label = choices?.orgTypes.find((o) => o.code === filters.orgType)?.label;
    parts.push(`${t("dashboard.filters.params.org_type")}: ${f.text(label, filters.orgType)}`);
  }
  if (filters.sector) {
    const label = choices?.sectors.find((o) => o.code === filters.sector)?.label;
    parts.push(`${t("dashboard.filters.params.sector")}: ${f.text(label, filters.sector)}`);
  }
  if (filters.from) parts.push(`${t("dashboard.filters.params.from")}: ${f.date(filters.from)}`);
  if (filters.to) parts.push(`${t("dashboard.filters.params.to")}: ${f.date(filters.to)}`);
  if (filters.horizon)
    parts.push(
      `${t("dashboard.filters.params.horizon")}: ${t(`dashboard.horizonsShort.${filters.horizon}`)}`,
    );
  return parts.join("; ");
}
