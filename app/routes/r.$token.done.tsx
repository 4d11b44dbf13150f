import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AnswerReview } from "~/components/survey/answer-review";
import { RespondErrorBoundary } from "~/components/survey/respond-error";
import { useHydrated } from "~/components/survey/respond-context";
import {
  messagesOf,
  RESPOND_NAMESPACES,
  translator as catalogTranslator,
} from "~/i18n/catalogs.server";
import { localized, translator } from "~/i18n/translate";
import {
  countryNamesIn,
  definitionForBrowser,
  formatDateTime,
  readList,
  receiptCookie,
  requireResponse,
  respondentLocale,
} from "~/server/respond-view.server";
import { roundInvitationFor } from "~/server/delphi";
import { outcomePageOfSurvey } from "~/server/needs.server";
import { receiptOf } from "~/server/responses";

/**
 * The receipt: reference, time and, in the browser that submitted, a printable summary of
 * every answer. Elsewhere (a forwarded personal link) only the reference and the time.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const response = await requireResponse(context, token);
  const receipt = receiptOf(response);
  if (!receipt) throw redirect(`/r/${token}`);
  const locale = await respondentLocale(context, request, response);
  const submittedHere = (await readList(receiptCookie(context.env), request)).includes(response.id);
  const outcomeGroup = await outcomePageOfSurvey(context.db, response.survey.id);
  return {
    outcome: outcomeGroup
      ? {
          href: `/outcomes/${outcomeGroup}?lang=${locale}`,
          text: catalogTranslator(locale)("outcomes.receiptLink"),
        }
      : null,
    locale,
    messages: messagesOf(locale, RESPOND_NAMESPACES),
    surveyTitle: localized(receipt.def.title, locale),
    reference: receipt.reference,
    submittedAt: formatDateTime(receipt.submittedAt, locale),
    round: await roundInvitationFor(context.db, token, {
      minCell: context.env.MIN_CELL_SIZE,
      t: catalogTranslator(locale),
      formatDate: (date) => formatDateTime(date, locale),
    }),
    summary: submittedHere
      ? {
          def: definitionForBrowser(receipt.def, locale, null),
          answers: receipt.answers,
          countries: countryNamesIn(receipt.def, receipt.answers, locale),
        }
      : null,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `${translator(data.locale, data.messages)("respond.done.title")} — ${data.surveyTitle} — Needsmap`
      : "Needsmap",
  },
];

export default function Done() {
  const data = useLoaderData<typeof loader>();
  const t = translator(data.locale, data.messages);
  const hydrated = useHydrated();
  return (
    <div className="container narrow receipt">
      <p className="eyebrow">{data.surveyTitle}</p>
      <h1>{t("respond.done.title")}</h1>
      <p className="notice notice--ok" role="status">
        {t("respond.done.submitted")}
      </p>
      {data.round ? (
        <p className="notice no-print">
          <Link to={data.round.href}>{data.round.text}</Link>
        </p>
      ) : null}
      <h2>{t("respond.done.receiptHeading")}</h2>
      <dl className="details-list receipt-details">
        <dt>{t("respond.done.reference")}</dt>
        <dd className="reference">{data.reference}</dd>
        <dt>{t("respond.done.submittedAt")}</dt>
        <dd>{data.submittedAt}</dd>
        <dt>{t("respond.done.survey")}</dt>
        <dd>{data.surveyTitle}</dd>
      </dl>
      <p>{t("respond.done.keepReference")}</p>
      {hydrated ? (
        <p className="no-print">
          <button type="button" className="secondary" onClick={() => window.print()}>
            {t("respond.done.print")}
          </button>
        </p>
      ) : null}
      {data.summary ? (
        <section aria-labelledby="answers-heading">
          <h2 id="answers-heading">{t("respond.done.answersHeading")}</h2>
          <AnswerReview
            def={data.summary.def}
            answers={data.summary.answers}
            locale={data.locale}
            messages={data.messages}
            countries={data.summary.countries}
            headingLevel={3}
          />
        </section>
      ) : (
        <p className="muted">{t("respond.done.answersHidden")}</p>
      )}
      {data.outcome ? (
        <p className="no-print">
          <Link to={data.outcome.href}>{data.outcome.text}</Link>
        </p>
      ) : null}
      <p className="no-print">
        <Link to="/">{t("respond.done.home")}</Link>
      </p>
    </div>
  );
}

export function ErrorBoundary() {
  return <RespondErrorBoundary />;
}
