import { fieldName } from "~/survey/question-type";
import { useRespondUi } from "../survey/respond-context";
import { questionDescription, SingleQuestion } from "./parts";
import type { AnswerSummaryProps, QuestionFieldProps, QuestionRenderer } from "./types";

/** A date input (a date picker where the browser has one; YYYY-MM-DD typed where it has not). */
function Field({ question, fields, errors }: QuestionFieldProps<"date">) {
  const { t } = useRespondUi();
  const name = fieldName(question.key);
  const hints = [
    question.min && question.max
      ? t("respond.question.dateBetween", { min: question.min, max: question.max })
      : null,
    t("respond.question.dateHint"),
  ];
  return (
    <SingleQuestion question={question} errors={errors} hints={hints}>
      <input
        type="date"
        id={name}
        name={name}
        defaultValue={fields.get(name)}
        min={question.min}
        max={question.max}
        className="date-input"
        aria-describedby={questionDescription(question, errors, true)}
        aria-invalid={errors[name] ? true : undefined}
      />
    </SingleQuestion>
  );
}

function Summary({ value }: AnswerSummaryProps<"date">) {
  return <>{value}</>;
}

export const dateRenderer: QuestionRenderer<"date"> = { Field, Summary };
