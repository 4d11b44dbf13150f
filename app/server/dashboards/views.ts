import type { LocalizedText, SurveyStatus } from "#db/schema";
import type { Horizon } from "~/survey/constants";
import type { CountryGroup } from "~/survey/countries";
import type { QuestionSummary } from "~/survey/question-type";
import type { AggregationKind, QuestionType } from "~/survey/registry";
import type { IpaQuadrant, LocusQuadrant } from "~/survey/scoring";
import type { ResponseFilters } from "../filters.server";

/**
 * The figures of the dashboards as pages receive them: the types that components may import
 * (this module holds no code, and nothing here is a `.server` module).
 */

/**
 * A count as it may be shown: the number, `"suppressed"` for 1 to N−1 respondents, or
 * `"withheld"` for a cell hidden only so that a suppressed neighbour cannot be worked out
 * from the total (secondary suppression).
 */
export type Shown = number | "suppressed" | "withheld";

/** A mean with its spread and 95 % confidence interval (docs/statistics.md). */
export interface MeanStat {
  n: number;
  mean: number;
  sd: number | null;
  /** The CI's bounds, cut to the possible range of the values. */
  ciLower: number | null;
  ciUpper: number | null;
  /** n below SMALL_SAMPLE (10): the CI is rough, and the page says so. */
  small: boolean;
}

export interface CodeLabel {
  code: string;
  label: LocalizedText;
  /** A need category's shared category in the need taxonomy, when it is not one itself. */
  parent?: string;
}

/** A question as the dashboards aggregate it, merged across the survey's versions. */
export interface DashboardQuestion {
  key: string;
  type: QuestionType;
  /** How the question's type says it is aggregated and shown (its registry entry). */
  aggregation: AggregationKind;
  label: LocalizedText;
  /**
   * The versions whose answer rows count, when the key had another type in some version
   * (the rows of those versions mean something else); null when every version agrees.
   */
  versionIds: number[] | null;
  /** Options, rows, items, statements or categories, current version first, then codes only older versions had. */
  codes: CodeLabel[];
  /** Scale range of a scale or matrix question. */
  scale?: { min: number; max: number; minLabel?: LocalizedText; maxLabel?: LocalizedText };
  number?: { min?: number; max?: number; integer: boolean; unit?: LocalizedText };
  /** A multiple choice with "other, please specify". */
  other?: boolean;
  /** The free text its answers are (see `QuestionSummary`). */
  freeText?: QuestionSummary["freeText"];
  /** Its codes are country codes, shown as country names. */
  countries?: boolean;
  /** False for a question that only earlier versions had. */
  inCurrentVersion: boolean;
}

export interface DashboardSurvey {
  id: number;
  slug: string;
  status: SurveyStatus;
  title: LocalizedText;
  group: { id: number; slug: string; name: LocalizedText };
  versionCount: number;
  /** Ids of the survey's versions (part of the cache key: a new version changes the questions). */
  versionIds: number[];
  questions: DashboardQuestion[];
}

export interface SurveyChoice {
  slug: string;
  title: LocalizedText;
  status: SurveyStatus;
}

export interface SectionOptions {
  /** MIN_CELL_SIZE: cells with 1 to minCell − 1 respondents are suppressed. */
  minCell: number;
}

export interface WeekCount {
  /** Monday of the week, YYYY-MM-DD. */
  week: string;
  count: Shown;
}

export interface Participation {
  /** Active personal invitations. */
  invited: number;
  /** Responses begun (draft or submitted). */
  started: number;
  submitted: number;
  /** submitted / started, null without responses. */
  completionRate: number | null;
  /** Submitted invitation responses / invitations, null without invitations. */
  responseRate: number | null;
  /** Submitted responses that match the filters. */
  matching: Shown;
  weeks: WeekCount[];
}

export interface ParticipationCounts {
  invited: number;
  started: number;
  submitted: number;
  submittedInvited: number;
  /** Time of the latest submission (ISO), with `submitted` the fingerprint of the cached figures. */
  lastSubmitted: string | null;
}

export interface Submissions {
  /** Submitted responses that match the filters. */
  matching: number;
  weeks: Array<{ week: string; n: number }>;
}

export type ProfileDimension = "country_group" | "country" | "org_type" | "sector";

export interface ProfileCell {
  code: string | null;
  /** Label of an org_type or sector code; countries and country groups are named by the UI. */
  label?: LocalizedText;
  count: Shown;
  share: number | null;
}

export interface RespondentProfile {
  total: number;
  breakdowns: Record<ProfileDimension, ProfileCell[]>;
}

export type HorizonOrAll = Horizon | "all";

export interface NeedCell {
  /** Respondents who named at least one need of the category (in the horizon). */
  respondents: Shown;
  /** Needs named. */
  entries: Shown;
  /**
   * respondents / respondents who answered the need question (named a need in any horizon),
   * the same base with and without a horizon filter.
   */
  share: number | null;
}

export interface NeedRank {
  category: string;
  label: LocalizedText;
  respondents: Shown;
  entries: Shown;
  urgency: MeanStat | null;
  importance: MeanStat | null;
  /**
   * Priority score: the mean over respondents of each respondent's mean urgency × importance
   * / 25 × 100, with its CI (n = respondents); urgency and importance likewise.
   */
  priority: MeanStat | null;
}

export interface GroupComparisonCell {
  respondents: Shown;
  priority: MeanStat | null;
}

export interface NeedComparisonRow {
  category: string;
  label: LocalizedText;
  groups: Record<CountryGroup, GroupComparisonCell>;
}

export interface NeedQuestionAnalysis {
  key: string;
  label: LocalizedText;
  /** Respondents who listed at least one need, in any horizon (the base of the shares). */
  answered: Shown;
  matrix: Array<{ category: string; label: LocalizedText; cells: Record<HorizonOrAll, NeedCell> }>;
  /** Categories ranked by priority (descending), per horizon and over both. */
  ranked: Record<HorizonOrAll, NeedRank[]>;
  /** Priority of each category by respondents' country group, per horizon and over both. */
  byCountryGroup: Record<HorizonOrAll, NeedComparisonRow[]>;
}

export interface BorichRank {
  statement: string;
  label: LocalizedText;
  /** Respondents who rated both importance and current level. */
  respondents: Shown;
  importance: MeanStat | null;
  current: MeanStat | null;
  /** importance − current level, per respondent. */
  discrepancy: MeanStat | null;
  /** mean(importance − current) × mean(importance). */
  mwds: number | null;
  /**
   * Quadrant of the importance–performance grid (importance against current level, split at
   * the means over the shown statements); act first = important, low current level.
   */
  quadrant: IpaQuadrant | null;
  /** Quadrant of the locus for focus (importance against discrepancy, split at the means). */
  locus: LocusQuadrant | null;
}

export interface BorichAnalysis {
  key: string;
  label: LocalizedText;
  /** Statements by MWDS, highest first; statements not shown last. */
  statements: BorichRank[];
  /** Means over the shown statements (the reference lines of the grid and the locus for focus). */
  meanImportance: number | null;
  meanCurrent: number | null;
  meanDiscrepancy: number | null;
}

/** The largest Borich gaps of one question (the dashboard's first screen). */
export interface TopGaps {
  key: string;
  label: LocalizedText;
  /** The statements with the highest MWDS, highest first. */
  statements: Array<{ statement: string; label: LocalizedText; mwds: number }>;
}

export interface CountCell {
  code: string;
  label?: LocalizedText;
  count: Shown;
  share: number | null;
}

export interface ValueCell {
  value: number;
  count: Shown;
  share: number | null;
}

export interface Summary {
  mean: MeanStat | null;
  median: number | null;
}

export type Distribution =
  | {
      kind: "choice";
      key: string;
      type: QuestionType;
      label: LocalizedText;
      answered: Shown;
      options: CountCell[];
      /** The option codes are country codes (pooled small ones: `_small`), shown as names. */
      countries: boolean;
    }
  | {
      kind: "multi";
      key: string;
      type: QuestionType;
      label: LocalizedText;
      answered: Shown;
      options: CountCell[];
      /** "Other, please specify" answers. */
      other: Shown | null;
    }
  | {
      kind: "scale";
      key: string;
      type: QuestionType;
      label: LocalizedText;
      answered: Shown;
      scale: NonNullable<DashboardQuestion["scale"]>;
      values: ValueCell[];
      summary: Summary;
    }
  | {
      kind: "matrix";
      key: string;
      type: QuestionType;
      label: LocalizedText;
      answered: Shown;
      scale: NonNullable<DashboardQuestion["scale"]>;
      rows: Array<{
        code: string;
        label: LocalizedText;
        answered: Shown;
        values: ValueCell[];
        summary: Summary;
      }>;
    }
  | {
      kind: "ranking";
      key: string;
      type: QuestionType;
      label: LocalizedText;
      answered: Shown;
      /** Items by mean rank (1 = ranked first). */
      items: Array<{
        code: string;
        label: LocalizedText;
        answered: Shown;
        meanRank: MeanStat | null;
        ranks: ValueCell[];
      }>;
    }
  | {
      kind: "number";
      key: string;
      type: QuestionType;
      label: LocalizedText;
      answered: Shown;
      unit?: LocalizedText;
      summary: Summary;
      /** Bins [lower, upper); the first may be open below (lower null), the last open above (upper null). */
      bins: Array<{
        lower: number | null;
        upper: number | null;
        count: Shown;
        share: number | null;
      }>;
    };

export interface ThemeCount {
  id: number;
  name: string;
  /** Respondents with at least one answer tagged with the theme. */
  respondents: Shown;
  /** Tagged answers. */
  answers: Shown;
}

export interface FilterChoices {
  /** Countries with at least N submitted responses in the survey (smaller ones are not offered). */
  countries: string[];
  orgTypes: CodeLabel[];
  sectors: CodeLabel[];
}

export interface GroupDashboard {
  survey: Omit<DashboardSurvey, "questions">;
  filters: ResponseFilters;
  minCell: number;
  participation: Participation;
  /**
   * "ok": figures follow; "small": the filters leave 1 to N−1 respondents (figures withheld);
   * "complement": the filters leave out 1 to N−1 respondents (figures withheld, see coverageOf);
   * "empty": no submitted response matches.
   */
  coverage: "ok" | "small" | "complement" | "empty";
  profile: RespondentProfile | null;
  needs: NeedQuestionAnalysis[];
  borich: BorichAnalysis[];
  distributions: Distribution[];
  themes: ThemeCount[];
  /** What the filter form offers. */
  choices: FilterChoices;
}

export interface OverviewGroup {
  group: DashboardSurvey["group"];
  survey: { slug: string; title: LocalizedText; status: SurveyStatus };
  participation: Participation;
  coverage: GroupDashboard["coverage"];
  needs: NeedQuestionAnalysis[];
}

/** Needs on the shared categories of the need taxonomy, programme-wide and per group. */
export interface SharedNeeds {
  /** The taxonomy's categories, in its order. */
  categories: Array<{ code: string; label: LocalizedText; description: LocalizedText }>;
  /** The groups whose figures are shown, together; `answered` is their respondents with needs. */
  programme: NeedQuestionAnalysis;
  /** Each of those groups on the same categories, in the order of the overview's groups. */
  groups: Array<{ slug: string; name: LocalizedText; analysis: NeedQuestionAnalysis }>;
  /** The groups whose figures are not shown in this view (too few matching responses): named, not counted. */
  leftOut: Array<{ slug: string; name: LocalizedText }>;
}

export interface Overview {
  filters: ResponseFilters;
  choices: FilterChoices;
  minCell: number;
  groups: OverviewGroup[];
  /** Needs on the programme's shared need categories. */
  shared: SharedNeeds;
}

export type { FilterParam, RejectedFilter, ResponseFilters } from "../filters.server";
