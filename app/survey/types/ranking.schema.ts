import * as z from "zod";
import { codedList, questionBase } from "../primitives";
import { defineQuestionSchemas } from "../question-type";
import type { RankingValue } from "./ranking";

export const rankingSchema = questionBase.extend({
  type: z.literal("ranking"),
  items: codedList("item", 2),
});

export const rankingSchemas = defineQuestionSchemas({
  required: (q, m) => m.rankAll(q.items.length),
  schema: rankingSchema,
  answerSchema: (q, m): z.ZodType<RankingValue> => {
    const count = q.items.length;
    const rank = z
      .number({ error: m.rankAll(count) })
      .int(m.rankAll(count))
      .min(1, m.rankAll(count))
      .max(count, m.rankAll(count));
    const shape = Object.fromEntries(q.items.map((item) => [item.code, rank.optional()]));
    return z
      .strictObject(shape, { error: m.invalid })
      .superRefine((value, ctx) => {
        if (q.items.some((item) => value[item.code] === undefined)) {
          ctx.addIssue({ code: "custom", path: [], message: m.rankAll(count) });
        }
        const seen = new Set<number>();
        for (const item of q.items) {
          const position = value[item.code];
          if (position === undefined) continue;
          if (seen.has(position)) {
            ctx.addIssue({ code: "custom", path: [item.code], message: m.rankOnce });
          }
          seen.add(position);
        }
      })
      .transform((value) => value as RankingValue);
  },
});
