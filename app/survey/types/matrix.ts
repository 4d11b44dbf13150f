import type * as z from "zod";
import {
  answerRow,
  codebookScale,
  CODEBOOK_EMPTY,
  defineQuestionExport,
  defineQuestionType,
  fieldName,
  firstValue,
  isPlainObject,
  mergeFields,
  parseNumberField,
  scalarField,
} from "../question-type";
import type { matrixSchema } from "./matrix.schema";

export type MatrixQuestion = z.output<typeof matrixSchema>;

/** Row code -> scale point. A required matrix needs every row; an optional one any of them. */
export type MatrixValue = Record<string, number>;

export const matrix = defineQuestionType<MatrixQuestion, MatrixValue>({
  aggregation: "matrix",
  summary: (q) => ({ codes: q.rows, scale: { ...q.scale } }),
  condition: null,
  conditionValues: () => [],
  fromFormData: (q, getAll) => {
    const value: Record<string, number | string> = {};
    for (const row of q.rows) {
      const point = parseNumberField(firstValue(getAll, fieldName(q.key, row.code)));
      if (point !== undefined) value[row.code] = point;
    }
    return Object.keys(value).length > 0 ? value : undefined;
  },
  toFormFields: (q, value) =>
    isPlainObject(value)
      ? mergeFields(
          ...q.rows.map((row) => scalarField(fieldName(q.key, row.code), value[row.code])),
        )
      : {},
  toRows: (q, value) =>
    q.rows
      .filter((row) => value[row.code] !== undefined)
      .map((row) => answerRow({ item: row.code, valueNum: value[row.code] })),
  fromRows: (q, rows) => {
    const value: MatrixValue = {};
    for (const row of q.rows) {
      const stored = rows.find((r) => r.item === row.code && r.valueNum !== null);
      if (stored) value[row.code] = stored.valueNum as number;
    }
    return Object.keys(value).length > 0 ? value : undefined;
  },
  exportColumns: (q) => q.rows.map((row) => `${q.key}.${row.code}`),
  exportCells: (q, value) => q.rows.map((row) => value?.[row.code] ?? null),
});

/** How exports and demo data handle matrix answers (server side: see question-exports.ts). */
export const matrixExport = defineQuestionExport<MatrixQuestion, MatrixValue>({
  codebook: (q, cb) =>
    q.rows.map((row) =>
      cb.part(
        "rows",
        row,
        codebookScale(q.scale.min, q.scale.max, q.scale.minLabel, q.scale.maxLabel) +
          CODEBOOK_EMPTY,
      ),
    ),
  exportSlots: (q) =>
    q.rows.map((row) => ({ item: row.code, code: null, flag: false, atom: row.code })),
  sampleValue: (q, s) =>
    Object.fromEntries(
      q.rows.map((row) => [
        row.code,
        s.rating(
          q.scale.min + (q.scale.max - q.scale.min) * s.bias(row.code),
          q.scale.min,
          q.scale.max,
        ),
      ]),
    ),
});
