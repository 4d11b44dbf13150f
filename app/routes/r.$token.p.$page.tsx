import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useParams } from "@remix-run/react";
import { useRef } from "react";
import { PAGE_FORM_ID, PageForm } from "~/components/survey/page-form";
import type { LanguageFormHandle } from "~/root";
import { RespondErrorBoundary } from "~/components/survey/respond-error";
import { messagesOf, RESPOND_NAMESPACES } from "~/i18n/catalogs.server";
import { LOCALES, localized, translator } from "~/i18n/translate";
import { answersToFormFields } from "~/survey/form-data";
import { asksForCountry } from "~/survey/question-types";
import { findPage } from "~/survey/schema";
import {
  answersForConditions,
  assertEditable,
  countryOptions,
  definitionForBrowser,
  readForm,
  requireResponse,
  respondentLocale,
  respondError,
} from "~/server/respond-view.server";
import {
  pageAction,
  type PageActionData,
  pageProgress,
  REVIEW_MARK,
  resumeTarget,
  visibleKeysOnPage,
} from "~/server/responses";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const response = await requireResponse(context, token);
  assertEditable(response, token);
  const locale = await respondentLocale(context, request, response);
  const page = findPage(response.def, params.page ?? "");
  if (!page) throw respondError(404, "unknown_page");
  const { def, answers } = response;
  if (visibleKeysOnPage(def, page.key, answers).length === 0) {
    // Every question of the page is hidden by earlier answers: go on to where the respondent is.
    const target = resumeTarget(def, answers, response.currentPage, locale);
    throw redirect("review" in target ? `/r/${token}/review` : `/r/${token}/p/${target.page}`);
  }
  return {
    surveyTitle: localized(def.title, locale),
    pageTitle: localized(page.title, locale),
    pageDescription: page.description ? localized(page.description, locale) : null,
    locale,
    messages: messagesOf(locale, RESPOND_NAMESPACES),
    pageKey: page.key,
    def: definitionForBrowser(def, locale, page.key),
    otherAnswers: answersForConditions(def, answers, page.key),
    fields: answersToFormFields(page.questions, answers),
    progress: pageProgress(def, page.key, answers),
    canReview: response.currentPage === REVIEW_MARK,
    countries: page.questions.some(asksForCountry) ? countryOptions(locale) : [],
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const token = params.token ?? "";
  const response = await requireResponse(context, token);
  assertEditable(response, token);
  const result = await pageAction(context.db, response, token, params.page ?? "", form);
  switch (result.kind) {
    case "redirect":
      return redirect(result.to);
    case "data":
      return data<PageActionData>(result.data, { status: result.status });
    case "error":
      throw respondError(result.status, result.reason);
  }
}

/** The header's language switch saves the page's form (typed answers are kept). */
export const handle: LanguageFormHandle = { languageForm: PAGE_FORM_ID };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.pageTitle} — ${data.surveyTitle} — Needsmap` : "Needsmap" },
];

/** A new key whenever the server sends new values, so the uncontrolled fields show them. */
function useDataVersion(...deps: unknown[]): number {
  const ref = useRef<{ deps: unknown[]; version: number }>({ deps, version: 0 });
  if (deps.some((d, i) => d !== ref.current.deps[i]))
    ref.current = { deps, version: ref.current.version + 1 };
  return ref.current.version;
}

export default function QuestionnairePage() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as PageActionData | undefined;
  const { token } = useParams();
  const t = translator(loaded.locale, loaded.messages);
  const version = useDataVersion(loaded, actionData);
  const { progress } = loaded;
  const otherLocales = LOCALES.filter((l) => l !== loaded.locale);
  return (
    <div className="container narrow questionnaire">
      <p className="eyebrow">{loaded.surveyTitle}</p>
      <div className="progress">
        <p id="progress-label">
          {t("respond.page.progress", { current: progress.index, total: progress.total })}
        </p>
        <progress max={progress.total} value={progress.index} aria-labelledby="progress-label">
          {progress.index} / {progress.total}
        </progress>
      </div>
      <h1>{loaded.pageTitle}</h1>
      {loaded.pageDescription ? <p className="lead">{loaded.pageDescription}</p> : null}
      <PageForm
        key={`${loaded.pageKey}:${version}`}
        def={loaded.def}
        pageKey={loaded.pageKey}
        locale={loaded.locale}
        messages={loaded.messages}
        otherAnswers={loaded.otherAnswers}
        fields={actionData?.values ?? loaded.fields}
        serverErrors={actionData?.errors ?? {}}
        blankNeedSlots={actionData?.blankNeedSlots ?? {}}
        countries={loaded.countries}
        hasPrevious={progress.previous !== null}
        canReview={loaded.canReview}
        notice={
          actionData?.notice === "moreQuestions"
            ? t("respond.page.moreQuestions")
            : actionData?.notice === "draftTooLarge"
              ? t("respond.errors.draftTooLarge")
              : null
        }
        noticeKind={actionData?.notice === "draftTooLarge" ? "warn" : "info"}
        action={`/r/${token}/p/${loaded.pageKey}`}
        autosaveAction={`/r/${token}/autosave`}
        otherLocales={otherLocales}
      />
    </div>
  );
}

export function ErrorBoundary() {
  return <RespondErrorBoundary />;
}
