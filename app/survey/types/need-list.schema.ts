import * as z from "zod";
import {
  HORIZONS,
  NEED_DEFAULT_MAX_ENTRIES,
  NEED_DESCRIPTION_MAX_LENGTH,
  NEED_MAX_ENTRIES_LIMIT,
  NEED_TITLE_MAX_LENGTH,
  RATING_MAX,
  RATING_MIN,
} from "../constants";
import { checkMinMax, codedList, questionBase } from "../primitives";
import { defineQuestionSchemas } from "../question-type";
import type { NeedEntry } from "./need-list";
import { ratingPoint } from "./scale.schema";
import { codeOf } from "./single-choice.schema";

export const needListSchema = questionBase
  .extend({
    type: z.literal("need_list"),
    categories: codedList("category", 1),
    minEntries: z.int().min(0).max(NEED_MAX_ENTRIES_LIMIT).default(0),
    maxEntries: z.int().min(1).max(NEED_MAX_ENTRIES_LIMIT).default(NEED_DEFAULT_MAX_ENTRIES),
  })
  .superRefine((q, ctx) =>
    checkMinMax(ctx, q.minEntries, q.maxEntries, {
      minField: "minEntries",
      maxField: "maxEntries",
    }),
  );

const ENTRY_ID = /^[A-Za-z0-9_-]{1,40}$/;

export const needListSchemas = defineQuestionSchemas({
  schema: needListSchema,
  answerSchema: (q, m): z.ZodType<NeedEntry[]> => {
    const rating = ratingPoint(RATING_MIN, RATING_MAX, m);
    const entry = z
      .strictObject(
        {
          id: z.string({ error: m.invalid }).regex(ENTRY_ID, m.invalid),
          title: z
            .string({ error: m.needTitle })
            .trim()
            .min(1, m.needTitle)
            .max(NEED_TITLE_MAX_LENGTH, m.tooLong(NEED_TITLE_MAX_LENGTH)),
          description: z
            .string({ error: m.invalid })
            .transform((value) => value.replace(/\r\n?/g, "\n").trim())
            .pipe(
              z.string().max(NEED_DESCRIPTION_MAX_LENGTH, m.tooLong(NEED_DESCRIPTION_MAX_LENGTH)),
            )
            .optional(),
          category: codeOf(
            q.categories.map((c) => c.code),
            m.needCategory,
          ),
          horizon: z.enum(HORIZONS, { error: m.needHorizon }),
          urgency: rating,
          importance: rating,
        },
        { error: m.invalid },
      )
      .transform(({ description, ...rest }): NeedEntry =>
        description ? { ...rest, description } : rest,
      );
    return z
      .array(entry, { error: m.invalid })
      .min(q.minEntries, m.addAtLeast(q.minEntries))
      .max(q.maxEntries, m.addAtMost(q.maxEntries))
      .superRefine((entries, ctx) => {
        const seen = new Set<string>();
        entries.forEach((e, index) => {
          if (seen.has(e.id))
            ctx.addIssue({ code: "custom", path: [index, "id"], message: m.invalid });
          seen.add(e.id);
        });
      });
  },
});
