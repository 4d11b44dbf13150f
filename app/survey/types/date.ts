import * as z from "zod";
import { checkMinMax, questionBase } from "../primitives";
import {
  answerRow,
  defineQuestionType,
  fieldName,
  firstValue,
  scalarField,
} from "../question-type";

const isoDate = z.iso.date({ error: "must be a date written as YYYY-MM-DD" });

export const dateSchema = questionBase
  .extend({
    type: z.literal("date"),
    min: isoDate.optional(),
    max: isoDate.optional(),
  })
  .superRefine((q, ctx) => {
    if (isoDate.safeParse(q.min).success && isoDate.safeParse(q.max).success)
      checkMinMax(ctx, q.min, q.max);
  });

export type DateQuestion = z.output<typeof dateSchema>;

/** Dates are answered and stored as YYYY-MM-DD strings, which compare in calendar order. */
export const date = defineQuestionType({
  schema: dateSchema,
  aggregation: "date",
  condition: null,
  answerSchema: (q, m): z.ZodType<string> => {
    const { min, max } = q;
    let inRange = z.string();
    if (min !== undefined) inRange = inRange.refine((value) => value >= min, m.dateFrom(min));
    if (max !== undefined) inRange = inRange.refine((value) => value <= max, m.dateUntil(max));
    return z.iso.date({ error: m.date }).pipe(inRange);
  },
  conditionValues: () => [],
  fromFormData: (q, getAll) => firstValue(getAll, fieldName(q.key)),
  toFormFields: (q, value) => scalarField(fieldName(q.key), value),
  toRows: (_q, value) => [answerRow({ valueText: value })],
  fromRows: (_q, rows) => rows.find((row) => row.valueText !== null)?.valueText ?? undefined,
  exportColumns: (q) => [q.key],
  exportCells: (_q, value) => [value ?? null],
});
