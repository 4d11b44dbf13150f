import type { LoadedResponse, SurveyForRespondent } from "./load.server";

/**
 * Whether a survey, or a started response, accepts answers now. Pure: no database, no clock
 * other than the `now` passed in.
 */

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

export interface SurveyDates {
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
  // The invitation's own state (withdrawn, used) is the caller's to look at: see accessCheck.
  const invitation = invitationId === null ? null : { status: "active" as const, submitted: false };
  return accessCheck({ survey, invitation }, now) as Unavailable | null;
}

function surveyDates(
  survey: Pick<SurveyForRespondent, "status" | "opensAt" | "closesAt">,
): SurveyDates {
  return { status: survey.status, opens_at: survey.opensAt, closes_at: survey.closesAt };
}

/** A loaded survey as the access check reads it. */
export function accessFactsOf(
  survey: Pick<SurveyForRespondent, "status" | "opensAt" | "closesAt" | "accessMode">,
): NonNullable<AccessFacts["survey"]> {
  return { ...surveyDates(survey), access_mode: survey.accessMode };
}

export function availabilityOf(
  survey: SurveyForRespondent | null,
  now = new Date(),
): Unavailable | null {
  return surveyAvailability(survey ? surveyDates(survey) : null, now);
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
// The one access check of a submission (the questionnaire pages and the JSON API)

/**
 * Why a submission is refused, the same code whichever way it comes: the survey's state
 * (UnavailableReason), or the invitation it comes through.
 */
export type RefusalCode =
  UnavailableReason | "invitation_unknown" | "invitation_revoked" | "already_submitted";

/** A refused submission: its code, the HTTP status the pages answer with, the survey's dates. */
export interface Refusal {
  reason: RefusalCode;
  status: 403 | 404 | 409 | 410;
  opensAt: Date | null;
  closesAt: Date | null;
}

/** What the access check looks at, read in the submission's transaction. */
export interface AccessFacts {
  survey: (SurveyDates & { access_mode: "open_link" | "invitation_only" }) | null;
  /**
   * The invitation the submission comes through: null without one, "unknown" for a personal
   * token that opens no invitation of this survey. `submitted`: the invitation already has a
   * submitted response other than the one being submitted.
   */
  invitation: { status: "active" | "revoked"; submitted: boolean } | "unknown" | null;
}

/**
 * Whether a response may be started or submitted (null) or why not. Every way in asks this one
 * function: starting (open link or invitation), submitting from the review page, and the JSON
 * API's complete response.
 */
export function accessCheck(facts: AccessFacts, now = new Date()): Refusal | null {
  const dates = {
    opensAt: facts.survey?.opens_at ?? null,
    closesAt: facts.survey?.closes_at ?? null,
  };
  const { invitation } = facts;
  // The person's own link first: it says more to them than the survey's state.
  if (invitation === "unknown") return { reason: "invitation_unknown", status: 404, ...dates };
  if (invitation?.status === "revoked")
    return { reason: "invitation_revoked", status: 410, ...dates };
  if (invitation?.submitted) return { reason: "already_submitted", status: 409, ...dates };
  const unavailable = surveyAvailability(facts.survey, now);
  if (unavailable) return unavailable;
  if (invitation === null && facts.survey?.access_mode === "invitation_only")
    return { reason: "invitation_only", status: 403, ...dates };
  return null;
}
