import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import type { MessageKey } from "~/i18n/translate";
import { useI18n } from "~/i18n/react";
import { GeneralErrorBoundary } from "../error-boundary";

type Explained = { title: MessageKey; text: MessageKey[] };

const explanations: Record<string, Explained> = {
  unknown: { title: "respond.unavailable.unknownTitle", text: ["respond.unavailable.unknownText"] },
  draft: { title: "respond.unavailable.draftTitle", text: ["respond.unavailable.draftText"] },
  not_yet_open: {
    title: "respond.unavailable.notYetOpenTitle",
    text: ["respond.unavailable.notYetOpenText"],
  },
  closed: { title: "respond.unavailable.closedTitle", text: ["respond.unavailable.closedText"] },
  closed_in_progress: {
    title: "respond.unavailable.closedTitle",
    text: ["respond.unavailable.closedText", "respond.unavailable.closedInProgress"],
  },
  response_unknown: {
    title: "respond.unavailable.responseUnknownTitle",
    text: ["respond.unavailable.responseUnknownText"],
  },
  invitation_unknown: {
    title: "respond.invitation.unknownTitle",
    text: ["respond.invitation.unknownText"],
  },
  invitation_required: {
    title: "respond.unavailable.invitationRequiredTitle",
    text: ["respond.landing.invitationOnly"],
  },
  invitation_revoked: {
    title: "respond.invitation.revokedTitle",
    text: ["respond.invitation.revokedText"],
  },
  invitation_only: {
    title: "respond.unavailable.invitationRequiredTitle",
    text: ["respond.unavailable.invitationOnlyInProgress"],
  },
  too_large: { title: "common.errors.badRequestTitle", text: ["respond.errors.tooLarge"] },
  draft_too_large: {
    title: "common.errors.badRequestTitle",
    text: ["respond.errors.draftTooLarge"],
  },
  too_many: { title: "common.errors.badRequestTitle", text: ["respond.errors.tooMany"] },
  bad_intent: { title: "common.errors.badRequestTitle", text: ["respond.errors.badIntent"] },
  bad_form: { title: "common.errors.badRequestTitle", text: ["respond.errors.badForm"] },
  unknown_page: { title: "common.errors.notFoundTitle", text: ["respond.errors.unknownPage"] },
  already_submitted: {
    title: "respond.invitation.submittedTitle",
    text: ["respond.errors.alreadySubmitted"],
  },
};

/**
 * The error page of the respondent routes: a survey that does not accept answers, a link that
 * opens nothing, a form that cannot be processed, each explained in the reader's language.
 */
export function RespondErrorBoundary() {
  const error = useRouteError();
  const { t } = useI18n();
  const info =
    isRouteErrorResponse(error) &&
    error.data &&
    typeof error.data === "object" &&
    "reason" in error.data
      ? (error.data as { reason: string; date?: string })
      : null;
  const explained = info ? explanations[info.reason] : undefined;
  if (!info || !explained) return <GeneralErrorBoundary />;
  const closedOn = info.date && (info.reason === "closed" || info.reason === "closed_in_progress");
  return (
    <div className="container narrow error-page" role="alert">
      <h1>{t(explained.title)}</h1>
      {explained.text.map((key) => (
        <p key={key}>{t(key, { date: info.date ?? "" })}</p>
      ))}
      {closedOn ? <p>{t("respond.unavailable.closedOn", { date: info.date ?? "" })}</p> : null}
      <p>
        <Link to="/">{t("respond.unavailable.backHome")}</Link>
      </p>
    </div>
  );
}
