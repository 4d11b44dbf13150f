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
  schema: borichSchema,
  answerSchema: (q, m): z.ZodType<BorichValue> => {
    const rating = z
      .number({
        error: (issue) =>
          issue.input === undefined ? m.rateBoth : m.rating(RATING_MIN, RATING_MAX),
      })
      .int(m.rating(RATING_MIN, RATING_MAX))
      .min(RATING_MIN, m.rating(RATING_MIN, RATING_MAX))
      .max(RATING_MAX, m.rating(RATING_MIN, RATING_MAX));
    const pair = z.strictObject({ importance: rating, current: rating }, { error: m.invalid });
    const shape = Object.fromEntries(q.statements.map((s) => [s.code, pair.optional()]));
    return z
      .strictObject(shape, { error: m.invalid })
      .superRefine((value, ctx) => {
        if (!q.required) return;
        for (const s of q.statements) {
          if (value[s.code] === undefined)
            ctx.addIssue({ code: "custom", path: [s.code], message: m.rateBoth });
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
