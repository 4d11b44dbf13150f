import type * as z from "zod";
import {
  answerRow,
  defineQuestionType,
  fieldName,
  firstValue,
  scalarField,
  SINGLE_SLOT,
} from "../question-type";
import type { dateSchema } from "./date.schema";

export type DateQuestion = z.output<typeof dateSchema>;

/** Dates are answered and stored as YYYY-MM-DD strings, which compare in calendar order. */
export const date = defineQuestionType<DateQuestion, string>({
  aggregation: "date",
  condition: null,
  conditionValues: () => [],
  fromFormData: (q, getAll) => firstValue(getAll, fieldName(q.key)),
  toFormFields: (q, value) => scalarField(fieldName(q.key), value),
  toRows: (_q, value) => [answerRow({ valueText: value })],
  fromRows: (_q, rows) => rows.find((row) => row.valueText !== null)?.valueText ?? undefined,
  exportColumns: (q) => [q.key],
  exportCells: (_q, value) => [value ?? null],
  exportSlots: () => [...SINGLE_SLOT],
  sampleValue: (q, s) => s.date(q.min, q.max),
});
