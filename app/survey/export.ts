import type { ExportCell } from "./question-type";
import { allQuestions } from "./definition";
import { type Answers, exportCellsOf, exportColumnsOf } from "./question-types";
import type { SurveyDefinition } from "./schema";

/**
 * The wide export: one row per response, one or more columns per question.
 * - multi_choice: `<key>.<code>` with 1 or 0 per option, plus `<key>.other` (text) when the
 *   question has "other";
 * - matrix: `<key>.<row>`; ranking: `<key>.<item>` (rank); borich:
 *   `<key>.<statement>.importance` and `<key>.<statement>.current`;
 * - need_list: no columns (needs are exported as their own table, one row per need);
 * - every other type: `<key>`.
 * An unanswered question has empty cells (null), also for the 0/1 columns.
 */

export type { ExportCell };

export function exportColumns(def: Pick<SurveyDefinition, "pages">): string[] {
  return allQuestions(def).flatMap(exportColumnsOf);
}

/** Cells matching `exportColumns(def)`. */
export function exportCells(def: Pick<SurveyDefinition, "pages">, answers: Answers): ExportCell[] {
  return allQuestions(def).flatMap((question) => exportCellsOf(question, answers[question.key]));
}
