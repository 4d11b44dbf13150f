import * as z from "zod";
import { RATING_MAX, RATING_MIN } from "../constants";
import { codedList, questionBase } from "../primitives";
import { defineQuestionSchemas } from "../question-type";
import type { BorichValue } from "./borich";

export const borichSchema = questionBase.extend({
  type: z.literal("borich"),
  statements: codedList("statement", 2),
});

export const borichSchemas = defineQuestionSchemas({
  required: (_q, m) => m.rateEvery,
  schema: borichSchema,
  answerSchema: (q, m): z.ZodType<BorichValue> => {
    const range = m.scaleRange(RATING_MIN, RATING_MAX);
    const rating = (missing: string) =>
      z
        .number({ error: (issue) => (issue.input === undefined ? missing : range) })
        .int(range)
        .min(RATING_MIN, range)
        .max(RATING_MAX, range);
    const shape = Object.fromEntries(
      q.statements.map((s) => [
        s.code,
        z
          .strictObject(
            {
              importance: rating(m.rateImportance(s.label)),
              current: rating(m.rateCurrent(s.label)),
            },
            { error: m.invalid },
          )
          .optional(),
      ]),
    );
    return z
      .strictObject(shape, { error: m.invalid })
      .superRefine((value, ctx) => {
        if (!q.required) return;
        for (const s of q.statements) {
          if (value[s.code] !== undefined) continue;
          ctx.addIssue({
            code: "custom",
            path: [s.code, "importance"],
            message: m.rateImportance(s.label),
          });
          ctx.addIssue({
            code: "custom",
            path: [s.code, "current"],
            message: m.rateCurrent(s.label),
          });
        }
      })
      .transform((value) => {
        const answered: BorichValue = {};
        for (const s of q.statements) {
          const rated = value[s.code];
          if (rated) answered[s.code] = rated;
        }
        return answered;
      });
  },
});
