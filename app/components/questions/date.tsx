import { formatIsoDate } from "~/survey/locale";
import { fieldName } from "~/survey/question-type";
import { DATE_PARTS } from "~/survey/types/date";
import { useRespondUi } from "../survey/respond-context";
import { GroupQuestion, questionDescription } from "./parts";
import type { AnswerSummaryProps, QuestionFieldProps, QuestionRenderer } from "./types";

/**
 * A date in three fields, day, month and year (the pattern of the best public-sector forms):
 * it reads the same in every browser and language, and its hint and messages say dates the way
 * the respondent writes them.
 */
function Field({ question, fields, errors }: QuestionFieldProps<"date">) {
  const { locale, t } = useRespondUi();
  const name = fieldName(question.key);
  const hints = [
    question.min && question.max
      ? t("respond.question.dateBetween", {
          min: formatIsoDate(question.min, locale),
          max: formatIsoDate(question.max, locale),
        })
      : null,
    t("respond.question.dateHint"),
  ];
  const label = {
    day: t("respond.question.dateDay"),
    month: t("respond.question.dateMonth"),
    year: t("respond.question.dateYear"),
  };
  const description = questionDescription(question, errors, true);
  return (
    <GroupQuestion question={question} errors={errors} hints={hints}>
      <div className="date-input">
        {DATE_PARTS.map((part) => {
          const id = fieldName(question.key, part);
          return (
            <div className={`date-input__item date-input__item--${part}`} key={part}>
              <label htmlFor={id}>{label[part]}</label>
              <input
                type="text"
                inputMode="numeric"
                id={id}
                name={id}
                defaultValue={fields.get(id)}
                maxLength={part === "year" ? 4 : 2}
                autoComplete="off"
                spellCheck={false}
                aria-describedby={description}
                aria-invalid={errors[name] ? true : undefined}
              />
            </div>
          );
        })}
      </div>
    </GroupQuestion>
  );
}

function Summary({ value }: AnswerSummaryProps<"date">) {
  const { locale } = useRespondUi();
  return <>{formatIsoDate(value, locale)}</>;
}

export const dateRenderer: QuestionRenderer<"date"> = { Field, Summary };
