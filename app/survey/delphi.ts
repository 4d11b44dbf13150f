import { HORIZONS, type Horizon, RATING_MAX, RATING_MIN } from "./constants";
import type { LocalizedText } from "./primitives";
import type { Question } from "./question-types";

/**
 * The items a Delphi round can re-rate, by stable id (plain: no zod, importable by pages):
 *
 * | question type | item id                                   | rating                         |
 * |---------------|-------------------------------------------|--------------------------------|
 * | scale         | `<key>`                                   | the scale's points             |
 * | matrix        | `<key>.<row>`                             | the matrix's scale             |
 * | Borich        | `<key>.<statement>.importance` / `.current` | 1–5                          |
 * | need list     | `<key>.<category>.<horizon>.urgency` / `.importance` | 1–5; a round-1 rating is the respondent's mean over their needs of that category and horizon |
 */

/** A survey's consensus rule (docs/statistics.md, "Delphi rounds"). */
export interface ConsensusRule {
  /** Largest interquartile range that counts as consensus. */
  maxIqr: number;
  /** Smallest share (0–1) of ratings within ±1 of the median that counts as consensus. */
  minWithin: number;
}

/** IQR ≤ 1 and at least 70 % within ±1 of the median (docs/statistics.md). */
export const DEFAULT_CONSENSUS_RULE: ConsensusRule = { maxIqr: 1, minWithin: 0.7 };

export type DelphiDimension = "importance" | "current" | "urgency";

export interface DelphiItem {
  id: string;
  questionKey: string;
  kind: "scale" | "matrix" | "borich" | "need";
  question: LocalizedText;
  /** Row, statement or need category, when the item is a part of its question. */
  part: { code: string; label: LocalizedText } | null;
  dimension: DelphiDimension | null;
  horizon: Horizon | null;
  min: number;
  max: number;
  minLabel: LocalizedText | null;
  maxLabel: LocalizedText | null;
}

export const DELPHI_REASONS = ["required", "optional", "off"] as const;
export type DelphiReasonMode = (typeof DELPHI_REASONS)[number];
export const DELPHI_PARTICIPANTS = ["previous", "invited"] as const;
export type DelphiParticipantMode = (typeof DELPHI_PARTICIPANTS)[number];

/** Longest reason a participant may give for a rating outside the panel's IQR. */
export const DELPHI_REASON_MAX_LENGTH = 1000;

/** The `delphi` key of a questionnaire (docs/survey-format.md), as stored in a definition. */
export interface DelphiSettings {
  consensus?: Partial<ConsensusRule>;
  reasons?: DelphiReasonMode;
  rounds?: DelphiRoundDeclaration[];
}

export interface DelphiRoundDeclaration {
  round: number;
  items: string[];
  opensAt: string;
  closesAt?: string;
  participants: DelphiParticipantMode;
  newcomers: boolean;
  reasons?: DelphiReasonMode;
}

function itemsOf(q: Question): DelphiItem[] {
  const base = { questionKey: q.key, question: q.label, horizon: null, dimension: null };
  switch (q.type) {
    case "scale":
      return [
        {
          ...base,
          id: q.key,
          kind: "scale",
          part: null,
          min: q.min,
          max: q.max,
          minLabel: q.minLabel ?? null,
          maxLabel: q.maxLabel ?? null,
        },
      ];
    case "matrix":
      return q.rows.map((row) => ({
        ...base,
        id: `${q.key}.${row.code}`,
        kind: "matrix" as const,
        part: { code: row.code, label: row.label },
        min: q.scale.min,
        max: q.scale.max,
        minLabel: q.scale.minLabel ?? null,
        maxLabel: q.scale.maxLabel ?? null,
      }));
    case "borich":
      return q.statements.flatMap((s) =>
        (["importance", "current"] as const).map((dimension) => ({
          ...base,
          id: `${q.key}.${s.code}.${dimension}`,
          kind: "borich" as const,
          part: { code: s.code, label: s.label },
          dimension,
          min: RATING_MIN,
          max: RATING_MAX,
          minLabel: null,
          maxLabel: null,
        })),
      );
    case "need_list":
      return q.categories.flatMap((c) =>
        HORIZONS.flatMap((horizon) =>
          (["urgency", "importance"] as const).map((dimension) => ({
            ...base,
            id: `${q.key}.${c.code}.${horizon}.${dimension}`,
            kind: "need" as const,
            part: { code: c.code, label: c.label },
            dimension,
            horizon,
            min: RATING_MIN,
            max: RATING_MAX,
            minLabel: null,
            maxLabel: null,
          })),
        ),
      );
    default:
      return [];
  }
}

/** Every item of the survey that a round can re-rate, in questionnaire order. */
export function delphiItems(def: {
  pages: ReadonlyArray<{ questions: Question[] }>;
}): DelphiItem[] {
  return def.pages.flatMap((page) => page.questions).flatMap(itemsOf);
}

/** The survey's consensus rule: its `delphi.consensus`, else the default. */
export function consensusRuleOf(def: { delphi?: DelphiSettings }): ConsensusRule {
  return { ...DEFAULT_CONSENSUS_RULE, ...def.delphi?.consensus };
}

/** The possible ratings of an item, lowest first. */
export function ratingPoints(item: Pick<DelphiItem, "min" | "max">): number[] {
  const points: number[] = [];
  for (let v = item.min; v <= item.max; v++) points.push(v);
  return points;
}

/** Form field names of a round's page: one rating and one reason per item. */
export function delphiField(itemId: string, field: "rating" | "reason"): string {
  return `${field}:${itemId}`;
}
