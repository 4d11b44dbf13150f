import { sql, type Transaction } from "kysely";
import * as z from "zod";
import type { Db } from "#db/client";
import type { Database, LocalizedText } from "#db/schema";
import { textLanguage } from "~/survey/locale";
import { OTHER_ITEM } from "~/survey/types/multi-choice";
import { audit, type AuditActor } from "./audit.server";
import {
  type CodeLabel,
  type DashboardSurvey,
  filteredResponseCount,
  filteredResponses,
} from "./dashboards.server";
import { type ResponseFilters } from "./filters.server";

/**
 * Free-text answers and the themes coordinators tag them with. Free text is: long-text
 * answers, "other, please specify" answers of multiple-choice questions, and the needs
 * respondents described (title and description). Themes belong to a working group.
 */

export const THEME_NAME_MAX = 80;
export const TEXTS_PAGE_SIZE = 20;
/** The page sizes a reader can choose on the free-text page (the first is the default). */
export const TEXTS_PAGE_SIZES = [TEXTS_PAGE_SIZE, 50, 100] as const;
/** At most this many answers are tagged or untagged by one request: a whole page of the largest size. */
export const BULK_TAG_MAX_ANSWERS = 100;
/** At most this many themes are applied or removed at once. */
export const BULK_TAG_MAX_THEMES = 20;

const ANSWER_ID = /^\d{1,18}$/;

export const themeNameSchema = z
  .string({ message: "dashboard.themes.errors.nameRequired" })
  .trim()
  .min(1, { message: "dashboard.themes.errors.nameRequired" })
  .max(THEME_NAME_MAX, { message: "dashboard.themes.errors.nameTooLong" });

export type ThemeError =
  | "dashboard.themes.errors.nameRequired"
  | "dashboard.themes.errors.nameTooLong"
  | "dashboard.themes.errors.nameTaken"
  | "dashboard.themes.errors.notFound"
  | "dashboard.themes.errors.sameTheme"
  | "dashboard.texts.errors.answerNotFound"
  | "dashboard.texts.errors.answersNotFound"
  | "dashboard.texts.errors.chooseAnswers"
  | "dashboard.texts.errors.tooManyAnswers"
  | "dashboard.texts.errors.chooseTheme"
  | "dashboard.texts.errors.chooseThemeToRemove"
  | "dashboard.texts.errors.tooManyThemes";

export type ThemeResult<T = object> = ({ ok: true } & T) | { ok: false; error: ThemeError };

export interface ThemeSummary {
  id: number;
  name: string;
  /** Answers tagged with the theme, over all of the group's surveys. */
  answers: number;
  createdAt: Date;
}

export interface ChangeOptions {
  by: AuditActor;
  ip?: string | null;
}

function isUniqueViolation(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { code?: unknown }).code === "23505";
}

function parseName(raw: unknown): ThemeResult<{ name: string }> {
  const parsed = themeNameSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0].message as ThemeError };
  return { ok: true, name: parsed.data.replace(/\s+/g, " ") };
}

/** The group's themes by name, with how many answers carry each. */
export async function listThemes(db: Db, groupId: number): Promise<ThemeSummary[]> {
  const rows = await db
    .selectFrom("themes as th")
    .leftJoin("answer_tags as t", "t.theme_id", "th.id")
    .select(["th.id", "th.name", "th.created_at", sql<number>`count(t.answer_id)`.as("answers")])
    .where("th.working_group_id", "=", groupId)
    .groupBy(["th.id", "th.name", "th.created_at"])
    .orderBy(sql`lower(th.name)`)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    answers: Number(r.answers),
    createdAt: r.created_at,
  }));
}

export async function createTheme(
  db: Db,
  groupId: number,
  rawName: unknown,
  options: ChangeOptions,
): Promise<ThemeResult<{ id: number; name: string }>> {
  const name = parseName(rawName);
  if (!name.ok) return name;
  try {
    return await db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto("themes")
        .values({ working_group_id: groupId, name: name.name, created_by: options.by.id })
        .returning("id")
        .executeTakeFirstOrThrow();
      await audit(trx, {
        user: options.by,
        action: "theme.created",
        targetType: "theme",
        targetId: row.id,
        details: { group: groupId, name: name.name },
        ip: options.ip,
      });
      return { ok: true as const, id: row.id, name: name.name };
    });
  } catch (e) {
    if (isUniqueViolation(e)) return { ok: false, error: "dashboard.themes.errors.nameTaken" };
    throw e;
  }
}

export async function renameTheme(
  db: Db,
  groupId: number,
  themeId: number,
  rawName: unknown,
  options: ChangeOptions,
): Promise<ThemeResult<{ name: string }>> {
  const name = parseName(rawName);
  if (!name.ok) return name;
  try {
    return await db.transaction().execute(async (trx) => {
      const before = await trx
        .selectFrom("themes")
        .select("name")
        .where("id", "=", themeId)
        .where("working_group_id", "=", groupId)
        .forUpdate()
        .executeTakeFirst();
      if (!before)
        return { ok: false as const, error: "dashboard.themes.errors.notFound" as const };
      await trx.updateTable("themes").set({ name: name.name }).where("id", "=", themeId).execute();
      await audit(trx, {
        user: options.by,
        action: "theme.renamed",
        targetType: "theme",
        targetId: themeId,
        details: { group: groupId, from: before.name, to: name.name },
        ip: options.ip,
      });
      return { ok: true as const, name: name.name };
    });
  } catch (e) {
    if (isUniqueViolation(e)) return { ok: false, error: "dashboard.themes.errors.nameTaken" };
    throw e;
  }
}

/** Moves every tag of `sourceId` to `targetId` (an answer tagged with both keeps one) and deletes the source. */
export async function mergeThemes(
  db: Db,
  groupId: number,
  sourceId: number,
  targetId: number,
  options: ChangeOptions,
): Promise<ThemeResult<{ moved: number; source: string; target: string }>> {
  if (sourceId === targetId) return { ok: false, error: "dashboard.themes.errors.sameTheme" };
  return db.transaction().execute(async (trx) => {
    const themes = await trx
      .selectFrom("themes")
      .select(["id", "name"])
      .where("id", "in", [sourceId, targetId])
      .where("working_group_id", "=", groupId)
      .forUpdate()
      .execute();
    const source = themes.find((t) => t.id === sourceId);
    const target = themes.find((t) => t.id === targetId);
    if (!source || !target)
      return { ok: false as const, error: "dashboard.themes.errors.notFound" as const };
    const moved = await trx
      .insertInto("answer_tags")
      .columns(["answer_id", "theme_id", "created_by", "created_at"])
      .expression((eb) =>
        eb
          .selectFrom("answer_tags")
          .select(["answer_id", sql.lit(targetId).as("theme_id"), "created_by", "created_at"])
          .where("theme_id", "=", sourceId),
      )
      .onConflict((oc) => oc.columns(["answer_id", "theme_id"]).doNothing())
      .executeTakeFirst();
    await trx.deleteFrom("themes").where("id", "=", sourceId).execute();
    await audit(trx, {
      user: options.by,
      action: "theme.merged",
      targetType: "theme",
      targetId,
      details: {
        group: groupId,
        source: { id: sourceId, name: source.name },
        target: { id: targetId, name: target.name },
      },
      ip: options.ip,
    });
    return {
      ok: true as const,
      moved: Number(moved.numInsertedOrUpdatedRows ?? 0),
      source: source.name,
      target: target.name,
    };
  });
}

/** Which of the answers are free text of the group's surveys' submitted responses. */
async function groupAnswers(
  db: Db,
  groupId: number,
  answerIds: readonly string[],
): Promise<Array<{ id: string; survey_id: number }>> {
  const ids = answerIds.filter((id) => ANSWER_ID.test(id));
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom("answers as a")
    .innerJoin("surveys as s", "s.id", "a.survey_id")
    .innerJoin("responses as r", "r.id", "a.response_id")
    .select(["a.id", "a.survey_id"])
    .where("a.id", "in", ids)
    .where("s.working_group_id", "=", groupId)
    .where("r.status", "=", "submitted")
    .where((eb) => eb.or([eb("a.value_text", "is not", null), eb("a.value_json", "is not", null)]))
    .execute();
  return rows.map((r) => ({ id: String(r.id), survey_id: r.survey_id }));
}

/** Whether an answer row is free text of one of the group's surveys. */
async function groupAnswer(
  db: Db,
  groupId: number,
  answerId: string,
): Promise<{ id: string; survey_id: number } | undefined> {
  return (await groupAnswers(db, groupId, [answerId]))[0];
}

/**
 * The theme to tag with: one of the group's themes by id, or the group's theme of that name
 * (created when the group has none).
 */
async function resolveTheme(
  db: Db,
  groupId: number,
  theme: { id: number } | { name: unknown },
  options: ChangeOptions,
): Promise<ThemeResult<{ themeId: number }>> {
  if ("id" in theme) {
    const found = await db
      .selectFrom("themes")
      .select("id")
      .where("id", "=", theme.id)
      .where("working_group_id", "=", groupId)
      .executeTakeFirst();
    if (!found) return { ok: false, error: "dashboard.themes.errors.notFound" };
    return { ok: true, themeId: found.id };
  }
  const name = parseName(theme.name);
  if (!name.ok) return name;
  const existing = await db
    .selectFrom("themes")
    .select("id")
    .where("working_group_id", "=", groupId)
    .where(sql<string>`lower(name)`, "=", name.name.toLowerCase())
    .executeTakeFirst();
  if (existing) return { ok: true, themeId: existing.id };
  const created = await createTheme(db, groupId, name.name, options);
  if (!created.ok) return created;
  return { ok: true, themeId: created.id };
}

/**
 * Tags an answer with an existing theme, or with a new theme of the given name (created
 * first, or found when the group already has it).
 */
export async function tagAnswer(
  db: Db,
  groupId: number,
  answerId: string,
  theme: { id: number } | { name: unknown },
  options: ChangeOptions,
): Promise<ThemeResult<{ themeId: number }>> {
  const answer = await groupAnswer(db, groupId, answerId);
  if (!answer) return { ok: false, error: "dashboard.texts.errors.answerNotFound" };
  const resolved = await resolveTheme(db, groupId, theme, options);
  if (!resolved.ok) return resolved;
  const { themeId } = resolved;
  await db.transaction().execute(async (trx) => {
    const added = await trx
      .insertInto("answer_tags")
      .values({ answer_id: answerId, theme_id: themeId, created_by: options.by.id })
      .onConflict((oc) => oc.columns(["answer_id", "theme_id"]).doNothing())
      .executeTakeFirst();
    if (Number(added.numInsertedOrUpdatedRows ?? 0) > 0) {
      await audit(trx, {
        user: options.by,
        action: "answer.tagged",
        targetType: "answer",
        targetId: answerId,
        details: { group: groupId, survey: answer.survey_id, theme: themeId },
        ip: options.ip,
      });
    }
  });
  return { ok: true, themeId };
}

export async function untagAnswer(
  db: Db,
  groupId: number,
  answerId: string,
  themeId: number,
  options: ChangeOptions,
): Promise<ThemeResult> {
  const answer = await groupAnswer(db, groupId, answerId);
  if (!answer) return { ok: false, error: "dashboard.texts.errors.answerNotFound" };
  await db.transaction().execute(async (trx) => {
    const removed = await trx
      .deleteFrom("answer_tags")
      .where("answer_id", "=", answerId)
      .where("theme_id", "=", themeId)
      .executeTakeFirst();
    if (Number(removed.numDeletedRows) > 0) {
      await audit(trx, {
        user: options.by,
        action: "answer.untagged",
        targetType: "answer",
        targetId: answerId,
        details: { group: groupId, survey: answer.survey_id, theme: themeId },
        ip: options.ip,
      });
    }
  });
  return { ok: true };
}

// ---------------------------------------------------------------------------------------------
// Tagging several answers at once

/**
 * Several answers and the themes to apply to them or remove from them, as a form posts them:
 * answer ids, ids of the group's themes and, for tagging, the name of a new theme. Both lists
 * are bounded, every id is checked and repeated ids count once.
 */
export const bulkTagSchema = z.object({
  answers: z
    .array(z.string())
    .min(1, { message: "dashboard.texts.errors.chooseAnswers" })
    .max(BULK_TAG_MAX_ANSWERS, { message: "dashboard.texts.errors.tooManyAnswers" })
    .pipe(
      z.array(z.string().regex(ANSWER_ID, { message: "dashboard.texts.errors.answersNotFound" })),
    )
    .transform((ids) => [...new Set(ids)]),
  themes: z
    .array(z.string())
    .max(BULK_TAG_MAX_THEMES, { message: "dashboard.texts.errors.tooManyThemes" })
    .pipe(
      z.array(
        z
          .string()
          .regex(/^\d{1,9}$/, { message: "dashboard.themes.errors.notFound" })
          .transform(Number),
      ),
    )
    .transform((ids) => [...new Set(ids)]),
  newTheme: z.string().default(""),
});

export type BulkTagInput = z.input<typeof bulkTagSchema>;

export interface BulkTagResult {
  /** The answers the request named (each once). */
  answers: number;
  /** The themes applied or removed. */
  themeIds: number[];
  /** Tags added or removed: pairs of answer and theme that were not so already. */
  changed: number;
}

/** The parsed request with its answers checked to be free text of the group, or the first error. */
async function bulkTarget(
  db: Db,
  groupId: number,
  input: BulkTagInput,
): Promise<
  ThemeResult<{ parsed: z.output<typeof bulkTagSchema>; surveys: number[]; themeIds: number[] }>
> {
  const parsed = bulkTagSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0].message as ThemeError };
  const found = await groupAnswers(db, groupId, parsed.data.answers);
  // All or nothing: an answer of another group (or no answer at all) fails the whole request.
  if (found.length !== parsed.data.answers.length)
    return { ok: false, error: "dashboard.texts.errors.answersNotFound" };
  const themeIds = parsed.data.themes;
  if (themeIds.length) {
    const themes = await db
      .selectFrom("themes")
      .select("id")
      .where("id", "in", themeIds)
      .where("working_group_id", "=", groupId)
      .execute();
    if (themes.length !== themeIds.length)
      return { ok: false, error: "dashboard.themes.errors.notFound" };
  }
  return {
    ok: true,
    parsed: parsed.data,
    surveys: [...new Set(found.map((a) => a.survey_id))].sort((a, b) => a - b),
    themeIds,
  };
}

/** What a bulk change covers, for its audit entry: answers counted, surveys and themes by id. */
interface BulkScope {
  answers: number;
  surveys: number[];
  themeIds: number[];
}

/**
 * A bulk tagging change in one transaction: `change` tags or untags and returns how many tags it
 * added or removed; when that is any, one audit entry (`answers.tagged` or `answers.untagged`)
 * records the surveys, themes and answers it covered.
 */
async function auditedBulkChange(
  db: Db,
  groupId: number,
  bulk: BulkScope,
  options: ChangeOptions,
  kind: "tagged" | "untagged",
  change: (trx: Transaction<Database>) => Promise<number>,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const n = await change(trx);
    if (n > 0) {
      await audit(trx, {
        user: options.by,
        action: `answers.${kind}`,
        targetType: "working_group",
        targetId: groupId,
        details: {
          group: groupId,
          surveys: bulk.surveys,
          themes: bulk.themeIds,
          answers: bulk.answers,
          [kind === "tagged" ? "added" : "removed"]: n,
        },
        ip: options.ip,
      });
    }
    return n;
  });
}

/**
 * Tags several of the group's free-text answers with the chosen themes (and a new theme of
 * the given name, created first or found by name). Tagging again changes nothing; one audit
 * entry records the action with its counts.
 */
export async function tagAnswers(
  db: Db,
  groupId: number,
  input: BulkTagInput,
  options: ChangeOptions,
): Promise<ThemeResult<BulkTagResult>> {
  const target = await bulkTarget(db, groupId, input);
  if (!target.ok) return target;
  const { parsed, surveys } = target;
  const themeIds = [...target.themeIds];
  if (parsed.newTheme.trim()) {
    const created = await resolveTheme(db, groupId, { name: parsed.newTheme }, options);
    if (!created.ok) return created;
    if (!themeIds.includes(created.themeId)) themeIds.push(created.themeId);
  }
  if (themeIds.length === 0) return { ok: false, error: "dashboard.texts.errors.chooseTheme" };
  const changed = await auditedBulkChange(
    db,
    groupId,
    { answers: parsed.answers.length, surveys, themeIds },
    options,
    "tagged",
    async (trx) => {
      const added = await trx
        .insertInto("answer_tags")
        .values(
          parsed.answers.flatMap((answerId) =>
            themeIds.map((themeId) => ({
              answer_id: answerId,
              theme_id: themeId,
              created_by: options.by.id,
            })),
          ),
        )
        .onConflict((oc) => oc.columns(["answer_id", "theme_id"]).doNothing())
        .executeTakeFirst();
      return Number(added.numInsertedOrUpdatedRows ?? 0);
    },
  );
  return { ok: true, answers: parsed.answers.length, themeIds, changed };
}

/** Removes the chosen themes from several of the group's free-text answers; one audit entry. */
export async function untagAnswers(
  db: Db,
  groupId: number,
  input: BulkTagInput,
  options: ChangeOptions,
): Promise<ThemeResult<BulkTagResult>> {
  const target = await bulkTarget(db, groupId, input);
  if (!target.ok) return target;
  const { parsed, surveys, themeIds } = target;
  if (themeIds.length === 0)
    return { ok: false, error: "dashboard.texts.errors.chooseThemeToRemove" };
  const changed = await auditedBulkChange(
    db,
    groupId,
    { answers: parsed.answers.length, surveys, themeIds },
    options,
    "untagged",
    async (trx) => {
      const removed = await trx
        .deleteFrom("answer_tags")
        .where("answer_id", "in", parsed.answers)
        .where("theme_id", "in", themeIds)
        .executeTakeFirst();
      return Number(removed.numDeletedRows);
    },
  );
  return { ok: true, answers: parsed.answers.length, themeIds, changed };
}

// ---------------------------------------------------------------------------------------------
// The free-text list

export type FreeTextKind = "long_text" | "other" | "need";

export interface FreeTextQuery {
  /** Words to look for (case-insensitive, in the text and in need titles). */
  q?: string;
  /** Only answers to this question. */
  question?: string;
  /** Only answers tagged with this theme; "none" for answers without any theme. */
  theme?: number | "none";
  /** 1-based page; past the last page, the last page. */
  page?: number;
  /** Answers per page (TEXTS_PAGE_SIZE unless given). */
  pageSize?: number;
  filters?: ResponseFilters;
}

export interface FreeTextItem {
  answerId: string;
  questionKey: string;
  kind: FreeTextKind;
  text: string;
  /** Title, category and horizon of a described need. */
  need?: { title: string; category: string | null; horizon: string | null };
  /** The language the respondent answered the survey in. */
  locale: string;
  /** The language the answer is written in (see textLanguage). */
  language: string;
  submittedAt: Date | null;
  themes: Array<{ id: number; name: string }>;
}

export interface FreeTextPage {
  items: FreeTextItem[];
  total: number;
  page: number;
  pages: number;
  pageSize: number;
  /** The questions whose free text is listed, for the question filter. */
  questions: Array<{
    key: string;
    label: LocalizedText;
    kind: FreeTextKind;
    categories?: CodeLabel[];
  }>;
  /** "small": the respondent filters leave fewer than N respondents, so nothing is listed. */
  coverage: "ok" | "small";
}

export function freeTextQuestions(
  survey: Pick<DashboardSurvey, "questions">,
): FreeTextPage["questions"] {
  // Each question type declares the free text its answers are (its registry entry's summary).
  return survey.questions.flatMap((q): FreeTextPage["questions"] =>
    q.freeText === "long_text"
      ? [{ key: q.key, label: q.label, kind: "long_text" as const }]
      : q.other
        ? [{ key: q.key, label: q.label, kind: "other" as const }]
        : q.freeText === "need"
          ? [{ key: q.key, label: q.label, kind: "need" as const, categories: q.codes }]
          : [],
  );
}

function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A page of the survey's free-text answers (newest first), with their themes. */
export async function listFreeTexts(
  db: Db,
  survey: Pick<DashboardSurvey, "id" | "questions">,
  query: FreeTextQuery,
  { minCell }: { minCell: number },
): Promise<FreeTextPage> {
  const questions = freeTextQuestions(survey);
  const wanted = query.question ? questions.filter((q) => q.key === query.question) : questions;
  const filters = query.filters ?? {};
  const page = Math.max(1, Math.floor(query.page ?? 1));
  const pageSize = Math.min(
    BULK_TAG_MAX_ANSWERS,
    Math.max(1, Math.floor(query.pageSize ?? TEXTS_PAGE_SIZE)),
  );
  const empty = { items: [], total: 0, page: 1, pages: 1, pageSize, questions };
  if (wanted.length === 0) return { ...empty, coverage: "ok" };

  // As on the dashboard: a view of fewer than N respondents (the whole survey or a filtered part
  // of it) shows no answers, so that a reader cannot tell who wrote what.
  const n = await filteredResponseCount(db, survey.id, filters);
  if (n > 0 && n < minCell) return { ...empty, coverage: "small" };

  const textKeys = wanted.filter((q) => q.kind === "long_text").map((q) => q.key);
  const otherKeys = wanted.filter((q) => q.kind === "other").map((q) => q.key);
  const needKeys = wanted.filter((q) => q.kind === "need").map((q) => q.key);
  const versionRestricted = survey.questions.filter(
    (q) => q.versionIds && wanted.some((w) => w.key === q.key),
  );

  const rows = await db
    .with("fr", () => filteredResponses(db, [survey.id], filters))
    .selectFrom("answers as a")
    .innerJoin("fr", "fr.id", "a.response_id")
    .innerJoin("responses as r", "r.id", "a.response_id")
    .select([
      "a.id",
      "a.question_key",
      "a.item",
      "a.option_code",
      "a.value_text",
      sql<string | null>`a.value_json ->> 'title'`.as("title"),
      sql<string | null>`a.value_json ->> 'horizon'`.as("horizon"),
      "r.locale",
      "r.submitted_at",
      sql<number>`count(*) over ()`.as("total"),
      sql<Array<{ id: number; name: string }>>`(
        select coalesce(json_agg(json_build_object('id', th.id, 'name', th.name) order by lower(th.name)), '[]'::json)
        from answer_tags t join themes th on th.id = t.theme_id where t.answer_id = a.id)`.as(
        "themes",
      ),
    ])
    .where("a.survey_id", "=", survey.id)
    .where((eb) => {
      const kinds = [];
      if (textKeys.length)
        kinds.push(
          eb.and([eb("a.question_key", "in", textKeys), eb("a.value_text", "is not", null)]),
        );
      if (otherKeys.length)
        kinds.push(eb.and([eb("a.question_key", "in", otherKeys), eb("a.item", "=", OTHER_ITEM)]));
      if (needKeys.length) kinds.push(eb("a.question_key", "in", needKeys));
      const conditions = [eb.or(kinds)];
      for (const q of versionRestricted) {
        conditions.push(
          eb.or([
            eb("a.question_key", "<>", q.key),
            eb("fr.survey_version_id", "in", q.versionIds!),
          ]),
        );
      }
      if (query.q?.trim()) {
        const pattern = likePattern(query.q.trim());
        conditions.push(
          eb.or([
            eb("a.value_text", "ilike", pattern),
            eb(sql<string>`a.value_json ->> 'title'`, "ilike", pattern),
          ]),
        );
      }
      if (query.theme === "none") {
        conditions.push(
          eb.not(
            eb.exists(
              eb
                .selectFrom("answer_tags as t")
                .select("t.answer_id")
                .whereRef("t.answer_id", "=", "a.id"),
            ),
          ),
        );
      } else if (typeof query.theme === "number") {
        conditions.push(
          eb.exists(
            eb
              .selectFrom("answer_tags as t")
              .select("t.answer_id")
              .whereRef("t.answer_id", "=", "a.id")
              .where("t.theme_id", "=", query.theme),
          ),
        );
      }
      return eb.and(conditions);
    })
    .orderBy("r.submitted_at", "desc")
    .orderBy("a.id")
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();

  // A page past the end (its last answers were just tagged away from an "untagged" view, say)
  // shows the last page there is.
  if (rows.length === 0 && page > 1) {
    const first = await listFreeTexts(db, survey, { ...query, page: 1 }, { minCell });
    return first.pages > 1
      ? listFreeTexts(db, survey, { ...query, page: first.pages }, { minCell })
      : first;
  }

  const kindOf = (key: string): FreeTextKind => wanted.find((q) => q.key === key)!.kind;
  const total = Number(rows[0]?.total ?? 0);
  return {
    items: rows.map((r) => {
      const kind = kindOf(r.question_key);
      return {
        answerId: String(r.id),
        questionKey: r.question_key,
        kind,
        text: r.value_text ?? "",
        ...(kind === "need"
          ? { need: { title: r.title ?? "", category: r.option_code, horizon: r.horizon } }
          : {}),
        locale: r.locale,
        language: textLanguage(`${r.title ?? ""} ${r.value_text ?? ""}`, r.locale),
        submittedAt: r.submitted_at,
        themes: r.themes,
      };
    }),
    total,
    page,
    pages: Math.max(1, Math.ceil(total / pageSize)),
    pageSize,
    questions,
    coverage: "ok",
  };
}
