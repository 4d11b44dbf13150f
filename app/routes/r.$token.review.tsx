import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useParams } from "@remix-run/react";
import { AnswerReview } from "~/components/survey/answer-review";
import { ErrorSummary, type SummaryItem } from "~/components/survey/error-summary";
import { RespondErrorBoundary } from "~/components/survey/respond-error";
import { messagesOf, RESPOND_NAMESPACES } from "~/i18n/catalogs.server";
import { localized, type Locale, translator } from "~/i18n/translate";
import { buildSubmissionSchema } from "~/survey/answer-schema";
import { validationMessages } from "~/survey/messages";
import { type Answers, answerSchemaOf } from "~/survey/registry";
import type { SurveyDefinition } from "~/survey/schema";
import { visibleQuestions } from "~/survey/visibility";
import {
  addToList,
  assertEditable,
  isSubmitProof,
  countryNamesIn,
  definitionForBrowser,
  readForm,
  receiptCookie,
  requireResponse,
  respondentLocale,
  respondError,
  submitProof,
  unavailableError,
  enforceSubmissionLimit,
} from "~/server/respond-view.server";
import {
  type AnswerIssue,
  REVIEW_MARK,
  submitResponse,
  updateResponseState,
} from "~/server/responses";

/** The valid answers of the visible questions, and a message for each question that needs attention. */
function check(def: SurveyDefinition, answers: Readonly<Record<string, unknown>>, locale: Locale) {
  const valid: Answers = {};
  const messages = validationMessages(locale);
  for (const question of visibleQuestions(def, answers)) {
    const parsed = answerSchemaOf(question, messages).safeParse(answers[question.key]);
    if (parsed.success && parsed.data !== undefined) valid[question.key] = parsed.data;
  }
  const result = buildSubmissionSchema(def, locale).safeParse(answers);
  const problems = result.success
    ? {}
    : problemsOf(
        result.error.issues.map((i) => ({ questionKey: String(i.path[0]), message: i.message })),
      );
  return { valid, problems };
}

function problemsOf(
  issues: ReadonlyArray<Pick<AnswerIssue, "questionKey" | "message">>,
): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const issue of issues) problems[issue.questionKey] ??= issue.message;
  return problems;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const response = await requireResponse(context, token);
  assertEditable(response, token);
  const locale = await respondentLocale(context, request, response);
  await updateResponseState(context.db, response, { reached: REVIEW_MARK });
  const { valid, problems } = check(response.def, response.answers, locale);
  return {
    locale,
    messages: messagesOf(locale, RESPOND_NAMESPACES),
    surveyTitle: localized(response.def.title, locale),
    def: definitionForBrowser(response.def, locale, null),
    answers: valid,
    problems,
    countries: countryNamesIn(response.def, valid, locale),
    proof: submitProof(context.env, response.id),
  };
}

/** How long after a submission a repeat of its submit still marks the browser for the receipt. */
const REPEAT_WINDOW_MS = 60_000;

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const token = params.token ?? "";
  const response = await requireResponse(context, token);
  if (response.status === "submitted") {
    // The repeat of a submit that was stored meanwhile (a double click): the browser may have
    // dropped the first reply, and with it the receipt cookie, so this reply sets it again.
    const repeat =
      !response.sharedDevice &&
      response.submittedAt !== null &&
      Date.now() - response.submittedAt.getTime() < REPEAT_WINDOW_MS &&
      isSubmitProof(context.env, response.id, form.get("proof"));
    return redirect(
      `/r/${token}/done`,
      repeat
        ? { headers: { "Set-Cookie": await addToList(receiptCookie(context.env), request, response.id) } }
        : undefined,
    );
  }
  if (form.get("intent") !== "submit") throw respondError(400, "bad_intent");
  if (response.invitation?.status === "revoked") throw respondError(410, "invitation_revoked");
  await enforceSubmissionLimit(context);
  const result = await submitResponse(context.db, response);
  if (result.ok) {
    // On a shared computer no cookie marks the browser that submitted (the receipt then shows
    // the reference and the time, not the answers).
    if (response.sharedDevice) return redirect(`/r/${token}/done`);
    return redirect(`/r/${token}/done`, {
      headers: { "Set-Cookie": await addToList(receiptCookie(context.env), request, response.id) },
    });
  }
  switch (result.error) {
    case "unavailable":
      throw unavailableError(result.unavailable, response.locale, true);
    case "invalid":
      return data({ problems: problemsOf(result.issues) }, { status: 400 });
    default:
      throw respondError(404, "response_unknown");
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `${translator(data.locale, data.messages)("respond.review.title")} — ${data.surveyTitle} — Needsmap`
      : "Needsmap",
  },
];

export default function Review() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { token } = useParams();
  const { locale } = loaded;
  const t = translator(locale, loaded.messages);
  const problems = actionData?.problems ?? loaded.problems;
  const pageOf = (key: string) =>
    loaded.def.pages.find((p) => p.questions.some((q) => q.key === key));
  const items: SummaryItem[] = Object.entries(problems).map(([key, message]) => {
    const question = pageOf(key)?.questions.find((q) => q.key === key);
    return {
      target: `answer-${key}`,
      label: question ? localized(question.label, locale) : key,
      message,
    };
  });
  const submitting = navigation.state !== "idle" && navigation.formData?.get("intent") === "submit";
  return (
    <div className="container narrow review">
      <p className="eyebrow">{loaded.surveyTitle}</p>
      <h1>{t("respond.review.title")}</h1>
      {actionData ? (
        <ErrorSummary items={items} title={t("respond.review.problemsTitle")} attempt={1} />
      ) : items.length > 0 ? (
        <div className="notice notice--warn">
          <h2>{t("respond.review.problemsTitle")}</h2>
          <p>{t("respond.review.problemsIntro")}</p>
          <ul>
            {items.map((item) => (
              <li key={item.target}>
                <a href={`#${item.target}`}>
                  {item.label}: {item.message}
                </a>
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <p className="lead">{t("respond.review.intro")}</p>
      )}
      <AnswerReview
        def={loaded.def}
        answers={loaded.answers}
        locale={locale}
        messages={loaded.messages}
        countries={loaded.countries}
        problems={problems}
        changeHref={(page, question) => `/r/${token}/p/${page}#question-${question}`}
      />
      <h2>{t("respond.review.submitHeading")}</h2>
      <p>{t("respond.review.submitText")}</p>
      <Form method="post" className="submit-form">
        <input type="hidden" name="proof" value={loaded.proof} />
        <button
          type="submit"
          name="intent"
          value="submit"
          className="button--large"
          aria-disabled={submitting || undefined}
          onClick={(e) => {
            if (submitting) e.preventDefault();
          }}
        >
          {t("respond.review.submit")}
        </button>
      </Form>
    </div>
  );
}

export function ErrorBoundary() {
  return <RespondErrorBoundary />;
}
