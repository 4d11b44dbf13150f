import type { Question } from "./question-types";
import type { Page, SurveyDefinition } from "./schema";

/** Lookups in an expanded definition, without its schema (importable by every page). */

/** Every question of the survey, in order. */
export function allQuestions(def: Pick<SurveyDefinition, "pages">): Question[] {
  return def.pages.flatMap((page) => page.questions);
}

export function findQuestion(
  def: Pick<SurveyDefinition, "pages">,
  key: string,
): Question | undefined {
  for (const page of def.pages) {
    const question = page.questions.find((q) => q.key === key);
    if (question) return question;
  }
  return undefined;
}

export function findPage(def: Pick<SurveyDefinition, "pages">, key: string): Page | undefined {
  return def.pages.find((page) => page.key === key);
}
