import type { MessageKey } from "~/i18n/translate";

/**
 * What a coordinator may add to a working group's findings report: an edited executive summary
 * and a comment per section. Limits and section names, shared by the page and the server.
 */

/** The sections of the group report that take a comment, by their ids on the page. */
export const COMMENT_SECTIONS = [
  "headline",
  "findings",
  "needs-matrix",
  "ranked-needs",
  "borich",
  "themes",
  "profile",
  "consensus",
  "register",
  "gaps",
  "methodology",
  "questions",
] as const;
export type CommentSection = (typeof COMMENT_SECTIONS)[number];

export const SUMMARY_MAX = 6000;
export const COMMENT_MAX = 2000;

export function isCommentSection(value: unknown): value is CommentSection {
  return typeof value === "string" && (COMMENT_SECTIONS as readonly string[]).includes(value);
}

/** The summary and comments as the report page and its Word download show them. */
export interface ReportNotes {
  summary: {
    /** Written from today's figures. */
    generated: string;
    /** What the report prints: the edited text where there is one, else the generated. */
    text: string;
    /** The coordinator's edit, when one applies to this view. */
    edited: { updatedAt: string; stale: boolean } | null;
    /** False in a filtered view: an edit belongs to the unfiltered report. */
    editable: boolean;
  };
  comments: Partial<Record<CommentSection, string>>;
}

/** A refused change, as the report page shows it beside its form (or above, without one). */
export interface NoteError {
  /** "summary", the section of a comment, or "" for a request no form on the page sends. */
  target: string;
  message: MessageKey;
  text: string;
  /** The section named by a refused request, for its message. */
  section?: string;
}
