import type { AnswerRow } from "./question-type";
import { allQuestions } from "./definition";
import { type Answers, answerFromRows, answerToRows } from "./question-types";
import type { SurveyDefinition } from "./schema";

/**
 * Answers <-> normalised answer rows (one table, `answers`, for every type):
 *
 * | type           | rows                                                                  |
 * |----------------|-----------------------------------------------------------------------|
 * | single_choice  | one row, optionCode = code                                            |
 * | multi_choice   | per selected code {item: code, optionCode: code}; other text as        |
 * |                | {item: "_other", valueText}                                           |
 * | scale, number  | one row, valueNum                                                     |
 * | matrix         | per answered row {item: rowCode, valueNum}                            |
 * | ranking        | per item {item: itemCode, valueNum: rank}                             |
 * | text, long_text, date | one row, valueText (dates as YYYY-MM-DD)                       |
 * | country        | one row, optionCode = ISO alpha-2 code                                |
 * | need_list      | per entry {item: entry id, optionCode: category, valueNum: position   |
 * |                | (1-based, keeps the order), valueText: description, valueJson: entry} |
 * | borich         | per statement two rows {item: code, optionCode: "importance" or       |
 * |                | "current", valueNum}                                                  |
 *
 * Columns a type does not use are null.
 */

export type { AnswerRow };

export interface KeyedAnswerRow extends AnswerRow {
  questionKey: string;
}

/** The rows of validated answers, in the order of the questions. */
export function answersToRows(
  def: Pick<SurveyDefinition, "pages">,
  answers: Answers,
): KeyedAnswerRow[] {
  return allQuestions(def).flatMap((question) => {
    const value = answers[question.key];
    if (value === undefined) return [];
    return answerToRows(question, value).map((row) => ({ questionKey: question.key, ...row }));
  });
}

/** Answers back from stored rows; rows of keys the definition does not have are ignored. */
export function answersFromRows(
  def: Pick<SurveyDefinition, "pages">,
  rows: readonly KeyedAnswerRow[],
): Answers {
  const byKey = new Map<string, KeyedAnswerRow[]>();
  for (const row of rows) {
    const list = byKey.get(row.questionKey);
    if (list) list.push(row);
    else byKey.set(row.questionKey, [row]);
  }
  const answers: Answers = {};
  for (const question of allQuestions(def)) {
    const value = answerFromRows(question, byKey.get(question.key) ?? []);
    if (value !== undefined) answers[question.key] = value;
  }
  return answers;
}

/**
 * The key of a stored answer row among a response's packed values: question key, item and, for
 * a row with an item, its option code, joined with `|` (which keys and codes never contain).
 */
export function slotKey(questionKey: string, item: string | null, code: string | null): string {
  if (item === null) return questionKey;
  return code === null ? `${questionKey}|${item}` : `${questionKey}|${item}|${code}`;
}

/** A response's packed values: the value of each answer row but need entries, by slot key. */
export type PackedValues = Record<string, string | number | null>;

/**
 * The packed values of a submitted response, stored with it (`responses.answer_values`) so that
 * an export reads one column per response instead of gathering its answer rows: each row's
 * number, else its text, else its option code, by `slotKey`. Need entries (the rows with a JSON
 * value) are read from their rows. Null when no row is packed. The migration that added the
 * column computes the same object in SQL for the responses stored before it.
 */
export function packedValues(rows: readonly KeyedAnswerRow[]): PackedValues | null {
  let packed: PackedValues | null = null;
  for (const row of rows) {
    if (row.valueJson !== null && row.valueJson !== undefined) continue;
    packed ??= {};
    packed[slotKey(row.questionKey, row.item, row.item === null ? null : row.optionCode)] =
      row.valueNum ?? row.valueText ?? row.optionCode;
  }
  return packed;
}

/**
 * The packed values as stored: JSON with every character beyond ASCII written as a `\uXXXX`
 * escape, so that the text a reader receives is ASCII. Node.js then holds it in one byte per
 * character (a single Cyrillic letter would make it two for the whole text), decodes and parses
 * it faster, and an export keeps half as much in memory per response read ahead (decision 063).
 */
export function packedValuesText(rows: readonly KeyedAnswerRow[]): string | null {
  const packed = packedValues(rows);
  return packed === null ? null : asciiJson(packed);
}

const BEYOND_ASCII = /[\u0080-\uffff]/;
const EACH_BEYOND_ASCII = /[\u0080-\uffff]/g;

function asciiJson(value: unknown): string {
  const json = JSON.stringify(value);
  // Most responses hold no such character: one scan, no replacement.
  if (!BEYOND_ASCII.test(json)) return json;
  return json.replace(EACH_BEYOND_ASCII, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
