import * as z from "zod";
import { checkMinMax, localizedText, questionBase } from "../primitives";
import { defineQuestionSchemas } from "../question-type";

export const numberSchema = questionBase
  .extend({
    type: z.literal("number"),
    min: z.number().optional(),
    max: z.number().optional(),
    integer: z.boolean().default(false),
    unit: localizedText.optional(),
  })
  .superRefine((q, ctx) => checkMinMax(ctx, q.min, q.max));

export const numberSchemas = defineQuestionSchemas({
  required: (q, m) =>
    q.min !== undefined && q.max !== undefined ? m.between(q.min, q.max) : m.enterNumber,
  schema: numberSchema,
  answerSchema: (q, m): z.ZodType<number> => {
    let schema = z.number({ error: m.number });
    if (q.integer) schema = schema.int(m.integer);
    const { min, max } = q;
    if (min !== undefined && max !== undefined)
      return schema.min(min, m.between(min, max)).max(max, m.between(min, max));
    if (min !== undefined) schema = schema.min(min, m.atLeast(min));
    if (max !== undefined) schema = schema.max(max, m.atMost(max));
    return schema;
  },
});
