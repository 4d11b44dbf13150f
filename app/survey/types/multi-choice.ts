import * as z from "zod";
import { OTHER_TEXT_MAX_LENGTH } from "../constants";
import { checkMinMax, codedList, questionBase } from "../primitives";
import {
  answerRow,
  defineQuestionType,
  fieldName,
  firstValue,
  isPlainObject,
  mergeFields,
  scalarField,
} from "../question-type";
import { codeOf } from "./single-choice";

/** The `item` of the row that holds the "other, please specify" text. */
export const OTHER_ITEM = "_other";

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

export type MultiChoiceQuestion = z.output<typeof multiChoiceSchema>;

/** Selected option codes in the order of the options, and the "other" text if any. */
export interface MultiChoiceValue {
  selected: string[];
  other?: string;
}

function selectionCount(value: { selected: readonly string[]; other?: string }): number {
  return new Set(value.selected).size + (value.other ? 1 : 0);
}

export const multiChoice = defineQuestionType({
  schema: multiChoiceSchema,
  aggregation: "multi",
  condition: { operand: "code", codes: (q) => q.options.map((o) => o.code) },
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
  conditionValues: (_q, value) =>
    isPlainObject(value) && Array.isArray(value.selected)
      ? value.selected.filter((code): code is string => typeof code === "string")
      : [],
  fromFormData: (q, getAll) => {
    const selected = getAll(fieldName(q.key))
      .map((code) => code.trim())
      .filter((code) => code !== "");
    const other = firstValue(getAll, fieldName(q.key, "other"));
    if (selected.length === 0 && other === undefined) return undefined;
    return other === undefined ? { selected } : { selected, other };
  },
  toFormFields: (q, value) => {
    if (!isPlainObject(value)) return {};
    const selected = Array.isArray(value.selected)
      ? value.selected.filter((code): code is string => typeof code === "string" && code !== "")
      : [];
    return mergeFields(
      selected.length > 0 ? { [fieldName(q.key)]: selected } : {},
      scalarField(fieldName(q.key, "other"), value.other),
    );
  },
  toRows: (_q, value) => [
    ...value.selected.map((code) => answerRow({ item: code, optionCode: code })),
    ...(value.other ? [answerRow({ item: OTHER_ITEM, valueText: value.other })] : []),
  ],
  fromRows: (q, rows) => {
    const stored = new Set(rows.filter((r) => r.item !== OTHER_ITEM).map((r) => r.optionCode));
    const selected = q.options.map((o) => o.code).filter((code) => stored.has(code));
    const other = rows.find((r) => r.item === OTHER_ITEM)?.valueText ?? undefined;
    if (selected.length === 0 && !other) return undefined;
    return other ? { selected, other } : { selected };
  },
  exportColumns: (q) => [
    ...q.options.map((o) => `${q.key}.${o.code}`),
    ...(q.other ? [`${q.key}.other`] : []),
  ],
  exportCells: (q, value) => [
    ...q.options.map((o) => (value ? (value.selected.includes(o.code) ? 1 : 0) : null)),
    ...(q.other ? [value?.other ?? null] : []),
  ],
});
