import * as z from "zod";
import {
  LONG_TEXT_DEFAULT_MAX_LENGTH,
  LONG_TEXT_MAX_LENGTH_LIMIT,
  TEXT_DEFAULT_MAX_LENGTH,
  TEXT_MAX_LENGTH_LIMIT,
} from "../constants";
import { questionBase } from "../primitives";
import {
  answerRow,
  defineQuestionType,
  fieldName,
  type FormGetAll,
  scalarField,
} from "../question-type";

export const textSchema = questionBase.extend({
  type: z.literal("text"),
  maxLength: z.int().min(1).max(TEXT_MAX_LENGTH_LIMIT).default(TEXT_DEFAULT_MAX_LENGTH),
});

export const longTextSchema = questionBase.extend({
  type: z.literal("long_text"),
  maxLength: z.int().min(1).max(LONG_TEXT_MAX_LENGTH_LIMIT).default(LONG_TEXT_DEFAULT_MAX_LENGTH),
});

export type TextQuestion = z.output<typeof textSchema>;
export type LongTextQuestion = z.output<typeof longTextSchema>;

/** The typed text with browser line breaks (CRLF) as LF, or undefined when blank. */
function textFromForm(key: string, getAll: FormGetAll): string | undefined {
  const raw = getAll(fieldName(key)).find((value) => value.trim() !== "");
  return raw?.replace(/\r\n?/g, "\n");
}

const shared = {
  aggregation: "text",
  condition: null,
  conditionValues: () => [],
  fromFormData: (q: { key: string }, getAll: FormGetAll) => textFromForm(q.key, getAll),
  toFormFields: (q: { key: string }, value: unknown) => scalarField(fieldName(q.key), value),
  toRows: (_q: unknown, value: string) => [answerRow({ valueText: value })],
  fromRows: (_q: unknown, rows: readonly { valueText: string | null }[]) =>
    rows.find((row) => row.valueText !== null)?.valueText ?? undefined,
  exportColumns: (q: { key: string }) => [q.key],
  exportCells: (_q: unknown, value: string | undefined) => [value ?? null],
} as const;

export const text = defineQuestionType({
  ...shared,
  schema: textSchema,
  answerSchema: (q, m): z.ZodType<string> =>
    z
      .string({ error: m.invalid })
      .trim()
      .max(q.maxLength, m.tooLong(q.maxLength))
      .refine((value) => !/[\r\n]/.test(value), m.singleLine),
});

export const longText = defineQuestionType({
  ...shared,
  schema: longTextSchema,
  answerSchema: (q, m): z.ZodType<string> =>
    z
      .string({ error: m.invalid })
      .transform((value) => value.replace(/\r\n?/g, "\n").trim())
      .pipe(z.string().max(q.maxLength, m.tooLong(q.maxLength))),
});
