/**
 * The stored additions to a working group's findings report: the edited executive summary (per
 * survey and language, with the generated text it started from) and the comment of each
 * section (per survey). Every change is audit-logged with the change itself.
 */
import type { Db } from "#db/client";
import { audit, type AuditActor } from "../audit.server";
import { COMMENT_MAX, type CommentSection, isCommentSection, SUMMARY_MAX } from "./report-notes";

export interface NoteOptions {
  by: AuditActor;
  ip?: string | null;
}

export type NoteResult =
  | { ok: true }
  | {
      ok: false;
      error:
        | "dashboard.summary.errors.empty"
        | "dashboard.summary.errors.tooLong"
        | "dashboard.comments.errors.tooLong"
        | "dashboard.comments.errors.section";
    };

export interface StoredNotes {
  summary: { text: string; generatedFrom: string; updatedAt: Date } | null;
  comments: Partial<Record<CommentSection, string>>;
}

/** Line ends as one kind, trailing spaces gone: texts compare as the reader sees them. */
export function normalizeNote(text: unknown): string {
  return String(text ?? "")
    .replace(/\r\n?/g, "\n")
    .replace(/[ \t]+$/gm, "")
    .trim();
}

export async function readReportNotes(
  db: Db,
  surveyId: number,
  locale: string,
): Promise<StoredNotes> {
  const [summary, comments] = await Promise.all([
    db
      .selectFrom("report_summaries")
      .select(["text", "generated_from", "updated_at"])
      .where("survey_id", "=", surveyId)
      .where("locale", "=", locale)
      .executeTakeFirst(),
    db
      .selectFrom("report_comments")
      .select(["section", "text"])
      .where("survey_id", "=", surveyId)
      .execute(),
  ]);
  const byS: StoredNotes["comments"] = {};
  for (const c of comments) if (isCommentSection(c.section)) byS[c.section] = c.text;
  return {
    summary: summary
      ? { text: summary.text, generatedFrom: summary.generated_from, updatedAt: summary.updated_at }
      : null,
    comments: byS,
  };
}

/** Stores an edited summary; `generatedFrom` is the generated text the edit started from. */
export async function saveReportSummary(
  db: Db,
  note: { surveyId: number; locale: string; text: unknown; generatedFrom: unknown },
  options: NoteOptions,
): Promise<NoteResult> {
  const text = normalizeNote(note.text);
  if (!text) return { ok: false, error: "dashboard.summary.errors.empty" };
  if (text.length > SUMMARY_MAX) return { ok: false, error: "dashboard.summary.errors.tooLong" };
  const generatedFrom = normalizeNote(note.generatedFrom).slice(0, SUMMARY_MAX);
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("report_summaries")
      .values({
        survey_id: note.surveyId,
        locale: note.locale,
        text,
        generated_from: generatedFrom,
        updated_by: options.by.id,
      })
      .onConflict((oc) =>
        oc.columns(["survey_id", "locale"]).doUpdateSet({
          text,
          generated_from: generatedFrom,
          updated_by: options.by.id,
          updated_at: new Date(),
        }),
      )
      .execute();
    await audit(trx, {
      user: options.by,
      action: "report.summary_saved",
      targetType: "survey",
      targetId: note.surveyId,
      details: { locale: note.locale, length: text.length },
      ip: options.ip,
    });
  });
  return { ok: true };
}

/** Drops the edited summary: the report prints the generated one again. */
export async function resetReportSummary(
  db: Db,
  surveyId: number,
  locale: string,
  options: NoteOptions,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const gone = await trx
      .deleteFrom("report_summaries")
      .where("survey_id", "=", surveyId)
      .where("locale", "=", locale)
      .executeTakeFirst();
    if (Number(gone.numDeletedRows) === 0) return;
    await audit(trx, {
      user: options.by,
      action: "report.summary_reset",
      targetType: "survey",
      targetId: surveyId,
      details: { locale },
      ip: options.ip,
    });
  });
}

/** Stores the comment of a section; an empty text removes it. */
export async function saveReportComment(
  db: Db,
  note: { surveyId: number; section: unknown; text: unknown },
  options: NoteOptions,
): Promise<NoteResult & { removed?: boolean }> {
  if (!isCommentSection(note.section))
    return { ok: false, error: "dashboard.comments.errors.section" };
  const section = note.section;
  const text = normalizeNote(note.text);
  if (text.length > COMMENT_MAX) return { ok: false, error: "dashboard.comments.errors.tooLong" };
  return db.transaction().execute(async (trx) => {
    if (!text) {
      const gone = await trx
        .deleteFrom("report_comments")
        .where("survey_id", "=", note.surveyId)
        .where("section", "=", section)
        .executeTakeFirst();
      if (Number(gone.numDeletedRows) > 0)
        await audit(trx, {
          user: options.by,
          action: "report.comment_removed",
          targetType: "survey",
          targetId: note.surveyId,
          details: { section },
          ip: options.ip,
        });
      return { ok: true as const, removed: true };
    }
    await trx
      .insertInto("report_comments")
      .values({ survey_id: note.surveyId, section, text, updated_by: options.by.id })
      .onConflict((oc) =>
        oc
          .columns(["survey_id", "section"])
          .doUpdateSet({ text, updated_by: options.by.id, updated_at: new Date() }),
      )
      .execute();
    await audit(trx, {
      user: options.by,
      action: "report.comment_saved",
      targetType: "survey",
      targetId: note.surveyId,
      details: { section, length: text.length },
      ip: options.ip,
    });
    return { ok: true as const };
  });
}
