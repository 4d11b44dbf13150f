import type * as z from "zod";
import type { Path } from "./paths";
import { fieldName, type FormFields, type FormGetAll, mergeFields } from "./question-type";
import { findPage, findQuestion } from "./definition";
import { type Question, answerFromFormData, answerToFormFields } from "./question-types";
import type { SurveyDefinition } from "./schema";

/**
 * Plain HTML form fields of the questionnaire. Every field of a question is named after its
 * key, so a page works as a `<form method="post">` without JavaScript:
 *
 * | question        | field names                                                        |
 * |-----------------|--------------------------------------------------------------------|
 * | single_choice, scale, number, text, long_text, date, country | `q.<key>`             |
 * | multi_choice    | `q.<key>` once per selected code; `q.<key>.other` for the text      |
 * | matrix          | `q.<key>.<rowCode>` = scale point                                   |
 * | ranking         | `q.<key>.<itemCode>` = rank (1 is first)                            |
 * | borich          | `q.<key>.<statementCode>.importance`, `q.<key>.<statementCode>.current` |
 * | need_list       | `q.<key>.<index>.<field>` for index 0, 1, … (gaps allowed) and field |
 * |                 | id, title, description, category, horizon, urgency, importance      |
 *
 * An empty field means unanswered; a need entry whose fields are all empty is ignored and an
 * entry without an id gets a new one. Numbers may use a decimal comma. Parsing never throws:
 * malformed input becomes a value that the answer schema rejects with a message.
 */

export { fieldName, type FormFields, type FormGetAll };

/** The answers to `questions` found in a form, by question key (unanswered ones absent). */
export function answersFromFormData(
  questions: readonly Question[],
  getAll: FormGetAll,
): Record<string, unknown> {
  const answers: Record<string, unknown> = {};
  for (const question of questions) {
    const value = answerFromFormData(question, getAll);
    if (value !== undefined) answers[question.key] = value;
  }
  return answers;
}

/** The answers to one page's questions found in a form. */
export function pageAnswersFromFormData(
  def: Pick<SurveyDefinition, "pages">,
  pageKey: string,
  getAll: FormGetAll,
): Record<string, unknown> {
  return answersFromFormData(findPage(def, pageKey)?.questions ?? [], getAll);
}

/**
 * The form fields of `questions` filled with `answers` (validated or not): the inverse of
 * `answersFromFormData`.
 */
export function answersToFormFields(
  questions: readonly Question[],
  answers: Readonly<Record<string, unknown>>,
): FormFields {
  return mergeFields(
    ...questions.map((question) =>
      Object.hasOwn(answers, question.key)
        ? answerToFormFields(question, answers[question.key])
        : {},
    ),
  );
}

/** Reads `FormFields` as a form: `FormGetAll` over a plain record. */
export function fieldsGetAll(fields: Readonly<FormFields>): FormGetAll {
  return (name) => (Object.hasOwn(fields, name) ? fields[name] : []);
}

/** Adapts a `FormData` (or `URLSearchParams`) to `FormGetAll`; files are ignored. */
export function formGetAll(form: { getAll(name: string): unknown[] }): FormGetAll {
  return (name) => form.getAll(name).filter((value): value is string => typeof value === "string");
}

/**
 * The form field an answer issue belongs to: `[key, …rest]` -> `q.<key>.<rest…>`, except
 * that a multi choice's selected codes are the `q.<key>` field itself.
 */
export function issueFieldName(def: Pick<SurveyDefinition, "pages">, path: Path): string {
  const [key, ...rest] = path;
  if (typeof key !== "string") return "";
  const question = findQuestion(def, key);
  const parts = question?.type === "multi_choice" && rest[0] === "selected" ? [] : rest;
  return fieldName(key, ...parts.map((part) => (typeof part === "number" ? part : String(part))));
}

/** The first message for each form field, in the order of the questions. */
export function fieldErrors(
  def: Pick<SurveyDefinition, "pages">,
  issues: readonly Pick<z.core.$ZodIssue, "path" | "message">[],
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const name = issueFieldName(def, issue.path);
    if (name && !(name in errors)) errors[name] = issue.message;
  }
  return errors;
}
