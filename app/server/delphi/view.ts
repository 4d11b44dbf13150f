import type { ConsensusStatus } from "~/survey/consensus";
import type { DelphiDimension, DelphiReasonMode } from "~/survey/delphi";
import type { Horizon } from "~/survey/constants";
import type { LocalizedText } from "~/survey/primitives";

/**
 * The plain view objects of Delphi rounds that components render (no I/O, importable by
 * components): the consensus section of a survey and the feedback a participant sees.
 */

/** What names an item on a page: its question, and the row, statement or category. */
export interface ItemLabel {
  id: string;
  question: LocalizedText;
  part: LocalizedText | null;
  dimension: DelphiDimension | null;
  horizon: Horizon | null;
}

/** The figures of one item in one round; `shown` false when fewer than MIN_CELL_SIZE rated it. */
export interface RoundFiguresView {
  round: number;
  n: number;
  shown: boolean;
  median: number | null;
  q1: number | null;
  q3: number | null;
  iqr: number | null;
  within: number | null;
  consensus: boolean;
  /** Against the item's previous round; null in the item's first round. */
  stability: {
    pairs: number;
    changed: number | null;
    iqrChange: number | null;
    wPlus: number;
    wMinus: number;
    p: number | null;
    method: "exact" | "normal" | "none";
  } | null;
}

export interface ConsensusItemView {
  item: ItemLabel;
  status: ConsensusStatus;
  rounds: RoundFiguresView[];
  /** Reasons given in the item's latest round (empty when withheld: see `reasonsWithheld`). */
  reasons: Array<{ round: number; text: string; newcomer: boolean }>;
}

export interface RoundSummaryView {
  round: number;
  opensAt: string;
  closesAt: string | null;
  participants: "previous" | "invited";
  newcomers: boolean;
  reasons: DelphiReasonMode;
  items: number;
  /** Participants who submitted the round (round 1: submitted responses). */
  submitted: number;
  newcomersJoined: number;
  open: boolean;
}

export interface ConsensusView {
  minCell: number;
  rule: { maxIqr: number; minWithin: number };
  rounds: RoundSummaryView[];
  items: ConsensusItemView[];
  /** Reasons are not shown while the latest round has fewer than MIN_CELL_SIZE participants. */
  reasonsWithheld: boolean;
}

/** What a participant sees beside one item of a round. */
export interface ItemFeedbackView {
  item: ItemLabel;
  previousRound: number;
  /** The panel's previous-round figures; null when fewer than MIN_CELL_SIZE rated it. */
  panel: {
    n: number;
    median: number;
    q1: number;
    q3: number;
    distribution: Array<{ value: number; count: number }>;
  } | null;
  /** Fewer than MIN_CELL_SIZE rated the item in the previous round. */
  fewerThan: number | null;
  own: number | null;
  min: number;
  max: number;
  minLabel: LocalizedText | null;
  maxLabel: LocalizedText | null;
}
