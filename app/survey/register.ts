/** Codes of the needs register, shared by the pages and the server (no I/O). */
export const NEED_STATUSES = ["proposed", "validated", "in_progress", "addressed", "declined"] as const;
export const EVIDENCE_KINDS = ["category", "borich", "theme"] as const;
export const COVERAGE_FITS = ["full", "partial", "weak"] as const;

/** The question key recorded for themes (which belong to the group, not to a question). */
export const THEME_QUESTION = "themes";

/** A figure of a group's survey, as the address of /staff/needs/new gives it. */
export interface EvidenceRef {
  group: string;
  survey: string;
  kind: (typeof EVIDENCE_KINDS)[number];
  question: string;
  code: string;
}

/** The query string of an evidence reference (/staff/needs/new?…). */
export function evidenceQuery(ref: EvidenceRef): string {
  return new URLSearchParams({
    group: ref.group,
    survey: ref.survey,
    kind: ref.kind,
    question: ref.question,
    code: ref.code,
  }).toString();
}
