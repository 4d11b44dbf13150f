import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CopyButton } from "~/components/survey-admin/copy-button";
import { RespondErrorBoundary } from "~/components/survey/respond-error";
import { messagesOf, RESPOND_NAMESPACES } from "~/i18n/catalogs.server";
import { localized, translator } from "~/i18n/translate";
import { emailConfigured, mailerFor, senderAddress } from "~/server/email.server";
import {
  absoluteUrl,
  assertEditable,
  formatDateTime,
  readForm,
  requireResponse,
  respondentLocale,
  respondError,
} from "~/server/respond-view.server";
import { sendResumeLink } from "~/server/responses";

/** "Save and continue later": the answers are saved; here is the link that resumes them. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const response = await requireResponse(context, token);
  assertEditable(response, token);
  const locale = await respondentLocale(context, request, response);
  const invitation = response.access === "invitation";
  return {
    locale,
    messages: messagesOf(locale, RESPOND_NAMESPACES),
    surveyTitle: localized(response.def.title, locale),
    invitation,
    link: absoluteUrl(request, context.env, invitation ? `/i/${token}` : `/r/${token}`),
    continueHref: `/r/${token}`,
    savedAt: formatDateTime(response.updatedAt, locale),
    sharedDevice: response.sharedDevice,
    // An invitee's link is in their invitation e-mail already.
    canEmail: !invitation && emailConfigured(context.env),
  };
}

type EmailError = "emailRequired" | "emailInvalid" | "tooMany" | "notSent";
type ActionData = { sentTo: string } | { error: EmailError; email: string };

/** intent=email: sends the resume link to the address typed, which is not kept. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const token = params.token ?? "";
  const response = await requireResponse(context, token);
  assertEditable(response, token);
  const mailer = mailerFor(context.env);
  if (form.get("intent") !== "email" || response.access === "invitation" || !mailer)
    throw respondError(400, "bad_intent");
  const locale = response.locale;
  const t = translator(locale, messagesOf(locale, RESPOND_NAMESPACES));
  const survey = localized(response.def.title, locale);
  const link = absoluteUrl(request, context.env, `/r/${token}`);
  const typed = form.get("email");
  const result = await sendResumeLink(context.db, mailer, {
    responseId: response.id,
    address: typed,
    from: senderAddress(context.env),
    subject: t("respond.saved.mailSubject", { survey }),
    text: t("respond.saved.mailText", { survey, link }),
  });
  if (result.ok) return data<ActionData>({ sentTo: result.to });
  if (result.error === "notSent")
    context.logger.warn("resume link e-mail not sent", { response: response.id });
  const email = typeof typed === "string" ? typed : "";
  const status = result.error === "tooMany" ? 429 : result.error === "notSent" ? 503 : 400;
  return data<ActionData>({ error: result.error, email }, { status });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `${translator(data.locale, data.messages)("respond.saved.title")} — ${data.surveyTitle} — Needsmap`
      : "Needsmap",
  },
];

export default function Saved() {
  const data = useLoaderData<typeof loader>();
  const sent = useActionData<typeof action>() as ActionData | undefined;
  const t = translator(data.locale, data.messages);
  const error = sent && "error" in sent ? sent : null;
  return (
    <div className="container narrow">
      <p className="eyebrow">{data.surveyTitle}</p>
      <h1>{t("respond.saved.title")}</h1>
      <p className="notice notice--ok" role="status">
        {t("respond.saved.savedAt", { time: data.savedAt })}
      </p>
      <p>{t("respond.saved.text")}</p>
      {data.invitation ? <p>{t("respond.saved.invitationText")}</p> : null}
      <h2 id="resume-link-heading">{t("respond.saved.linkLabel")}</h2>
      <p className="resume-link" id="resume-link">
        <a href={data.link}>{data.link}</a>
      </p>
      <p className="actions">
        <CopyButton
          text={data.link}
          texts={{
            copy: t("respond.saved.copy"),
            copied: t("respond.saved.copied"),
            failed: t("respond.saved.copyFailed"),
          }}
        />
      </p>
      <p className="hint">{t("respond.saved.linkHint")}</p>
      {data.canEmail ? (
        <section aria-labelledby="email-link-heading" className="email-link">
          <h2 id="email-link-heading">{t("respond.saved.emailHeading")}</h2>
          {sent && "sentTo" in sent ? (
            <p className="notice notice--ok" role="status">
              {t("respond.saved.emailSent", { email: sent.sentTo })}
            </p>
          ) : null}
          <Form method="post" noValidate>
            <div className={`field${error ? " field--invalid" : ""}`}>
              <label htmlFor="resume-email">{t("respond.saved.emailLabel")}</label>
              <p className="hint" id="resume-email-hint">
                {t("respond.saved.emailHint")}
              </p>
              {error ? (
                <p className="field-error" id="resume-email-error" role="alert">
                  <span className="visually-hidden">{t("respond.page.errorPrefix")} </span>
                  {t(`respond.saved.emailErrors.${error.error}`)}
                </p>
              ) : null}
              <input
                type="email"
                id="resume-email"
                name="email"
                autoComplete="email"
                spellCheck={false}
                defaultValue={error?.email ?? ""}
                aria-describedby={`resume-email-hint${error ? " resume-email-error" : ""}`}
                aria-invalid={error ? true : undefined}
              />
            </div>
            <button type="submit" name="intent" value="email" className="secondary">
              {t("respond.saved.emailSend")}
            </button>
          </Form>
        </section>
      ) : null}
      {data.sharedDevice ? (
        <p className="notice notice--warn">{t("respond.saved.sharedDevice")}</p>
      ) : null}
      <p>
        <Link to={data.continueHref} className="button">
          {t("respond.saved.continue")}
        </Link>
      </p>
    </div>
  );
}

export function ErrorBoundary() {
  return <RespondErrorBoundary />;
}
