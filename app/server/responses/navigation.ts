import { buildPageSchema } from "~/survey/answer-schema";
import { findPage, type Page, type SurveyDefinition } from "~/survey/schema";
import { visiblePages, visibleQuestionsOnPage } from "~/survey/visibility";
import { REVIEW_MARK } from "./constants";

/** Where a respondent is and goes: pages, progress, resuming. Pure. */

/** The answers on `page` only. */
export function answersOnPage(
  page: Page,
  answers: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const q of page.questions) if (Object.hasOwn(answers, q.key)) out[q.key] = answers[q.key];
  return out;
}

/** Whether the answers on a page pass its schema (required ones given, every value valid). */
export function isPageComplete(
  def: SurveyDefinition,
  pageKey: string,
  answers: Readonly<Record<string, unknown>>,
  locale: string,
): boolean {
  const page = findPage(def, pageKey);
  if (!page) return false;
  return buildPageSchema(def, pageKey, answers, locale).safeParse(answersOnPage(page, answers))
    .success;
}

/**
 * Where a returning respondent continues: the first visible page that is incomplete or that
 * they have not passed yet (by `currentPage`, the furthest page reached), else the review.
 */
export function resumeTarget(
  def: SurveyDefinition,
  answers: Readonly<Record<string, unknown>>,
  currentPage: string | null,
  locale: string,
): { page: string } | { review: true } {
  const pages = visiblePages(def, answers);
  const order = def.pages.map((p) => p.key);
  const reached =
    currentPage === REVIEW_MARK ? order.length : currentPage ? order.indexOf(currentPage) : 0;
  for (const page of pages) {
    if (order.indexOf(page.key) >= reached) return { page: page.key };
    if (!isPageComplete(def, page.key, answers, locale)) return { page: page.key };
  }
  return pages.length === 0 ? { page: def.pages[0].key } : { review: true };
}

export interface Progress {
  /** 1-based position of the page among the visible pages. */
  index: number;
  total: number;
  previous: string | null;
  next: string | null;
}

export function pageProgress(
  def: SurveyDefinition,
  pageKey: string,
  answers: Readonly<Record<string, unknown>>,
): Progress {
  const pages = visiblePages(def, answers).map((p) => p.key);
  const order = def.pages.map((p) => p.key);
  const at = order.indexOf(pageKey);
  const index = pages.indexOf(pageKey);
  return {
    index: index >= 0 ? index + 1 : pages.filter((k) => order.indexOf(k) < at).length + 1,
    total: pages.length,
    previous: pages.findLast((k) => order.indexOf(k) < at) ?? null,
    next: pages.find((k) => order.indexOf(k) > at) ?? null,
  };
}

export function isFurther(
  def: SurveyDefinition,
  candidate: string,
  current: string | null,
): boolean {
  if (current === REVIEW_MARK) return false;
  if (candidate === REVIEW_MARK) return true;
  const order = def.pages.map((p) => p.key);
  return current === null || order.indexOf(candidate) > order.indexOf(current);
}

/** The visible questions of a page given the answers so far. */
export function visibleKeysOnPage(
  def: SurveyDefinition,
  pageKey: string,
  answers: Readonly<Record<string, unknown>>,
) {
  return visibleQuestionsOnPage(def, pageKey, answers).map((q) => q.key);
}
