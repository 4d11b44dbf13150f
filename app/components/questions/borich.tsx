import { RATING_MAX, RATING_MIN } from "~/survey/constants";
import { localize } from "~/survey/locale";
import { fieldName } from "~/survey/question-type";
import { BORICH_DIMENSIONS } from "~/survey/types/borich";
import { useRespondUi } from "../survey/respond-context";
import { describedBy, FieldError, GroupQuestion, ids, Select } from "./parts";
import type { AnswerSummaryProps, QuestionFieldProps, QuestionRenderer } from "./types";

/** Importance and current level per statement: a table of two selects per row (stacked on narrow screens). */
function Field({ question, fields, errors }: QuestionFieldProps<"borich">) {
  const { locale, t } = useRespondUi();
  const points: Array<{ value: string; label: string }> = [];
  for (let p = RATING_MIN; p <= RATING_MAX; p++)
    points.push({ value: String(p), label: String(p) });
  const heading = {
    importance: t("respond.question.borichImportance"),
    current: t("respond.question.borichCurrent"),
  };
  return (
    <GroupQuestion
      question={question}
      errors={errors}
      hints={[t("respond.question.borichHint")]}
      className="borich"
    >
      <table className="borich-table">
        <thead>
          <tr>
            <th scope="col">{t("respond.question.borichStatement")}</th>
            <th scope="col">{heading.importance}</th>
            <th scope="col">{heading.current}</th>
          </tr>
        </thead>
        <tbody>
          {question.statements.map((s) => {
            const row = fieldName(question.key, s.code);
            const statement = localize(s.label, locale);
            const rowError = errors[row];
            return (
              <tr
                key={s.code}
                className={
                  rowError ||
                  BORICH_DIMENSIONS.some((d) => errors[fieldName(question.key, s.code, d)])
                    ? "row--invalid"
                    : undefined
                }
              >
                <th scope="row" id={row} tabIndex={-1}>
                  {statement}
                  <FieldError name={row} message={rowError} />
                </th>
                {BORICH_DIMENSIONS.map((dimension) => {
                  const name = fieldName(question.key, s.code, dimension);
                  return (
                    <td key={dimension} data-label={heading[dimension]}>
                      <label htmlFor={name} className="visually-hidden">
                        {dimension === "importance"
                          ? t("respond.question.borichImportanceOf", { statement })
                          : t("respond.question.borichCurrentOf", { statement })}
                      </label>
                      <FieldError name={name} message={errors[name]} />
                      <Select
                        id={name}
                        name={name}
                        value={fields.get(name)}
                        options={points}
                        placeholder="–"
                        describedBy={describedBy(
                          errors[name] && ids.error(name),
                          rowError && ids.error(row),
                        )}
                        invalid={Boolean(errors[name] || rowError)}
                        className="rating-select"
                      />
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </GroupQuestion>
  );
}

function Summary({ question, value }: AnswerSummaryProps<"borich">) {
  const { locale, t } = useRespondUi();
  return (
    <dl className="answer-pairs">
      {question.statements
        .filter((s) => value[s.code])
        .map((s) => (
          <div key={s.code}>
            <dt>{localize(s.label, locale)}</dt>
            <dd>{t("respond.review.ratingPair", value[s.code])}</dd>
          </div>
        ))}
    </dl>
  );
}

export const borichRenderer: QuestionRenderer<"borich"> = { Field, Summary };
