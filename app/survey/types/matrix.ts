import * as z from "zod";
import { codedList, localizedText, questionBase } from "../primitives";
import {
  answerRow,
  defineQuestionType,
  fieldName,
  firstValue,
  isPlainObject,
  mergeFields,
  parseNumberField,
  scalarField,
} from "../question-type";
import { checkScaleRange, scalePoint } from "./scale";

export const matrixSchema = questionBase
  .extend({
    type: z.literal("matrix"),
    rows: codedList("row", 2),
    scale: z
      .strictObject({
        min: z.int().default(1),
        max: z.int().default(5),
        minLabel: localizedText.optional(),
        maxLabel: localizedText.optional(),
      })
      .default({ min: 1, max: 5 }),
  })
  .superRefine((q, ctx) => checkScaleRange(ctx, q.scale, ["scale"]));

export type MatrixQuestion = z.output<typeof matrixSchema>;

/** Row code -> scale point. A required matrix needs every row; an optional one any of them. */
export type MatrixValue = Record<string, number>;

export const matrix = defineQuestionType({
  schema: matrixSchema,
  aggregation: "matrix",
  condition: null,
  answerSchema: (q, m): z.ZodType<MatrixValue> => {
    const point = scalePoint(q.scale.min, q.scale.max, m.scaleRange(q.scale.min, q.scale.max));
    const shape = Object.fromEntries(q.rows.map((row) => [row.code, point.optional()]));
    return z
      .strictObject(shape, { error: m.invalid })
      .superRefine((value, ctx) => {
        if (!q.required) return;
        for (const row of q.rows) {
          if (value[row.code] === undefined) {
            ctx.addIssue({ code: "custom", path: [row.code], message: m.answerRow });
          }
        }
      })
      .transform((value) => {
        const answered: MatrixValue = {};
        for (const row of q.rows) {
          const point = value[row.code];
          if (point !== undefined) answered[row.code] = point;
        }
        return answered;
      });
  },
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
