import { sql } from "kysely";
import * as z from "zod";
import type { Db } from "#db/client";
import type { LocalizedText } from "#db/schema";
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
  | "dashboard.texts.errors.answerNotFound";

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

/** Whether an answer row is free text of one of the group's surveys. */
async function groupAnswer(
  db: Db,
  groupId: number,
  answerId: string,
): Promise<{ id: string; survey_id: number } | undefined> {
  if (!/^\d{1,18}$/.test(answerId)) return undefined;
  return db
    .selectFrom("answers as a")
    .innerJoin("surveys as s", "s.id", "a.survey_id")
    .innerJoin("responses as r", "r.id", "a.response_id")
    .select(["a.id", "a.survey_id"])
    .where("a.id", "=", answerId)
    .where("s.working_group_id", "=", groupId)
    .where("r.status", "=", "submitted")
    .where((eb) => eb.or([eb("a.value_text", "is not", null), eb("a.value_json", "is not", null)]))
    .executeTakeFirst();
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
  let themeId: number;
  if ("id" in theme) {
    const found = await db
      .selectFrom("themes")
      .select("id")
      .where("id", "=", theme.id)
      .where("working_group_id", "=", groupId)
      .executeTakeFirst();
    if (!found) return { ok: false, error: "dashboard.themes.errors.notFound" };
    themeId = found.id;
  } else {
    const name = parseName(theme.name);
    if (!name.ok) return name;
    const existing = await db
      .selectFrom("themes")
      .select("id")
      .where("working_group_id", "=", groupId)
      .where(sql<string>`lower(name)`, "=", name.name.toLowerCase())
      .executeTakeFirst();
    if (existing) themeId = existing.id;
    else {
      const created = await createTheme(db, groupId, name.name, options);
      if (!created.ok) return created;
      themeId = created.id;
    }
  }
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
// The free-text list

export type FreeTextKind = "long_text" | "other" | "need";

export interface FreeTextQuery {
  /** Words to look for (case-insensitive, in the text and in need titles). */
  q?: string;
  /** Only answers to this question. */
  question?: string;
  /** Only answers tagged with this theme; "none" for answers without any theme. */
  theme?: number | "none";
  /** 1-based page. */
  page?: number;
  filters?: ResponseFilters;
}

export interface FreeTextItem {
  answerId: string;
  questionKey: string;
  kind: FreeTextKind;
  text: string;
  /** Title, category and horizon of a described need. */
  need?: { title: string; category: string | null; horizon: string | null };
  locale: string;
  submittedAt: Date | null;
  themes: Array<{ id: number; name: string }>;
}

export interface FreeTextPage {
  items: FreeTextItem[];
  total: number;
  page: number;
  pages: number;
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
  const empty = { items: [], total: 0, page: 1, pages: 1, questions };
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
    .limit(TEXTS_PAGE_SIZE)
    .offset((page - 1) * TEXTS_PAGE_SIZE)
    .execute();

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
        submittedAt: r.submitted_at,
        themes: r.themes,
      };
    }),
    total,
    page,
    pages: Math.max(1, Math.ceil(total / TEXTS_PAGE_SIZE)),
    questions,
    coverage: "ok",
  };
}
