import * as z from "zod";
import { codedList, questionBase } from "../primitives";
import { defineQuestionSchemas } from "../question-type";
import { RADIO_MAX_OPTIONS } from "./single-choice";

export const singleChoiceSchema = questionBase.extend({
  type: z.literal("single_choice"),
  options: codedList("option", 2),
  display: z
    .enum(["radio", "select"])
    .optional()
    .meta({ description: `Default: radio up to ${RADIO_MAX_OPTIONS} options, select above` }),
});

/** A string that is one of `codes`; anything else fails with `message`. */
export function codeOf(codes: readonly string[], message: string) {
  return z.string({ error: message }).refine((value) => codes.includes(value), { message });
}

export const singleChoiceSchemas = defineQuestionSchemas({
  required: (_q, m) => m.selectOne,
  schema: singleChoiceSchema,
  answerSchema: (q, m): z.ZodType<string> =>
    codeOf(
      q.options.map((o) => o.code),
      m.chooseOption,
    ),
});
