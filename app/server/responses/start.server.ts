import type { Db } from "#db/client";
import { isSupportedLocale } from "~/survey/locale";
import { visiblePages } from "~/survey/visibility";
import { hashToken, newToken, TOKEN_PATTERN } from "../tokens.server";
import {
  accessCheck,
  type AccessFacts,
  accessFactsOf,
  surveyAvailability,
  type Unavailable,
} from "./availability";
import {
  findInvitation,
  getSurveyBySlug,
  type InvitationForRespondent,
  type SurveyForRespondent,
  touchInvitation,
} from "./load.server";
import { isIdempotencyKey } from "./tokens.server";

/** Starting a response (open link or invitation), idempotent on its key. */

/** A repeated Start with the same key gives back the same response for this long. */
const START_REPEAT_WINDOW_MS = 15 * 60 * 1000;

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
  let invitation: AccessFacts["invitation"] = null;
  let invited: InvitationForRespondent | null = null;
  if (input.invitationToken !== undefined) {
    invited = await findInvitation(db, input.invitationToken);
    if (!invited || invited.survey.slug !== input.surveySlug)
      return { ok: false, error: "invitation_unknown" };
    survey = invited.survey;
    invitationId = invited.id;
    invitation = { status: invited.status, submitted: invited.response?.status === "submitted" };
  } else {
    survey = await getSurveyBySlug(db, input.surveySlug);
  }
  const refusal = accessCheck({ survey: survey && accessFactsOf(survey), invitation }, now);
  if (refusal || !survey) {
    switch (refusal?.reason) {
      case "invitation_unknown":
      case "invitation_revoked":
        return { ok: false, error: refusal.reason };
      case "already_submitted":
        return {
          ok: false,
          error: "already_submitted",
          submittedAt: invited?.response?.submittedAt ?? null,
          reference: invited?.response?.reference ?? null,
        };
      case "invitation_only":
        return { ok: false, error: "invitation_required" };
      default:
        return {
          ok: false,
          error: "unavailable",
          unavailable: (refusal as Unavailable | null) ?? surveyAvailability(null)!,
        };
    }
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
