import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { RespondErrorBoundary } from "~/components/survey/respond-error";
import { StartForm, SurveyIntro } from "~/components/survey/survey-intro";
import { useI18n } from "~/i18n/react";
import { localized } from "~/i18n/translate";
import {
  addToList,
  readForm,
  readList,
  requestLocale,
  respondError,
  resumeCookie,
  unavailableError,
  enforceSubmissionLimit,
} from "~/server/respond-view.server";
import {
  availabilityOf,
  getSurveyBySlug,
  loadResponse,
  startResponse,
} from "~/server/responses.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const locale = await requestLocale(request);
  const survey = await getSurveyBySlug(context.db, params.slug ?? "");
  const unavailable = availabilityOf(survey);
  if (unavailable || !survey) throw unavailableError(unavailable!, locale);

  let resumeHref: string | null = null;
  for (const entry of await readList(resumeCookie(context.env), request)) {
    const [surveyId, token] = entry.split(":");
    if (Number(surveyId) !== survey.id || !token) continue;
    const response = await loadResponse(context.db, token);
    if (response?.status === "in_progress" && response.survey.id === survey.id)
      resumeHref = `/r/${token}`;
    break;
  }
  return {
    survey: {
      slug: survey.slug,
      title: localized(survey.def.title, locale),
      workingGroup: localized(survey.workingGroup.name, locale),
      introduction: survey.def.introduction ? localized(survey.def.introduction, locale) : null,
      estimatedMinutes: survey.def.estimatedMinutes ?? null,
      anonymous: survey.accessMode === "open_link",
      invitationOnly: survey.accessMode === "invitation_only",
      minCellSize: context.env.MIN_CELL_SIZE,
    },
    idempotencyKey: randomUUID(),
    resumeHref,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  if (form.get("intent") !== "start") throw respondError(400, "bad_intent");
  await enforceSubmissionLimit(context);
  const locale = await requestLocale(request);
  const slug = params.slug ?? "";
  const result = await startResponse(context.db, {
    surveySlug: slug,
    idempotencyKey: String(form.get("idempotencyKey") ?? ""),
    locale: String(form.get("locale") ?? locale),
    tokenSecret: context.env.SESSION_SECRET,
  });
  if (result.ok) {
    const chosen = String(form.get("locale") ?? locale);
    const cookie = await addToList(
      resumeCookie(context.env),
      request,
      `${result.surveyId}:${result.token}`,
    );
    const target = result.created
      ? `/r/${result.token}/p/${result.firstPage}?lang=${chosen}`
      : `/r/${result.token}`;
    return redirect(target, { headers: { "Set-Cookie": cookie } });
  }
  switch (result.error) {
    case "unavailable":
      throw unavailableError(result.unavailable, locale);
    case "invitation_required":
      throw respondError(403, "invitation_required");
    case "key_used":
      return data({ keyUsed: true, idempotencyKey: randomUUID() }, { status: 409 });
    default:
      throw respondError(400, "bad_form");
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.survey.title} — Needsmap` : "Needsmap" },
];

export default function SurveyLanding() {
  const { survey, idempotencyKey, resumeHref } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useI18n();
  return (
    <div className="container narrow survey-landing">
      <SurveyIntro survey={survey} />
      <h2>{t("respond.landing.startHeading")}</h2>
      {actionData?.keyUsed ? (
        <p className="notice notice--warn" role="alert">
          {t("respond.landing.keyUsed")}
        </p>
      ) : null}
      {survey.invitationOnly ? (
        <p className="notice">{t("respond.landing.invitationOnly")}</p>
      ) : (
        <>
          {resumeHref ? (
            <div className="notice notice--ok">
              <p>
                <strong>{t("respond.landing.continueHeading")}</strong>
              </p>
              <p>{t("respond.landing.continueText")}</p>
              <p>
                <Link to={resumeHref} className="button">
                  {t("respond.landing.continue")}
                </Link>
              </p>
            </div>
          ) : null}
          <StartForm idempotencyKey={actionData?.idempotencyKey ?? idempotencyKey} />
        </>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <RespondErrorBoundary />;
}
