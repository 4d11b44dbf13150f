import { localize } from "~/survey/locale";
import { fieldName } from "~/survey/question-type";
import { singleChoiceDisplay } from "~/survey/types/single-choice";
import { useRespondUi } from "../survey/respond-context";
import { GroupQuestion, questionDescription, Radios, Select, SingleQuestion } from "./parts";
import type { AnswerSummaryProps, QuestionFieldProps, QuestionRenderer } from "./types";

function Field({ question, fields, errors }: QuestionFieldProps<"single_choice">) {
  const { locale, t } = useRespondUi();
  const name = fieldName(question.key);
  const options = question.options.map((o) => ({
    value: o.code,
    label: localize(o.label, locale),
  }));
  if (singleChoiceDisplay(question) === "select") {
    return (
      <SingleQuestion question={question} errors={errors}>
        <Select
          id={name}
          name={name}
          value={fields.get(name)}
          options={options}
          placeholder={t("respond.question.choose")}
          describedBy={questionDescription(question, errors, false)}
          invalid={Boolean(errors[name])}
        />
      </SingleQuestion>
    );
  }
  return (
    <GroupQuestion question={question} errors={errors}>
      <Radios name={name} options={options} checked={fields.get(name)} />
    </GroupQuestion>
  );
}

function Summary({ question, value }: AnswerSummaryProps<"single_choice">) {
  const { locale } = useRespondUi();
  const option = question.options.find((o) => o.code === value);
  return <>{option ? localize(option.label, locale) : value}</>;
}

export const singleChoiceRenderer: QuestionRenderer<"single_choice"> = { Field, Summary };
