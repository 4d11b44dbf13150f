import { useEffect, useMemo, useState } from "react";
import { localized, type Translate } from "~/i18n/translate";
import { useI18n } from "~/i18n/react";
import { SHOWN_DIGITS } from "~/server/dashboards/precision";
import type { MeanStat, Shown } from "~/server/dashboards/views";

/** False during the server render and the first client render, true after hydration. */
export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

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

/** Number and label formatting in the reader's language, with the suppression wording. */
export function useFormatters(minCell: number): Formatters {
  const { locale, t } = useI18n();
  return useMemo(() => formatters(locale, t, minCell), [locale, t, minCell]);
}

/** The formatters of `useFormatters`, for a given language and translate function. */
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

/** The number a chart plots for a count: suppressed and withheld cells plot nothing. */
export function plotted(value: Shown): number | null {
  return typeof value === "number" ? value : null;
}

/** Whether a count is hidden (for styling the cell). */
export function isHidden(value: Shown): boolean {
  return typeof value !== "number";
}

/** The catalog key of a country group's name ("other" is stored as `others`: `other` marks plural forms). */
export function countryGroupKey(group: string, long = false) {
  const key = group === "other" ? "others" : (group as "eu" | "ru");
  return long
    ? (`dashboard.countryGroupsLong.${key}` as const)
    : (`dashboard.countryGroups.${key}` as const);
}

export function textKindKey(kind: "long_text" | "other" | "need") {
  return `dashboard.texts.kinds.${kind === "other" ? "otherAnswer" : kind}` as const;
}
