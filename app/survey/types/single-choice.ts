import type * as z from "zod";
import {
  answerRow,
  CODEBOOK_EMPTY,
  defineQuestionExport,
  defineQuestionType,
  fieldName,
  firstValue,
  scalarField,
  SINGLE_SLOT,
} from "../question-type";
import type { singleChoiceSchema } from "./single-choice.schema";

/** Above this many options a single choice is shown as a drop-down list by default. */
export const RADIO_MAX_OPTIONS = 8;

export type SingleChoiceQuestion = z.output<typeof singleChoiceSchema>;

/** How the renderer shows the options. */
export function singleChoiceDisplay(question: SingleChoiceQuestion): "radio" | "select" {
  return question.display ?? (question.options.length <= RADIO_MAX_OPTIONS ? "radio" : "select");
}

export const singleChoice = defineQuestionType<SingleChoiceQuestion, string>({
  aggregation: "choice",
  summary: (q) => ({ codes: q.options }),
  condition: { operand: "code", codes: (q) => q.options.map((o) => o.code) },
  conditionValues: (_q, value) => (typeof value === "string" ? [value] : []),
  fromFormData: (q, getAll) => firstValue(getAll, fieldName(q.key)),
  toFormFields: (q, value) => scalarField(fieldName(q.key), value),
  toRows: (_q, value) => [answerRow({ optionCode: value })],
  fromRows: (_q, rows) => rows.find((row) => row.optionCode !== null)?.optionCode ?? undefined,
  exportColumns: (q) => [q.key],
  exportCells: (_q, value) => [value ?? null],
});

/** How exports and demo data handle singleChoice answers (server side: see question-exports.ts). */
export const singleChoiceExport = defineQuestionExport<SingleChoiceQuestion, string>({
  codebook: (q, cb) => [
    cb.column(`code (labels with the labels option)${CODEBOOK_EMPTY}`),
    ...q.options.map((o) => cb.code("options", o)),
  ],
  exportSlots: () => [...SINGLE_SLOT],
  exportLabel: (q, _item, value, { locale }) => {
    const label = q.options.find((o) => o.code === value)?.label;
    return label ? (label[locale] ?? label.en ?? value) : value;
  },
  sampleValue: (q, s) => q.options[s.weighted(q.options.map((o) => 0.2 + s.bias(o.code)))].code,
});
