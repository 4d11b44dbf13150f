import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { RespondErrorBoundary } from "~/components/survey/respond-error";
import { messagesOf, RESPOND_NAMESPACES } from "~/i18n/catalogs.server";
import { localized, translator } from "~/i18n/translate";
import {
  absoluteUrl,
  assertEditable,
  formatDateTime,
  requireResponse,
  respondentLocale,
} from "~/server/respond-view.server";

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
  };
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
  const t = translator(data.locale, data.messages);
  return (
    <div className="container narrow">
      <p className="eyebrow">{data.surveyTitle}</p>
      <h1>{t("respond.saved.title")}</h1>
      <p className="notice notice--ok" role="status">
        {t("respond.saved.savedAt", { time: data.savedAt })}
      </p>
      <p>{t("respond.saved.text")}</p>
      {data.invitation ? <p>{t("respond.saved.invitationText")}</p> : null}
      <h2>{t("respond.saved.linkLabel")}</h2>
      <p className="resume-link">
        <a href={data.link}>{data.link}</a>
      </p>
      <p className="hint">{t("respond.saved.linkHint")}</p>
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
