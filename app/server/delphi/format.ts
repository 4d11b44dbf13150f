import { localized, type Translate } from "~/i18n/translate";
import type { ConsensusStatus } from "~/survey/consensus";
import type { ItemLabel, RoundFiguresView } from "./view";

/**
 * How the Delphi figures are written, in the reader's language: one set for the pages (through
 * app/components/delphi/format.ts) and for what the server writes itself (the report's Word
 * download).
 */

/** The order in which the consensus section lists its items, by status. */
export const CONSENSUS_STATUS_ORDER: readonly ConsensusStatus[] = [
  "consensus",
  "converging",
  "diverging",
  "stable",
  "first_round",
];

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

/** A round's opening or closing time (UTC), or "–". */
export function formatRoundDate(iso: string | null, locale: string): string {
  if (!iso) return "–";
  return new Intl.DateTimeFormat(locale, {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: "UTC",
  }).format(new Date(iso));
}

/** The Wilcoxon signed-rank p-value of a round against the previous one, with its method. */
export function formatPValue(r: RoundFiguresView, locale: string, t: Translate): string {
  if (!r.stability || r.stability.p === null) return "–";
  const method =
    r.stability.method === "exact" ? t("delphi.consensus.exact") : t("delphi.consensus.normal");
  return `${new Intl.NumberFormat(locale, { maximumSignificantDigits: 3 }).format(r.stability.p)} (${method})`;
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
