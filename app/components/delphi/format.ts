import type { ItemLabel } from "~/server/delphi/view";
import { localized, type Translate } from "~/i18n/translate";

/** A figure of the Delphi pages: up to two decimals, in the reader's language. */
export function formatFigure(value: number | null, locale: string): string {
  if (value === null) return "–";
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value);
}

export function formatShare(value: number | null, locale: string): string {
  if (value === null) return "–";
  return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 }).format(
    value,
  );
}

/** "Question — row (importance, short term)". */
export function itemTitle(label: ItemLabel, locale: string, t: Translate): string {
  const parts = [localized(label.question, locale)];
  if (label.part) parts.push(localized(label.part, locale));
  const qualifiers = [
    label.dimension ? t(`delphi.dimension.${label.dimension}`) : null,
    label.horizon ? t(`delphi.horizon.${label.horizon}`) : null,
  ].filter((q): q is string => q !== null);
  const title = parts.join(" — ");
  return qualifiers.length > 0 ? `${title} (${qualifiers.join(", ")})` : title;
}
