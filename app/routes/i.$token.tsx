import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { RespondErrorBoundary } from "~/components/survey/respond-error";
import { StartForm, SurveyIntro } from "~/components/survey/survey-intro";
import { localized } from "~/i18n/translate";
import { useI18n } from "~/i18n/react";
import {
  formatDateTime,
  readForm,
  requestLocale,
  respondError,
  unavailableError,
  enforceSubmissionLimit,
} from "~/server/respond-view.server";
import { translator as catalogTranslator } from "~/i18n/catalogs.server";
import { roundInvitationFor } from "~/server/delphi";
import { availabilityOf, findInvitation, startResponse } from "~/server/responses";

/**
 * A personal invitation link. Unknown -> 404, withdrawn -> 410, already submitted -> the date
 * and reference (never the answers); otherwise the survey's landing with the invitee's name,
 * and Start (or Continue: the same link resumes the one response of the invitation).
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const locale = await requestLocale(request);
  const token = params.token ?? "";
  const invitation = await findInvitation(context.db, token);
  if (!invitation) throw respondError(404, "invitation_unknown");
  if (invitation.status === "revoked") throw respondError(410, "invitation_revoked");
  const { survey, response } = invitation;
  const title = localized(survey.def.title, locale);
  const round = await roundInvitationFor(context.db, token, {
    minCell: context.env.MIN_CELL_SIZE,
    t: catalogTranslator(locale),
    formatDate: (date) => formatDateTime(date, locale),
  });
  if (response?.status === "submitted") {
    return {
      state: "submitted" as const,
      title,
      submittedAt: response.submittedAt ? formatDateTime(response.submittedAt, locale) : "",
      reference: response.reference ?? "",
      round,
    };
  }
  const unavailable = availabilityOf(survey);
  // The questionnaire is closed, but a Delphi round this invitee may join is open: go there.
  if (unavailable && round) throw redirect(round.href);
  if (unavailable) throw unavailableError(unavailable, locale, response !== null);
  return {
    state: response ? ("in_progress" as const) : ("ready" as const),
    title,
    name: invitation.name,
    token,
    survey: {
      title,
      workingGroup: localized(survey.workingGroup.name, locale),
      introduction: survey.def.introduction ? localized(survey.def.introduction, locale) : null,
      estimatedMinutes: survey.def.estimatedMinutes ?? null,
      anonymous: false,
      minCellSize: context.env.MIN_CELL_SIZE,
    },
    idempotencyKey: randomUUID(),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  if (form.get("intent") !== "start") throw respondError(400, "bad_intent");
  await enforceSubmissionLimit(context);
  const locale = await requestLocale(request);
  const token = params.token ?? "";
  const invitation = await findInvitation(context.db, token);
  if (!invitation) throw respondError(404, "invitation_unknown");
  const chosen = String(form.get("locale") ?? locale);
  const result = await startResponse(context.db, {
    surveySlug: invitation.survey.slug,
    idempotencyKey: String(form.get("idempotencyKey") ?? ""),
    locale: chosen,
    invitationToken: token,
    sharedDevice: form.get("sharedDevice") === "yes",
  });
  if (result.ok) {
    return redirect(
      result.created ? `/r/${token}/p/${result.firstPage}?lang=${chosen}` : `/r/${token}`,
    );
  }
  switch (result.error) {
    case "invitation_unknown":
      throw respondError(404, "invitation_unknown");
    case "invitation_revoked":
      throw respondError(410, "invitation_revoked");
    case "already_submitted":
      return redirect(`/i/${token}`);
    case "unavailable":
      throw unavailableError(result.unavailable, locale);
    default:
      throw respondError(400, "bad_form");
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.title} — Needsmap` : "Needsmap" },
];

export default function Invitation() {
  const data = useLoaderData<typeof loader>();
  const { t } = useI18n();
  if (data.state === "submitted") {
    return (
      <div className="container narrow">
        <p className="eyebrow">{data.title}</p>
        <h1>{t("respond.invitation.submittedTitle")}</h1>
        {data.round ? (
          <p className="notice">
            <Link to={data.round.href}>{data.round.text}</Link>
          </p>
        ) : null}
        <p>
          {t("respond.invitation.submittedText", {
            date: data.submittedAt,
            reference: data.reference,
          })}
        </p>
        <p>{t("respond.invitation.submittedNoAnswers")}</p>
        <p>
          <Link to="/">{t("respond.unavailable.backHome")}</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="container narrow survey-landing">
      <SurveyIntro
        survey={data.survey}
        greeting={t("respond.invitation.greeting", { name: data.name })}
      />
      <p className="notice">{t("respond.invitation.personal")}</p>
      <h2>{t("respond.landing.startHeading")}</h2>
      {data.state === "in_progress" ? (
        <>
          <p>{t("respond.invitation.inProgress")}</p>
          <p>
            <Link to={`/r/${data.token}`} className="button">
              {t("respond.invitation.continue")}
            </Link>
          </p>
        </>
      ) : (
        <StartForm idempotencyKey={data.idempotencyKey} sharedDeviceOption />
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <RespondErrorBoundary />;
}
