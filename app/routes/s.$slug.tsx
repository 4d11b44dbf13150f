import { randomUUID } from "node:crypto";
import type {
  ActionFunctionArgs,
  HeadersFunction,
  LoaderFunctionArgs,
  MetaFunction,
} from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { RespondErrorBoundary } from "~/components/survey/respond-error";
import { StartForm, SurveyIntro } from "~/components/survey/survey-intro";
import { useI18n } from "~/i18n/react";
import { localized } from "~/i18n/translate";
import {
  enforceSubmissionLimit,
  forgetResume,
  formatDateTime,
  readForm,
  rememberedResume,
  rememberResume,
  requestLocale,
  respondError,
  unavailableError,
} from "~/server/respond-view.server";
import {
  availabilityOf,
  getSurveyBySlug,
  loadResponse,
  responseAvailability,
  startResponse,
} from "~/server/responses";
import { newToken } from "~/server/tokens.server";

/**
 * The survey's landing page. A browser that started a response here (and did not say it is a
 * shared computer) remembers it in the `nm_resume` cookie; the page then asks first whether to
 * continue those answers, started on <date> ("Continue where you left off"), or to start again,
 * after a confirmation (`?restart=confirm`, a page of its own so that it works without
 * JavaScript): the browser then forgets them, and whoever started them keeps their own link.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const locale = await requestLocale(request);
  const survey = await getSurveyBySlug(context.db, params.slug ?? "");
  const unavailable = availabilityOf(survey);
  if (unavailable || !survey) throw unavailableError(unavailable!, locale);

  let resume: { href: string; startedOn: string } | null = null;
  const remembered = await rememberedResume(context.env, request, survey.id);
  if (remembered && survey.accessMode === "open_link") {
    const response = await loadResponse(context.db, remembered);
    if (
      response?.status === "in_progress" &&
      response.survey.id === survey.id &&
      !responseAvailability(response)
    )
      resume = { href: `/r/${remembered}`, startedOn: formatDateTime(response.startedAt, locale) };
  }
  const confirmRestart = resume !== null && new URL(request.url).searchParams.get("restart") === "confirm";
  return data(
    {
      confirmRestart,
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
      // The resume link the Start form asks for: random, stored only as a hash once used.
      resumeToken: newToken().token,
      resume,
    },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const intent = form.get("intent");
  const slug = params.slug ?? "";
  if (intent === "afresh") {
    const survey = await getSurveyBySlug(context.db, slug);
    if (!survey) throw respondError(404, "unknown");
    const cookie = await forgetResume(context.env, request, survey.id);
    return redirect(`/s/${slug}`, cookie ? { headers: { "Set-Cookie": cookie } } : undefined);
  }
  if (intent !== "start") throw respondError(400, "bad_intent");
  await enforceSubmissionLimit(context);
  const locale = await requestLocale(request);
  const sharedDevice = form.get("sharedDevice") === "yes";
  const result = await startResponse(context.db, {
    surveySlug: slug,
    idempotencyKey: String(form.get("idempotencyKey") ?? ""),
    locale: String(form.get("locale") ?? locale),
    resumeToken: String(form.get("resumeToken") ?? ""),
    sharedDevice,
  });
  if (result.ok) {
    const chosen = String(form.get("locale") ?? locale);
    // On a shared computer nothing is remembered, and an earlier response of this survey that
    // the browser remembered is forgotten too.
    const cookie = sharedDevice
      ? await forgetResume(context.env, request, result.surveyId)
      : await rememberResume(context.env, request, result.surveyId, result.token);
    const target = result.created
      ? `/r/${result.token}/p/${result.firstPage}?lang=${chosen}`
      : `/r/${result.token}`;
    return redirect(target, cookie ? { headers: { "Set-Cookie": cookie } } : undefined);
  }
  switch (result.error) {
    case "unavailable":
      throw unavailableError(result.unavailable, locale);
    case "invitation_required":
      throw respondError(403, "invitation_required");
    case "key_used":
      return data(
        { keyUsed: true, idempotencyKey: randomUUID(), resumeToken: newToken().token },
        { status: 409 },
      );
    default:
      throw respondError(400, "bad_form");
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.survey.title} — Needsmap` : "Needsmap" },
];

export default function SurveyLanding() {
  const { survey, idempotencyKey, resumeToken, resume, confirmRestart } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useI18n();
  return (
    <div className="container narrow survey-landing">
      <SurveyIntro survey={survey} />
      {actionData?.keyUsed ? (
        <p className="notice notice--warn" role="alert">
          {t("respond.landing.keyUsed")}
        </p>
      ) : null}
      {survey.invitationOnly ? (
        <>
          <h2>{t("respond.landing.startHeading")}</h2>
          <p className="notice">{t("respond.landing.invitationOnly")}</p>
        </>
      ) : resume && confirmRestart ? (
        <section className="notice notice--warn resume-prompt" aria-labelledby="restart-heading">
          <h2 id="restart-heading">{t("respond.landing.restartHeading")}</h2>
          <p>{t("respond.landing.restartText", { date: resume.startedOn })}</p>
          <Form method="post" action={`/s/${survey.slug}`} className="actions">
            <button type="submit" name="intent" value="afresh">
              {t("respond.landing.restartConfirm")}
            </button>
            <Link to={resume.href} className="button button--secondary">
              {t("respond.landing.restartCancel")}
            </Link>
          </Form>
        </section>
      ) : resume ? (
        <section className="notice resume-prompt" aria-labelledby="resume-heading">
          <h2 id="resume-heading">{t("respond.landing.resumeHeading")}</h2>
          <p>{t("respond.landing.resumeQuestion", { date: resume.startedOn })}</p>
          <p className="actions">
            <Link to={resume.href} className="button button--large">
              {t("respond.landing.resumeContinue")}
            </Link>
            <Link to={`/s/${survey.slug}?restart=confirm`} className="button button--secondary">
              {t("respond.landing.resumeAfresh")}
            </Link>
          </p>
          <p className="hint">{t("respond.landing.resumeHint")}</p>
        </section>
      ) : (
        <>
          <h2>{t("respond.landing.startHeading")}</h2>
          <StartForm
            idempotencyKey={actionData?.idempotencyKey ?? idempotencyKey}
            resumeToken={actionData?.resumeToken ?? resumeToken}
            sharedDeviceOption
          />
        </>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <RespondErrorBoundary />;
}
