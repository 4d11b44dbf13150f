import { localize } from "~/survey/locale";
import { fieldName } from "~/survey/question-type";
import { useRespondUi } from "../survey/respond-context";
import { describedBy, questionDescription, SingleQuestion } from "./parts";
import type { AnswerSummaryProps, QuestionFieldProps, QuestionRenderer } from "./types";

/** A text field (a decimal comma and digit-group spaces are accepted), with its unit after it. */
function Field({ question, fields, errors }: QuestionFieldProps<"number">) {
  const { locale, t } = useRespondUi();
  const name = fieldName(question.key);
  const { min, max } = question;
  const range =
    min !== undefined && max !== undefined
      ? t("respond.question.numberBetween", { min, max })
      : min !== undefined
        ? t("respond.question.numberAtLeast", { min })
        : max !== undefined
          ? t("respond.question.numberAtMost", { max })
          : null;
  const hints = [range, question.integer ? t("respond.question.wholeNumber") : null];
  const unit = question.unit ? localize(question.unit, locale) : null;
  const unitId = `${name}-unit`;
  return (
    <SingleQuestion question={question} errors={errors} hints={hints}>
      <div className="number-field">
        <input
          type="text"
          inputMode={question.integer ? "numeric" : "decimal"}
          id={name}
          name={name}
          defaultValue={fields.get(name)}
          autoComplete="off"
          spellCheck={false}
          aria-describedby={describedBy(
            questionDescription(question, errors, hints.some(Boolean)),
            unit && unitId,
          )}
          aria-invalid={errors[name] ? true : undefined}
        />
        {unit ? (
          <span className="unit" id={unitId}>
            {unit}
          </span>
        ) : null}
      </div>
    </SingleQuestion>
  );
}

function Summary({ question, value }: AnswerSummaryProps<"number">) {
  const { locale } = useRespondUi();
  return (
    <>
      {String(value)}
      {question.unit ? ` ${localize(question.unit, locale)}` : null}
    </>
  );
}

export const numberRenderer: QuestionRenderer<"number"> = { Field, Summary };
