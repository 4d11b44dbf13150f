import type { Condition } from "./primitives";
import { allQuestions } from "./definition";
import { type Question, questionTypeOf } from "./question-types";
import type { Page, SurveyDefinition } from "./schema";

/**
 * Which questions and pages a respondent sees, given their answers.
 *
 * A question with `showIf` is visible when its condition holds on the answers to the visible
 * questions before it. Questions are walked in survey order and the answer of a hidden
 * question is dropped before later conditions look at it, so hiding cascades: if hiding A
 * removes the answer that showed B, B is hidden too, in the same pass. A page is shown when
 * at least one of its questions is visible.
 */

type Definition = Pick<SurveyDefinition, "pages">;
type AnswerMap = Readonly<Record<string, unknown>>;

const indexes = new WeakMap<Definition, Map<string, Question>>();

function questionIndex(def: Definition): Map<string, Question> {
  let index = indexes.get(def);
  if (!index) {
    index = new Map(allQuestions(def).map((q) => [q.key, q]));
    indexes.set(def, index);
  }
  return index;
}

function sameValue(a: string | number, b: string | number): boolean {
  return String(a) === String(b);
}

/**
 * Evaluates a condition against answers (validated or raw form values). A condition on an
 * unknown or unanswered question is false, so its negation is true.
 */
export function conditionHolds(
  condition: Condition,
  answers: AnswerMap,
  lookup: (key: string) => Question | undefined,
): boolean {
  if ("not" in condition) return !conditionHolds(condition.not, answers, lookup);
  if ("all" in condition) return condition.all.every((c) => conditionHolds(c, answers, lookup));
  if ("any" in condition) return condition.any.some((c) => conditionHolds(c, answers, lookup));
  const question = lookup(condition.question);
  if (!question) return false;
  const spec = questionTypeOf(question);
  const value = answers[condition.question];
  if (!spec.isAnswered(question, value)) return false;
  if ("answered" in condition) return true;
  const given = spec.conditionValues(question, value);
  const wanted = "equals" in condition ? [condition.equals] : condition.oneOf;
  return given.some((g) => wanted.some((w) => sameValue(g, w)));
}

interface Visibility<T> {
  visible: Set<string>;
  answers: Record<string, T>;
}

function resolve<T>(def: Definition, answers: Readonly<Record<string, T>>): Visibility<T> {
  const index = questionIndex(def);
  const lookup = (key: string) => index.get(key);
  const visible = new Set<string>();
  const kept: Record<string, T> = {};
  for (const question of index.values()) {
    if (question.showIf && !conditionHolds(question.showIf, kept, lookup)) continue;
    visible.add(question.key);
    const value = Object.hasOwn(answers, question.key) ? answers[question.key] : undefined;
    if (value !== undefined) kept[question.key] = value;
  }
  return { visible, answers: kept };
}

/** The visible questions of the whole survey, in order. */
export function visibleQuestions(def: Definition, answers: AnswerMap): Question[] {
  const { visible } = resolve(def, answers);
  return allQuestions(def).filter((q) => visible.has(q.key));
}

export function isQuestionVisible(def: Definition, key: string, answers: AnswerMap): boolean {
  return resolve(def, answers).visible.has(key);
}

/** The answers of visible questions only; answers to unknown keys are dropped as well. */
export function pruneHidden<T>(
  def: Definition,
  answers: Readonly<Record<string, T>>,
): Record<string, T> {
  return resolve(def, answers).answers;
}

/** The visible questions of one page, in order (empty for an unknown page). */
export function visibleQuestionsOnPage(
  def: Definition,
  pageKey: string,
  answers: AnswerMap,
): Question[] {
  const page = def.pages.find((p) => p.key === pageKey);
  if (!page) return [];
  const { visible } = resolve(def, answers);
  return page.questions.filter((q) => visible.has(q.key));
}

export function isPageVisible(def: Definition, page: Page, answers: AnswerMap): boolean {
  const { visible } = resolve(def, answers);
  return page.questions.some((q) => visible.has(q.key));
}

/** The pages a respondent goes through, in order: those with at least one visible question. */
export function visiblePages(def: Definition, answers: AnswerMap): Page[] {
  const { visible } = resolve(def, answers);
  return def.pages.filter((page) => page.questions.some((q) => visible.has(q.key)));
}

/** The key of the next visible page after `pageKey`, or null after the last one. */
export function nextPageKey(def: Definition, pageKey: string, answers: AnswerMap): string | null {
  const pages = visiblePages(def, answers).map((p) => p.key);
  const order = def.pages.map((p) => p.key);
  const current = order.indexOf(pageKey);
  return pages.find((key) => order.indexOf(key) > current) ?? null;
}

/** The key of the visible page before `pageKey`, or null on the first one. */
export function previousPageKey(
  def: Definition,
  pageKey: string,
  answers: AnswerMap,
): string | null {
  const pages = visiblePages(def, answers).map((p) => p.key);
  const order = def.pages.map((p) => p.key);
  const current = order.indexOf(pageKey);
  return pages.findLast((key) => order.indexOf(key) < current) ?? null;
}
