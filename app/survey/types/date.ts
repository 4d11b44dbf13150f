import type * as z from "zod";
import {
  answerRow,
  codebookRange,
  CODEBOOK_EMPTY,
  defineQuestionExport,
  defineQuestionType,
  fieldName,
  firstValue,
  mergeFields,
  scalarField,
  SINGLE_SLOT,
} from "../question-type";
import type { dateSchema } from "./date.schema";

export type DateQuestion = z.output<typeof dateSchema>;

export const DATE_PARTS = ["day", "month", "year"] as const;
export type DatePart = (typeof DATE_PARTS)[number];

/**
 * The date typed in three fields (day, month, year: `q.<key>.day` …) as YYYY-MM-DD, or, when the
 * parts do not make one, the parts joined as year-month-day (which the answer schema rejects as
 * not a real date, and a draft keeps as typed). `undefined` when all three are blank.
 */
export function dateFromParts(parts: Record<DatePart, string | undefined>): string | undefined {
  const { day = "", month = "", year = "" } = parts;
  if (day === "" && month === "" && year === "") return undefined;
  if (/^\d{1,2}$/.test(day) && /^\d{1,2}$/.test(month) && /^\d{4}$/.test(year))
    return `${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`;
  return `${year}-${month}-${day}`;
}

/** The three parts of a YYYY-MM-DD date (or of what `dateFromParts` kept as typed). */
export function dateParts(value: unknown): Record<DatePart, string> | null {
  if (typeof value !== "string") return null;
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (iso) return { year: iso[1], month: String(Number(iso[2])), day: String(Number(iso[3])) };
  const typed = value.split("-");
  if (typed.length !== 3) return null;
  return { year: typed[0], month: typed[1], day: typed[2] };
}

/**
 * Dates are answered in three fields, day, month and year, in the order people write them in
 * English (UK) and Russian, and stored as YYYY-MM-DD strings, which compare in calendar order.
 * A single field `q.<key>` holding YYYY-MM-DD is read too (forms of earlier versions).
 */
export const date = defineQuestionType<DateQuestion, string>({
  aggregation: "date",
  condition: null,
  conditionValues: () => [],
  fromFormData: (q, getAll) =>
    firstValue(getAll, fieldName(q.key)) ??
    dateFromParts({
      day: firstValue(getAll, fieldName(q.key, "day")),
      month: firstValue(getAll, fieldName(q.key, "month")),
      year: firstValue(getAll, fieldName(q.key, "year")),
    }),
  toFormFields: (q, value) => {
    const parts = dateParts(value);
    if (!parts) return {};
    return mergeFields(
      ...DATE_PARTS.map((part) => scalarField(fieldName(q.key, part), parts[part])),
    );
  },
  toRows: (_q, value) => [answerRow({ valueText: value })],
  fromRows: (_q, rows) => rows.find((row) => row.valueText !== null)?.valueText ?? undefined,
  exportColumns: (q) => [q.key],
  exportCells: (_q, value) => [value ?? null],
});

/** How exports and demo data handle date answers (server side: see question-exports.ts). */
export const dateExport = defineQuestionExport<DateQuestion, string>({
  codebook: (q, cb) => [
    cb.column(`date YYYY-MM-DD${codebookRange(q.min, q.max)}${CODEBOOK_EMPTY}`),
  ],
  exportSlots: () => [...SINGLE_SLOT],
  sampleValue: (q, s) => s.date(q.min, q.max),
});
