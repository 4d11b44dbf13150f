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
  const { minSelections: min, maxSelections: max } = question;
  const hint =
    min !== undefined && max !== undefined
      ? min === max
        ? t("respond.question.chooseAtLeast", { count: min })
        : t("respond.question.chooseBetween", { min, max })
      : min !== undefined && min > 0
        ? t("respond.question.chooseAtLeast", { count: min })
        : max !== undefined
          ? t("respond.question.chooseAtMost", { count: max })
          : null;
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
