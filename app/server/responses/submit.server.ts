import { sql, type Transaction } from "kysely";
import { type Db, executePrepared } from "#db/client";
import type { Database } from "#db/schema";
import { translator, type Locale, type Translate } from "~/i18n/catalog";
import { fromAcceptLanguage } from "~/i18n/locale.server";
import { isSupportedLocale } from "~/survey/locale";
import { type Answers } from "~/survey/registry";
import type { SurveyDefinition } from "~/survey/schema";
import { answersToRows, packedValuesText } from "~/survey/storage";
import { storedAnswersEqual, unknownQuestionIssues } from "../idempotency.server";
import { profileColumns } from "../respondent-profile";
import { versionDefinition } from "../surveys.server";
import { hashToken } from "../tokens.server";
import { accessCheck, type AccessFacts, type Refusal, type RefusalCode } from "./availability";
import { REVIEW_MARK, type RespondentLocale } from "./constants";
import {
  type LoadedResponse,
  readAnswers,
  submissionSchemaOf,
  touchInvitation,
  type Tx,
} from "./load.server";
import { isIdempotencyKey, isPlausibleToken, newReference } from "./tokens.server";

/**
 * Submitting, one path for the questionnaire pages and the JSON API: both ask the same access
 * check (accessCheck, with the facts read in their transaction), validate with the same
 * submission schema, and write through storeSubmission (one statement: the response row and
 * its answer rows). The pages submit a started response (submitResponse); the API stores a
 * complete response in one request (submitCompleteResponse).
 */

export interface AnswerIssue {
  path: string;
  /** The question the issue belongs to, and its page. */
  questionKey: string;
  pageKey: string | null;
  message: string;
}

export type SubmitResult =
  | { ok: true; reference: string; submittedAt: Date; repeated: boolean }
  | { ok: false; error: "unavailable"; unavailable: Refusal }
  | { ok: false; error: "invalid"; issues: AnswerIssue[] }
  | { ok: false; error: "gone" };

function pageOfQuestion(def: SurveyDefinition, key: string): string | null {
  return def.pages.find((p) => p.questions.some((q) => q.key === key))?.key ?? null;
}

function issuesOf(
  def: SurveyDefinition,
  error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> },
) {
  return error.issues.map((issue): AnswerIssue => {
    const questionKey = String(issue.path[0] ?? "");
    return {
      path: issue.path.map(String).join("."),
      questionKey,
      pageKey: pageOfQuestion(def, questionKey),
      message: issue.message,
    };
  });
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint?: string; message?: string } | null;
  return (
    e?.code === "23505" && (e.constraint === constraint || (e.message ?? "").includes(constraint))
  );
}

// ---------------------------------------------------------------------------------------------
// Storing

export interface Submission {
  /** The started response being submitted (the pages), or undefined for a new one (the API). */
  responseId?: string;
  surveyId: number;
  versionId: number;
  invitationId: number | null;
  locale: string;
  idempotencyKey: string;
  /** The validated answers (hidden ones already dropped by the submission schema). */
  def: SurveyDefinition;
  answers: Answers;
  submittedAt: Date;
}

/**
 * Stores a validated submission in one statement: the response row (inserted, or the started
 * one turned into submitted) with its reference, time, profile columns and packed values
 * (packedValuesText: what the exports read), and its answer rows. The answer rows travel as one
 * array per column: six parameters however many rows, so the statement is quick to build, to
 * send and for the database to parse (measured in bench/).
 * A started response's earlier rows must be deleted before (same transaction). Null when
 * nothing was stored: the idempotency key or the invitation is taken (insert), or the response
 * is no longer in progress (update). A taken reference (40 random bits) raises
 * responses_reference_key on update and gives null on insert: the caller tries another one.
 */
export async function storeSubmission(
  db: Tx,
  s: Submission,
  reference = newReference(),
): Promise<{ id: string; reference: string } | null> {
  const rows = answersToRows(s.def, s.answers);
  const values = packedValuesText(rows);
  const profile = profileColumns(s.answers);
  const at = s.submittedAt;
  const responseCte =
    s.responseId === undefined
      ? sql`insert into responses (survey_id, survey_version_id, invitation_id, locale, status, idempotency_key,
          reference, started_at, updated_at, submitted_at, current_page, country, country_group, org_type, sector,
          answer_values)
        values (${s.surveyId}, ${s.versionId}, ${s.invitationId}, ${s.locale}, 'submitted', ${s.idempotencyKey},
          ${reference}, ${at}, ${at}, ${at}, ${REVIEW_MARK},
          ${profile.country}, ${profile.country_group}, ${profile.org_type}, ${profile.sector}, ${values}::json)
        on conflict do nothing
        returning id, reference`
      : sql`update responses set status = 'submitted', submitted_at = ${at}, updated_at = ${at},
          reference = ${reference}, current_page = ${REVIEW_MARK}, country = ${profile.country},
          country_group = ${profile.country_group}, org_type = ${profile.org_type}, sector = ${profile.sector},
          answer_values = ${values}::json
        where id = ${s.responseId} and status = 'in_progress'
        returning id, reference`;
  const answersCte =
    rows.length === 0
      ? sql``
      : sql`, a as (
          insert into answers (response_id, survey_id, question_key, item, option_code, value_num, value_text, value_json)
          select r.id, ${s.surveyId}::int, v.question_key, v.item, v.option_code, v.value_num, v.value_text, v.value_json
          from r cross join unnest(
            ${rows.map((a) => a.questionKey)}::text[],
            ${rows.map((a) => a.item)}::text[],
            ${rows.map((a) => a.optionCode)}::text[],
            ${rows.map((a) => a.valueNum)}::float8[],
            ${rows.map((a) => a.valueText)}::text[],
            ${rows.map((a) => (a.valueJson === null || a.valueJson === undefined ? null : JSON.stringify(a.valueJson)))}::jsonb[]
          ) as v(question_key, item, option_code, value_num, value_text, value_json)
        )`;
  const stored = await executePrepared(
    db,
    sql<{ id: string; reference: string }>`
      with r as (${responseCte})${answersCte}
      select id, reference from r`.compile(db),
  );
  return stored[0] ?? null;
}

// ---------------------------------------------------------------------------------------------
// A started response, from the review page

/**
 * Submits a response exactly once: validates every visible answer with the submission schema,
 * rewrites the rows from the validated answers (hidden ones dropped), sets the reference,
 * the time and the profile columns. A repeat (double click, retry, back button) finds the
 * response submitted and returns the same reference.
 */
export async function submitResponse(
  db: Db,
  response: Pick<LoadedResponse, "id" | "def" | "locale" | "survey" | "invitation">,
  now = new Date(),
): Promise<SubmitResult> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction().execute(async (trx) => submitOnce(trx, response, now));
    } catch (error) {
      if (attempt < 3 && isUniqueViolation(error, "responses_reference_key")) continue;
      throw error;
    }
  }
}

async function submitOnce(
  trx: Transaction<Database>,
  response: Pick<LoadedResponse, "id" | "def" | "locale" | "survey" | "invitation">,
  now: Date,
): Promise<SubmitResult> {
  const locked = await trx
    .selectFrom("responses")
    .innerJoin("surveys", "surveys.id", "responses.survey_id")
    .leftJoin("invitations", "invitations.id", "responses.invitation_id")
    .select([
      "responses.status",
      "responses.reference",
      "responses.submitted_at",
      "responses.locale",
      "responses.invitation_id",
      "responses.survey_version_id",
      "responses.idempotency_key",
      "surveys.status as survey_status",
      "surveys.access_mode",
      "surveys.opens_at",
      "surveys.closes_at",
      "invitations.status as invitation_status",
    ])
    .where("responses.id", "=", response.id)
    .forUpdate("responses")
    .executeTakeFirst();
  if (!locked) return { ok: false, error: "gone" };
  if (locked.status === "submitted" && locked.reference && locked.submitted_at) {
    return {
      ok: true,
      reference: locked.reference,
      submittedAt: locked.submitted_at,
      repeated: true,
    };
  }
  const refusal = accessCheck(
    {
      survey: {
        status: locked.survey_status,
        opens_at: locked.opens_at,
        closes_at: locked.closes_at,
        access_mode: locked.access_mode,
      },
      invitation:
        locked.invitation_id === null
          ? null
          : { status: locked.invitation_status ?? "revoked", submitted: false },
    },
    now,
  );
  if (refusal) return { ok: false, error: "unavailable", unavailable: refusal };
  const locale = isSupportedLocale(locked.locale) ? locked.locale : response.locale;
  const raw = await readAnswers(trx, response.id, response.def);
  const parsed = submissionSchemaOf(
    response.def,
    `version:${locked.survey_version_id}`,
    locale,
  ).safeParse(raw);
  if (!parsed.success)
    return { ok: false, error: "invalid", issues: issuesOf(response.def, parsed.error) };
  await trx.deleteFrom("answers").where("response_id", "=", response.id).execute();
  const stored = await storeSubmission(trx, {
    responseId: response.id,
    surveyId: response.survey.id,
    versionId: locked.survey_version_id,
    invitationId: locked.invitation_id,
    locale,
    idempotencyKey: locked.idempotency_key,
    def: response.def,
    answers: parsed.data,
    submittedAt: now,
  });
  if (!stored) return { ok: false, error: "gone" };
  if (locked.invitation_id !== null) await touchInvitation(trx, locked.invitation_id);
  return { ok: true, reference: stored.reference, submittedAt: now, repeated: false };
}

// ---------------------------------------------------------------------------------------------
// Receipt

export interface Receipt {
  reference: string;
  submittedAt: Date;
  locale: RespondentLocale;
  def: SurveyDefinition;
  answers: Answers;
}

/** The receipt of a submitted response, or null when the token's response is not submitted. */
export function receiptOf(response: LoadedResponse): Receipt | null {
  if (response.status !== "submitted" || !response.reference || !response.submittedAt) return null;
  return {
    reference: response.reference,
    submittedAt: response.submittedAt,
    locale: response.locale,
    def: response.def,
    answers: response.answers as Answers,
  };
}

// ---------------------------------------------------------------------------------------------
// A complete response in one request (JSON API, load tests, benchmark)

export interface CompleteResponseInput {
  surveySlug: string;
  idempotencyKey: unknown;
  locale: unknown;
  answers: unknown;
  invitationToken?: string;
  /** The requester's language (Accept-Language) for the error messages; else `locale`. */
  errorLocale?: Locale | null;
}

/** The outcome code of a refused request: an access refusal, or what went wrong with the input. */
export type CompleteResponseCode =
  | RefusalCode
  | "invalid_request"
  | "invalid_answers"
  | "invitation_in_progress"
  | "key_other_answers"
  | "key_other_response";

export type CompleteResponseResult =
  | { status: 201 | 200; id: string; reference: string }
  | {
      status: 400;
      code: CompleteResponseCode;
      error: string;
      issues: Array<{ path: string; message: string }>;
    }
  | { status: 403 | 404 | 409 | 410; code: CompleteResponseCode; error: string };

/**
 * The language of an API request's messages: its Accept-Language (en or ru) when it names one
 * (`locale`, else null), and a translate function for it (English without one).
 */
export function apiLanguage(request: Request): { locale: Locale | null; t: Translate } {
  const locale = fromAcceptLanguage(request.headers.get("Accept-Language"));
  return { locale, t: translator(locale ?? "en") };
}

const refusalMessage: Record<RefusalCode, string> = {
  unknown: "respond.api.unknown",
  draft: "respond.api.draft",
  not_yet_open: "respond.api.notYetOpen",
  closed: "respond.api.closed",
  invitation_only: "respond.api.invitationOnly",
  invitation_unknown: "respond.api.invitationUnknown",
  invitation_revoked: "respond.api.invitationRevoked",
  already_submitted: "respond.api.alreadySubmitted",
};

/**
 * The API's answer to a refusal: the pages' status, except that a survey needing an invitation
 * answers 409 (the request conflicts with the survey's access mode; kept from the first
 * version of the API).
 */
function refusalResult(r: Refusal, locale: Locale): CompleteResponseResult {
  const t = translator(locale);
  const error =
    r.reason === "not_yet_open" && r.opensAt
      ? t("respond.api.opensOn", { date: r.opensAt.toISOString() })
      : t(refusalMessage[r.reason] as Parameters<typeof t>[0]);
  return { status: r.reason === "invitation_only" ? 409 : r.status, code: r.reason, error };
}

/**
 * Validates a whole response and stores it as submitted (storeSubmission), idempotent on
 * (survey, idempotency key): a repeat returns the same id and reference with status 200.
 * Error messages, and the messages of answer issues, are in `errorLocale` when given, else in
 * the response's `locale`.
 */
export async function submitCompleteResponse(
  db: Db,
  input: CompleteResponseInput,
  now = new Date(),
): Promise<CompleteResponseResult> {
  const locale = isSupportedLocale(input.locale) ? input.locale : null;
  const lang: Locale = input.errorLocale ?? locale ?? "en";
  const t = translator(lang);
  const inputIssues: Array<{ path: string; message: string }> = [];
  if (!isIdempotencyKey(input.idempotencyKey))
    inputIssues.push({ path: "idempotencyKey", message: t("respond.api.keyFormat") });
  if (!locale) inputIssues.push({ path: "locale", message: t("respond.api.localeFormat") });
  if (typeof input.answers !== "object" || input.answers === null || Array.isArray(input.answers))
    inputIssues.push({ path: "answers", message: t("respond.api.answersFormat") });
  if (inputIssues.length > 0 || !locale) {
    return {
      status: 400,
      code: "invalid_request",
      error: t("respond.api.invalidRequest"),
      issues: inputIssues,
    };
  }
  const key = input.idempotencyKey as string;

  const [row] = /^[a-z0-9-]{1,80}$/.test(input.surveySlug)
    ? await executePrepared(
        db,
        db
          .selectFrom("surveys")
          .innerJoin("survey_versions", "survey_versions.id", "surveys.current_version_id")
          .select([
            "surveys.id",
            "surveys.status",
            "surveys.access_mode",
            "surveys.opens_at",
            "surveys.closes_at",
            "survey_versions.id as version_id",
            "survey_versions.content_hash",
          ])
          .where("surveys.slug", "=", input.surveySlug)
          .compile(),
      )
    : [];

  let invitation: AccessFacts["invitation"] = null;
  let invitationId: number | null = null;
  if (row && input.invitationToken !== undefined) {
    const found = isPlausibleToken(input.invitationToken)
      ? await db
          .selectFrom("invitations")
          .leftJoin("responses", "responses.invitation_id", "invitations.id")
          .select([
            "invitations.id",
            "invitations.status",
            "responses.status as response_status",
            "responses.idempotency_key",
          ])
          .where("invitations.token_hash", "=", hashToken(input.invitationToken))
          .where("invitations.survey_id", "=", row.id)
          .executeTakeFirst()
      : undefined;
    invitation = found
      ? {
          status: found.status,
          // A repeat of the request that submitted it is not a second response (see below).
          submitted: found.response_status === "submitted" && found.idempotency_key !== key,
        }
      : "unknown";
    invitationId = found?.id ?? null;
  }
  const refusal = accessCheck({ survey: row ?? null, invitation }, now);
  if (refusal || !row)
    return refusalResult(refusal ?? accessCheck({ survey: null, invitation })!, lang);

  const def = await versionDefinition(db, row.version_id);
  const unknownKeys = unknownQuestionIssues(def, input.answers as object, lang);
  if (unknownKeys.length > 0) {
    return {
      status: 400,
      code: "invalid_answers",
      error: t("respond.api.invalidAnswers"),
      issues: unknownKeys,
    };
  }
  const parsed = submissionSchemaOf(def, row.content_hash, lang).safeParse(input.answers);
  if (!parsed.success) {
    return {
      status: 400,
      code: "invalid_answers",
      error: t("respond.api.invalidAnswers"),
      issues: issuesOf(def, parsed.error).map(({ path, message }) => ({ path, message })),
    };
  }
  const submission = {
    surveyId: row.id,
    versionId: row.version_id,
    invitationId,
    locale,
    idempotencyKey: key,
    def,
    answers: parsed.data,
    submittedAt: now,
  };

  for (let attempt = 0; attempt < 4; attempt++) {
    const stored = await storeSubmission(db, submission);
    if (stored) return { status: 201, id: stored.id, reference: stored.reference };
    const existing = await db
      .selectFrom("responses")
      .select(["id", "status", "reference", "invitation_id"])
      .where("survey_id", "=", row.id)
      .where("idempotency_key", "=", key)
      .executeTakeFirst();
    if (existing) {
      if (
        existing.status === "submitted" &&
        existing.reference &&
        existing.invitation_id === invitationId
      ) {
        if (!(await storedAnswersEqual(db, existing.id, answersToRows(def, parsed.data)))) {
          return {
            status: 409,
            code: "key_other_answers",
            error: t("respond.api.keyOtherAnswers"),
          };
        }
        return { status: 200, id: existing.id, reference: existing.reference };
      }
      return { status: 409, code: "key_other_response", error: t("respond.api.keyOtherResponse") };
    }
    if (invitationId !== null) {
      const taken = await db
        .selectFrom("responses")
        .select("status")
        .where("invitation_id", "=", invitationId)
        .executeTakeFirst();
      if (taken) {
        return taken.status === "submitted"
          ? refusalResult({ ...refusalDates(row), reason: "already_submitted", status: 409 }, lang)
          : {
              status: 409,
              code: "invitation_in_progress",
              error: t("respond.api.invitationInProgress"),
            };
      }
    }
    // Otherwise the random reference was taken: try another one.
  }
  throw new Error("could not store the response");
}

function refusalDates(row: { opens_at: Date | null; closes_at: Date | null }) {
  return { opensAt: row.opens_at, closesAt: row.closes_at };
}
