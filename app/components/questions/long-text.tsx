import { useState } from "react";
import { fieldName } from "~/survey/question-type";
import { useRespondUi } from "../survey/respond-context";
import { describedBy, MultilineText, questionDescription, SingleQuestion } from "./parts";
import type { AnswerSummaryProps, QuestionFieldProps, QuestionRenderer } from "./types";

/** Characters as the server counts them: line breaks as one, surrounding blanks ignored. */
function countOf(text: string): number {
  return text.replace(/\r\n?/g, "\n").trim().length;
}

/** A text area; the maximum is stated in text, and with JavaScript a live counter follows it. */
function Field({ question, fields, errors }: QuestionFieldProps<"long_text">) {
  const { t, enhanced } = useRespondUi();
  const name = fieldName(question.key);
  const initial = fields.get(name);
  const [length, setLength] = useState(() => countOf(initial));
  const left = question.maxLength - length;
  const counterId = `${name}-counter`;
  return (
    <SingleQuestion
      question={question}
      errors={errors}
      hints={[t("respond.question.maxLength", { count: question.maxLength })]}
    >
      <textarea
        id={name}
        name={name}
        defaultValue={initial}
        rows={6}
        onInput={(e) => setLength(countOf(e.currentTarget.value))}
        aria-describedby={describedBy(
          questionDescription(question, errors, true),
          enhanced && counterId,
        )}
        aria-invalid={errors[name] ? true : undefined}
      />
      {enhanced ? (
        <p
          className={`counter${left < 0 ? " counter--over" : ""}`}
          id={counterId}
          aria-live="polite"
        >
          {left >= 0
            ? t("respond.question.charactersLeft", { count: left })
            : t("respond.question.charactersOver", { count: -left })}
        </p>
      ) : null}
    </SingleQuestion>
  );
}

function Summary({ value }: AnswerSummaryProps<"long_text">) {
  return <MultilineText text={value} />;
}

export const longTextRenderer: QuestionRenderer<"long_text"> = { Field, Summary };
