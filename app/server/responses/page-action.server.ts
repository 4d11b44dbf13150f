import type { Db } from "#db/client";
import { isLocale } from "~/i18n/translate";
import { buildPageSchema } from "~/survey/answer-schema";
import { fieldsGetAll, pageAnswersFromFormData, answersToFormFields } from "~/survey/form-data";
import { fieldsFromForm, pageFieldErrors } from "~/survey/form-values";
import { applyRankMove, parseIntent, removeNeedSlot } from "~/survey/intents";
import type { FormFields } from "~/survey/question-type";
import { isAnswered } from "~/survey/registry";
import { findPage } from "~/survey/schema";
import { REVIEW_MARK } from "./constants";
import { draftProblem, draftRevisionOf, type SaveOptions, savePage } from "./drafts.server";
import type { LoadedResponse } from "./load.server";
import { pageProgress, visibleKeysOnPage } from "./navigation";

/**
 * What the buttons of a questionnaire page do (POST /r/:token/p/:page, see app/survey/intents.ts):
 * save the page as a draft, and go on, go back, stay with a message, or refuse. Returns a tagged
 * result that the route turns into a redirect, the page's data, or an error page; it holds the
 * whole decision so that the route stays thin.
 */

/** What the page shows after a button that stays on it. */
export interface PageActionData {
  values: FormFields;
  errors: Record<string, string>;
  blankNeedSlots?: Record<string, number>;
  notice?: "moreQuestions" | "draftTooLarge";
  savedAt?: string;
}

export type PageActionResult =
  | { kind: "redirect"; to: string }
  | { kind: "data"; status: 200 | 400 | 413; data: PageActionData }
  | {
      kind: "error";
      status: 400 | 404 | 413;
      reason: "bad_intent" | "unknown_page" | "draft_too_large";
    };

const refuse = (
  status: 400 | 404 | 413,
  reason: "bad_intent" | "unknown_page" | "draft_too_large",
): PageActionResult => ({ kind: "error", status, reason });
const show = (data: PageActionData, status: 200 | 400 | 413 = 200): PageActionResult => ({
  kind: "data",
  status,
  data,
});
const go = (to: string): PageActionResult => ({ kind: "redirect", to });

/**
 * Applies one button of a page to a response that may still change (the caller has checked
 * that: see assertEditable). `token` is the one in the URL, for the addresses to go to.
 */
export async function pageAction(
  db: Db,
  response: LoadedResponse,
  token: string,
  pageKey: string,
  form: FormData,
): Promise<PageActionResult> {
  const { def } = response;
  const page = findPage(def, pageKey);
  if (!page) return refuse(404, "unknown_page");
  const intent = parseIntent(form.get("intent") ?? "next");
  if (!intent) return refuse(400, "bad_intent");

  const keys = new Set(page.questions.map((q) => q.key));
  let fields = fieldsFromForm(form, keys);
  const locale = response.locale;
  const here = `/r/${token}/p/${page.key}`;
  /** Saves the page as typed; a refusal becomes the result to give back. */
  const save = async (options: SaveOptions = {}) => {
    const result = await savePage(
      db,
      response,
      page.key,
      pageAnswersFromFormData(def, page.key, fieldsGetAll(fields)),
      { revision: draftRevisionOf(form), ...options },
    );
    if (result.ok) return result;
    if (result.error === "too_large" || result.error === "too_long")
      return refuse(413, "draft_too_large");
    return go(`/r/${token}`);
  };
  const questionOfType = <T extends string>(key: string, type: T) => {
    const q = page.questions.find((x) => x.key === key);
    if (!q || q.type !== type) return null;
    return q as Extract<typeof q, { type: T }>;
  };

  // A text longer than a submission accepts is not saved: the page comes back with every value
  // as typed and the question's message ("Use at most N characters"), whatever the button.
  const typed = pageAnswersFromFormData(def, page.key, fieldsGetAll(fields));
  const problem = draftProblem(response, page.key, typed, locale);
  if (problem?.error === "too_long") {
    const checked =
      intent.kind === "next" || intent.kind === "review"
        ? buildPageSchema(def, page.key, response.answers, locale).safeParse(typed)
        : null;
    const issues = checked && !checked.success ? checked.error.issues : problem.issues;
    return show({ values: fields, errors: pageFieldErrors(def, issues, fields) }, 400);
  }
  // Answers together over the draft limit: nothing is saved, and the page comes back with every
  // value as typed and a message above the form (without JavaScript, nothing typed is lost).
  if (problem) return show({ values: fields, errors: {}, notice: "draftTooLarge" }, 413);

  switch (intent.kind) {
    case "autosave": {
      const result = await save();
      if ("kind" in result) return result;
      return show({ values: fields, errors: {}, savedAt: result.savedAt.toISOString() });
    }
    case "lang": {
      if (!isLocale(intent.locale)) return refuse(400, "bad_intent");
      const result = await save({ locale: intent.locale });
      if ("kind" in result) return result;
      return go(`${here}?lang=${intent.locale}`);
    }
    case "save": {
      const result = await save();
      if ("kind" in result) return result;
      return go(`/r/${token}/saved`);
    }
    case "back": {
      const result = await save();
      if ("kind" in result) return result;
      const previous = pageProgress(def, page.key, result.answers).previous;
      return go(previous ? `/r/${token}/p/${previous}` : here);
    }
    case "need:add": {
      if (!questionOfType(intent.key, "need_list")) return refuse(400, "bad_intent");
      const result = await save();
      if ("kind" in result) return result;
      return show({ values: fields, errors: {}, blankNeedSlots: { [intent.key]: 1 } });
    }
    case "need:remove": {
      const question = questionOfType(intent.key, "need_list");
      if (!question) return refuse(400, "bad_intent");
      fields = removeNeedSlot(intent.key, intent.slot, fields);
      const result = await save();
      if ("kind" in result) return result;
      // Number the remaining entries from 0 again, as saved.
      const rest = Object.fromEntries(
        Object.entries(fields).filter(([name]) => !name.startsWith(`q.${question.key}.`)),
      );
      const values = { ...rest, ...answersToFormFields([question], result.answers) };
      return show({ values, errors: {}, blankNeedSlots: { [intent.key]: 0 } });
    }
    case "rank": {
      const question = questionOfType(intent.key, "ranking");
      if (!question) return refuse(400, "bad_intent");
      fields = applyRankMove(question, fields, intent.item, intent.direction);
      const result = await save();
      if ("kind" in result) return result;
      return show({ values: fields, errors: {} });
    }
    case "next":
    case "review": {
      const pageAnswers = pageAnswersFromFormData(def, page.key, fieldsGetAll(fields));
      const merged = { ...response.answers, ...pageAnswers };
      // Questions that the answers just made visible, which the respondent has not seen yet:
      // they are shown with a neutral notice, never with an error (without JavaScript they
      // appear only now).
      const shown = form.get("shown");
      const appeared =
        typeof shown === "string"
          ? visibleKeysOnPage(def, page.key, merged).filter(
              (key) =>
                !shown.split(" ").includes(key) &&
                !isAnswered(
                  page.questions.find((q) => q.key === key)!,
                  pageAnswers[key],
                ),
            )
          : [];
      const notice = appeared.length > 0 ? ("moreQuestions" as const) : undefined;
      const parsed = buildPageSchema(def, page.key, response.answers, locale).safeParse(
        pageAnswers,
      );
      const issues = parsed.success
        ? []
        : parsed.error.issues.filter((issue) => !appeared.includes(String(issue.path[0])));
      if (issues.length > 0) {
        const result = await save();
        if ("kind" in result) return result;
        return show({ values: fields, errors: pageFieldErrors(def, issues, fields), notice }, 400);
      }
      if (notice) {
        const result = await save();
        if ("kind" in result) return result;
        return show({ values: fields, errors: {}, notice });
      }
      const next = intent.kind === "review" ? null : pageProgress(def, page.key, merged).next;
      const result = await save({ reached: next ?? REVIEW_MARK });
      if ("kind" in result) return result;
      return go(next ? `/r/${token}/p/${next}` : `/r/${token}/review`);
    }
  }
}
