import { localize } from "~/survey/locale";
import { fieldName } from "~/survey/question-type";
import { useRespondUi } from "../survey/respond-context";
import { describedBy, FieldError, GroupQuestion, ids } from "./parts";
import type { AnswerSummaryProps, QuestionFieldProps, QuestionRenderer } from "./types";

function Field({ question, fields, errors }: QuestionFieldProps<"multi_choice">) {
  const { locale, t } = useRespondUi();
  const name = fieldName(question.key);
  const otherName = fieldName(question.key, "other");
  const checked = new Set(fields.getAll(name));
  const min = question.minSelections ?? 0;
  const max = question.maxSelections;
  // At least one option is what answering means: a lower limit of 1 is not worth a hint, and a
  // higher one applies to an optional question only if it is answered.
  const rule =
    min > 1 && max !== undefined
      ? min === max
        ? t("respond.question.selectExactly", { count: min })
        : t("respond.question.selectBetween", { min, max })
      : min > 1
        ? t("respond.question.selectAtLeast", { count: min })
        : max !== undefined
          ? t("respond.question.selectUpTo", { count: max })
          : t("respond.question.selectAll");
  const hint =
    min > 1 && !question.required
      ? t("respond.question.ifAnswered", { rule: rule.charAt(0).toLocaleLowerCase(locale) + rule.slice(1) })
      : rule;
  return (
    <GroupQuestion question={question} errors={errors} hints={[hint]}>
      <div className="choices">
        {question.options.map((option) => {
          const id = ids.option(name, option.code);
          return (
            <div className="choice" key={option.code}>
              <input
                type="checkbox"
                id={id}
                name={name}
                value={option.code}
                defaultChecked={checked.has(option.code)}
              />
              <label htmlFor={id}>{localize(option.label, locale)}</label>
            </div>
          );
        })}
      </div>
      {question.other ? (
        <div className={`other-field${errors[otherName] ? " field--invalid" : ""}`}>
          <label htmlFor={otherName}>{t("respond.question.otherOption")}</label>
          <FieldError name={otherName} message={errors[otherName]} />
          <input
            type="text"
            id={otherName}
            name={otherName}
            defaultValue={fields.get(otherName)}
            aria-describedby={describedBy(errors[otherName] && ids.error(otherName))}
            aria-invalid={errors[otherName] ? true : undefined}
          />
        </div>
      ) : null}
    </GroupQuestion>
  );
}

function Summary({ question, value }: AnswerSummaryProps<"multi_choice">) {
  const { locale, t } = useRespondUi();
  const labels = value.selected.map((code) => {
    const option = question.options.find((o) => o.code === code);
    return option ? localize(option.label, locale) : code;
  });
  if (value.other) labels.push(t("respond.review.otherAnswer", { text: value.other }));
  return (
    <ul className="answer-list">
      {labels.map((label, i) => (
        <li key={i}>{label}</li>
      ))}
    </ul>
  );
}

export const multiChoiceRenderer: QuestionRenderer<"multi_choice"> = { Field, Summary };
