import * as z from "zod";
import { checkMinMax, localizedText, questionBase } from "../primitives";
import {
  answerRow,
  defineQuestionType,
  fieldName,
  firstValue,
  parseNumberField,
  scalarField,
} from "../question-type";

export const numberSchema = questionBase
  .extend({
    type: z.literal("number"),
    min: z.number().optional(),
    max: z.number().optional(),
    integer: z.boolean().default(false),
    unit: localizedText.optional(),
  })
  .superRefine((q, ctx) => checkMinMax(ctx, q.min, q.max));

export type NumberQuestion = z.output<typeof numberSchema>;

export const number = defineQuestionType({
  schema: numberSchema,
  aggregation: "number",
  condition: { operand: "number" },
  answerSchema: (q, m): z.ZodType<number> => {
    let schema = z.number({ error: m.number });
    if (q.integer) schema = schema.int(m.integer);
    if (q.min !== undefined) schema = schema.min(q.min, m.atLeast(q.min));
    if (q.max !== undefined) schema = schema.max(q.max, m.atMost(q.max));
    return schema;
  },
  conditionValues: (_q, value) =>
    typeof value === "number" || typeof value === "string" ? [value] : [],
  fromFormData: (q, getAll) => parseNumberField(firstValue(getAll, fieldName(q.key))),
  toFormFields: (q, value) => scalarField(fieldName(q.key), value),
  toRows: (_q, value) => [answerRow({ valueNum: value })],
  fromRows: (_q, rows) => rows.find((row) => row.valueNum !== null)?.valueNum ?? undefined,
  exportColumns: (q) => [q.key],
  exportCells: (_q, value) => [value ?? null],
});
