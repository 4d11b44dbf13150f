import type { CSSProperties, ReactNode } from "react";
import { localize } from "~/survey/locale";
import { fieldName } from "~/survey/question-type";
import type { Question } from "~/survey/question-types";
import { useRespondUi } from "../survey/respond-context";

/** Ids of the parts of a field: its hint, its help text and its error message. */
export const ids = {
  help: (name: string) => `${name}-help`,
  hint: (name: string) => `${name}-hint`,
  error: (name: string) => `${name}-error`,
  option: (name: string, value: string | number) => `${name}--${value}`,
};

export function describedBy(
  ...parts: Array<string | false | null | undefined>
): string | undefined {
  const list = parts.filter((p): p is string => typeof p === "string" && p !== "");
  return list.length > 0 ? list.join(" ") : undefined;
}

/** The message of an invalid field, announced with a hidden "Error:" prefix. */
export function FieldError({ name, message }: { name: string; message?: string }) {
  const { t } = useRespondUi();
  if (!message) return null;
  return (
    <p className="field-error" id={ids.error(name)}>
      <span className="visually-hidden">{t("respond.page.errorPrefix")} </span>
      {message}
    </p>
  );
}

function LabelText({ question }: { question: Question }) {
  const { locale, t } = useRespondUi();
  return (
    <>
      {localize(question.label, locale)}
      {question.required ? (
        <span className="required-mark"> {t("respond.page.required")}</span>
      ) : null}
    </>
  );
}

interface FrameProps {
  question: Question;
  errors: Readonly<Record<string, string>>;
  /** Hints shown under the label (limits, formats), each its own paragraph. */
  hints?: ReactNode[];
  children: ReactNode;
}

function HelpAndHints({ question, hints }: { question: Question; hints?: ReactNode[] }) {
  const { locale } = useRespondUi();
  const name = fieldName(question.key);
  const shown = (hints ?? []).filter(Boolean);
  return (
    <>
      {question.help ? (
        <p className="help" id={ids.help(name)}>
          {localize(question.help, locale)}
        </p>
      ) : null}
      {shown.length > 0 ? (
        <div className="hint" id={ids.hint(name)}>
          {shown.map((hint, i) => (
            <p key={i}>{hint}</p>
          ))}
        </div>
      ) : null}
    </>
  );
}

/** The ids that describe a question's main field: help, hints and its error. */
export function questionDescription(
  question: Question,
  errors: Readonly<Record<string, string>>,
  hasHints: boolean,
) {
  const name = fieldName(question.key);
  return describedBy(
    question.help && ids.help(name),
    hasHints && ids.hint(name),
    errors[name] && ids.error(name),
  );
}

/**
 * A question answered with a group of controls: a fieldset whose legend is the question.
 * The fieldset carries the question's field name as id, so the error summary can link to it.
 * It is marked invalid only for a message about the whole question: a message about one of its
 * parts (a row, a rating, a field of a need entry) marks that part alone.
 */
export function GroupQuestion({
  question,
  errors,
  hints,
  children,
  className,
  style,
}: FrameProps & { className?: string; style?: CSSProperties }) {
  const name = fieldName(question.key);
  const invalid = Boolean(errors[name]);
  return (
    <fieldset
      className={`field${invalid ? " field--invalid" : ""}${className ? ` ${className}` : ""}`}
      style={style}
      id={name}
      tabIndex={-1}
      aria-describedby={questionDescription(question, errors, Boolean(hints?.some(Boolean)))}
    >
      <legend>
        <LabelText question={question} />
      </legend>
      <HelpAndHints question={question} hints={hints} />
      <FieldError name={name} message={errors[name]} />
      {children}
    </fieldset>
  );
}

/** A question answered with one control, labelled by the question; `children` renders it with id = field name. */
export function SingleQuestion({ question, errors, hints, children }: FrameProps) {
  const name = fieldName(question.key);
  return (
    <div className={`field${errors[name] ? " field--invalid" : ""}`}>
      <label htmlFor={name}>
        <LabelText question={question} />
      </label>
      <HelpAndHints question={question} hints={hints} />
      <FieldError name={name} message={errors[name]} />
      {children}
    </div>
  );
}

export interface RadioOption {
  value: string;
  label: ReactNode;
  lang?: string;
}

/** Radio buttons of one field; `inline` lays them out in a row (scales). */
export function Radios({
  name,
  options,
  checked,
  inline,
  describedBy: description,
}: {
  name: string;
  options: readonly RadioOption[];
  checked: string;
  inline?: boolean;
  describedBy?: string;
}) {
  return (
    <div className={inline ? "choices choices--inline" : "choices"}>
      {options.map((option) => {
        const id = ids.option(name, option.value);
        return (
          <div className="choice" key={option.value}>
            <input
              type="radio"
              id={id}
              name={name}
              value={option.value}
              defaultChecked={checked === option.value}
              aria-describedby={description}
            />
            <label htmlFor={id} lang={option.lang}>
              {option.label}
            </label>
          </div>
        );
      })}
    </div>
  );
}

/** The points of a scale from min to max, as radio options labelled with their number. */
export function scalePoints(min: number, max: number): RadioOption[] {
  const points: RadioOption[] = [];
  for (let value = min; value <= max; value++)
    points.push({ value: String(value), label: String(value) });
  return points;
}

/** A drop-down list with an empty first choice. */
export function Select({
  id,
  name,
  value,
  options,
  placeholder,
  describedBy: description,
  invalid,
  className,
}: {
  id: string;
  name: string;
  value: string;
  options: ReadonlyArray<{ value: string; label: string }>;
  placeholder: string;
  describedBy?: string;
  invalid?: boolean;
  className?: string;
}) {
  const known = value === "" || options.some((o) => o.value === value);
  return (
    <select
      id={id}
      name={name}
      defaultValue={value}
      aria-describedby={description}
      aria-invalid={invalid || undefined}
      className={className}
    >
      <option value="">{placeholder}</option>
      {options.map((option) => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
      {known ? null : <option value={value}>{value}</option>}
    </select>
  );
}

/** Lines of text kept as typed (line breaks shown). */
export function MultilineText({ text }: { text: string }) {
  return <span className="multiline">{text}</span>;
}
