import { type Transaction } from "kysely";
import type { Db } from "#db/client";
import type { Database } from "#db/schema";
import { buildSubmissionSchema } from "~/survey/answer-schema";
import { isSupportedLocale } from "~/survey/locale";
import type { AnswerRow } from "~/survey/question-type";
import { answerFromRows } from "~/survey/registry";
import { allQuestions, type SurveyDefinition } from "~/survey/schema";
import { versionDefinition } from "../surveys.server";
import { hashToken } from "../tokens.server";
import { DRAFT_ITEM, type RespondentLocale } from "./constants";
import { isPlausibleToken } from "./tokens.server";

/**
 * Reading what respondents work on: surveys with their current version (definitions from the
 * one cache of version definitions), invitations by personal token, responses by token with their answers.
 */

export type Tx = Db | Transaction<Database>;

/** Submission schemas are kept for this many versions and languages. */
const DEFINITION_CACHE_SIZE = 200;

const submissionSchemas = new Map<string, ReturnType<typeof buildSubmissionSchema>>();

export function submissionSchemaOf(def: SurveyDefinition, contentHash: string, locale: string) {
  const key = `${contentHash}:${locale}`;
  let schema = submissionSchemas.get(key);
  if (!schema) {
    if (submissionSchemas.size >= DEFINITION_CACHE_SIZE * 2) submissionSchemas.clear();
    schema = buildSubmissionSchema(def, locale);
    submissionSchemas.set(key, schema);
  }
  return schema;
}

export interface SurveyForRespondent {
  id: number;
  slug: string;
  status: "draft" | "open" | "closed";
  accessMode: "open_link" | "invitation_only";
  opensAt: Date | null;
  closesAt: Date | null;
  workingGroup: { slug: string; name: Record<string, string> };
  versionId: number;
  def: SurveyDefinition;
}

const surveyColumns = [
  "surveys.id",
  "surveys.slug",
  "surveys.status",
  "surveys.access_mode",
  "surveys.opens_at",
  "surveys.closes_at",
  "survey_versions.id as version_id",
  "survey_versions.content_hash",
  "working_groups.slug as group_slug",
  "working_groups.name as group_name",
] as const;

export function surveyQuery(db: Tx) {
  return db
    .selectFrom("surveys")
    .innerJoin("survey_versions", "survey_versions.id", "surveys.current_version_id")
    .innerJoin("working_groups", "working_groups.id", "surveys.working_group_id")
    .select(surveyColumns);
}

export async function toSurvey(
  db: Tx,
  row: Awaited<ReturnType<ReturnType<typeof surveyQuery>["executeTakeFirstOrThrow"]>>,
): Promise<SurveyForRespondent> {
  return {
    id: row.id,
    slug: row.slug,
    status: row.status,
    accessMode: row.access_mode,
    opensAt: row.opens_at,
    closesAt: row.closes_at,
    workingGroup: { slug: row.group_slug, name: row.group_name },
    versionId: row.version_id,
    def: await versionDefinition(db, row.version_id),
  };
}

/** A survey by slug with its current version, or null when there is none. */
export async function getSurveyBySlug(db: Tx, slug: string): Promise<SurveyForRespondent | null> {
  if (!/^[a-z0-9-]{1,80}$/.test(slug)) return null;
  const row = await surveyQuery(db).where("surveys.slug", "=", slug).executeTakeFirst();
  return row ? toSurvey(db, row) : null;
}

// ---------------------------------------------------------------------------------------------
// Invitations

export interface InvitationForRespondent {
  id: number;
  name: string;
  locale: string;
  status: "active" | "revoked";
  revokedAt: Date | null;
  survey: SurveyForRespondent;
  response: {
    id: string;
    status: "in_progress" | "submitted";
    submittedAt: Date | null;
    reference: string | null;
  } | null;
}

/** The invitation of a personal token, with its survey and its response if one was started. */
export async function findInvitation(
  db: Tx,
  token: string,
): Promise<InvitationForRespondent | null> {
  if (!isPlausibleToken(token)) return null;
  const row = await db
    .selectFrom("invitations")
    .leftJoin("responses", "responses.invitation_id", "invitations.id")
    .select([
      "invitations.id",
      "invitations.survey_id",
      "invitations.name",
      "invitations.locale",
      "invitations.status",
      "invitations.revoked_at",
      "responses.id as response_id",
      "responses.status as response_status",
      "responses.submitted_at",
      "responses.reference",
    ])
    .where("invitations.token_hash", "=", hashToken(token))
    .executeTakeFirst();
  if (!row) return null;
  const surveyRow = await surveyQuery(db)
    .where("surveys.id", "=", row.survey_id)
    .executeTakeFirst();
  if (!surveyRow) return null;
  return {
    id: row.id,
    name: row.name,
    locale: row.locale,
    status: row.status,
    revokedAt: row.revoked_at,
    survey: await toSurvey(db, surveyRow),
    response:
      row.response_id && row.response_status
        ? {
            id: row.response_id,
            status: row.response_status,
            submittedAt: row.submitted_at,
            reference: row.reference,
          }
        : null,
  };
}

export async function touchInvitation(db: Tx, invitationId: number): Promise<void> {
  await db
    .updateTable("invitations")
    .set({ last_activity_at: new Date() })
    .where("id", "=", invitationId)
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Loading

export interface LoadedResponse {
  id: string;
  access: "resume" | "invitation";
  status: "in_progress" | "submitted";
  locale: RespondentLocale;
  currentPage: string | null;
  reference: string | null;
  startedAt: Date;
  updatedAt: Date;
  submittedAt: Date | null;
  survey: Omit<SurveyForRespondent, "versionId" | "def">;
  versionId: number;
  /** The definition of the version the response is pinned to. */
  def: SurveyDefinition;
  invitation: { id: number; name: string; status: "active" | "revoked" } | null;
  /** Started on a shared computer: no cookie may remember it (see StartInput.sharedDevice). */
  sharedDevice: boolean;
  /** Answers by question key: validated values, and drafts as they were typed. */
  answers: Record<string, unknown>;
}

/** Reads stored rows back: normal rows through the registry, a draft row as its raw value. */
export function answersFromStoredRows(
  def: Pick<SurveyDefinition, "pages">,
  rows: ReadonlyArray<{ question_key: string } & Record<string, unknown>>,
): Record<string, unknown> {
  const byKey = new Map<string, AnswerRow[]>();
  const drafts = new Map<string, unknown>();
  for (const row of rows) {
    if (row.item === DRAFT_ITEM) {
      drafts.set(row.question_key, row.value_json);
      continue;
    }
    const list = byKey.get(row.question_key) ?? [];
    list.push({
      item: (row.item as string | null) ?? null,
      optionCode: (row.option_code as string | null) ?? null,
      valueNum: (row.value_num as number | null) ?? null,
      valueText: (row.value_text as string | null) ?? null,
      valueJson: row.value_json ?? null,
    });
    byKey.set(row.question_key, list);
  }
  const answers: Record<string, unknown> = {};
  for (const question of allQuestions(def)) {
    if (drafts.has(question.key)) {
      const raw = drafts.get(question.key);
      if (raw !== null && raw !== undefined) answers[question.key] = raw;
      continue;
    }
    const value = answerFromRows(question, byKey.get(question.key) ?? []);
    if (value !== undefined) answers[question.key] = value;
  }
  return answers;
}

export async function readAnswers(db: Tx, responseId: string, def: SurveyDefinition) {
  const rows = await db
    .selectFrom("answers")
    .select(["question_key", "item", "option_code", "value_num", "value_text", "value_json"])
    .where("response_id", "=", responseId)
    .orderBy("id")
    .execute();
  return answersFromStoredRows(def, rows);
}

/**
 * The response a token opens: a resume token or an invitation's personal token. Null when the
 * token opens nothing (or the invitation has no response yet: see findInvitation).
 */
export async function loadResponse(db: Db, token: string): Promise<LoadedResponse | null> {
  if (!isPlausibleToken(token)) return null;
  const hash = hashToken(token);
  const row = await db
    .selectFrom("responses")
    .innerJoin("surveys", "surveys.id", "responses.survey_id")
    .innerJoin("survey_versions", "survey_versions.id", "responses.survey_version_id")
    .innerJoin("working_groups", "working_groups.id", "surveys.working_group_id")
    .leftJoin("invitations", "invitations.id", "responses.invitation_id")
    .select([
      "responses.id",
      "responses.status",
      "responses.locale",
      "responses.current_page",
      "responses.reference",
      "responses.started_at",
      "responses.updated_at",
      "responses.submitted_at",
      "responses.invitation_id",
      "responses.survey_version_id",
      "responses.shared_device",
      "survey_versions.content_hash",
      "surveys.id as survey_id",
      "surveys.slug",
      "surveys.status as survey_status",
      "surveys.access_mode",
      "surveys.opens_at",
      "surveys.closes_at",
      "working_groups.slug as group_slug",
      "working_groups.name as group_name",
      "invitations.name as invitee",
      "invitations.status as invitation_status",
    ])
    .where((eb) =>
      eb.or([
        eb("responses.resume_token_hash", "=", hash),
        eb(
          "responses.invitation_id",
          "=",
          eb.selectFrom("invitations as inv").select("inv.id").where("inv.token_hash", "=", hash),
        ),
      ]),
    )
    .executeTakeFirst();
  if (!row) return null;
  const def = await versionDefinition(db, row.survey_version_id);
  return {
    id: row.id,
    access: row.invitation_id === null ? "resume" : "invitation",
    status: row.status,
    locale: isSupportedLocale(row.locale) ? row.locale : "en",
    currentPage: row.current_page,
    reference: row.reference,
    startedAt: row.started_at,
    updatedAt: row.updated_at,
    submittedAt: row.submitted_at,
    survey: {
      id: row.survey_id,
      slug: row.slug,
      status: row.survey_status,
      accessMode: row.access_mode,
      opensAt: row.opens_at,
      closesAt: row.closes_at,
      workingGroup: { slug: row.group_slug, name: row.group_name },
    },
    versionId: row.survey_version_id,
    def,
    invitation:
      row.invitation_id !== null && row.invitee !== null && row.invitation_status !== null
        ? { id: row.invitation_id, name: row.invitee, status: row.invitation_status }
        : null,
    sharedDevice: row.shared_device,
    answers: await readAnswers(db, row.id, def),
  };
}
