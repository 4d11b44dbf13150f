import * as z from "zod";
import { OTHER_TEXT_MAX_LENGTH } from "../constants";
import { checkMinMax, codedList, questionBase } from "../primitives";
import { defineQuestionSchemas } from "../question-type";
import type { MultiChoiceValue } from "./multi-choice";
import { codeOf } from "./single-choice.schema";

export const multiChoiceSchema = questionBase
  .extend({
    type: z.literal("multi_choice"),
    options: codedList("option", 1),
    other: z.boolean().default(false).meta({ description: 'Adds "Other, please specify"' }),
    minSelections: z.int().min(0).optional(),
    maxSelections: z.int().min(1).optional(),
  })
  .superRefine((q, ctx) => {
    checkMinMax(ctx, q.minSelections, q.maxSelections, {
      minField: "minSelections",
      maxField: "maxSelections",
    });
    const choices = q.options.length + (q.other ? 1 : 0);
    if (q.minSelections !== undefined && q.minSelections > choices) {
      ctx.addIssue({
        code: "custom",
        path: ["minSelections"],
        message: `minSelections (${q.minSelections}) is more than the number of choices (${choices})`,
      });
    }
  });

function selectionCount(value: { selected: readonly string[]; other?: string }): number {
  return new Set(value.selected).size + (value.other ? 1 : 0);
}

export const multiChoiceSchemas = defineQuestionSchemas({
  required: (q, m) =>
    q.minSelections !== undefined && q.minSelections > 1
      ? m.chooseAtLeast(q.minSelections)
      : m.selectAtLeastOne,
  schema: multiChoiceSchema,
  answerSchema: (q, m): z.ZodType<MultiChoiceValue> => {
    const codes = q.options.map((o) => o.code);
    return z
      .strictObject(
        {
          selected: z.array(codeOf(codes, m.chooseOption), { error: m.invalid }).default([]),
          other: z
            .string({ error: m.invalid })
            .trim()
            .max(OTHER_TEXT_MAX_LENGTH, m.tooLong(OTHER_TEXT_MAX_LENGTH))
            .optional(),
        },
        { error: m.invalid },
      )
      .transform(({ selected, other }): MultiChoiceValue => {
        const chosen = codes.filter((code) => selected.includes(code));
        return other ? { selected: chosen, other } : { selected: chosen };
      })
      .superRefine((value, ctx) => {
        if (value.other !== undefined && !q.other) {
          ctx.addIssue({ code: "custom", path: ["other"], message: m.noOtherAnswer });
        }
        const count = selectionCount(value);
        if (q.minSelections !== undefined && count < q.minSelections) {
          ctx.addIssue({ code: "custom", path: [], message: m.chooseAtLeast(q.minSelections) });
        }
        if (q.maxSelections !== undefined && count > q.maxSelections) {
          ctx.addIssue({ code: "custom", path: [], message: m.chooseAtMost(q.maxSelections) });
        }
      });
  },
});
