import { useEffect, useMemo, useState } from "react";
import { useI18n } from "~/i18n/react";
import { type Formatters, formatters } from "~/server/dashboards/format";
import type { Shown } from "~/server/dashboards/views";

/** False during the server render and the first client render, true after hydration. */
export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

export {
  countryGroupKey,
  describeFilters,
  type Formatters,
  formatters,
  numberBinLabel,
} from "~/server/dashboards/format";

/** Number and label formatting in the reader's language, with the suppression wording. */
export function useFormatters(minCell: number): Formatters {
  const { locale, t } = useI18n();
  return useMemo(() => formatters(locale, t, minCell), [locale, t, minCell]);
}

/** The number a chart plots for a count: suppressed and withheld cells plot nothing. */
export function plotted(value: Shown): number | null {
  return typeof value === "number" ? value : null;
}

/** Whether a count is hidden (for styling the cell). */
export function isHidden(value: Shown): boolean {
  return typeof value !== "number";
}

export function textKindKey(kind: "long_text" | "other" | "need") {
  return `dashboard.texts.kinds.${kind === "other" ? "otherAnswer" : kind}` as const;
}
