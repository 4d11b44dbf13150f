import { fieldName } from "~/survey/question-type";
import { useRespondUi } from "../survey/respond-context";
import { questionDescription, SingleQuestion } from "./parts";
import type { AnswerSummaryProps, QuestionFieldProps, QuestionRenderer } from "./types";

function Field({ question, fields, errors }: QuestionFieldProps<"text">) {
  const { t } = useRespondUi();
  const name = fieldName(question.key);
  const hints = [t("respond.question.maxLength", { count: question.maxLength })];
  return (
    <SingleQuestion question={question} errors={errors} hints={hints}>
      <input
        type="text"
        id={name}
        name={name}
        defaultValue={fields.get(name)}
        aria-describedby={questionDescription(question, errors, true)}
        aria-invalid={errors[name] ? true : undefined}
      />
    </SingleQuestion>
  );
}

function Summary({ value }: AnswerSummaryProps<"text">) {
  return <>{value}</>;
}

export const textRenderer: QuestionRenderer<"text"> = { Field, Summary };
