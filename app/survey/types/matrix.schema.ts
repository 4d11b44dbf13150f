import * as z from "zod";
import { codedList, localizedText, questionBase } from "../primitives";
import { defineQuestionSchemas } from "../question-type";
import type { MatrixValue } from "./matrix";
import { checkScaleRange, scalePoint } from "./scale.schema";

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

export const matrixSchemas = defineQuestionSchemas({
  required: (_q, m) => m.everyRow,
  schema: matrixSchema,
  answerSchema: (q, m): z.ZodType<MatrixValue> => {
    const point = scalePoint(q.scale.min, q.scale.max, m.scaleRange(q.scale.min, q.scale.max));
    const shape = Object.fromEntries(q.rows.map((row) => [row.code, point.optional()]));
    return z
      .strictObject(shape, { error: m.invalid })
      .superRefine((value, ctx) => {
        if (!q.required) return;
        for (const row of q.rows) {
          if (value[row.code] === undefined) {
            ctx.addIssue({ code: "custom", path: [row.code], message: m.answerRow(row.label) });
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
});
