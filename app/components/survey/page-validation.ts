import * as z from "zod";
import type { Locale } from "~/i18n/translate";
import { buildPageSchema } from "~/survey/answer-schema";
import { fieldsGetAll, pageAnswersFromFormData } from "~/survey/form-data";
import type { FormFields } from "~/survey/question-type";
import type { SurveyDefinition } from "~/survey/schema";
import { pageFieldErrors } from "~/survey/form-values";

/**
 * The question page's validation in the browser, with the same schema the server checks:
 * form fields -> answers -> the page schema. The page loads this module (and zod with it)
 * with `import()` once it is hydrated, so that it is not part of the page's initial
 * JavaScript; until then the form posts to the server, which validates every post.
 */
export function pageValidator(
  def: SurveyDefinition,
  pageKey: string,
  otherAnswers: Readonly<Record<string, unknown>>,
  locale: Locale,
): (fields: FormFields) => Record<string, string> {
  const schema = z.preprocess(
    (fields) => pageAnswersFromFormData(def, pageKey, fieldsGetAll(fields as FormFields)),
    buildPageSchema(def, pageKey, otherAnswers, locale),
  );
  return (fields) => {
    const parsed = schema.safeParse(fields);
    return parsed.success ? {} : pageFieldErrors(def, parsed.error.issues, fields);
  };
}
