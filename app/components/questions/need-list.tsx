import { type MouseEvent, useEffect, useRef, useState } from "react";
import { HORIZONS, RATING_MAX, RATING_MIN } from "~/survey/constants";
import { localize } from "~/survey/locale";
import { fieldName } from "~/survey/question-type";
import { NEED_FORM_SLOTS } from "~/survey/types/need-list";
import { filledNeedSlots, needIntent } from "~/survey/intents";
import { useRespondUi } from "../survey/respond-context";
import { describedBy, FieldError, GroupQuestion, ids, Radios, scalePoints, Select } from "./parts";
import type {
  AnswerSummaryProps,
  FieldReader,
  QuestionFieldProps,
  QuestionRenderer,
} from "./types";

type NeedListQuestion = QuestionFieldProps<"need_list">["question"];

function initialSlots(
  question: NeedListQuestion,
  fields: FieldReader,
  blanks: number | undefined,
): number[] {
  const filled = filledNeedSlots(question.key, fields.record);
  const wanted = blanks ?? (filled.length === 0 ? 1 : 0);
  const slots = [...filled];
  let next = filled.length > 0 ? filled[filled.length - 1] + 1 : 0;
  for (let i = 0; i < wanted && slots.length < question.maxEntries && next < NEED_FORM_SLOTS; i++)
    slots.push(next++);
  return slots;
}

/** Fields of one rating (urgency or importance) as a row of radio buttons. */
function Rating({
  name,
  legend,
  hint,
  fields,
  errors,
}: {
  name: string;
  legend: string;
  hint: string;
  fields: FieldReader;
  errors: Readonly<Record<string, string>>;
}) {
  return (
    <fieldset
      className={`subfield${errors[name] ? " field--invalid" : ""}`}
      id={name}
      tabIndex={-1}
      aria-describedby={describedBy(ids.hint(name), errors[name] && ids.error(name))}
    >
      <legend>{legend}</legend>
      <p className="hint" id={ids.hint(name)}>
        {hint}
      </p>
      <FieldError name={name} message={errors[name]} />
      <Radios
        name={name}
        options={scalePoints(RATING_MIN, RATING_MAX)}
        checked={fields.get(name)}
        inline
      />
    </fieldset>
  );
}

function Entry({
  question,
  slot,
  number,
  fields,
  errors,
  onRemove,
  anchor,
}: {
  anchor?: string;
  question: NeedListQuestion;
  slot: number;
  number: number;
  fields: FieldReader;
  errors: Readonly<Record<string, string>>;
  onRemove: (event: MouseEvent<HTMLButtonElement>, slot: number) => void;
}) {
  const { locale, t } = useRespondUi();
  const f = (field: string) => fieldName(question.key, slot, field);
  const entry = fieldName(question.key, slot);
  const text = (name: string, label: string, multiline?: boolean) => (
    <div className={`subfield${errors[name] ? " field--invalid" : ""}`}>
      <label htmlFor={name}>{label}</label>
      <FieldError name={name} message={errors[name]} />
      {multiline ? (
        <textarea
          id={name}
          name={name}
          rows={3}
          defaultValue={fields.get(name)}
          aria-describedby={describedBy(errors[name] && ids.error(name))}
          aria-invalid={errors[name] ? true : undefined}
        />
      ) : (
        <input
          type="text"
          id={name}
          name={name}
          defaultValue={fields.get(name)}
          aria-describedby={describedBy(errors[name] && ids.error(name))}
          aria-invalid={errors[name] ? true : undefined}
        />
      )}
    </div>
  );
  const entryError = errors[entry] ?? errors[f("id")];
  return (
    <fieldset className="need-entry" id={entry} tabIndex={-1}>
      <legend>{t("respond.question.needEntry", { number })}</legend>
      {anchor ? <span id={anchor} /> : null}
      <FieldError name={entry} message={entryError} />
      <input type="hidden" name={f("id")} defaultValue={fields.get(f("id"))} />
      {text(f("title"), t("respond.question.needTitle"))}
      {text(f("description"), t("respond.question.needDescription"), true)}
      <div className={`subfield${errors[f("category")] ? " field--invalid" : ""}`}>
        <label htmlFor={f("category")}>{t("respond.question.needCategory")}</label>
        <FieldError name={f("category")} message={errors[f("category")]} />
        <Select
          id={f("category")}
          name={f("category")}
          value={fields.get(f("category"))}
          options={question.categories.map((c) => ({
            value: c.code,
            label: localize(c.label, locale),
          }))}
          placeholder={t("respond.question.choose")}
          describedBy={describedBy(errors[f("category")] && ids.error(f("category")))}
          invalid={Boolean(errors[f("category")])}
        />
      </div>
      <fieldset
        className={`subfield${errors[f("horizon")] ? " field--invalid" : ""}`}
        id={f("horizon")}
        tabIndex={-1}
        aria-describedby={describedBy(errors[f("horizon")] && ids.error(f("horizon")))}
      >
        <legend>{t("respond.question.needHorizon")}</legend>
        <FieldError name={f("horizon")} message={errors[f("horizon")]} />
        <Radios
          name={f("horizon")}
          options={HORIZONS.map((h) => ({ value: h, label: t(`respond.question.horizons.${h}`) }))}
          checked={fields.get(f("horizon"))}
        />
      </fieldset>
      <Rating
        name={f("urgency")}
        legend={t("respond.question.needUrgency")}
        hint={t("respond.question.needUrgencyHint")}
        fields={fields}
        errors={errors}
      />
      <Rating
        name={f("importance")}
        legend={t("respond.question.needImportance")}
        hint={t("respond.question.needImportanceHint")}
        fields={fields}
        errors={errors}
      />
      <div className="actions actions--entry">
        <button
          type="submit"
          name="intent"
          value={needIntent.remove(question.key, slot)}
          className="secondary"
          onClick={(e) => onRemove(e, slot)}
        >
          {t("respond.question.needRemove", { number })}
        </button>
      </div>
    </fieldset>
  );
}

/**
 * Need entries, each a group of fields named `q.<key>.<slot>.<field>`. Adding and removing are
 * submit buttons (need:add / need:remove) that the server applies; with JavaScript they work
 * in place.
 */
function Field({ question, fields, errors }: QuestionFieldProps<"need_list">) {
  const { t, enhanced, blankNeedSlots, changed } = useRespondUi();
  const [slots, setSlots] = useState(() =>
    initialSlots(question, fields, blankNeedSlots[question.key]),
  );
  const focusNext = useRef<string | null>(null);
  useEffect(() => {
    if (!focusNext.current) return;
    document.getElementById(focusNext.current)?.focus();
    focusNext.current = null;
  }, [slots]);
  const addId = `${fieldName(question.key)}-add`;
  // Without JavaScript, "Add another need" reloads the page: it lands at the new entry.
  const newId = `${fieldName(question.key)}-new`;
  const added = (blankNeedSlots[question.key] ?? 0) > 0 ? slots[slots.length - 1] : null;

  const add = (event: MouseEvent<HTMLButtonElement>) => {
    if (!enhanced) return;
    event.preventDefault();
    const next = slots.length > 0 ? Math.max(...slots) + 1 : 0;
    if (slots.length >= question.maxEntries || next >= NEED_FORM_SLOTS) return;
    focusNext.current = fieldName(question.key, next, "title");
    setSlots([...slots, next]);
  };
  const remove = (event: MouseEvent<HTMLButtonElement>, slot: number) => {
    if (!enhanced) return;
    event.preventDefault();
    const at = slots.indexOf(slot);
    const rest = slots.filter((s) => s !== slot);
    focusNext.current =
      rest.length === 0 ? addId : fieldName(question.key, rest[Math.max(0, at - 1)]);
    setSlots(rest);
    changed();
  };

  const limits =
    question.minEntries > 0
      ? t("respond.question.needLimits", { min: question.minEntries, max: question.maxEntries })
      : t("respond.question.needMax", { count: question.maxEntries });
  const full = slots.length >= question.maxEntries;
  return (
    <GroupQuestion question={question} errors={errors} hints={[limits]} className="need-list">
      {slots.length === 0 ? <p className="muted">{t("respond.question.needEmpty")}</p> : null}
      {slots.map((slot, index) => (
        <Entry
          anchor={slot === added ? newId : undefined}
          key={slot}
          question={question}
          slot={slot}
          number={index + 1}
          fields={fields}
          errors={errors}
          onRemove={remove}
        />
      ))}
      <div className="actions actions--entry">
        {full ? (
          <p className="hint">{t("respond.question.needMaxReached")}</p>
        ) : (
          <button
            type="submit"
            name="intent"
            value={needIntent.add(question.key)}
            id={addId}
            className="secondary"
            formAction={`#${newId}`}
            onClick={add}
          >
            {slots.length === 0
              ? t("respond.question.needAdd")
              : t("respond.question.needAddAnother")}
          </button>
        )}
      </div>
    </GroupQuestion>
  );
}

function Summary({ question, value }: AnswerSummaryProps<"need_list">) {
  const { locale, t } = useRespondUi();
  return (
    <ol className="need-summary">
      {value.map((entry) => {
        const category = question.categories.find((c) => c.code === entry.category);
        return (
          <li key={entry.id}>
            <strong>{entry.title}</strong>
            {entry.description ? (
              <span className="multiline need-description">{entry.description}</span>
            ) : null}
            <span className="meta">
              {t("respond.review.needMeta", {
                category: category ? localize(category.label, locale) : entry.category,
                horizon: t(`respond.question.horizons.${entry.horizon}`),
                urgency: entry.urgency,
                importance: entry.importance,
              })}
            </span>
          </li>
        );
      })}
    </ol>
  );
}

export const needListRenderer: QuestionRenderer<"need_list"> = { Field, Summary };
