import { LONG_TEXT_MAX_LENGTH_LIMIT } from "./constants";
import type { ValidationMessages } from "./messages";
import type { Path } from "./paths";
import { answerSchemaOf, type Question } from "./registry";

/**
 * Size limits of drafts. A draft keeps answers that do not pass their question's schema yet
 * exactly as typed (so that nothing typed is lost), but never larger than a submission could
 * be: a text longer than its question accepts is refused with the question's own message
 * ("Use at most N characters"), and the answers of one response together stay within
 * DRAFT_MAX_BYTES. See docs/decisions/013-drafts-and-access-changes.md.
 */

/** Largest draft of one response: the JSON of all its answers, in UTF-8 bytes (1 MiB, like the largest request). */
export const DRAFT_MAX_BYTES = 1024 * 1024;

/**
 * Longest text anywhere in a draft answer, whatever the question: the longest answer any
 * question accepts. It bounds what a schema does not look at as text (a number or a date
 * typed as letters, a need entry's category).
 */
export const DRAFT_TEXT_MAX_LENGTH = LONG_TEXT_MAX_LENGTH_LIMIT;

export interface DraftLimitIssue {
  /** `[questionKey, …path within the answer]`, as answer schema issues. */
  path: Path;
  message: string;
}

function pathKey(path: readonly PropertyKey[]): string {
  return path.map(String).join("\u0000");
}

/**
 * The texts in a draft answer that are longer than a submission accepts: the length limits of
 * the question's answer schema (maxLength, need titles and descriptions, "other" texts), and
 * DRAFT_TEXT_MAX_LENGTH for any other text in the value. Empty when the draft may be stored.
 */
export function draftLimitIssues(
  question: Question,
  raw: unknown,
  messages: ValidationMessages,
): DraftLimitIssue[] {
  const issues: DraftLimitIssue[] = [];
  const seen = new Set<string>();
  const parsed = answerSchemaOf(question, messages).safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code !== "too_big" || issue.origin !== "string") continue;
      const path = [question.key, ...issue.path] as Path;
      seen.add(pathKey(path));
      issues.push({ path, message: issue.message });
    }
  }
  const walk = (value: unknown, path: Path, depth: number) => {
    if (typeof value === "string") {
      if (value.length > DRAFT_TEXT_MAX_LENGTH && !seen.has(pathKey(path))) {
        issues.push({ path, message: messages.tooLong(DRAFT_TEXT_MAX_LENGTH) });
      }
    } else if (depth < 4 && Array.isArray(value)) {
      value.forEach((item, i) => walk(item, [...path, i], depth + 1));
    } else if (depth < 4 && typeof value === "object" && value !== null) {
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k], depth + 1);
    }
  };
  walk(raw, [question.key], 0);
  return issues;
}

/** The size of a response's answers as stored in a draft: UTF-8 bytes of their JSON. */
export function draftBytes(answers: Readonly<Record<string, unknown>>): number {
  return new TextEncoder().encode(JSON.stringify(answers)).length;
}
