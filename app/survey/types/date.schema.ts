import * as z from "zod";
import { checkMinMax, questionBase } from "../primitives";
import { defineQuestionSchemas } from "../question-type";

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

export const dateSchemas = defineQuestionSchemas({
  required: (_q, m) => m.enterDate,
  schema: dateSchema,
  answerSchema: (q, m): z.ZodType<string> => {
    const { min, max } = q;
    const both = min !== undefined && max !== undefined ? m.dateBetween(min, max) : undefined;
    let inRange = z.string();
    if (min !== undefined)
      inRange = inRange.refine((value) => value >= min, both ?? m.dateFrom(min));
    if (max !== undefined)
      inRange = inRange.refine((value) => value <= max, both ?? m.dateUntil(max));
    return z.iso.date({ error: m.date }).pipe(inRange);
  },
});
