import { Form, useSubmit } from "@remix-run/react";
import { type FormEvent, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { type FieldErrors, type Resolver, useForm } from "react-hook-form";
import { LANGUAGE_NAMES, type Locale, type PageMessages, translator } from "~/i18n/translate";
import { findPage } from "~/survey/definition";
import { fieldsGetAll, pageAnswersFromFormData } from "~/survey/form-data";
import { localize } from "~/survey/locale";
import type { FormFields } from "~/survey/question-type";
import type { SurveyDefinition } from "~/survey/schema";
import { visibleQuestionsOnPage } from "~/survey/visibility";
import { rendererOf } from "../questions";
import type { FieldReader } from "../questions/types";
import { ErrorSummary, type SummaryItem } from "./error-summary";
import { errorTarget, fieldLabel, fieldsFromForm } from "~/survey/form-values";
import { filledNeedSlots } from "~/survey/intents";
import type { pageValidator } from "./page-validation";
import { RespondProvider, type RespondUi, useHydrated } from "./respond-context";

export interface PageFormProps {
  /** The definition, with the texts of this page in the respondent's language. */
  def: SurveyDefinition;
  pageKey: string;
  locale: Locale;
  /** The UI texts (common, respond) in that language. */
  messages: PageMessages;
  /** The respondent's answers that conditions on this page may look at (other pages). */
  otherAnswers: Readonly<Record<string, unknown>>;
  /** What the fields hold: the saved answers, or what was just typed. */
  fields: FormFields;
  /** Messages by field name from the server's check of this page. */
  serverErrors: Readonly<Record<string, string>>;
  blankNeedSlots: Readonly<Record<string, number>>;
  countries: ReadonlyArray<readonly [string, string]>;
  hasPrevious: boolean;
  /** The review has been reached before: offer to go back to it. */
  canReview: boolean;
  notice: string | null;
  /** A neutral notice (more questions opened) or a warning (answers not saved). */
  noticeKind?: "info" | "warn";
  /** Where the form posts (the page's own URL) and where background saves go. */
  action: string;
  autosaveAction: string;
  /** Languages the page can switch to (buttons that save first, so nothing typed is lost). */
  otherLocales: readonly Locale[];
}

export type SaveState =
  | { state: "idle" }
  | { state: "saving" }
  | { state: "saved"; at: Date }
  | { state: "failed" }
  | { state: "tooLong" }
  | { state: "tooLarge" }
  | { state: "notAccepted" };

/**
 * What an autosave reply means for the respondent: saved; an answer over its limit; all answers
 * together over the draft limit (draft_too_large, 413); the survey now takes answers only
 * through invitations (invitation_only, 403); anything else: not saved, check the connection.
 */
export function autosaveOutcome(ok: boolean, json: { savedAt?: string; error?: string } | null): SaveState {
  if (ok && json?.savedAt) return { state: "saved", at: new Date(json.savedAt) };
  switch (json?.error) {
    case "answer_too_long":
      return { state: "tooLong" };
    case "draft_too_large":
      return { state: "tooLarge" };
    case "invitation_only":
      return { state: "notAccepted" };
    default:
      return { state: "failed" };
  }
}

const AUTOSAVE_DELAY_MS = 1500;
/** The id of the page's form: the header's language switch submits it (see root.tsx). */
export const PAGE_FORM_ID = "survey-form";
const VALIDATED_INTENTS = new Set(["next", "review"]);

function reader(fields: Readonly<FormFields>): FieldReader {
  return {
    get: (name) => fields[name]?.[0] ?? "",
    getAll: (name) => fields[name] ?? [],
    record: fields,
  };
}

function toFormErrors(errors: Record<string, string>): FieldErrors<FormFields> {
  return Object.fromEntries(
    Object.entries(errors).map(([name, message]) => [name, { type: "validate", message }]),
  ) as FieldErrors<FormFields>;
}

function fromFormErrors(errors: FieldErrors<FormFields>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, error] of Object.entries(errors)) {
    if (error && typeof error.message === "string") out[name] = error.message;
  }
  return out;
}

/**
 * One page of the questionnaire: a plain Remix form (every button an `intent`), which with
 * JavaScript also validates with the page schema before posting (react-hook-form, once the
 * schema has loaded after hydration), shows and hides conditional questions as the respondent
 * answers, and saves in the background.
 */
export function PageForm(props: PageFormProps) {
  const { def, pageKey, locale, otherAnswers, action, autosaveAction } = props;
  const t = useMemo(() => translator(locale, props.messages), [locale, props.messages]);
  const enhanced = useHydrated();
  const submit = useSubmit();
  const formRef = useRef<HTMLFormElement>(null);
  const page = findPage(def, pageKey)!;
  const keys = useMemo(() => new Set(page.questions.map((q) => q.key)), [page]);

  const [current, setCurrent] = useState<FormFields>(props.fields);
  const [errors, setErrors] = useState<Record<string, string>>(props.serverErrors);
  const [attempt, setAttempt] = useState(0);
  const [save, setSave] = useState<SaveState>({ state: "idle" });
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // Every save from this page view (background or Next/Back) is numbered, so that the server can
  // ignore a background save that arrives after a later one.
  const draftClient = useMemo(() => (enhanced ? randomClientId() : ""), [enhanced]);
  const draftRevision = useRef<HTMLInputElement>(null);
  const [revision, setRevision] = useState(0);
  const stampRevision = useCallback(() => {
    const input = draftRevision.current;
    if (!input) return;
    // The field is read by the save that follows at once, before React renders the new number.
    const next = Number(input.value) + 1;
    input.value = String(next);
    setRevision(next);
  }, []);

  const readForm = useCallback(
    (): FormFields => (formRef.current ? fieldsFromForm(new FormData(formRef.current), keys) : {}),
    [keys],
  );

  // The same schema the server checks (page-validation.ts), loaded with zod once the page is
  // hydrated. Until it is there, validated intents post as they are and the server checks them.
  const [validator, setValidator] = useState<typeof pageValidator | null>(null);
  useEffect(() => {
    let active = true;
    import("./page-validation").then(
      (module) => {
        if (active) setValidator(() => module.pageValidator);
      },
      () => {}, // the server still validates every post
    );
    return () => {
      active = false;
    };
  }, []);
  const validate = useMemo(
    () => validator?.(def, pageKey, otherAnswers, locale) ?? null,
    [validator, def, pageKey, otherAnswers, locale],
  );
  // react-hook-form's resolver: the page schema above, run on the form's current fields.
  const resolver = useCallback<Resolver<FormFields>>(async () => {
    const fields = readForm();
    const found = validate ? validate(fields) : {};
    return Object.keys(found).length === 0
      ? { values: fields, errors: {} }
      : { values: {}, errors: toFormErrors(found) };
  }, [readForm, validate]);
  const { handleSubmit } = useForm<FormFields>({ resolver, mode: "onSubmit" });

  const autosave = useCallback(async () => {
    const form = formRef.current;
    if (!form) return;
    stampRevision();
    const body = new FormData(form);
    body.set("intent", "autosave");
    body.set("page", pageKey);
    setSave({ state: "saving" });
    try {
      const response = await fetch(autosaveAction, {
        method: "POST",
        body: new URLSearchParams(body as unknown as Record<string, string>),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const json = (await response.json().catch(() => null)) as {
        savedAt?: string;
        error?: string;
      } | null;
      setSave(autosaveOutcome(response.ok, json));
    } catch {
      setSave({ state: "failed" });
    }
  }, [autosaveAction, pageKey, stampRevision]);

  const changed = useCallback(() => {
    const fields = readForm();
    setCurrent(fields);
    if (validate && Object.keys(errors).length > 0) {
      const found = validate(fields);
      setErrors((shown) =>
        Object.fromEntries(Object.entries(found).filter(([name]) => name in shown)),
      );
    }
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void autosave(), AUTOSAVE_DELAY_MS);
  }, [readForm, validate, errors, autosave]);
  useEffect(() => () => clearTimeout(timer.current), []);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    const intent = submitter?.value ?? "next";
    clearTimeout(timer.current);
    stampRevision();
    if (!VALIDATED_INTENTS.has(intent)) return; // back, save, language, need and rank buttons post as they are
    void handleSubmit(
      () => submit(submitter ?? event.currentTarget, { method: "post", action }),
      (found) => {
        setErrors(fromFormErrors(found));
        setAttempt((n) => n + 1);
      },
    )(event);
  };

  const pageAnswers = useMemo(
    () => pageAnswersFromFormData(def, pageKey, fieldsGetAll(current)),
    [def, pageKey, current],
  );
  const visible = useMemo(
    () =>
      new Set(
        visibleQuestionsOnPage(def, pageKey, { ...otherAnswers, ...pageAnswers }).map((q) => q.key),
      ),
    [def, pageKey, otherAnswers, pageAnswers],
  );

  // Widgets report their changes from an event handler, before React has updated the fields:
  // read the form once the update is in the page.
  const changedLater = useCallback(() => void setTimeout(changed, 0), [changed]);
  const ui: RespondUi = useMemo(
    () => ({
      locale,
      t,
      enhanced,
      countries: props.countries,
      blankNeedSlots: props.blankNeedSlots,
      changed: changedLater,
    }),
    [locale, t, enhanced, props.countries, props.blankNeedSlots, changedLater],
  );
  const fields = useMemo(() => reader(props.fields), [props.fields]);

  const needNumber = (key: string, slot: number) =>
    t("respond.question.needEntry", {
      number: filledNeedSlots(key, current).indexOf(slot) + 1 || slot + 1,
    });
  const summary: SummaryItem[] = page.questions.flatMap((q) =>
    Object.entries(errors)
      .filter(([name]) => name === `q.${q.key}` || name.startsWith(`q.${q.key}.`))
      .map(([name, message]) => ({
        target: errorTarget(name),
        label: fieldLabel(page, name, locale, needNumber),
        message,
      })),
  );

  return (
    <RespondProvider value={ui}>
      <Form
        method="post"
        action={action}
        noValidate
        ref={formRef}
        id={PAGE_FORM_ID}
        onSubmit={onSubmit}
        onInput={changed}
        onChange={changed}
        className="survey-form"
      >
        {/* The first submit button is the one Enter uses: it must be "Next", not a language or a move button. */}
        <button
          type="submit"
          name="intent"
          value="next"
          className="visually-hidden"
          tabIndex={-1}
          aria-hidden="true"
        >
          {t("respond.page.next")}
        </button>
        {props.otherLocales.length > 0 ? (
          <p className="form-lang">
            <span id="form-lang-label">{t("respond.page.languageLabel")}</span>{" "}
            {props.otherLocales.map((l) => (
              <button
                key={l}
                type="submit"
                name="intent"
                value={`lang:${l}`}
                lang={l}
                className="link"
                aria-describedby="form-lang-label"
              >
                {LANGUAGE_NAMES[l]}
              </button>
            ))}
          </p>
        ) : null}
        <ErrorSummary
          items={summary}
          title={t("respond.page.errorSummaryTitle")}
          attempt={attempt}
        />
        {props.notice ? (
          <p className={`notice${props.noticeKind === "warn" ? " notice--warn" : ""}`} role="status">
            {props.notice}
          </p>
        ) : null}
        <input type="hidden" name="shown" value={[...visible].join(" ")} />
        {draftClient ? (
          <>
            <input type="hidden" name="draft_client" value={draftClient} />
            <input type="hidden" name="draft_revision" value={revision} ref={draftRevision} />
          </>
        ) : null}
        {page.questions.map((question) => {
          const { Field } = rendererOf(question.type);
          return (
            <div
              key={question.key}
              className="question"
              id={`question-${question.key}`}
              hidden={!visible.has(question.key)}
            >
              <Field question={question} fields={fields} errors={errors} />
            </div>
          );
        })}
        <div className="actions survey-actions">
          {props.hasPrevious ? (
            <button type="submit" name="intent" value="back" className="secondary">
              {t("respond.page.back")}
            </button>
          ) : null}
          <button type="submit" name="intent" value="next">
            {t("respond.page.next")}
          </button>
          {props.canReview ? (
            <button type="submit" name="intent" value="review" className="secondary">
              {t("respond.page.toReview")}
            </button>
          ) : null}
          <button type="submit" name="intent" value="save" className="link">
            {t("respond.page.save")}
          </button>
        </div>
        <p className="autosave" role="status">
          {save.state === "saving"
            ? t("respond.page.autosaveSaving")
            : save.state === "saved"
              ? t("respond.page.autosaveSaved", {
                  time: save.at.toLocaleTimeString(locale, {
                    hour: "2-digit",
                    minute: "2-digit",
                    hourCycle: "h23",
                  }),
                })
              : save.state === "failed"
                ? t("respond.page.autosaveFailed")
                : save.state === "tooLong"
                  ? t("respond.page.autosaveTooLong")
                  : save.state === "tooLarge"
                    ? t("respond.page.autosaveTooLarge")
                    : save.state === "notAccepted"
                      ? t("respond.page.autosaveNotAccepted")
                  : enhanced
                    ? t("respond.page.autosaveOn")
                    : t("respond.page.autosaveIdle")}
        </p>
      </Form>
    </RespondProvider>
  );
}

/** The page's title in the respondent's language. */
export function pageTitleOf(def: SurveyDefinition, pageKey: string, locale: Locale): string {
  return localize(findPage(def, pageKey)?.title, locale);
}

/** A random id for one page view (crypto.getRandomValues works on plain HTTP too). */
function randomClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
