import * as z from "zod";
import { codedList, questionBase } from "../primitives";
import {
  answerRow,
  defineQuestionType,
  fieldName,
  firstValue,
  scalarField,
} from "../question-type";

/** Above this many options a single choice is shown as a drop-down list by default. */
export const RADIO_MAX_OPTIONS = 8;

export const singleChoiceSchema = questionBase.extend({
  type: z.literal("single_choice"),
  options: codedList("option", 2),
  display: z
    .enum(["radio", "select"])
    .optional()
    .meta({ description: `Default: radio up to ${RADIO_MAX_OPTIONS} options, select above` }),
});

export type SingleChoiceQuestion = z.output<typeof singleChoiceSchema>;

/** How the renderer shows the options. */
export function singleChoiceDisplay(question: SingleChoiceQuestion): "radio" | "select" {
  return question.display ?? (question.options.length <= RADIO_MAX_OPTIONS ? "radio" : "select");
}

/** A string that is one of `codes`; anything else fails with `message`. */
export function codeOf(codes: readonly string[], message: string) {
  return z.string({ error: message }).refine((value) => codes.includes(value), { message });
}

export const singleChoice = defineQuestionType({
  schema: singleChoiceSchema,
  aggregation: "choice",
  condition: { operand: "code", codes: (q) => q.options.map((o) => o.code) },
  answerSchema: (q, m) =>
    codeOf(
      q.options.map((o) => o.code),
      m.chooseOption,
    ),
  conditionValues: (_q, value) => (typeof value === "string" ? [value] : []),
  fromFormData: (q, getAll) => firstValue(getAll, fieldName(q.key)),
  toFormFields: (q, value) => scalarField(fieldName(q.key), value),
  toRows: (_q, value) => [answerRow({ optionCode: value })],
  fromRows: (_q, rows) => rows.find((row) => row.optionCode !== null)?.optionCode ?? undefined,
  exportColumns: (q) => [q.key],
  exportCells: (_q, value) => [value ?? null],
});
