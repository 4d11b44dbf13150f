import type { Db } from "#db/client";
import {
  DRAFT_MAX_BYTES,
  draftBytes,
  type DraftLimitIssue,
  draftLimitIssues,
} from "~/survey/draft-limits";
import { type ValidationMessages, validationMessages } from "~/survey/messages";
import type { AnswerRow } from "~/survey/question-type";
import { answerSchemaOf, answerToRows } from "~/survey/registry";
import { findPage, type Page, type SurveyDefinition } from "~/survey/schema";
import { pruneHidden } from "~/survey/visibility";
import { DRAFT_ITEM, type RespondentLocale } from "./constants";
import { type LoadedResponse, readAnswers, type Tx } from "./load.server";
import { isFurther } from "./navigation";

/** Saving drafts page by page, and the response's language and furthest page. */

export type SaveResult =
  | { ok: true; answers: Record<string, unknown>; savedAt: Date; stale?: boolean }
  | { ok: false; error: "submitted" | "unknown_page" }
  | ({ ok: false } & DraftProblem);

/**
 * Why a draft cannot be stored: a text longer than a submission accepts (with the question's
 * message for each), or all the response's answers together over DRAFT_MAX_BYTES.
 */
export type DraftProblem =
  { error: "too_long"; issues: DraftLimitIssue[] } | { error: "too_large" };

/** The answers a save of `pageAnswers` leaves: other pages' as stored, the page's as sent, hidden ones dropped. */
function mergePage(
  def: SurveyDefinition,
  page: Page,
  stored: Readonly<Record<string, unknown>>,
  pageAnswers: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const onPage = new Set(page.questions.map((q) => q.key));
  const merged: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(stored)) if (!onPage.has(key)) merged[key] = value;
  for (const q of page.questions) {
    if (pageAnswers[q.key] !== undefined) merged[q.key] = pageAnswers[q.key];
  }
  return pruneHidden(def, merged);
}

function draftProblemOf(
  page: Page,
  kept: Readonly<Record<string, unknown>>,
  messages: ValidationMessages,
): DraftProblem | null {
  const issues = page.questions
    .filter((q) => Object.hasOwn(kept, q.key))
    .flatMap((q) => draftLimitIssues(q, kept[q.key], messages));
  if (issues.length > 0) return { error: "too_long", issues };
  if (draftBytes(kept) > DRAFT_MAX_BYTES) return { error: "too_large" };
  return null;
}

/**
 * Whether savePage would refuse to store `pageAnswers` over the answers loaded with the
 * response (so that the page can say why, with the typed values, before saving anything).
 */
export function draftProblem(
  response: Pick<LoadedResponse, "def" | "answers">,
  pageKey: string,
  pageAnswers: Readonly<Record<string, unknown>>,
  locale: string,
): DraftProblem | null {
  const page = findPage(response.def, pageKey);
  if (!page) return null;
  const kept = mergePage(response.def, page, response.answers, pageAnswers);
  return draftProblemOf(page, kept, validationMessages(locale));
}

export interface SaveOptions {
  /** The page or REVIEW_MARK the respondent goes to next: recorded when further than before. */
  reached?: string;
  /** The response's language from now on. */
  locale?: RespondentLocale;
  /**
   * With JavaScript, every save from a page view carries the view's random id and an increasing
   * number. A save numbered lower than the last one stored from the same view arrived late (a
   * background save overtaken by Next): it is acknowledged and ignored.
   */
  revision?: DraftRevision;
}

export interface DraftRevision {
  client: string;
  revision: number;
}

/** The draft revision a form or autosave request carries, when it carries a valid one. */
export function draftRevisionOf(form: FormData): DraftRevision | undefined {
  const client = form.get("draft_client");
  const revision = Number(form.get("draft_revision"));
  if (typeof client !== "string" || !/^[A-Za-z0-9_-]{8,64}$/.test(client)) return undefined;
  if (!Number.isSafeInteger(revision) || revision < 0) return undefined;
  return { client, revision };
}

export function rowValues(
  responseId: string,
  surveyId: number,
  questionKey: string,
  row: AnswerRow,
) {
  return {
    response_id: responseId,
    survey_id: surveyId,
    question_key: questionKey,
    item: row.item,
    option_code: row.optionCode,
    value_num: row.valueNum,
    value_text: row.valueText,
    value_json:
      row.valueJson === null || row.valueJson === undefined ? null : JSON.stringify(row.valueJson),
  };
}

export async function insertRows(db: Tx, rows: ReturnType<typeof rowValues>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 2000) {
    await db
      .insertInto("answers")
      .values(rows.slice(i, i + 2000))
      .execute();
  }
}

/**
 * Saves a page as a draft, without requiring it to be complete: replaces the rows of the
 * page's questions with `pageAnswers` (raw, as read from the form), keeps answers that do not
 * pass their schema as typed, and deletes answers anywhere in the response whose question is
 * hidden now. Refuses (stores nothing) a text longer than a submission accepts, or a response
 * whose answers together would be over DRAFT_MAX_BYTES (see DraftProblem). Runs in a transaction holding the response row, so concurrent saves (autosave
 * and Next) apply one after the other.
 */
export async function savePage(
  db: Db,
  response: Pick<LoadedResponse, "id" | "def" | "locale" | "survey">,
  pageKey: string,
  pageAnswers: Readonly<Record<string, unknown>>,
  options: SaveOptions = {},
): Promise<SaveResult> {
  const { def } = response;
  const page = findPage(def, pageKey);
  if (!page) return { ok: false, error: "unknown_page" };
  const locale = options.locale ?? response.locale;
  const messages = validationMessages(locale);
  return db.transaction().execute(async (trx) => {
    const locked = await trx
      .selectFrom("responses")
      .select(["status", "current_page", "draft_client", "draft_revision", "updated_at"])
      .where("id", "=", response.id)
      .forUpdate()
      .executeTakeFirst();
    if (!locked || locked.status !== "in_progress")
      return { ok: false as const, error: "submitted" as const };
    const stored = await readAnswers(trx, response.id, def);
    const { revision } = options;
    if (
      revision &&
      locked.draft_client === revision.client &&
      locked.draft_revision !== null &&
      revision.revision < Number(locked.draft_revision)
    ) {
      return {
        ok: true as const,
        answers: stored,
        savedAt: new Date(locked.updated_at),
        stale: true,
      };
    }
    const onPage = new Set(page.questions.map((q) => q.key));
    const kept = mergePage(def, page, stored, pageAnswers);
    const problem = draftProblemOf(page, kept, messages);
    if (problem) return { ok: false as const, ...problem };
    const dropped = Object.keys(stored).filter(
      (key) => !onPage.has(key) && !Object.hasOwn(kept, key),
    );

    const rows: ReturnType<typeof rowValues>[] = [];
    for (const q of page.questions) {
      if (!Object.hasOwn(kept, q.key)) continue;
      const raw = kept[q.key];
      const parsed = answerSchemaOf(q, messages).safeParse(raw);
      if (parsed.success) {
        if (parsed.data === undefined) continue;
        for (const row of answerToRows(q, parsed.data))
          rows.push(rowValues(response.id, response.survey.id, q.key, row));
      } else {
        rows.push(
          rowValues(response.id, response.survey.id, q.key, {
            item: DRAFT_ITEM,
            optionCode: null,
            valueNum: null,
            valueText: null,
            valueJson: raw,
          }),
        );
      }
    }
    const keys = [...onPage, ...dropped];
    await trx
      .deleteFrom("answers")
      .where("response_id", "=", response.id)
      .where("question_key", "in", keys)
      .execute();
    await insertRows(trx, rows);
    const savedAt = new Date();
    await trx
      .updateTable("responses")
      .set({
        updated_at: savedAt,
        ...(options.locale ? { locale: options.locale } : {}),
        ...(revision ? { draft_client: revision.client, draft_revision: revision.revision } : {}),
        ...(options.reached && isFurther(def, options.reached, locked.current_page)
          ? { current_page: options.reached }
          : {}),
      })
      .where("id", "=", response.id)
      .execute();
    return { ok: true as const, answers: kept, savedAt };
  });
}

/** Records the response's language, and the furthest point reached when further than before. */
export async function updateResponseState(
  db: Db,
  response: Pick<LoadedResponse, "id" | "def" | "currentPage">,
  changes: { locale?: RespondentLocale; reached?: string },
): Promise<void> {
  const set: { updated_at: Date; locale?: string; current_page?: string } = {
    updated_at: new Date(),
  };
  if (changes.locale) set.locale = changes.locale;
  if (changes.reached && isFurther(response.def, changes.reached, response.currentPage))
    set.current_page = changes.reached;
  await db
    .updateTable("responses")
    .set(set)
    .where("id", "=", response.id)
    .where("status", "=", "in_progress")
    .execute();
}
