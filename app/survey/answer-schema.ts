import * as z from "zod";
import { type FormGetAll, fieldErrors, pageAnswersFromFormData } from "./form-data";
import type { Locale } from "./locale";
import { type ValidationMessages, validationMessages } from "./messages";
import { type Answers, type Question, answerSchemaOf } from "./registry";
import { allQuestions, findPage } from "./definition";
import type { SurveyDefinition } from "./schema";
import { visibleQuestions } from "./visibility";

/**
 * Answer validation for a page and for a whole response. The same schemas run in the browser
 * (as the form resolver) and in the server action.
 *
 * Input: answers by question key, as produced by `answersFromFormData` (form-data.ts) or kept
 * as JSON by the client. Output: the validated answers of the visible questions; answers to
 * hidden questions and to unknown keys are dropped. Issue paths start with the question key
 * (`[key, …]`, see `issueFieldName` for the form field they belong to) and messages are in
 * the respondent's language.
 */

type Definition = Pick<SurveyDefinition, "pages">;
type RawAnswers = Record<string, unknown>;

function answersRecord(messages: ValidationMessages) {
  return z.record(z.string(), z.unknown(), { error: messages.invalid });
}

function validateQuestions(
  questions: readonly Question[],
  values: RawAnswers,
  schemas: ReadonlyMap<string, z.ZodType<unknown>>,
  ctx: z.RefinementCtx,
): Answers {
  const valid: Answers = {};
  for (const question of questions) {
    const schema = schemas.get(question.key);
    if (!schema) continue;
    const result = schema.safeParse(values[question.key]);
    if (result.success) {
      if (result.data !== undefined) valid[question.key] = result.data as Answers[string];
    } else {
      for (const issue of result.error.issues) {
        ctx.addIssue({
          code: "custom",
          path: [question.key, ...issue.path],
          message: issue.message,
        });
      }
    }
  }
  return valid;
}

function schemasFor(questions: readonly Question[], messages: ValidationMessages) {
  return new Map(questions.map((q) => [q.key, answerSchemaOf(q, messages)]));
}

/**
 * The schema of one page's answers. `answers` are the respondent's answers so far (other
 * pages included): together with the page's own values they decide which questions of the
 * page are visible, at parse time, so a condition on an earlier question of the same page
 * works too. Throws for an unknown page.
 */
export function buildPageSchema(
  def: Definition,
  pageKey: string,
  answers: Readonly<RawAnswers>,
  locale: Locale,
): z.ZodType<Answers, RawAnswers> {
  const page = findPage(def, pageKey);
  if (!page) throw new Error(`unknown page "${pageKey}"`);
  const messages = validationMessages(locale);
  const schemas = schemasFor(page.questions, messages);
  const onPage = new Set(page.questions.map((q) => q.key));
  return answersRecord(messages).transform((values, ctx) => {
    const merged: RawAnswers = {};
    for (const [key, value] of Object.entries(answers)) if (!onPage.has(key)) merged[key] = value;
    for (const key of onPage) if (values[key] !== undefined) merged[key] = values[key];
    const visible = visibleQuestions(def, merged).filter((q) => onPage.has(q.key));
    return validateQuestions(visible, values, schemas, ctx);
  });
}

/** The schema of a complete response: every visible question of the survey. */
export function buildSubmissionSchema(
  def: Definition,
  locale: Locale,
): z.ZodType<Answers, RawAnswers> {
  const messages = validationMessages(locale);
  const schemas = schemasFor(allQuestions(def), messages);
  return answersRecord(messages).transform((values, ctx) =>
    validateQuestions(visibleQuestions(def, values), values, schemas, ctx),
  );
}

export type PageFormResult =
  | { ok: true; answers: Answers }
  | { ok: false; errors: Record<string, string>; values: Record<string, unknown> };

/**
 * Reads and validates one page of a submitted form, for a server action or a client-side
 * resolver: the valid answers of the page's visible questions, or the messages by form
 * field name together with the values read (to re-render what the respondent typed).
 * `answers` are the respondent's saved answers of the other pages.
 */
export function validatePageForm(
  def: Pick<SurveyDefinition, "pages">,
  pageKey: string,
  answers: Readonly<Record<string, unknown>>,
  locale: Locale,
  getAll: FormGetAll,
): PageFormResult {
  const values = pageAnswersFromFormData(def, pageKey, getAll);
  const result = buildPageSchema(def, pageKey, answers, locale).safeParse(values);
  return result.success
    ? { ok: true, answers: result.data }
    : { ok: false, errors: fieldErrors(def, result.error.issues), values };
}
