import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useParams } from "@remix-run/react";
import { useRef } from "react";
import { fieldsFromForm, pageFieldErrors } from "~/components/survey/form-values";
import { applyRankMove, parseIntent, removeNeedSlot } from "~/components/survey/intents";
import { PageForm } from "~/components/survey/page-form";
import { RespondErrorBoundary } from "~/components/survey/respond-error";
import { messagesOf, RESPOND_NAMESPACES } from "~/i18n/catalogs.server";
import { isLocale, LOCALES, localized, translator } from "~/i18n/translate";
import { buildPageSchema } from "~/survey/answer-schema";
import { answersToFormFields, fieldsGetAll, pageAnswersFromFormData } from "~/survey/form-data";
import type { FormFields } from "~/survey/question-type";
import { isAnswered } from "~/survey/registry";
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
  draftProblem,
  pageProgress,
  REVIEW_MARK,
  resumeTarget,
  savePage,
  draftRevisionOf,
  visibleKeysOnPage,
} from "~/server/responses.server";

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
    countries: page.questions.some((q) => q.type === "country") ? countryOptions(locale) : [],
  };
}

type ActionResult = {
  values: FormFields;
  errors: Record<string, string>;
  blankNeedSlots?: Record<string, number>;
  notice?: "moreQuestions" | "draftTooLarge";
  savedAt?: string;
};

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const token = params.token ?? "";
  const response = await requireResponse(context, token);
  assertEditable(response, token);
  const { def } = response;
  const page = findPage(def, params.page ?? "");
  if (!page) throw respondError(404, "unknown_page");
  const intent = parseIntent(form.get("intent") ?? "next");
  if (!intent) throw respondError(400, "bad_intent");

  const keys = new Set(page.questions.map((q) => q.key));
  let fields = fieldsFromForm(form, keys);
  const locale = response.locale;
  const here = `/r/${token}/p/${page.key}`;
  const save = (options: Parameters<typeof savePage>[4] = {}) =>
    savePage(
      context.db,
      response,
      page.key,
      pageAnswersFromFormData(def, page.key, fieldsGetAll(fields)),
      { revision: draftRevisionOf(form), ...options },
    );
  const saved = async (options?: Parameters<typeof savePage>[4]) => {
    const result = await save(options);
    if (!result.ok) {
      if (result.error === "too_large" || result.error === "too_long")
        throw respondError(413, "draft_too_large");
      throw redirect(`/r/${token}`);
    }
    return result;
  };
  const questionOfType = <T extends string>(key: string, type: T) => {
    const q = page.questions.find((x) => x.key === key);
    if (!q || q.type !== type) throw respondError(400, "bad_intent");
    return q as Extract<typeof q, { type: T }>;
  };

  // A text longer than a submission accepts is not saved: the page comes back with every value
  // as typed and the question's message ("Use at most N characters"), whatever the button.
  const typed = pageAnswersFromFormData(def, page.key, fieldsGetAll(fields));
  const problem = draftProblem(response, page.key, typed, locale);
  if (problem?.error === "too_long") {
    const checked =
      intent.kind === "next" || intent.kind === "review"
        ? buildPageSchema(def, page.key, response.answers, locale).safeParse(typed)
        : null;
    const issues = checked && !checked.success ? checked.error.issues : problem.issues;
    return data<ActionResult>(
      { values: fields, errors: pageFieldErrors(def, issues, fields) },
      { status: 400 },
    );
  }
  // Answers together over the draft limit: nothing is saved, and the page comes back with every
  // value as typed and a message above the form (without JavaScript, nothing typed is lost).
  if (problem) {
    return data<ActionResult>(
      { values: fields, errors: {}, notice: "draftTooLarge" },
      { status: 413 },
    );
  }

  switch (intent.kind) {
    case "autosave": {
      const result = await saved();
      return data<ActionResult>({
        values: fields,
        errors: {},
        savedAt: result.savedAt.toISOString(),
      });
    }
    case "lang": {
      if (!isLocale(intent.locale)) throw respondError(400, "bad_intent");
      await saved({ locale: intent.locale });
      return redirect(`${here}?lang=${intent.locale}`);
    }
    case "save": {
      await saved();
      return redirect(`/r/${token}/saved`);
    }
    case "back": {
      const result = await saved();
      const previous = pageProgress(def, page.key, result.answers).previous;
      return redirect(previous ? `/r/${token}/p/${previous}` : here);
    }
    case "need:add": {
      questionOfType(intent.key, "need_list");
      await saved();
      return data<ActionResult>({
        values: fields,
        errors: {},
        blankNeedSlots: { [intent.key]: 1 },
      });
    }
    case "need:remove": {
      const question = questionOfType(intent.key, "need_list");
      fields = removeNeedSlot(intent.key, intent.slot, fields);
      const result = await saved();
      // Number the remaining entries from 0 again, as saved.
      const rest = Object.fromEntries(
        Object.entries(fields).filter(([name]) => !name.startsWith(`q.${question.key}.`)),
      );
      const values = { ...rest, ...answersToFormFields([question], result.answers) };
      return data<ActionResult>({ values, errors: {}, blankNeedSlots: { [intent.key]: 0 } });
    }
    case "rank": {
      const question = questionOfType(intent.key, "ranking");
      fields = applyRankMove(question, fields, intent.item, intent.direction);
      await saved();
      return data<ActionResult>({ values: fields, errors: {} });
    }
    case "next":
    case "review": {
      const pageAnswers = pageAnswersFromFormData(def, page.key, fieldsGetAll(fields));
      const parsed = buildPageSchema(def, page.key, response.answers, locale).safeParse(
        pageAnswers,
      );
      if (!parsed.success) {
        await saved();
        return data<ActionResult>(
          { values: fields, errors: pageFieldErrors(def, parsed.error.issues, fields) },
          { status: 400 },
        );
      }
      // Questions that the answers just made visible, which the respondent has not seen yet.
      const shown = form.get("shown");
      const merged = { ...response.answers, ...pageAnswers };
      const appeared =
        typeof shown === "string"
          ? visibleKeysOnPage(def, page.key, merged).filter(
              (key) =>
                !shown.split(" ").includes(key) &&
                !isAnswered(
                  page.questions.find((q) => q.key === key)!,
                  pageAnswers[key],
                ),
            )
          : [];
      if (appeared.length > 0) {
        await saved();
        return data<ActionResult>({ values: fields, errors: {}, notice: "moreQuestions" });
      }
      const next = intent.kind === "review" ? null : pageProgress(def, page.key, merged).next;
      await saved({ reached: next ?? REVIEW_MARK });
      return redirect(next ? `/r/${token}/p/${next}` : `/r/${token}/review`);
    }
  }
}

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
  const actionData = useActionData<typeof action>() as ActionResult | undefined;
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
