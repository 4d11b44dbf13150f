import type * as z from "zod";
import {
  answerRow,
  CODEBOOK_EMPTY,
  defineQuestionExport,
  defineQuestionType,
  fieldName,
  type FormGetAll,
  scalarField,
  SINGLE_SLOT,
} from "../question-type";
import type { longTextSchema, textSchema } from "./text.schema";

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

export const text = defineQuestionType<TextQuestion, string>(shared);

/** How exports and demo data handle text answers (server side: see question-exports.ts). */
export const textExport = defineQuestionExport<TextQuestion, string>({
  codebook: (_q, cb) => [cb.column(`text, one line${CODEBOOK_EMPTY}`)],
  exportSlots: () => [...SINGLE_SLOT],
  sampleValue: (q, s) => s.needPhrase()[0].slice(0, q.maxLength),
});

export const longText = defineQuestionType<LongTextQuestion, string>({
  ...shared,
  summary: () => ({ codes: [], freeText: "long_text" }),
});

/** How exports and demo data handle long text answers (server side: see question-exports.ts). */
export const longTextExport = defineQuestionExport<LongTextQuestion, string>({
  codebook: (_q, cb) => [cb.column(`text, may contain line breaks${CODEBOOK_EMPTY}`)],
  exportSlots: () => [...SINGLE_SLOT],
  sampleValue: (q, s) => s.freeText().slice(0, q.maxLength),
});
