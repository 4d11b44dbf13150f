import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import {
  Form,
  Link,
  useActionData,
  useFetcher,
  useLoaderData,
  useNavigation,
} from "@remix-run/react";
import { createContext, useContext, useEffect, useRef } from "react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { fieldId, TextPair } from "~/components/survey-admin/builder-fields";
import { StaleTranslations } from "~/components/survey-admin/question-changes";
import { countryOptions, SurveyPreviewPage } from "~/components/survey-admin/survey-preview";
import { SurveyNav } from "~/components/survey-admin/survey-nav";
import { localized, type MessageKey } from "~/i18n/translate";
import { resolveLocale } from "~/i18n/locale.server";
import { pageTitle } from "~/i18n/meta";
import { useI18n } from "~/i18n/react";
import type { RemovedQuestion } from "~/server/survey-admin.server";
import { requireManagedSurvey } from "~/server/survey-admin.server";
import { needTaxonomy } from "~/server/need-taxonomy.server";
import {
  builderStart,
  includedBlocks,
  previewQuestion,
  saveFromBuilder,
} from "~/server/survey-builder.server";
import { readForm, textField } from "~/server/upload.server";
import {
  applyIntent,
  applyQuestionForm,
  applySurveyForm,
  type BlockPage,
  type BuilderIntent,
  BUILDER_TYPES,
  type BuilderState,
  type ConditionFields,
  conditionFields,
  conditionOperand,
  type Data,
  earlierQuestions,
  expandedPages,
  type FieldSpec,
  getAt,
  parseIntent,
  parseState,
  type QuestionAt,
  questionAt,
  type QuestionFormError,
  TYPE_FIELDS,
} from "~/survey/builder";
import type { Condition } from "~/survey/primitives";
import type { QuestionType } from "~/survey/question-types";
import type { Page, SurveyDefinition } from "~/survey/schema";
import type { Problem } from "~/survey/source";
import { staleTexts } from "~/survey/translations";
import { RemovalConfirmation } from "~/components/survey-admin/removal-confirmation";

/**
 * The survey builder: the survey's pages and questions as forms, for people who do not write
 * YAML. Every button posts the whole form (so nothing typed is lost) with an `intent`; the
 * state being edited travels in a hidden field as the survey file's data, and is stored only
 * by "Save", through the same path as the YAML editor. With JavaScript the preview of the
 * open question follows the typing.
 */

interface BuilderView {
  state: BuilderState;
  blocks: Record<string, BlockPage>;
  preview: ReturnType<typeof previewQuestion>;
  problems: Problem[];
  errors: QuestionFormError[];
  /** A condition chosen in the lists but not complete yet, shown again as chosen. */
  pending: ConditionFields | null;
  formError: MessageKey | null;
  confirm: { removed: RemovedQuestion[]; keys: string } | null;
  unchanged: number | null;
  /** Changes whenever the server sends a new state, so that the form shows it. */
  formKey: number;
  /** The id of the element that takes the focus once the page shows this state. */
  focus: string | null;
}

/** Where the keyboard user continues after a button: the thing the button acted on. */
function focusAfter(
  raw: string,
  intent: BuilderIntent,
  before: BuilderState,
  after: BuilderState,
): string | null {
  const keyAt = (state: BuilderState, at: { page: number; question: number } | null) => {
    const q = questionAt(state.survey, at);
    return q ? String(q.key) : null;
  };
  switch (intent.op) {
    case "refresh":
      if (raw === "conditionAnswers") return CONDITION_VALUES_ID;
      return after.open && raw !== "preview" ? QUESTION_APPLY_ID : "survey-settings";
    case "edit":
    case "addQuestion":
    case "duplicateQuestion":
    case "addPage":
      return after.open ? QUESTION_HEADING_ID : null;
    case "close": {
      const key = keyAt(before, before.open);
      return key ? questionButtonId(key, "edit") : "pages-heading";
    }
    case "moveQuestion": {
      const key = keyAt(before, intent.at);
      return key ? questionButtonId(key, intent.by < 0 ? "up" : "down") : null;
    }
    case "deleteQuestion":
      return `page-${intent.at.page}-questions`;
    case "movePage": {
      const target = intent.page + intent.by;
      return `page-${target >= 0 && target < after.survey.pages.length ? target : intent.page}-heading`;
    }
    case "deletePage":
      return "pages-heading";
    case "addEntry":
    case "moveEntry":
    case "deleteEntry": {
      const question = questionAt(after.survey, after.open);
      const list = question ? getAt(question, intent.list) : undefined;
      const count = Array.isArray(list) ? list.length : 0;
      const index =
        intent.op === "addEntry"
          ? count - 1
          : intent.op === "moveEntry"
            ? Math.min(Math.max(intent.index + intent.by, 0), count - 1)
            : -1;
      return index >= 0
        ? fieldId(`q.${intent.list}.${index}.code`)
        : fieldId(`list.${intent.list}`);
    }
    case "save":
      return NOTICE_ID;
  }
}

function view(
  state: BuilderState,
  blocks: Record<string, BlockPage>,
  extra: Partial<BuilderView> = {},
): BuilderView {
  return {
    state,
    blocks,
    preview: previewQuestion(questionAt(state.survey, state.open)),
    problems: [],
    errors: [],
    pending: null,
    formError: null,
    confirm: null,
    unchanged: null,
    formKey: Date.now(),
    focus: null,
    ...extra,
  };
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { group, survey } = await requireManagedSurvey(request, context, params);
  const [start, { locale }] = await Promise.all([
    builderStart(context.db, survey),
    resolveLocale(request),
  ]);
  if (!start) throw new Response("", { status: 404, statusText: "Not Found" });
  const blocks = includedBlocks(start.survey);
  return {
    group,
    survey,
    version: start.version,
    draft: start.draft,
    countries: countryOptions(locale),
    sharedCategories: needTaxonomy().categories.map((c) => ({
      code: c.code,
      label: c.label[locale] ?? c.label.en,
    })),
    initial: view({ survey: start.survey, open: null }, blocks, { formKey: 0 }),
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, group, survey } = await requireManagedSurvey(request, context, params);
  const read = await readForm(request);
  if (read.tooLarge) throw new Response("", { status: 413, statusText: "Payload Too Large" });
  const form = read.form;
  const get = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : null;
  };
  const getAll = (name: string) =>
    form.getAll(name).filter((v): v is string => typeof v === "string");
  const parsed = parseState(textField(form, "state"), get("open"));
  if (!parsed) {
    // Not a form of this page (or a tampered one): start again from the stored survey.
    const start = await builderStart(context.db, survey);
    if (!start) throw new Response("", { status: 404, statusText: "Not Found" });
    return data(
      view({ survey: start.survey, open: null }, includedBlocks(start.survey), {
        formError: "builder.errors.stateLost",
      }),
      { status: 400 },
    );
  }
  const blocks = includedBlocks(parsed.survey);
  const applied = applyQuestionForm(applySurveyForm(parsed, get), get, getAll);
  const raw = get("intent") ?? "preview";
  const pageOf = /^addQuestion:(\d{1,4})$/.exec(raw)?.[1];
  const intent =
    raw === "preview"
      ? { op: "refresh" as const }
      : parseIntent(raw, pageOf ? get(`addType.${pageOf}`) : null);
  if (!intent) throw new Response("", { status: 400, statusText: "Bad Request" });
  const state = applyIntent(applied.state, intent, blocks);
  // Listing the answers of the chosen question is a step of choosing a condition, not a mistake.
  const errors = raw === "conditionAnswers" ? [] : applied.errors;
  const focus = focusAfter(raw, intent, applied.state, state);
  if (intent.op !== "save") return view(state, blocks, { errors, pending: applied.pending, focus });

  if (applied.errors.length > 0)
    return data(view(state, blocks, { errors: applied.errors }), { status: 400 });
  const confirmed = get("confirmRemoval") === "yes" ? get("confirmKeys") : null;
  const result = await saveFromBuilder(
    context.db,
    { survey, data: state.survey, confirmKeys: confirmed, signal: request.signal },
    { user, ip: context.clientIp },
  );
  const overview = `/staff/groups/${group.slug}/surveys/${survey.slug}`;
  if (result.ok && result.created)
    return redirect(
      `${overview}?notice=${result.draft ? "draft" : "version"}&version=${result.version}`,
    );
  if (result.ok) return view(state, blocks, { unchanged: result.version, focus });
  if (result.kind === "confirm")
    return data(
      view(state, blocks, {
        confirm: { removed: result.removed.filter((r) => r.answers > 0), keys: result.confirmKeys },
        formError: confirmed !== null ? "manage.editor.confirmRequired" : null,
      }),
      { status: 409 },
    );
  return data(view(state, blocks, { problems: result.problems }), { status: 400 });
}

export const meta: MetaFunction<typeof loader> = ({ matches, data: d }) => {
  const root = matches.find((m) => m.id === "root")?.data as { locale?: string } | undefined;
  const title = d?.initial.state.survey.title as Record<string, string> | undefined;
  return [
    {
      title: pageTitle(matches, "builder.title", {
        title: localized(title, root?.locale ?? "en") || (d?.survey.slug ?? ""),
      }),
    },
  ];
};

// ---------------------------------------------------------------------------------------------
// The page

function text(value: unknown): Record<string, string> | undefined {
  return typeof value === "object" && value !== null
    ? (value as Record<string, string>)
    : undefined;
}

const QUESTION_HEADING_ID = "b-q-heading";
const QUESTION_APPLY_ID = "b-q-apply";
const CONDITION_ID = "b-condition";
const CONDITION_VALUES_ID = "b-condition-values";
const NOTICE_ID = "builder-notice";
const SUMMARY_ID = "builder-summary";
const questionButtonId = (key: string, what: "edit" | "up" | "down") => fieldId(`q-${key}-${what}`);

/** The id of the element to focus after the last post (rendered as `autofocus` for pages
 * without JavaScript, and focused by an effect with it). */
const FocusTarget = createContext<string | null>(null);

/**
 * `id`, and `autoFocus` on the element that the last post acted on (`also`: on this one in its
 * stead). Without JavaScript every button of the builder loads a new page, and the keyboard user
 * continues from what the button acted on rather than from the top of the page; the attribute
 * is set only in answer to a post of the user's own, never on a first visit.
 */
function focusable(target: string | null, id: string, also = false) {
  const focused = target === id || also;
  // `data-post-focus` shows the focus ring even where the browser's heuristics would not (a
  // control focused by script after the form was drawn again).
  return focused ? { id, autoFocus: true, "data-post-focus": "" } : { id };
}

function useFocusable(id: string) {
  return focusable(useContext(FocusTarget), id);
}

function IntentButton({
  intent,
  children,
  label,
  className = "secondary",
  id,
}: {
  intent: string;
  children: React.ReactNode;
  label?: string;
  className?: string;
  id?: string;
}) {
  const target = useContext(FocusTarget);
  return (
    <button
      type="submit"
      name="intent"
      value={intent}
      className={className}
      aria-label={label}
      {...(id === undefined ? {} : focusable(target, id))}
    >
      {children}
    </button>
  );
}

/** A heading that can take the focus after a post (not in the tab order). */
function FocusHeading({
  level,
  id,
  children,
}: {
  level: 2 | 3 | 4;
  id: string;
  children: React.ReactNode;
}) {
  const props = useFocusable(id);
  const Tag = `h${level}` as const;
  return (
    <Tag {...props} tabIndex={-1}>
      {children}
    </Tag>
  );
}

function ScalarField({
  spec,
  question,
}: {
  spec: Exclude<FieldSpec, { kind: "text" | "list" }>;
  question: Data;
}) {
  const { t } = useI18n();
  const name = `q.${spec.name}`;
  const id = fieldId(name);
  const label = t(
    `builder.fields.${(spec.name === "other" ? "otherOption" : spec.name.replace(".", "_")) as "min"}`,
  );
  const value = getAt(question, spec.name);
  if (spec.kind === "bool")
    return (
      <div className="field">
        <label className="choice">
          <input type="checkbox" name={name} value="true" defaultChecked={value === true} />
          {label}
        </label>
      </div>
    );
  if (spec.kind === "enum")
    return (
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <select id={id} name={name} defaultValue={typeof value === "string" ? value : ""}>
          <option value="">{t("builder.fields.default")}</option>
          {spec.values.map((v) => (
            <option key={v} value={v}>
              {t(`builder.values.${v as "radio"}`)}
            </option>
          ))}
        </select>
      </div>
    );
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        type={spec.kind === "date" ? "date" : "text"}
        inputMode={spec.kind === "date" ? undefined : spec.kind === "int" ? "numeric" : "decimal"}
        id={id}
        name={name}
        defaultValue={value === undefined ? "" : String(value)}
        className="input--short"
      />
    </div>
  );
}

function ListField({
  spec,
  question,
}: {
  spec: Extract<FieldSpec, { kind: "list" }>;
  question: Data;
}) {
  const { t } = useI18n();
  const { sharedCategories } = useLoaderData<typeof loader>();
  const entries = (getAt(question, spec.name) as Data[] | undefined) ?? [];
  const name = `q.${spec.name}`;
  const heading = t(`builder.fields.${spec.name as "options"}`);
  const target = useContext(FocusTarget);
  const listId = fieldId(`list.${spec.name}`);
  return (
    <fieldset className="entry-list" {...focusable(target, listId)} tabIndex={-1}>
      <legend>{heading}</legend>
      <ol>
        {entries.map((entry, i) => {
          const code = String(entry.code ?? "");
          return (
            <li key={i} className="entry">
              <div className="field">
                <label htmlFor={fieldId(`${name}.${i}.code`)}>
                  {t("builder.entry.code", { n: i + 1 })}
                </label>
                <input
                  type="text"
                  {...focusable(target, fieldId(`${name}.${i}.code`))}
                  name={`${name}.${i}.code`}
                  defaultValue={code}
                  className="input--medium"
                />
              </div>
              <TextPair
                name={`${name}.${i}.label`}
                legend={t("builder.entry.label", { n: i + 1 })}
                value={text(entry.label)}
              />
              {spec.entry === "category" ? (
                <div className="field">
                  <label htmlFor={fieldId(`${name}.${i}.parent`)}>
                    {t("builder.entry.parent", { n: i + 1 })}
                  </label>
                  <select
                    id={fieldId(`${name}.${i}.parent`)}
                    name={`${name}.${i}.parent`}
                    defaultValue={String(entry.parent ?? "")}
                  >
                    <option value="">{t("builder.entry.noParent")}</option>
                    {sharedCategories.map((c) => (
                      <option key={c.code} value={c.code}>
                        {c.label} ({c.code})
                      </option>
                    ))}
                  </select>
                </div>
              ) : null}
              <div className="button-row">
                {i > 0 ? (
                  <IntentButton
                    intent={`moveEntry:${spec.name}:${i}:-1`}
                    label={t("builder.entry.moveUpLabel", { code })}
                  >
                    {t("builder.actions.up")}
                  </IntentButton>
                ) : null}
                {i < entries.length - 1 ? (
                  <IntentButton
                    intent={`moveEntry:${spec.name}:${i}:1`}
                    label={t("builder.entry.moveDownLabel", { code })}
                  >
                    {t("builder.actions.down")}
                  </IntentButton>
                ) : null}
                <IntentButton
                  intent={`deleteEntry:${spec.name}:${i}`}
                  label={t("builder.entry.deleteLabel", { code })}
                  className="danger"
                >
                  {t("builder.actions.delete")}
                </IntentButton>
              </div>
            </li>
          );
        })}
      </ol>
      <IntentButton intent={`addEntry:${spec.name}`}>
        {t("builder.entry.add", { list: heading })}
      </IntentButton>
    </fieldset>
  );
}

function ConditionEditor({
  question,
  earlier,
  error,
  pending,
}: {
  question: Data;
  earlier: Data[];
  error: boolean;
  pending: ConditionFields | null;
}) {
  const { t, locale } = useI18n();
  const current = pending ?? conditionFields(question.showIf as Condition | undefined);
  const chosen = earlier.find((q) => q.key === current.question);
  const operand = chosen ? conditionOperand(chosen) : null;
  const options = chosen && Array.isArray(chosen.options) ? (chosen.options as Data[]) : [];
  const errorId = "b-condition-error";
  const target = useContext(FocusTarget);
  const showsValues = operand === "code" && options.length > 0;
  // After "Show the answers", the answers to tick (or the condition itself when there are none).
  const focusValues = target === CONDITION_VALUES_ID;
  return (
    <fieldset
      className={`condition-editor${error ? " field--invalid" : ""}`}
      {...focusable(target, CONDITION_ID, focusValues && !showsValues)}
      tabIndex={-1}
    >
      <legend>{t("builder.condition.legend")}</legend>
      {error ? (
        <p className="field-error" id={errorId}>
          {t("builder.errors.conditionIncomplete")}
        </p>
      ) : null}
      {current.mode === "other" ? <p className="hint">{t("builder.condition.combined")}</p> : null}
      <div className="field">
        <label htmlFor="b-condition-mode">{t("builder.condition.mode")}</label>
        <select
          id="b-condition-mode"
          name="q.condition.mode"
          defaultValue={current.mode}
          aria-describedby={error ? errorId : undefined}
        >
          {current.mode === "other" ? (
            <option value="other">{t("builder.condition.keep")}</option>
          ) : null}
          <option value="always">{t("builder.condition.always")}</option>
          <option value="answered">{t("builder.condition.answered")}</option>
          <option value="in">{t("builder.condition.in")}</option>
          <option value="notIn">{t("builder.condition.notIn")}</option>
          <option value="equals">{t("builder.condition.equals")}</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="b-condition-question">{t("builder.condition.question")}</label>
        <select
          id="b-condition-question"
          name="q.condition.question"
          defaultValue={current.question}
        >
          <option value="">{t("builder.condition.chooseQuestion")}</option>
          {earlier.map((q) => (
            <option key={String(q.key)} value={String(q.key)}>
              {String(q.key)} — {localized(text(q.label), locale)}
            </option>
          ))}
        </select>
      </div>
      {showsValues ? (
        <fieldset className="field" {...focusable(target, CONDITION_VALUES_ID)} tabIndex={-1}>
          <legend>{t("builder.condition.values")}</legend>
          {options.map((o) => (
            <label key={String(o.code)} className="choice">
              <input
                type="checkbox"
                name="q.condition.values"
                value={String(o.code)}
                defaultChecked={current.values.includes(String(o.code))}
              />
              {localized(text(o.label), locale)} (<code>{String(o.code)}</code>)
            </label>
          ))}
        </fieldset>
      ) : operand === "country" ? (
        <div className="field">
          <label htmlFor="b-condition-country">{t("builder.condition.country")}</label>
          <input
            type="text"
            id="b-condition-country"
            name="q.condition.values"
            defaultValue={current.values[0] ?? ""}
            className="input--short"
          />
        </div>
      ) : operand === "number" ? (
        <div className="field">
          <label htmlFor="b-condition-number">{t("builder.condition.number")}</label>
          <input
            type="text"
            inputMode="decimal"
            id="b-condition-number"
            name="q.condition.number"
            defaultValue={current.mode === "equals" ? (current.values[0] ?? "") : ""}
            className="input--short"
          />
        </div>
      ) : null}
      <p className="hint">{t("builder.condition.refreshHint")}</p>
      <IntentButton intent="conditionAnswers">{t("builder.condition.refresh")}</IntentButton>
    </fieldset>
  );
}

function QuestionEditor({
  question,
  at,
  earlier,
  errors,
  pending,
}: {
  question: Data;
  at: QuestionAt;
  earlier: Data[];
  errors: QuestionFormError[];
  pending: ConditionFields | null;
}) {
  const { t } = useI18n();
  const type = question.type as QuestionType;
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.scrollIntoView?.({ block: "nearest" });
  }, [at.page, at.question]);
  return (
    <div className="question-editor" id="question-editor" ref={ref}>
      <FocusHeading level={4} id={QUESTION_HEADING_ID}>
        {t("builder.question.editing", {
          key: String(question.key),
          type: t(`builder.types.${type}`),
        })}
      </FocusHeading>
      <input type="hidden" name="q.present" value="1" />
      <div className="field">
        <label htmlFor="b-q-key">{t("builder.question.key")}</label>
        <p className="hint" id="b-q-key-hint">
          {t("builder.question.keyHint")}
        </p>
        <input
          type="text"
          id="b-q-key"
          name="q.key"
          defaultValue={String(question.key ?? "")}
          aria-describedby="b-q-key-hint"
          className="input--medium"
        />
      </div>
      <TextPair name="q.label" legend={t("builder.question.label")} value={text(question.label)} />
      <TextPair
        name="q.help"
        legend={t("builder.question.help")}
        value={text(question.help)}
        multiline
      />
      <div className="field">
        <label className="choice">
          <input
            type="checkbox"
            name="q.required"
            value="true"
            defaultChecked={question.required === true}
          />
          {t("builder.question.required")}
        </label>
      </div>
      {(TYPE_FIELDS[type] ?? []).map((spec) =>
        spec.kind === "list" ? (
          <ListField key={spec.name} spec={spec} question={question} />
        ) : spec.kind === "text" ? (
          <TextPair
            key={spec.name}
            name={`q.${spec.name}`}
            legend={t(`builder.fields.${spec.name.replace(".", "_") as "minLabel"}`)}
            value={text(getAt(question, spec.name))}
          />
        ) : (
          <ScalarField key={spec.name} spec={spec} question={question} />
        ),
      )}
      <ConditionEditor
        question={question}
        earlier={earlier}
        error={errors.includes("conditionIncomplete")}
        pending={pending}
      />
      <div className="button-row">
        <IntentButton intent="refresh" className="" id={QUESTION_APPLY_ID}>
          {t("builder.question.apply")}
        </IntentButton>
        <IntentButton intent="close">{t("builder.question.close")}</IntentButton>
      </div>
    </div>
  );
}

function QuestionSummary({ question }: { question: Data }) {
  const { t, locale } = useI18n();
  return (
    <span className="question-summary">
      <strong>{localized(text(question.label), locale) || String(question.key)}</strong>{" "}
      <code>{String(question.key)}</code> · {t(`builder.types.${question.type as QuestionType}`)}
      {question.required === true ? ` · ${t("builder.question.requiredShort")}` : ""}
      {question.showIf ? ` · ${t("builder.question.conditional")}` : ""}
    </span>
  );
}

export default function SurveyBuilder() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as BuilderView | undefined;
  const fetcher = useFetcher<BuilderView>();
  const navigation = useNavigation();
  const { t, locale } = useI18n();
  const { group, survey, version, draft, countries } = loaderData;
  const current: BuilderView = (actionData ?? loaderData.initial) as BuilderView;
  const { state, blocks, problems, errors, confirm } = current;
  const base = `/staff/groups/${group.slug}/surveys/${survey.slug}`;
  const formRef = useRef<HTMLFormElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const hasSummary = Boolean(problems.length || current.formError || errors.length);
  // After every post, the focus goes to what the button acted on, or to the problems found.
  const focusId = hasSummary ? SUMMARY_ID : current.focus;
  useEffect(() => {
    if (!current.formKey || !focusId) return;
    const element =
      document.getElementById(focusId) ??
      (focusId === CONDITION_VALUES_ID ? document.getElementById(CONDITION_ID) : null);
    if (!element) return;
    if (document.activeElement !== element) element.focus();
  }, [current.formKey, focusId]);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  // With JavaScript, the preview follows the typing: the form is sent a moment after a change,
  // and only the preview of the answer is used.
  const livePreview = () => {
    if (!state.open) return;
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      if (formRef.current) fetcher.submit(formRef.current, { method: "post" });
    }, 600);
  };
  const preview =
    (fetcher.data && fetcher.state === "idle" ? fetcher.data.preview : undefined) ??
    current.preview;
  const title = text(state.survey.title);
  const pages = state.survey.pages;
  const openQuestion = questionAt(state.survey, state.open);
  const stale = staleTexts(state.survey);
  const openPage = state.open ? pages[state.open.page] : null;
  const blockDefinition = {
    ...state.survey,
    pages: expandedPages(state.survey, blocks).map((p) => ({ key: p.key, questions: p.questions })),
  } as unknown as SurveyDefinition;

  return (
    <FocusTarget.Provider value={focusId}>
      <div className="container container--wide">
        <p className="breadcrumbs">
          <Link to={`/staff/groups/${group.slug}/surveys`}>
            {t("manage.nav.backToList", { group: localized(group.name, locale) })}
          </Link>
        </p>
        <h1>{t("builder.title", { title: localized(title, locale) || survey.slug })}</h1>
        <SurveyNav base={base} />
        <p className="lead">
          {survey.status === "draft"
            ? t("builder.intro.unpublished", { version })
            : draft
              ? t("builder.drafts.editingDraft", { version, next: version + 1 })
              : t("builder.drafts.savesDraft", { version, next: version + 1 })}
        </p>
        <p>
          {t("builder.intro.yaml")} <Link to={`${base}/edit`}>{t("builder.intro.yamlLink")}</Link>
        </p>

        {current.unchanged != null ? (
          <p className="notice" role="status" {...focusable(focusId, NOTICE_ID)} tabIndex={-1}>
            {t("manage.notices.unchanged", { version: current.unchanged })}
          </p>
        ) : null}
        {hasSummary ? (
          <div
            className="error-summary"
            role="alert"
            tabIndex={-1}
            {...focusable(focusId, SUMMARY_ID)}
            aria-labelledby="builder-problems"
          >
            <h2 id="builder-problems">
              {problems.length
                ? t("manage.editor.problemsTitle", { count: problems.length })
                : t("builder.errors.title")}
            </h2>
            {current.formError ? <p>{t(current.formError)}</p> : null}
            {errors.includes("conditionIncomplete") ? (
              <p>
                <a href="#b-condition-mode">{t("builder.errors.conditionIncomplete")}</a>
              </p>
            ) : null}
            {problems.length ? (
              <ul className="problem-list">
                {problems.map((p, i) => (
                  <li key={i}>
                    {p.path ? <code>{p.path}</code> : null}
                    {p.path ? ": " : ""}
                    {p.message}
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}

        <StaleTranslations stale={stale} />

        <div className="builder-layout">
          <Form
            method="post"
            className="builder-form"
            key={current.formKey}
            ref={formRef}
            onChange={livePreview}
            aria-label={t("builder.formLabel")}
          >
            <input type="hidden" name="state" value={JSON.stringify(state.survey)} />
            <input
              type="hidden"
              name="open"
              value={state.open ? `${state.open.page}:${state.open.question}` : ""}
            />
            {confirm ? (
              <RemovalConfirmation
                confirm={confirm}
                error={
                  current.formError === "manage.editor.confirmRequired" ? current.formError : null
                }
                checkboxLabel="manage.editor.confirmCheckbox"
              />
            ) : null}

            <section aria-labelledby="survey-settings" className="card section-card">
              <FocusHeading level={2} id="survey-settings">
                {t("builder.survey.heading")}
              </FocusHeading>
              <input type="hidden" name="survey.present" value="1" />
              <TextPair name="survey.title" legend={t("builder.survey.title")} value={title} />
              <TextPair
                name="survey.introduction"
                legend={t("builder.survey.introduction")}
                value={text(state.survey.introduction)}
                multiline
              />
              <div className="field">
                <label htmlFor={fieldId("survey.estimatedMinutes")}>
                  {t("builder.survey.minutes")}
                </label>
                <input
                  type="text"
                  inputMode="numeric"
                  id={fieldId("survey.estimatedMinutes")}
                  name="survey.estimatedMinutes"
                  defaultValue={
                    state.survey.estimatedMinutes === undefined
                      ? ""
                      : String(state.survey.estimatedMinutes)
                  }
                  className="input--short"
                />
              </div>
              <IntentButton intent="preview">{t("builder.actions.apply")}</IntentButton>
            </section>

            <FocusHeading level={2} id="pages-heading">
              {t("builder.pages.heading")}
            </FocusHeading>
            {pages.map((page, p) => {
              const include = typeof page.include === "string" ? page.include : null;
              const block = include ? blocks[include] : null;
              const questions = Array.isArray(page.questions) ? (page.questions as Data[]) : [];
              const pageName = include
                ? t("builder.pages.block", { name: include })
                : localized(text(page.title), locale) || String(page.key ?? "");
              return (
                <section
                  key={p}
                  className="builder-page card"
                  aria-labelledby={`page-${p}-heading`}
                >
                  <FocusHeading level={3} id={`page-${p}-heading`}>
                    {t("builder.pages.page", { n: p + 1, title: pageName })}
                  </FocusHeading>
                  {include ? (
                    <>
                      <p className="hint">{t("builder.pages.blockHint", { name: include })}</p>
                      {block ? (
                        <ul className="question-list">
                          {block.questions.map((q) => (
                            <li key={String(q.key)}>
                              <QuestionSummary question={q} />
                            </li>
                          ))}
                        </ul>
                      ) : null}
                    </>
                  ) : (
                    <>
                      <input type="hidden" name={`page.${p}.present`} value="1" />
                      <div className="field">
                        <label htmlFor={fieldId(`page.${p}.key`)}>{t("builder.pages.key")}</label>
                        <input
                          type="text"
                          id={fieldId(`page.${p}.key`)}
                          name={`page.${p}.key`}
                          defaultValue={String(page.key ?? "")}
                          className="input--medium"
                        />
                      </div>
                      <TextPair
                        name={`page.${p}.title`}
                        legend={t("builder.pages.title")}
                        value={text(page.title)}
                      />
                      <TextPair
                        name={`page.${p}.description`}
                        legend={t("builder.pages.description")}
                        value={text(page.description)}
                        multiline
                      />
                      <FocusHeading level={4} id={`page-${p}-questions`}>
                        {t("builder.pages.questions")}
                      </FocusHeading>
                      <ol className="question-list" aria-labelledby={`page-${p}-questions`}>
                        {questions.map((q, i) => {
                          const at = { page: p, question: i };
                          const isOpen = state.open?.page === p && state.open.question === i;
                          const key = String(q.key);
                          return (
                            <li key={i} className={isOpen ? "question-list__open" : undefined}>
                              <QuestionSummary question={q} />
                              <div className="button-row">
                                {!isOpen ? (
                                  <IntentButton
                                    intent={`edit:${p}:${i}`}
                                    id={questionButtonId(key, "edit")}
                                    label={t("builder.question.editLabel", { key })}
                                  >
                                    {t("builder.actions.edit")}
                                  </IntentButton>
                                ) : null}
                                <IntentButton
                                  intent={`moveQuestion:${p}:${i}:-1`}
                                  id={questionButtonId(key, "up")}
                                  label={t("builder.question.upLabel", { key })}
                                >
                                  {t("builder.actions.up")}
                                </IntentButton>
                                <IntentButton
                                  intent={`moveQuestion:${p}:${i}:1`}
                                  id={questionButtonId(key, "down")}
                                  label={t("builder.question.downLabel", { key })}
                                >
                                  {t("builder.actions.down")}
                                </IntentButton>
                                <IntentButton
                                  intent={`duplicateQuestion:${p}:${i}`}
                                  label={t("builder.question.duplicateLabel", { key })}
                                >
                                  {t("builder.actions.duplicate")}
                                </IntentButton>
                                <IntentButton
                                  intent={`deleteQuestion:${p}:${i}`}
                                  label={t("builder.question.deleteLabel", { key })}
                                  className="danger"
                                >
                                  {t("builder.actions.delete")}
                                </IntentButton>
                              </div>
                              {isOpen && openQuestion ? (
                                <QuestionEditor
                                  question={openQuestion}
                                  at={at}
                                  earlier={earlierQuestions(state.survey, blocks, at)}
                                  errors={errors}
                                  pending={current.pending}
                                />
                              ) : null}
                            </li>
                          );
                        })}
                      </ol>
                      <div className="inline-form__fields">
                        <div className="field">
                          <label htmlFor={`b-add-type-${p}`}>{t("builder.pages.addType")}</label>
                          <select
                            id={`b-add-type-${p}`}
                            name={`addType.${p}`}
                            defaultValue="single_choice"
                          >
                            {BUILDER_TYPES.map((type) => (
                              <option key={type} value={type}>
                                {t(`builder.types.${type}`)}
                              </option>
                            ))}
                          </select>
                        </div>
                        <IntentButton intent={`addQuestion:${p}`}>
                          {t("builder.pages.addQuestion")}
                        </IntentButton>
                      </div>
                    </>
                  )}
                  <div className="button-row">
                    {p > 0 ? (
                      <IntentButton
                        intent={`movePage:${p}:-1`}
                        label={t("builder.pages.upLabel", { n: p + 1 })}
                      >
                        {t("builder.pages.up")}
                      </IntentButton>
                    ) : null}
                    {p < pages.length - 1 ? (
                      <IntentButton
                        intent={`movePage:${p}:1`}
                        label={t("builder.pages.downLabel", { n: p + 1 })}
                      >
                        {t("builder.pages.down")}
                      </IntentButton>
                    ) : null}
                    {pages.length > 1 ? (
                      <IntentButton
                        intent={`deletePage:${p}`}
                        label={t("builder.pages.deleteLabel", { n: p + 1 })}
                        className="danger"
                      >
                        {t("builder.pages.delete")}
                      </IntentButton>
                    ) : null}
                  </div>
                </section>
              );
            })}
            <p>
              <IntentButton intent="addPage">{t("builder.pages.add")}</IntentButton>
            </p>
            <div className="actions">
              <button
                type="submit"
                name="intent"
                value="save"
                disabled={navigation.state === "submitting"}
              >
                {survey.status === "draft" ? t("builder.save.version") : t("builder.save.draft")}
              </button>
              <Link to={base} className="button button--secondary">
                {t("manage.common.cancel")}
              </Link>
            </div>
          </Form>
          <aside className="builder-preview" aria-labelledby="preview-heading">
            <h2 id="preview-heading">{t("builder.preview.heading")}</h2>
            {openQuestion && openPage ? (
              preview ? (
                <div role="status" aria-live="polite">
                  <SurveyPreviewPage
                    def={blockDefinition}
                    page={
                      {
                        key: String(openPage.key),
                        title: text(openPage.title) ?? { en: "", ru: "" },
                        questions: [preview],
                      } as Page
                    }
                    lang={locale}
                    countries={countries}
                    hidden={{}}
                  />
                </div>
              ) : (
                <p className="hint" role="status">
                  {t("builder.preview.invalid")}
                </p>
              )
            ) : (
              <p className="hint">{t("builder.preview.none")}</p>
            )}
          </aside>
        </div>
      </div>
    </FocusTarget.Provider>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
