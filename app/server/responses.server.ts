/**
 * Responses: starting, saving drafts page by page, resuming, submitting exactly once, receipts.
 *
 * Respondent URLs (routes in app/routes, all thin):
 *
 *   GET  /s/:slug                   landing: title, purpose, time, privacy, language, Start
 *   POST /s/:slug                   intent=start: starts an open-link response
 *                                   -> /r/:token/p/:firstPage?lang=xx
 *   GET  /i/:token                  invitation landing (invitee's name), or its state
 *   POST /i/:token                  intent=start: starts (or resumes) the invitation's one response
 *   GET  /r/:token                  resume: redirects to the first unanswered page, the review
 *                                   or the receipt
 *   GET  /r/:token/p/:page          a page of the questionnaire
 *   POST /r/:token/p/:page          intent = next | back | save | review | autosave | lang:<xx>
 *                                   | need:add:<key> | need:remove:<key>:<slot>
 *                                   | rank:up:<key>:<item> | rank:down:<key>:<item>
 *                                   (see app/components/survey/intents.ts)
 *   POST /r/:token/autosave         background save of a page (JavaScript), JSON in and out
 *   GET  /r/:token/review           every visible answer with a link to change it
 *   POST /r/:token/review           intent=submit
 *   GET  /r/:token/saved            "your answers are saved" with the resume link
 *   GET  /r/:token/done             receipt: reference, time, printable summary
 *   POST /api/surveys/:slug/responses   a complete response as JSON, in one request
 *
 * Every questionnaire URL takes `?lang=en|ru`, which also changes the response's language.
 *
 * `:token` is either the resume token of an anonymous response (256 random bits from
 * tokens.server.ts; only its SHA-256 is stored, in responses.resume_token_hash, and nothing in
 * the database recomputes it) or the personal token of an invitation (invitations.token_hash),
 * so that the personal link also resumes.
 *
 * Drafts: every save replaces the rows of the page's questions. An answer that passes its
 * question's schema is stored in the normal rows (app/survey/storage.ts); one that does not
 * yet (a need entry without a category, a number out of range) is kept as typed in a single
 * row with item = DRAFT_ITEM and the raw value in value_json, so that nothing typed is lost.
 * Submission validates the whole response and rewrites every row from the validated answers,
 * so a submitted response never has draft rows. Answers to questions that became hidden are
 * deleted on every save.
 */
import { randomBytes } from "node:crypto";
import { sql, type Transaction } from "kysely";
import type { Db } from "#db/client";
import type { Database } from "#db/schema";
import { buildPageSchema, buildSubmissionSchema } from "~/survey/answer-schema";
import {
  DRAFT_MAX_BYTES,
  draftBytes,
  type DraftLimitIssue,
  draftLimitIssues,
} from "~/survey/draft-limits";
import { isSupportedLocale, type SupportedLocale } from "~/survey/locale";
import { type ValidationMessages, validationMessages } from "~/survey/messages";
import type { AnswerRow } from "~/survey/question-type";
import { answerFromRows, answerSchemaOf, answerToRows, type Answers } from "~/survey/registry";
import {
  allQuestions,
  findPage,
  type Page,
  parseSurveyDefinition,
  type SurveyDefinition,
} from "~/survey/schema";
import { answersToRows } from "~/survey/storage";
import { pruneHidden, visiblePages, visibleQuestionsOnPage } from "~/survey/visibility";
import { storedAnswersEqual, unknownQuestionIssues } from "./idempotency.server";
import { profileColumns } from "./respondent-profile";
import { hashToken, newToken, TOKEN_PATTERN } from "./tokens.server";

type Tx = Db | Transaction<Database>;

/** The `item` of the one row that keeps a draft answer exactly as typed (codes and need ids cannot contain "@"). */
export const DRAFT_ITEM = "@draft";
/** `responses.current_page` once the respondent has reached the review page. */
export const REVIEW_MARK = "@review";
/** Largest request body an action reads. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** A repeated Start with the same key gives back the same response for this long. */
const START_REPEAT_WINDOW_MS = 15 * 60 * 1000;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,100}$/;

export type RespondentLocale = SupportedLocale;

// ---------------------------------------------------------------------------------------------
// Tokens and references

export { hashToken, newToken } from "./tokens.server";

/** Tokens in URLs: anything else is rejected before touching the database. */
export function isPlausibleToken(token: string | undefined): token is string {
  return typeof token === "string" && /^[A-Za-z0-9_-]{16,128}$/.test(token);
}

export function isIdempotencyKey(value: unknown): value is string {
  return typeof value === "string" && IDEMPOTENCY_KEY.test(value);
}

const REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; // Crockford base 32: no I, L, O, U

/** A human reference such as NM-7K3Q-9XD2 (40 random bits). */
export function newReference(): string {
  const bytes = randomBytes(8);
  let code = "";
  for (let i = 0; i < 8; i++) code += REFERENCE_ALPHABET[bytes[i] & 31];
  return `NM-${code.slice(0, 4)}-${code.slice(4)}`;
}

// ---------------------------------------------------------------------------------------------
// Surveys and their versions

/**
 * Why answers are not accepted. `invitation_only` concerns a response started through the open
 * link of a survey that has since become invitation-only: it can no longer be changed or
 * submitted (its answers stay stored, not counted) — see docs/decisions/013-drafts-and-access-changes.md.
 */
export type UnavailableReason = "unknown" | "draft" | "not_yet_open" | "closed" | "invitation_only";

export interface Unavailable {
  reason: UnavailableReason;
  status: 403 | 404 | 410;
  opensAt: Date | null;
  closesAt: Date | null;
}

interface SurveyDates {
  status: "draft" | "open" | "closed";
  opens_at: Date | null;
  closes_at: Date | null;
}

/**
 * Whether a survey accepts answers now: open, and within its dates. Draft -> 404 (not
 * published), not yet open -> 403, closed or past its closing date -> 410.
 */
export function surveyAvailability(
  survey: SurveyDates | null,
  now = new Date(),
): Unavailable | null {
  if (!survey) return { reason: "unknown", status: 404, opensAt: null, closesAt: null };
  const dates = { opensAt: survey.opens_at, closesAt: survey.closes_at };
  if (survey.status === "draft") return { reason: "draft", status: 404, ...dates };
  if (survey.status === "closed") return { reason: "closed", status: 410, ...dates };
  if (survey.closes_at && survey.closes_at.getTime() <= now.getTime()) {
    return { reason: "closed", status: 410, ...dates };
  }
  if (survey.opens_at && survey.opens_at.getTime() > now.getTime()) {
    return { reason: "not_yet_open", status: 403, ...dates };
  }
  return null;
}

/**
 * Whether a started response may still change and be submitted: its survey accepts answers,
 * and a response without an invitation needs a survey that still accepts the open link.
 */
export function responseAccess(
  survey: SurveyDates & { access_mode: "open_link" | "invitation_only" },
  invitationId: number | null,
  now = new Date(),
): Unavailable | null {
  const unavailable = surveyAvailability(survey, now);
  if (unavailable) return unavailable;
  if (invitationId === null && survey.access_mode === "invitation_only") {
    return {
      reason: "invitation_only",
      status: 403,
      opensAt: survey.opens_at,
      closesAt: survey.closes_at,
    };
  }
  return null;
}

/** Parsed definitions by content hash: versions never change, so they are read once. */
const definitions = new Map<string, SurveyDefinition>();
const DEFINITION_CACHE_SIZE = 200;

async function definitionOf(
  db: Tx,
  versionId: number,
  contentHash: string,
): Promise<SurveyDefinition> {
  const cached = definitions.get(contentHash);
  if (cached) return cached;
  const row = await db
    .selectFrom("survey_versions")
    .select("definition")
    .where("id", "=", versionId)
    .executeTakeFirstOrThrow();
  const def = parseSurveyDefinition(row.definition);
  if (definitions.size >= DEFINITION_CACHE_SIZE) {
    const oldest = definitions.keys().next().value;
    if (oldest !== undefined) definitions.delete(oldest);
  }
  definitions.set(contentHash, def);
  return def;
}

const submissionSchemas = new Map<string, ReturnType<typeof buildSubmissionSchema>>();

function submissionSchemaOf(def: SurveyDefinition, contentHash: string, locale: string) {
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

function surveyQuery(db: Tx) {
  return db
    .selectFrom("surveys")
    .innerJoin("survey_versions", "survey_versions.id", "surveys.current_version_id")
    .innerJoin("working_groups", "working_groups.id", "surveys.working_group_id")
    .select(surveyColumns);
}

async function toSurvey(
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
    def: await definitionOf(db, row.version_id, row.content_hash),
  };
}

/** A survey by slug with its current version, or null when there is none. */
export async function getSurveyBySlug(db: Tx, slug: string): Promise<SurveyForRespondent | null> {
  if (!/^[a-z0-9-]{1,80}$/.test(slug)) return null;
  const row = await surveyQuery(db).where("surveys.slug", "=", slug).executeTakeFirst();
  return row ? toSurvey(db, row) : null;
}

function surveyDates(survey: SurveyForRespondent): SurveyDates {
  return { status: survey.status, opens_at: survey.opensAt, closes_at: survey.closesAt };
}

export function availabilityOf(
  survey: SurveyForRespondent | null,
  now = new Date(),
): Unavailable | null {
  return surveyAvailability(survey ? surveyDates(survey) : null, now);
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

// ---------------------------------------------------------------------------------------------
// Starting

export type StartError =
  | { error: "unavailable"; unavailable: Unavailable }
  | { error: "invitation_required" }
  | { error: "invitation_unknown" }
  | { error: "invitation_revoked" }
  | { error: "already_submitted"; submittedAt: Date | null; reference: string | null }
  | { error: "key_used" }
  | { error: "bad_input" };

export type StartResult =
  | {
      ok: true;
      token: string;
      responseId: string;
      surveyId: number;
      created: boolean;
      firstPage: string;
    }
  | ({ ok: false } & StartError);

export interface StartInput {
  surveySlug: string;
  /** Generated into the Start form: a double click or a retry starts one response. */
  idempotencyKey: string;
  locale: string;
  /** The personal token, for an invitation-only survey (or any invitation). */
  invitationToken?: string;
  /** "This is a shared computer": nothing about the response is kept in the browser's cookies. */
  sharedDevice?: boolean;
  /**
   * The resume token of an anonymous response: a random token (newToken) that the landing page
   * puts into its Start form next to the idempotency key, so that a repeated Start (double
   * click, retry) gives back the same link although only the token's hash is stored. Missing
   * or malformed: a fresh one is made here (a repeat of such a form is then refused as
   * `key_used`).
   */
  resumeToken?: string;
}

/**
 * Starts a response pinned to the survey's current version. Idempotent on (survey, key): a
 * repeat within a few minutes returns the same response and token; an invitation has at most
 * one response, and starting it again resumes it.
 */
export async function startResponse(
  db: Db,
  input: StartInput,
  now = new Date(),
): Promise<StartResult> {
  if (!isIdempotencyKey(input.idempotencyKey) || !isSupportedLocale(input.locale)) {
    return { ok: false, error: "bad_input" };
  }
  let survey: SurveyForRespondent | null;
  let invitationId: number | null = null;
  if (input.invitationToken !== undefined) {
    const invitation = await findInvitation(db, input.invitationToken);
    if (!invitation || invitation.survey.slug !== input.surveySlug)
      return { ok: false, error: "invitation_unknown" };
    if (invitation.status === "revoked") return { ok: false, error: "invitation_revoked" };
    survey = invitation.survey;
    invitationId = invitation.id;
    if (invitation.response?.status === "submitted") {
      return {
        ok: false,
        error: "already_submitted",
        submittedAt: invitation.response.submittedAt,
        reference: invitation.response.reference,
      };
    }
  } else {
    survey = await getSurveyBySlug(db, input.surveySlug);
  }
  const unavailable = availabilityOf(survey, now);
  if (unavailable || !survey) {
    return {
      ok: false,
      error: "unavailable",
      unavailable: unavailable ?? surveyAvailability(null)!,
    };
  }
  if (survey.accessMode === "invitation_only" && invitationId === null) {
    return { ok: false, error: "invitation_required" };
  }
  const firstPage = visiblePages(survey.def, {})[0]?.key ?? survey.def.pages[0].key;
  const token =
    invitationId !== null
      ? (input.invitationToken as string)
      : input.resumeToken !== undefined && TOKEN_PATTERN.test(input.resumeToken)
        ? input.resumeToken
        : newToken().token;

  const inserted = await db
    .insertInto("responses")
    .values({
      survey_id: survey.id,
      survey_version_id: survey.versionId,
      invitation_id: invitationId,
      locale: input.locale,
      idempotency_key: input.idempotencyKey,
      resume_token_hash: invitationId === null ? hashToken(token) : null,
      current_page: firstPage,
      shared_device: input.sharedDevice === true,
    })
    .onConflict((oc) => oc.doNothing())
    .returning("id")
    .executeTakeFirst();
  if (inserted) {
    if (invitationId !== null) await touchInvitation(db, invitationId);
    return {
      ok: true,
      token,
      responseId: inserted.id,
      surveyId: survey.id,
      created: true,
      firstPage,
    };
  }

  // A conflict: the same key again, or the invitation's response exists already.
  const existing = await db
    .selectFrom("responses")
    .select([
      "id",
      "status",
      "started_at",
      "invitation_id",
      "resume_token_hash",
      "submitted_at",
      "reference",
    ])
    .where((eb) =>
      invitationId === null
        ? eb.and([
            eb("survey_id", "=", survey.id),
            eb("idempotency_key", "=", input.idempotencyKey),
          ])
        : eb("invitation_id", "=", invitationId),
    )
    .executeTakeFirst();
  if (!existing) return { ok: false, error: "key_used" };
  if (existing.status === "submitted") {
    return invitationId === null
      ? { ok: false, error: "key_used" }
      : {
          ok: false,
          error: "already_submitted",
          submittedAt: existing.submitted_at,
          reference: existing.reference,
        };
  }
  if (invitationId !== null) {
    return {
      ok: true,
      token,
      responseId: existing.id,
      surveyId: survey.id,
      created: false,
      firstPage,
    };
  }
  const fresh = now.getTime() - existing.started_at.getTime() < START_REPEAT_WINDOW_MS;
  if (
    existing.invitation_id !== null ||
    !fresh ||
    existing.resume_token_hash !== hashToken(token)
  ) {
    return { ok: false, error: "key_used" };
  }
  return {
    ok: true,
    token,
    responseId: existing.id,
    surveyId: survey.id,
    created: false,
    firstPage,
  };
}

async function touchInvitation(db: Tx, invitationId: number): Promise<void> {
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

async function readAnswers(db: Tx, responseId: string, def: SurveyDefinition) {
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
  const def = await definitionOf(db, row.survey_version_id, row.content_hash);
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

/** Whether a loaded response may still change and be submitted (null) or why not. */
export function responseAvailability(
  response: Pick<LoadedResponse, "survey" | "invitation">,
  now = new Date(),
): Unavailable | null {
  return responseAccess(
    {
      status: response.survey.status,
      opens_at: response.survey.opensAt,
      closes_at: response.survey.closesAt,
      access_mode: response.survey.accessMode,
    },
    response.invitation?.id ?? null,
    now,
  );
}

// ---------------------------------------------------------------------------------------------
// Navigation

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

function isFurther(def: SurveyDefinition, candidate: string, current: string | null): boolean {
  if (current === REVIEW_MARK) return false;
  if (candidate === REVIEW_MARK) return true;
  const order = def.pages.map((p) => p.key);
  return current === null || order.indexOf(candidate) > order.indexOf(current);
}

// ---------------------------------------------------------------------------------------------
// Saving

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

function rowValues(responseId: string, surveyId: number, questionKey: string, row: AnswerRow) {
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

async function insertRows(db: Tx, rows: ReturnType<typeof rowValues>[]): Promise<void> {
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

// ---------------------------------------------------------------------------------------------
// Submitting

export interface AnswerIssue {
  path: string;
  /** The question the issue belongs to, and its page. */
  questionKey: string;
  pageKey: string | null;
  message: string;
}

export type SubmitResult =
  | { ok: true; reference: string; submittedAt: Date; repeated: boolean }
  | { ok: false; error: "unavailable"; unavailable: Unavailable }
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
    .select([
      "responses.status",
      "responses.reference",
      "responses.submitted_at",
      "responses.locale",
      "responses.invitation_id",
      "surveys.status as survey_status",
      "surveys.access_mode",
      "surveys.opens_at",
      "surveys.closes_at",
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
  const unavailable = responseAccess(
    {
      status: locked.survey_status,
      opens_at: locked.opens_at,
      closes_at: locked.closes_at,
      access_mode: locked.access_mode,
    },
    locked.invitation_id,
    now,
  );
  if (unavailable) return { ok: false, error: "unavailable", unavailable };
  const locale = isSupportedLocale(locked.locale) ? locked.locale : response.locale;
  const raw = await readAnswers(trx, response.id, response.def);
  const parsed = buildSubmissionSchema(response.def, locale).safeParse(raw);
  if (!parsed.success)
    return { ok: false, error: "invalid", issues: issuesOf(response.def, parsed.error) };
  const answers = parsed.data;
  await trx.deleteFrom("answers").where("response_id", "=", response.id).execute();
  await insertRows(
    trx,
    answersToRows(response.def, answers).map(({ questionKey, ...row }) =>
      rowValues(response.id, response.survey.id, questionKey, row),
    ),
  );
  const reference = newReference();
  const submittedAt = now;
  const updated = await trx
    .updateTable("responses")
    .set({
      status: "submitted",
      submitted_at: submittedAt,
      updated_at: submittedAt,
      reference,
      current_page: REVIEW_MARK,
      ...profileColumns(answers),
    })
    .where("id", "=", response.id)
    .where("status", "=", "in_progress")
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) return { ok: false, error: "gone" };
  if (response.invitation) await touchInvitation(trx, response.invitation.id);
  return { ok: true, reference, submittedAt, repeated: false };
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
}

export type CompleteResponseResult =
  | { status: 201 | 200; id: string; reference: string }
  | { status: 400; error: string; issues: Array<{ path: string; message: string }> }
  | { status: 403 | 404 | 409 | 410; error: string };

const unavailableMessages: Record<UnavailableReason, string> = {
  unknown: "There is no survey at this address.",
  draft: "This survey has not been published.",
  not_yet_open: "This survey is not open yet.",
  closed: "This survey is closed and no longer accepts answers.",
  invitation_only: "This survey accepts answers only through a personal invitation.",
};

function unavailableResult(u: Unavailable): CompleteResponseResult {
  const error =
    u.reason === "not_yet_open" && u.opensAt
      ? `This survey opens on ${u.opensAt.toISOString()}.`
      : unavailableMessages[u.reason];
  return { status: u.status, error };
}

interface ApiSurveyRow {
  id: number;
  status: "draft" | "open" | "closed";
  access_mode: "open_link" | "invitation_only";
  opens_at: Date | null;
  closes_at: Date | null;
  version_id: number;
  content_hash: string;
}

/**
 * Validates a whole response and stores it as submitted, in one statement (the response and
 * its answer rows), idempotent on (survey, idempotency key): a repeat returns the same id and
 * reference with status 200.
 */
export async function submitCompleteResponse(
  db: Db,
  input: CompleteResponseInput,
  now = new Date(),
): Promise<CompleteResponseResult> {
  const inputIssues: Array<{ path: string; message: string }> = [];
  if (!isIdempotencyKey(input.idempotencyKey)) {
    inputIssues.push({
      path: "idempotencyKey",
      message: "must be 8 to 100 letters, digits or the characters _ . : -",
    });
  }
  if (!isSupportedLocale(input.locale))
    inputIssues.push({ path: "locale", message: 'must be "en" or "ru"' });
  if (typeof input.answers !== "object" || input.answers === null || Array.isArray(input.answers)) {
    inputIssues.push({ path: "answers", message: "must be an object of answers by question key" });
  }
  if (inputIssues.length > 0)
    return { status: 400, error: "The request is not valid.", issues: inputIssues };
  const key = input.idempotencyKey as string;
  const locale = input.locale as RespondentLocale;

  const row: ApiSurveyRow | undefined = /^[a-z0-9-]{1,80}$/.test(input.surveySlug)
    ? await db
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
        .executeTakeFirst()
    : undefined;
  const unavailable = surveyAvailability(row ?? null, now);
  if (unavailable || !row) return unavailableResult(unavailable ?? surveyAvailability(null)!);

  let invitationId: number | null = null;
  if (input.invitationToken !== undefined) {
    const invitation = isPlausibleToken(input.invitationToken)
      ? await db
          .selectFrom("invitations")
          .select(["id", "status"])
          .where("token_hash", "=", hashToken(input.invitationToken))
          .where("survey_id", "=", row.id)
          .executeTakeFirst()
      : undefined;
    if (!invitation)
      return { status: 404, error: "There is no invitation with this token for this survey." };
    if (invitation.status === "revoked")
      return { status: 410, error: "This invitation has been withdrawn." };
    invitationId = invitation.id;
  } else if (row.access_mode === "invitation_only") {
    return {
      status: 409,
      error: "This survey accepts answers only through a personal invitation.",
    };
  }

  const def = await definitionOf(db, row.version_id, row.content_hash);
  const unknownKeys = unknownQuestionIssues(def, input.answers as object, locale);
  if (unknownKeys.length > 0)
    return { status: 400, error: "Some answers are not valid.", issues: unknownKeys };
  const parsed = submissionSchemaOf(def, row.content_hash, locale).safeParse(input.answers);
  if (!parsed.success) {
    return {
      status: 400,
      error: "Some answers are not valid.",
      issues: issuesOf(def, parsed.error).map(({ path, message }) => ({ path, message })),
    };
  }
  const answers = parsed.data;
  const rows = answersToRows(def, answers);

  for (let attempt = 0; attempt < 4; attempt++) {
    const reference = newReference();
    const stored = await insertComplete(db, {
      surveyId: row.id,
      versionId: row.version_id,
      invitationId,
      locale,
      key,
      reference,
      submittedAt: now,
      profile: profileColumns(answers),
      rows,
    });
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
        if (!(await storedAnswersEqual(db, existing.id, rows))) {
          return {
            status: 409,
            error: "This idempotency key was already used for a response with other answers.",
          };
        }
        return { status: 200, id: existing.id, reference: existing.reference };
      }
      return { status: 409, error: "This idempotency key belongs to another response." };
    }
    if (invitationId !== null) {
      const taken = await db
        .selectFrom("responses")
        .select("status")
        .where("invitation_id", "=", invitationId)
        .executeTakeFirst();
      if (taken) {
        return {
          status: 409,
          error:
            taken.status === "submitted"
              ? "A response to this invitation has already been submitted."
              : "A response to this invitation is in progress; finish it through the personal link.",
        };
      }
    }
    // Otherwise the random reference was taken: try another one.
  }
  throw new Error("could not store the response");
}

interface CompleteRow {
  surveyId: number;
  versionId: number;
  invitationId: number | null;
  locale: string;
  key: string;
  reference: string;
  submittedAt: Date;
  profile: ReturnType<typeof profileColumns>;
  rows: ReturnType<typeof answersToRows>;
}

/** One statement: the response, and its answers when the response was inserted. */
async function insertComplete(
  db: Db,
  r: CompleteRow,
): Promise<{ id: string; reference: string } | null> {
  // The answer rows travel as one array per column: six parameters however many rows, so the
  // statement is quick to build, to send and for the database to parse (measured in bench/).
  const rows = r.rows;
  const answersCte =
    rows.length === 0
      ? sql``
      : sql`, a as (
          insert into answers (response_id, survey_id, question_key, item, option_code, value_num, value_text, value_json)
          select r.id, ${r.surveyId}::int, v.question_key, v.item, v.option_code, v.value_num, v.value_text, v.value_json
          from r cross join unnest(
            ${rows.map((a) => a.questionKey)}::text[],
            ${rows.map((a) => a.item)}::text[],
            ${rows.map((a) => a.optionCode)}::text[],
            ${rows.map((a) => a.valueNum)}::float8[],
            ${rows.map((a) => a.valueText)}::text[],
            ${rows.map((a) => (a.valueJson === null || a.valueJson === undefined ? null : JSON.stringify(a.valueJson)))}::jsonb[]
          ) as v(question_key, item, option_code, value_num, value_text, value_json)
        )`;
  const result = await sql<{ id: string; reference: string }>`
    with r as (
      insert into responses (survey_id, survey_version_id, invitation_id, locale, status, idempotency_key,
        reference, started_at, updated_at, submitted_at, current_page, country, country_group, org_type, sector)
      values (${r.surveyId}, ${r.versionId}, ${r.invitationId}, ${r.locale}, 'submitted', ${r.key},
        ${r.reference}, ${r.submittedAt}, ${r.submittedAt}, ${r.submittedAt}, ${REVIEW_MARK},
        ${r.profile.country}, ${r.profile.country_group}, ${r.profile.org_type}, ${r.profile.sector})
      on conflict do nothing
      returning id, reference
    )${answersCte}
    select id, reference from r`.execute(db);
  return result.rows[0] ?? null;
}

// ---------------------------------------------------------------------------------------------
// What the pages show

/** The visible questions of a page given the answers so far. */
export function visibleKeysOnPage(
  def: SurveyDefinition,
  pageKey: string,
  answers: Readonly<Record<string, unknown>>,
) {
  return visibleQuestionsOnPage(def, pageKey, answers).map((q) => q.key);
}
