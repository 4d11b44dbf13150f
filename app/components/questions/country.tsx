import { useId, useMemo, useState } from "react";
import { fieldName } from "~/survey/question-type";
import { countryName, useRespondUi } from "../survey/respond-context";
import { describedBy, questionDescription, SingleQuestion } from "./parts";
import type { AnswerSummaryProps, QuestionFieldProps, QuestionRenderer } from "./types";

/** Case- and accent-insensitive text for matching country names. */
function fold(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLocaleLowerCase()
    .replace(/ё/g, "е");
}

/**
 * A plain select of every country; with JavaScript a search box above it narrows the list
 * (the chosen country always stays in it).
 */
function Field({ question, fields, errors }: QuestionFieldProps<"country">) {
  const { t, enhanced, countries } = useRespondUi();
  const name = fieldName(question.key);
  const [selected, setSelected] = useState(fields.get(name));
  const [filter, setFilter] = useState("");
  const filterId = `${name}-filter`;
  const statusId = useId();
  const wanted = fold(filter.trim());
  const matching = useMemo(
    () =>
      wanted === ""
        ? countries
        : countries.filter(
            ([code, label]) => fold(label).includes(wanted) || code.toLowerCase() === wanted,
          ),
    [countries, wanted],
  );
  const chosen =
    selected === "" || matching.some(([code]) => code === selected)
      ? []
      : countries.filter(([code]) => code === selected);
  const shown = [...chosen, ...matching];
  const known = selected === "" || countries.some(([code]) => code === selected);
  return (
    <SingleQuestion question={question} errors={errors}>
      {enhanced ? (
        <div className="country-filter">
          <label htmlFor={filterId} className="sublabel">
            {t("respond.question.countryFilter")}
          </label>
          <p className="hint" id={`${filterId}-hint`}>
            {t("respond.question.countryFilterHint")}
          </p>
          <input
            type="search"
            id={filterId}
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            autoComplete="off"
            aria-controls={name}
            aria-describedby={describedBy(`${filterId}-hint`, statusId)}
          />
          <p className="visually-hidden" id={statusId} aria-live="polite">
            {wanted === "" ? "" : t("respond.question.countryMatches", { count: matching.length })}
          </p>
        </div>
      ) : null}
      <select
        id={name}
        name={name}
        value={selected}
        onChange={(e) => setSelected(e.target.value)}
        aria-describedby={questionDescription(question, errors, false)}
        aria-invalid={errors[name] ? true : undefined}
        size={enhanced && wanted !== "" ? Math.min(8, Math.max(2, shown.length + 1)) : undefined}
      >
        <option value="">{t("respond.question.country")}</option>
        {shown.map(([code, label]) => (
          <option key={code} value={code}>
            {label}
          </option>
        ))}
        {known ? null : <option value={selected}>{selected}</option>}
      </select>
    </SingleQuestion>
  );
}

function Summary({ value }: AnswerSummaryProps<"country">) {
  const ui = useRespondUi();
  return <>{countryName(ui, value)}</>;
}

export const countryRenderer: QuestionRenderer<"country"> = { Field, Summary };
