import { sql } from "kysely";
import type { Db } from "#db/client";
import type { LocalizedText } from "#db/schema";
import type { SurveyDefinition } from "~/survey/schema";
import { OTHER_ITEM } from "~/survey/types/multi-choice";
import { listAccessibleGroups, type SessionUser } from "./auth.server";
import { participationCounts, participationOf } from "./dashboards.server";
import { mergeVersions } from "./surveys.server";
import { effectiveStatus, type EffectiveStatus } from "./survey-admin.server";
import { freeTextQuestions } from "./themes.server";

/**
 * The staff start page: each working group the user may see, with each of its surveys' status,
 * responses, response rate, last submission and what needs attention. A fixed number of
 * queries whatever the number of surveys: groups, surveys, counts, definitions, untagged
 * free texts and failed e-mails, each grouped by survey.
 */

/** A survey whose closing date is this close shows as "closing soon". */
export const CLOSING_SOON_MS = 7 * 24 * 60 * 60 * 1000;

export interface StaffHomeSurvey {
  slug: string;
  title: LocalizedText;
  status: EffectiveStatus;
  closesAt: Date | null;
  /** Submitted responses. */
  submitted: number;
  /** Active personal invitations. */
  invited: number;
  /** Submitted invitation responses / invitations; null without invitations. */
  responseRate: number | null;
  lastSubmittedAt: Date | null;
  /**
   * Submitted free-text answers without a theme. Null when the survey has fewer than N
   * respondents: the free-text page lists nothing then, so there is nothing to tag.
   */
  untagged: number | null;
  /** E-mails that could not be delivered after every attempt. */
  failedEmails: number;
  /** Open, and the closing date falls within a week. */
  closingSoon: boolean;
}

export interface StaffHomeGroup {
  slug: string;
  name: LocalizedText;
  surveys: StaffHomeSurvey[];
}

/** Open or scheduled surveys first, then drafts, then closed ones; newest first within each. */
const STATUS_ORDER: Record<EffectiveStatus, number> = {
  open: 0,
  scheduled: 1,
  draft: 2,
  ended: 3,
  closed: 3,
};

export async function staffHome(
  db: Db,
  user: SessionUser,
  { minCell, now = new Date() }: { minCell: number; now?: Date },
): Promise<StaffHomeGroup[]> {
  const groups = await listAccessibleGroups(db, user);
  if (groups.length === 0) return [];

  const surveys = await db
    .selectFrom("surveys as s")
    .leftJoin("survey_versions as cv", "cv.id", "s.current_version_id")
    .select([
      "s.id",
      "s.slug",
      "s.working_group_id",
      "s.status",
      "s.opens_at",
      "s.closes_at",
      "s.current_version_id",
      sql<LocalizedText | null>`cv.definition -> 'title'`.as("title"),
    ])
    .where(
      "s.working_group_id",
      "in",
      groups.map((g) => g.id),
    )
    .orderBy("s.created_at", "desc")
    .orderBy("s.id", "desc")
    .execute();
  const surveyIds = surveys.map((s) => s.id);

  const [counts, versions, failed] = await Promise.all([
    participationCounts(db, surveyIds),
    surveyIds.length
      ? db
          .selectFrom("survey_versions")
          .select(["id", "survey_id", "version", "definition"])
          .where("survey_id", "in", surveyIds)
          .execute()
      : Promise.resolve([]),
    surveyIds.length
      ? db
          .selectFrom("email_outbox")
          .select(["survey_id", sql<number>`count(*)`.as("n")])
          .where("survey_id", "in", surveyIds)
          .where("status", "=", "failed")
          .groupBy("survey_id")
          .execute()
      : Promise.resolve([]),
  ]);

  // The free-text questions of each survey, merged over its versions as the free-text page does.
  const taggable = surveys.filter((s) => (counts.get(s.id)?.submitted ?? 0) >= minCell);
  const questionsOf = new Map(
    taggable.map((s) => {
      const own = versions
        .filter((v) => v.survey_id === s.id)
        .map((v) => ({ ...v, definition: v.definition as SurveyDefinition }));
      const questions = mergeVersions(own, s.current_version_id);
      return [s.id, { all: questions, text: freeTextQuestions({ questions }) }] as const;
    }),
  );
  const untagged = await untaggedCounts(db, questionsOf);

  const failedBy = new Map(failed.map((r) => [r.survey_id, Number(r.n)]));
  const byGroup = new Map<number, StaffHomeSurvey[]>(groups.map((g) => [g.id, []]));
  for (const s of surveys) {
    const status = effectiveStatus({
      status: s.status,
      opensAt: s.opens_at,
      closesAt: s.closes_at,
    });
    const c = counts.get(s.id);
    const p = participationOf(c, { matching: 0, weeks: [] }, minCell);
    const closesAt = s.closes_at ? new Date(s.closes_at) : null;
    byGroup.get(s.working_group_id)!.push({
      slug: s.slug,
      title: s.title ?? { en: s.slug, ru: s.slug },
      status,
      closesAt,
      submitted: p.submitted,
      invited: p.invited,
      responseRate: p.responseRate,
      lastSubmittedAt: c?.lastSubmitted ? new Date(c.lastSubmitted) : null,
      untagged: questionsOf.has(s.id) ? (untagged.get(s.id) ?? 0) : null,
      failedEmails: failedBy.get(s.id) ?? 0,
      closingSoon:
        status === "open" &&
        closesAt !== null &&
        closesAt.getTime() - now.getTime() <= CLOSING_SOON_MS,
    });
  }
  return groups.map((g) => ({
    slug: g.slug,
    name: g.name,
    surveys: byGroup
      .get(g.id)!
      .map((s, i) => ({ s, i }))
      .sort((a, b) => STATUS_ORDER[a.s.status] - STATUS_ORDER[b.s.status] || a.i - b.i)
      .map(({ s }) => s),
  }));
}

/**
 * Untagged free-text answers of submitted responses, by survey, in one grouped query: the
 * answers the free-text page lists (long texts, "other" texts, described needs), counting a
 * key only in the versions where it had its merged type.
 */
async function untaggedCounts(
  db: Db,
  questionsOf: Map<
    number,
    {
      all: ReturnType<typeof mergeVersions>;
      text: ReturnType<typeof freeTextQuestions>;
    }
  >,
): Promise<Map<number, number>> {
  const wanted = [...questionsOf].filter(([, q]) => q.text.length > 0);
  const result = new Map<number, number>();
  if (wanted.length === 0) return result;
  const rows = await db
    .selectFrom("answers as a")
    .innerJoin("responses as r", "r.id", "a.response_id")
    .select(["a.survey_id", sql<number>`count(*)`.as("n")])
    .where("r.status", "=", "submitted")
    .where((eb) =>
      eb.or(
        wanted.map(([surveyId, q]) => {
          const keysOf = (kind: string) => q.text.filter((t) => t.kind === kind).map((t) => t.key);
          const [textKeys, otherKeys, needKeys] = [
            keysOf("long_text"),
            keysOf("other"),
            keysOf("need"),
          ];
          const kinds = [];
          if (textKeys.length)
            kinds.push(
              eb.and([eb("a.question_key", "in", textKeys), eb("a.value_text", "is not", null)]),
            );
          if (otherKeys.length)
            kinds.push(
              eb.and([eb("a.question_key", "in", otherKeys), eb("a.item", "=", OTHER_ITEM)]),
            );
          if (needKeys.length) kinds.push(eb("a.question_key", "in", needKeys));
          const conditions = [eb("a.survey_id", "=", surveyId), eb.or(kinds)];
          for (const question of q.all) {
            if (!question.versionIds || !q.text.some((t) => t.key === question.key)) continue;
            conditions.push(
              eb.or([
                eb("a.question_key", "<>", question.key),
                eb("r.survey_version_id", "in", question.versionIds),
              ]),
            );
          }
          return eb.and(conditions);
        }),
      ),
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("answer_tags as t")
            .select("t.answer_id")
            .whereRef("t.answer_id", "=", "a.id"),
        ),
      ),
    )
    .groupBy("a.survey_id")
    .execute();
  for (const r of rows) result.set(r.survey_id, Number(r.n));
  return result;
}
