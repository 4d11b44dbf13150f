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
import { checkMinMax, codedListOf, needCategoryEntry, questionBase } from "../primitives";
import { defineQuestionSchemas } from "../question-type";
import type { NeedEntry } from "./need-list";
import type { ValidationMessages } from "../messages";
import { codeOf } from "./single-choice.schema";

export const needListSchema = questionBase
  .extend({
    type: z.literal("need_list"),
    categories: codedListOf(needCategoryEntry, "category", 1),
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

/** One need entry; its messages name the entry by its number among the entries (1, 2, …). */
function needEntrySchema(
  q: z.output<typeof needListSchema>,
  m: ValidationMessages,
  number: number,
) {
  const range = m.scaleRange(RATING_MIN, RATING_MAX);
  const rating = (missing: string) =>
    z
      .number({ error: (issue) => (issue.input === undefined ? missing : range) })
      .int(range)
      .min(RATING_MIN, range)
      .max(RATING_MAX, range);
  return z
    .strictObject(
      {
        id: z.string({ error: m.invalid }).regex(ENTRY_ID, m.invalid),
        title: z
          .string({ error: m.needTitle(number) })
          .trim()
          .min(1, m.needTitle(number))
          .max(NEED_TITLE_MAX_LENGTH, m.tooLong(NEED_TITLE_MAX_LENGTH)),
        description: z
          .string({ error: m.invalid })
          .transform((value) => value.replace(/\r\n?/g, "\n").trim())
          .pipe(z.string().max(NEED_DESCRIPTION_MAX_LENGTH, m.tooLong(NEED_DESCRIPTION_MAX_LENGTH)))
          .optional(),
        category: codeOf(
          q.categories.map((c) => c.code),
          m.needCategory(number),
        ),
        horizon: z.enum(HORIZONS, { error: m.needHorizon(number) }),
        urgency: rating(m.needUrgency(number)),
        importance: rating(m.needImportance(number)),
      },
      { error: m.invalid },
    )
    .transform(({ description, ...rest }): NeedEntry =>
      description ? { ...rest, description } : rest,
    );
}

export const needListSchemas = defineQuestionSchemas({
  required: (q, m) => (q.minEntries > 1 ? m.addAtLeast(q.minEntries) : m.addOne),
  schema: needListSchema,
  answerSchema: (q, m): z.ZodType<NeedEntry[]> => {
    // One entry schema per entry number, built when first needed and kept with this answer
    // schema (which is built once per survey version and language): at most maxEntries.
    const entrySchemas: Array<ReturnType<typeof needEntrySchema>> = [];
    const entrySchema = (number: number) =>
      (entrySchemas[number] ??= needEntrySchema(q, m, number));
    return z
      .array(z.unknown(), { error: m.invalid })
      .min(q.minEntries, m.addAtLeast(q.minEntries))
      .max(q.maxEntries, m.addAtMost(q.maxEntries))
      .transform((items, ctx) => {
        const entries: NeedEntry[] = [];
        const seen = new Set<string>();
        items.forEach((item, index) => {
          const parsed = entrySchema(index + 1).safeParse(item);
          if (!parsed.success) {
            // Passed on as they are (code and all), at the entry's place in the list.
            for (const issue of parsed.error.issues)
              ctx.addIssue({ ...issue, path: [index, ...issue.path] });
            return;
          }
          if (seen.has(parsed.data.id))
            ctx.addIssue({ code: "custom", path: [index, "id"], message: m.invalid });
          seen.add(parsed.data.id);
          entries.push(parsed.data);
        });
        return entries;
      });
  },
});
