/** The programme's thematic working groups; a survey belongs to exactly one. */
export const WORKING_GROUPS = [
  "food-agri-bio",
  "health",
  "nano-materials",
  "energy",
  "mobility",
] as const;
export type WorkingGroup = (typeof WORKING_GROUPS)[number];

/** Time horizons of a need: short term is up to 2 years, medium term 2 to 5 years. */
export const HORIZONS = ["short_term", "medium_term"] as const;
export type Horizon = (typeof HORIZONS)[number];

export const SURVEY_STATUSES = ["draft", "open", "closed"] as const;
export type SurveyStatus = (typeof SURVEY_STATUSES)[number];

export const ACCESS_MODES = ["open_link", "invitation_only"] as const;
export type AccessMode = (typeof ACCESS_MODES)[number];

/** Question keys: how answers are stored and exported. Fits a Postgres identifier. */
export const QUESTION_KEY_PATTERN = /^[a-z][a-z0-9_]*$/;
export const QUESTION_KEY_MAX_LENGTH = 63;
/** Codes of options, rows, items, statements and categories. */
export const CODE_PATTERN = /^[a-z0-9][a-z0-9_]*$/;
export const CODE_MAX_LENGTH = 63;
/** Page keys follow the question key rules. */
export const PAGE_KEY_PATTERN = QUESTION_KEY_PATTERN;
/** Survey slugs appear in URLs. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Names of shared blocks: the file name in surveys/blocks/ without `.yaml`. */
export const BLOCK_NAME_PATTERN = /^[a-z0-9]+(?:[-_][a-z0-9]+)*$/;

/** Limits of free-text answers. */
export const TEXT_DEFAULT_MAX_LENGTH = 200;
export const TEXT_MAX_LENGTH_LIMIT = 1000;
export const LONG_TEXT_DEFAULT_MAX_LENGTH = 2000;
export const LONG_TEXT_MAX_LENGTH_LIMIT = 10000;
export const OTHER_TEXT_MAX_LENGTH = 200;
export const NEED_TITLE_MAX_LENGTH = 200;
export const NEED_DESCRIPTION_MAX_LENGTH = 2000;
export const NEED_DEFAULT_MAX_ENTRIES = 10;
export const NEED_MAX_ENTRIES_LIMIT = 20;
/** Urgency, importance (needs) and the Borich importance / current level use a 1–5 scale. */
export const RATING_MIN = 1;
export const RATING_MAX = 5;
/** A scale or matrix has at most this many points (0–10 is the widest usual one). */
export const SCALE_MAX_POINTS = 11;
