import type * as z from "zod";
import {
  answerRow,
  codebookRange,
  CODEBOOK_EMPTY,
  defineQuestionExport,
  defineQuestionType,
  fieldName,
  firstValue,
  parseNumberField,
  scalarField,
  SINGLE_SLOT,
} from "../question-type";
import type { numberSchema } from "./number.schema";

export type NumberQuestion = z.output<typeof numberSchema>;

export const number = defineQuestionType<NumberQuestion, number>({
  aggregation: "number",
  summary: (q) => ({
    codes: [],
    number: { min: q.min, max: q.max, integer: q.integer, unit: q.unit },
  }),
  condition: { operand: "number" },
  conditionValues: (_q, value) =>
    typeof value === "number" || typeof value === "string" ? [value] : [],
  fromFormData: (q, getAll) => parseNumberField(firstValue(getAll, fieldName(q.key))),
  toFormFields: (q, value) => scalarField(fieldName(q.key), value),
  toRows: (_q, value) => [answerRow({ valueNum: value })],
  fromRows: (_q, rows) => rows.find((row) => row.valueNum !== null)?.valueNum ?? undefined,
  exportColumns: (q) => [q.key],
  exportCells: (_q, value) => [value ?? null],
});

/** How exports and demo data handle number answers (server side: see question-exports.ts). */
export const numberExport = defineQuestionExport<NumberQuestion, number>({
  codebook: (q, cb) => [
    cb.column(
      `${q.integer ? "integer" : "number"}${codebookRange(q.min, q.max)}${q.unit ? `, in ${q.unit.en}` : ""}${CODEBOOK_EMPTY}`,
    ),
  ],
  exportSlots: () => [...SINGLE_SLOT],
  sampleValue: (q, s) => {
    const min = q.min ?? 0;
    const max = q.max ?? Math.max(min + 100, 100);
    const v = min + (max - min) * Math.pow(s.next(), 2.5);
    return q.integer ? Math.round(v) : Math.round(v * 10) / 10;
  },
});
