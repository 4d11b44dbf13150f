import type { CSSProperties } from "react";
import { RATING_MAX, RATING_MIN } from "~/survey/constants";
import { localize } from "~/survey/locale";
import { fieldName } from "~/survey/question-type";
import { BORICH_DIMENSIONS } from "~/survey/types/borich";
import { useRespondUi } from "../survey/respond-context";
import { describedBy, FieldError, GroupQuestion, ids, Radios, scalePoints } from "./parts";
import type { AnswerSummaryProps, QuestionFieldProps, QuestionRenderer } from "./types";

/**
 * Importance and current level per statement: for each statement a group of two radio scales
 * (as the matrix has one), under column headers that say what the ends of the scale mean. On
 * narrow screens the ratings stack, each under its own legend.
 */
function Field({ question, fields, errors }: QuestionFieldProps<"borich">) {
  const { locale, t } = useRespondUi();
  const points = scalePoints(RATING_MIN, RATING_MAX);
  const heading = {
    importance: t("respond.question.borichImportance"),
    current: t("respond.question.borichCurrent"),
  };
  const ends = t("respond.question.borichEnds", { min: RATING_MIN, max: RATING_MAX });
  return (
    <GroupQuestion
      question={question}
      errors={errors}
      hints={[question.help ? null : t("respond.question.borichHint")]}
      className="borich"
      style={{ "--points": points.length } as CSSProperties}
    >
      <div className="borich-head" aria-hidden="true">
        {BORICH_DIMENSIONS.map((dimension) => (
          <span key={dimension}>
            <strong>{heading[dimension]}</strong>
            <span className="borich-ends">{ends}</span>
          </span>
        ))}
      </div>
      {question.statements.map((s) => {
        const row = fieldName(question.key, s.code);
        const statement = localize(s.label, locale);
        return (
          <fieldset
            key={s.code}
            id={row}
            tabIndex={-1}
            className="borich-row"
            aria-describedby={describedBy(errors[row] && ids.error(row))}
          >
            <legend>{statement}</legend>
            <FieldError name={row} message={errors[row]} />
            {BORICH_DIMENSIONS.map((dimension) => {
              const name = fieldName(question.key, s.code, dimension);
              return (
                <fieldset
                  key={dimension}
                  id={name}
                  tabIndex={-1}
                  className={`borich-rating${errors[name] ? " field--invalid" : ""}`}
                  aria-describedby={describedBy(errors[name] && ids.error(name))}
                >
                  <legend>
                    {heading[dimension]}
                    <span className="borich-ends"> ({ends})</span>
                  </legend>
                  <FieldError name={name} message={errors[name]} />
                  <Radios name={name} options={points} checked={fields.get(name)} inline />
                </fieldset>
              );
            })}
          </fieldset>
        );
      })}
    </GroupQuestion>
  );
}

/** The ratings as a compact table: statement, importance, current level. */
function Summary({ question, value }: AnswerSummaryProps<"borich">) {
  const { locale, t } = useRespondUi();
  return (
    <table className="answer-table">
      <thead>
        <tr>
          <th scope="col">{t("respond.question.borichStatement")}</th>
          <th scope="col" className="num">
            {t("respond.question.borichImportance")}
          </th>
          <th scope="col" className="num">
            {t("respond.question.borichCurrent")}
          </th>
        </tr>
      </thead>
      <tbody>
        {question.statements
          .filter((s) => value[s.code])
          .map((s) => (
            <tr key={s.code}>
              <th scope="row">{localize(s.label, locale)}</th>
              <td className="num">
                {value[s.code].importance}
                <span className="visually-hidden"> / {RATING_MAX}</span>
              </td>
              <td className="num">
                {value[s.code].current}
                <span className="visually-hidden"> / {RATING_MAX}</span>
              </td>
            </tr>
          ))}
      </tbody>
    </table>
  );
}

export const borichRenderer: QuestionRenderer<"borich"> = { Field, Summary };
