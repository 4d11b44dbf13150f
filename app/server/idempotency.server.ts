import type { Db } from "#db/client";
import { allQuestions, type SurveyDefinition } from "~/survey/schema";
import type { KeyedAnswerRow } from "~/survey/storage";

/**
 * Guards of the one-request JSON API: answers only to questions the survey has, and an
 * idempotency key that stands for one set of answers (a retry with the same key and other
 * answers is refused rather than told that its answers were stored).
 */

const UNKNOWN_QUESTION: Record<string, string> = {
  en: "is not a question of this survey",
  ru: "в этой анкете нет такого вопроса",
};

/** Issues for answer keys the definition does not have (at most 20). */
export function unknownQuestionIssues(
  def: Pick<SurveyDefinition, "pages">,
  answers: object,
  locale: string,
): Array<{ path: string; message: string }> {
  const known = new Set(allQuestions(def).map((q) => q.key));
  return Object.keys(answers)
    .filter((key) => !known.has(key))
    .slice(0, 20)
    .map((key) => ({ path: key, message: UNKNOWN_QUESTION[locale] ?? UNKNOWN_QUESTION.en }));
}

/** JSON with object keys sorted, so that jsonb's key order does not matter. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

function rowKey(r: { questionKey: string; item: string | null; optionCode: string | null; valueNum: number | null; valueText: string | null; valueJson: unknown }) {
  return canonical([r.questionKey, r.item, r.optionCode, r.valueNum, r.valueText, r.valueJson ?? null]);
}

/** Whether a stored response holds exactly these answer rows. */
export async function storedAnswersEqual(db: Db, responseId: string, rows: readonly KeyedAnswerRow[]): Promise<boolean> {
  const stored = await db
    .selectFrom("answers")
    .select(["question_key", "item", "option_code", "value_num", "value_text", "value_json"])
    .where("response_id", "=", responseId)
    .execute();
  if (stored.length !== rows.length) return false;
  const a = stored
    .map((r) =>
      rowKey({ questionKey: r.question_key, item: r.item, optionCode: r.option_code, valueNum: r.value_num, valueText: r.value_text, valueJson: r.value_json }),
    )
    .sort();
  const b = rows.map((r) => rowKey(r)).sort();
  return a.every((x, i) => x === b[i]);
}
