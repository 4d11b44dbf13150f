import * as z from "zod";
import { SCALE_MAX_POINTS } from "../constants";
import { checkMinMax, localizedText, questionBase } from "../primitives";
import { defineQuestionSchemas } from "../question-type";

/** Checks a configured scale: min below max, at most SCALE_MAX_POINTS points. */
export function checkScaleRange(
  ctx: z.RefinementCtx,
  scale: { min: number; max: number },
  path: PropertyKey[] = [],
): void {
  checkMinMax(ctx, scale.min, scale.max, { path, strict: true });
  if (scale.max - scale.min + 1 > SCALE_MAX_POINTS) {
    ctx.addIssue({
      code: "custom",
      path: [...path, "max"],
      message: `a scale has at most ${SCALE_MAX_POINTS} points (${scale.min} to ${scale.max} has ${scale.max - scale.min + 1})`,
    });
  }
}

/** An integer point of a scale from `min` to `max`. */
export function scalePoint(min: number, max: number, message: string) {
  return z.number({ error: message }).int(message).min(min, message).max(max, message);
}

export const scaleSchema = questionBase
  .extend({
    type: z.literal("scale"),
    min: z.int().default(1),
    max: z.int().default(5),
    minLabel: localizedText.optional(),
    maxLabel: localizedText.optional(),
  })
  .superRefine((q, ctx) => checkScaleRange(ctx, q));

export const scaleSchemas = defineQuestionSchemas({
  required: (q, m) => m.scaleRange(q.min, q.max),
  schema: scaleSchema,
  answerSchema: (q, m): z.ZodType<number> => scalePoint(q.min, q.max, m.scaleRange(q.min, q.max)),
});
