import type * as z from "zod";
import { COUNTRY_CODES } from "../countries";
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
import type { countrySchema } from "./country.schema";

export type CountryQuestion = z.output<typeof countrySchema>;

/** An ISO 3166-1 alpha-2 code, stored as the row's option code. */
export const country = defineQuestionType<CountryQuestion, string>({
  aggregation: "country",
  summary: () => ({ codes: [], countries: true }),
  condition: { operand: "code", codes: () => COUNTRY_CODES },
  conditionValues: (_q, value) => (typeof value === "string" ? [value] : []),
  fromFormData: (q, getAll) => firstValue(getAll, fieldName(q.key))?.toUpperCase(),
  toFormFields: (q, value) => scalarField(fieldName(q.key), value),
  toRows: (_q, value) => [answerRow({ optionCode: value })],
  fromRows: (_q, rows) => rows.find((row) => row.optionCode !== null)?.optionCode ?? undefined,
  exportColumns: (q) => [q.key],
  exportCells: (_q, value) => [value ?? null],
});

/** How exports and demo data handle country answers (server side: see question-exports.ts). */
export const countryExport = defineQuestionExport<CountryQuestion, string>({
  codebook: (_q, cb) => [
    cb.column(
      `ISO 3166-1 alpha-2 country code (country names with the labels option)${CODEBOOK_EMPTY}`,
    ),
  ],
  exportSlots: () => [...SINGLE_SLOT],
  exportLabel: (_q, _item, value, { locale }) => countryName(value, locale),
  sampleValue: (_q, s) => (s.chance(0.5) ? s.country : s.pick(s.countries)),
});

const regionNames = new Map<string, Intl.DisplayNames>();

/** The name of a country (ISO 3166-1 alpha-2) in `locale`, or the code when it has none. */
export function countryName(code: string, locale: string): string {
  let names = regionNames.get(locale);
  if (!names) {
    names = new Intl.DisplayNames([locale], { type: "region", fallback: "code" });
    regionNames.set(locale, names);
  }
  try {
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}
