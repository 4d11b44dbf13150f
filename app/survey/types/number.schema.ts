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
  schema: numberSchema,
  answerSchema: (q, m): z.ZodType<number> => {
    let schema = z.number({ error: m.number });
    if (q.integer) schema = schema.int(m.integer);
    if (q.min !== undefined) schema = schema.min(q.min, m.atLeast(q.min));
    if (q.max !== undefined) schema = schema.max(q.max, m.atMost(q.max));
    return schema;
  },
});
