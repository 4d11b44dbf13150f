import type * as z from "zod";
import {
  answerRow,
  codebookScale,
  CODEBOOK_EMPTY,
  defineQuestionExport,
  defineQuestionType,
  fieldName,
  firstValue,
  parseNumberField,
  scalarField,
  SINGLE_SLOT,
} from "../question-type";
import type { scaleSchema } from "./scale.schema";

export type ScaleQuestion = z.output<typeof scaleSchema>;

export const scale = defineQuestionType<ScaleQuestion, number>({
  aggregation: "scale",
  summary: (q) => ({
    codes: [],
    scale: { min: q.min, max: q.max, minLabel: q.minLabel, maxLabel: q.maxLabel },
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

/** How exports and demo data handle scale answers (server side: see question-exports.ts). */
export const scaleExport = defineQuestionExport<ScaleQuestion, number>({
  codebook: (q, cb) => [
    cb.column(codebookScale(q.min, q.max, q.minLabel, q.maxLabel) + CODEBOOK_EMPTY),
  ],
  exportSlots: () => [...SINGLE_SLOT],
  sampleValue: (q, s) =>
    s.rating(q.min + (q.max - q.min) * (0.35 + s.bias("scale") * 0.5), q.min, q.max),
});
