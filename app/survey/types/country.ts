import type * as z from "zod";
import { COUNTRY_CODES } from "../countries";
import {
  answerRow,
  defineQuestionType,
  fieldName,
  firstValue,
  scalarField,
} from "../question-type";
import type { countrySchema } from "./country.schema";

export type CountryQuestion = z.output<typeof countrySchema>;

/** An ISO 3166-1 alpha-2 code, stored as the row's option code. */
export const country = defineQuestionType<CountryQuestion, string>({
  aggregation: "country",
  condition: { operand: "code", codes: () => COUNTRY_CODES },
  conditionValues: (_q, value) => (typeof value === "string" ? [value] : []),
  fromFormData: (q, getAll) => firstValue(getAll, fieldName(q.key))?.toUpperCase(),
  toFormFields: (q, value) => scalarField(fieldName(q.key), value),
  toRows: (_q, value) => [answerRow({ optionCode: value })],
  fromRows: (_q, rows) => rows.find((row) => row.optionCode !== null)?.optionCode ?? undefined,
  exportColumns: (q) => [q.key],
  exportCells: (_q, value) => [value ?? null],
});
