import type { SupportedLocale } from "~/survey/locale";

/** What the response modules share: marks stored in the database and the body limit. */

/** The `item` of the one row that keeps a draft answer exactly as typed (codes and need ids cannot contain "@"). */
export const DRAFT_ITEM = "@draft";
/** `responses.current_page` once the respondent has reached the review page. */
export const REVIEW_MARK = "@review";
/** Largest request body an action reads. */
export const MAX_BODY_BYTES = 1024 * 1024;

export type RespondentLocale = SupportedLocale;
