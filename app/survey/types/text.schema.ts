import * as z from "zod";
import {
  LONG_TEXT_DEFAULT_MAX_LENGTH,
  LONG_TEXT_MAX_LENGTH_LIMIT,
  TEXT_DEFAULT_MAX_LENGTH,
  TEXT_MAX_LENGTH_LIMIT,
} from "../constants";
import { questionBase } from "../primitives";
import { defineQuestionSchemas } from "../question-type";

export const textSchema = questionBase.extend({
  type: z.literal("text"),
  maxLength: z.int().min(1).max(TEXT_MAX_LENGTH_LIMIT).default(TEXT_DEFAULT_MAX_LENGTH),
});

export const longTextSchema = questionBase.extend({
  type: z.literal("long_text"),
  maxLength: z.int().min(1).max(LONG_TEXT_MAX_LENGTH_LIMIT).default(LONG_TEXT_DEFAULT_MAX_LENGTH),
});

export const textSchemas = defineQuestionSchemas({
  required: (_q, m) => m.enterAnswer,
  schema: textSchema,
  answerSchema: (q, m): z.ZodType<string> =>
    z
      .string({ error: m.invalid })
      .trim()
      .max(q.maxLength, m.tooLong(q.maxLength))
      .refine((value) => !/[\r\n]/.test(value), m.singleLine),
});

export const longTextSchemas = defineQuestionSchemas({
  required: (_q, m) => m.enterAnswer,
  schema: longTextSchema,
  answerSchema: (q, m): z.ZodType<string> =>
    z
      .string({ error: m.invalid })
      .transform((value) => value.replace(/\r\n?/g, "\n").trim())
      .pipe(z.string().max(q.maxLength, m.tooLong(q.maxLength))),
});
