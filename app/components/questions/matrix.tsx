import type { CSSProperties } from "react";
import { localize } from "~/survey/locale";
import { fieldName } from "~/survey/question-type";
import { useRespondUi } from "../survey/respond-context";
import { describedBy, FieldError, GroupQuestion, ids, Radios, scalePoints } from "./parts";
import { ScaleEnds, useScaleEnds } from "./scale";
import type { AnswerSummaryProps, QuestionFieldProps, QuestionRenderer } from "./types";

/** Rows × scale: one fieldset per row (stacked on narrow screens, a grid on wide ones). */
function Field({ question, fields, errors }: QuestionFieldProps<"matrix">) {
  const { locale } = useRespondUi();
  const ends = useScaleEnds(question.scale);
  const points = scalePoints(question.scale.min, question.scale.max);
  return (
    <GroupQuestion
      question={question}
      errors={errors}
      hints={[ends]}
      className="matrix"
      style={{ "--points": points.length } as CSSProperties}
    >
      <div className="matrix-head" aria-hidden="true">
        <ScaleEnds minLabel={question.scale.minLabel} maxLabel={question.scale.maxLabel} />
      </div>
      {question.rows.map((row) => {
        const name = fieldName(question.key, row.code);
        return (
          <fieldset
            key={row.code}
            id={name}
            tabIndex={-1}
            className={`matrix-row${errors[name] ? " matrix-row--invalid" : ""}`}
            aria-describedby={describedBy(errors[name] && ids.error(name))}
          >
            <legend>{localize(row.label, locale)}</legend>
            <div className="matrix-points">
              <FieldError name={name} message={errors[name]} />
              <Radios name={name} options={points} checked={fields.get(name)} inline />
            </div>
          </fieldset>
        );
      })}
    </GroupQuestion>
  );
}

function Summary({ question, value }: AnswerSummaryProps<"matrix">) {
  const { locale } = useRespondUi();
  return (
    <dl className="answer-pairs">
      {question.rows
        .filter((row) => value[row.code] !== undefined)
        .map((row) => (
          <div key={row.code}>
            <dt>{localize(row.label, locale)}</dt>
            <dd>
              {value[row.code]} / {question.scale.max}
            </dd>
          </div>
        ))}
    </dl>
  );
}

export const matrixRenderer: QuestionRenderer<"matrix"> = { Field, Summary };
