import type * as z from "zod";
import type { ValidationMessages } from "./messages";

/**
 * The contract every question type fulfils, in two parts: its plain behaviour
 * (`types/<type>.ts`, listed in `question-types.ts`), which the browser loads on every page
 * that shows questions, and its zod schemas (`types/<type>.schema.ts`, listed in
 * `registry.ts`), which only validation loads. The dashboards and reports ask an entry how its
 * questions are aggregated (`aggregation`: the SQL building block and the chart) and what they
 * show of a question (`summary`), and never branch on `type` (decision 050).
 */

/** A stored answer row, the normalised form in which answers live in the database. */
export interface AnswerRow {
  item: string | null;
  optionCode: string | null;
  valueNum: number | null;
  valueText: string | null;
  valueJson: unknown;
}

/** Reads every value of a form field, as `FormData.prototype.getAll` does (strings only). */
export type FormGetAll = (name: string) => string[];

/** Plain form fields, name -> values in order: what a form posts, and what fills one. */
export type FormFields = Record<string, string[]>;

/**
 * How the dashboards aggregate a question in SQL and present it: the building block that counts
 * its stored rows and the section or chart that shows the result. Several types may share one.
 */
export type AggregationKind =
  | "choice"
  | "multi"
  | "scale"
  | "matrix"
  | "ranking"
  | "number"
  | "text"
  | "date"
  | "country"
  | "needs"
  | "borich";

/** A code of a question (option, row, item, category, statement) with its label. */
export interface SummaryCode {
  code: string;
  label: Record<string, string>;
  /** A need category's shared category in the need taxonomy (taxonomy.ts), when it is not one. */
  parent?: string;
}

/**
 * What the dashboards and reports show of a question besides its key, type and label: the
 * codes its figures are broken down by, the range of its values, and whether it has an "other"
 * option. Merged across a survey's versions (codes and "other" are added up).
 */
export interface QuestionSummary {
  codes: readonly SummaryCode[];
  scale?: {
    min: number;
    max: number;
    minLabel?: Record<string, string>;
    maxLabel?: Record<string, string>;
  };
  number?: { min?: number; max?: number; integer: boolean; unit?: Record<string, string> };
  other?: boolean;
  /**
   * The free text its answers are, listed with their themes on the free-texts page: the answer
   * itself (`long_text`) or the needs it describes (`need`). The texts of an "other" option
   * (`other`) are listed too.
   */
  freeText?: "long_text" | "need";
  /** Its codes are ISO 3166-1 alpha-2 country codes, shown as country names. */
  countries?: boolean;
}

/** A cell of the wide CSV export. Unanswered is `null` (an empty cell). */
export type ExportCell = string | number | null;

/**
 * Where the cell of one export column is among the stored rows of an answer (`AnswerRow`):
 * the row with this `item` (null: the answer's one row) and, when one item has several rows,
 * this `code` (`optionCode`). The cell is the row's value (number, text or option code), or,
 * for a `flag`, 1 when the row exists and 0 when the question is answered without it.
 * `atom` names the value in the long table: "" for a single-valued question, else the part of
 * the column name after `<key>.`.
 */
export interface ExportSlot {
  item: string | null;
  code: string | null;
  flag: boolean;
  atom: string;
}

/** What labels a file written with labels instead of codes uses. */
export interface ExportLabels {
  locale: string;
  /** The label of a planning horizon code. */
  horizon: (code: string) => string;
}

/**
 * What a `showIf` condition can compare the answer of a question with: option (or country)
 * codes, or numbers. Types without it only support `answered: true`.
 */
export type ConditionSupport<Q> =
  { operand: "code"; codes: (question: Q) => readonly string[] } | { operand: "number" };

/**
 * What the browser needs of a question type, without building any schema: whether a value
 * counts as an answer, what conditions compare, form and storage mapping, export. `Q` is the
 * question (the output of the type's definition schema), `V` its validated answer value.
 */
export interface QuestionTypeBehaviour<Q, V> {
  aggregation: AggregationKind;
  /** What the dashboards and reports show of a question (see `QuestionSummary`). */
  summary: (question: Q) => QuestionSummary;
  condition: ConditionSupport<Q> | null;
  /**
   * Whether an unvalidated value counts as an answer: blank values do not, malformed ones do
   * (so that the answer schema rejects them). Never throws.
   */
  isAnswered: (question: Q, value: unknown) => boolean;
  /** The values a condition compares with (`equals`, `oneOf`), from an unvalidated value. */
  conditionValues: (question: Q, value: unknown) => Array<string | number>;
  /**
   * The answer from plain form fields (see `fieldName` in form-data.ts for the naming), or
   * `undefined` when nothing was entered. Never throws: malformed input comes out as a value
   * that the answer schema rejects.
   */
  fromFormData: (question: Q, getAll: FormGetAll) => unknown;
  /**
   * The inverse of `fromFormData`: the fields that read back as `value`, to fill a form with a
   * saved answer. Accepts unvalidated values (a draft that did not pass its schema) and leaves
   * out what it cannot show. Never throws.
   */
  toFormFields: (question: Q, value: unknown) => FormFields;
  toRows: (question: Q, value: V) => AnswerRow[];
  /** The value back from its rows, `undefined` when there are none. */
  fromRows: (question: Q, rows: readonly AnswerRow[]) => V | undefined;
  /** Column names in the wide CSV export (none for need lists, exported as a separate table). */
  exportColumns: (question: Q) => string[];
  /** The cells for `exportColumns`, in the same order. */
  exportCells: (question: Q, value: V | undefined) => ExportCell[];
}

/**
 * What exports and demo data need of a question type, beside its plain behaviour
 * (`<type>Export` in `types/<type>.ts`, listed in `question-exports.ts`). Kept out of the plain
 * registry, which the respondent pages load, so that their JavaScript carries no export or
 * sampling code.
 */
export interface QuestionTypeExport<Q, V> {
  /**
   * For each of `exportColumns`, in the same order, where its cell is stored: exports write
   * their cells straight from the stored rows with it, without building the answer value.
   */
  exportSlots: (question: Q) => ExportSlot[];
  /**
   * The atomic values of an answer that has no export columns (need lists, exported as a table
   * of their own) as `[item, value]` pairs of the long table.
   */
  exportAtoms?: (question: Q, value: V) => Array<[string, string | number]>;
  /**
   * A code written by the export as a label, for files written with labels (a single choice's
   * option label, a country's name); `item` is the long table's item of the value. Types
   * without it write their values as they are.
   */
  exportLabel?: (question: Q, item: string, value: string, labels: ExportLabels) => string;
  /** A plausible answer for demo and benchmark data, drawn with `sample`. */
  sampleValue: (question: Q, sample: AnswerSampler) => V;
  /**
   * The codebook's rows of the question's columns in the wide data, written with `codebook`
   * (none for need lists, described with the needs table).
   */
  codebook: <R>(question: Q, codebook: CodebookWriter<R>) => R[];
  /** The table of its own in which its answers are exported (need lists: the needs table). */
  table?: "needs";
}

/** A list of codes of a question (options, rows, items, statements, categories). */
export type CodedListName = "options" | "rows" | "items" | "statements" | "categories";

/** An entry of a coded list: its code and label. */
export interface CodedEntry {
  code: string;
  label: Record<string, string>;
}

/**
 * How an export entry writes the codebook rows of its question (export-plan.ts makes the rows,
 * `R`): column names start with the question's column stem; `values` says in English what the
 * column's values are.
 */
export interface CodebookWriter<R> {
  /** The question's one column. */
  column(values: string): R;
  /** A row explaining one code of the question's one column (an option of a single choice). */
  code(list: CodedListName, entry: CodedEntry): R;
  /**
   * The column `<stem>.<part>` of one entry of a coded list (`part`: the entry's code unless
   * given); `qualifier`, a text of the exports catalog (`exports.file`, dotted path), is added
   * to the entry's label in brackets.
   */
  part(
    list: CodedListName,
    entry: CodedEntry,
    values: string,
    options?: { part?: string; qualifier?: string },
  ): R;
  /** The column `<stem>.other` of "other, please specify". */
  other(values: string): R;
}

/** The codebook's end of a column's values: what an empty cell means. */
export const CODEBOOK_EMPTY = "; empty = not answered";

/** The codebook's values of a rating scale. */
export function codebookScale(
  min: number,
  max: number,
  minLabel?: Record<string, string>,
  maxLabel?: Record<string, string>,
): string {
  const ends = minLabel && maxLabel ? ` (${min} = ${minLabel.en}, ${max} = ${maxLabel.en})` : "";
  return `integer from ${min} to ${max}${ends}`;
}

/** The codebook's words for a range of values (" from 1 to 5", " up to 10", ""). */
export function codebookRange(
  min: number | string | undefined,
  max: number | string | undefined,
): string {
  if (min !== undefined && max !== undefined) return ` from ${min} to ${max}`;
  if (min !== undefined) return ` from ${min}`;
  if (max !== undefined) return ` up to ${max}`;
  return "";
}

/**
 * The randomness and texts that `sampleValue` draws from (demo.server.ts): a seeded generator,
 * a per-question tendency of each code (so that figures have a shape), and phrases in the
 * respondent's language.
 */
export interface AnswerSampler {
  next(): number;
  chance(p: number): boolean;
  int(min: number, max: number): number;
  pick<T>(list: readonly T[]): T;
  weighted(weights: readonly number[]): number;
  /** A number in [0, 1) that is the same for a question's code in every response. */
  bias(code: string): number;
  /** A rating from min to max leaning towards `centre`. */
  rating(centre: number, min?: number, max?: number): number;
  /** A date (YYYY-MM-DD) between min and max. */
  date(min?: string, max?: string): string;
  /** A free-text answer. */
  freeText(): string;
  /** A need's title and description. */
  needPhrase(): [string, string];
  /** The respondent's country (ISO 3166-1 alpha-2) and other likely ones. */
  country: string;
  countries: readonly string[];
}

/** The slot of a question's one stored row (single-valued types). */
export const SINGLE_SLOT: readonly ExportSlot[] = [
  { item: null, code: null, flag: false, atom: "" },
];

/** The zod part of a question type: its definition schema and its answer schema. */
export interface QuestionTypeSchemas<S extends z.ZodObject, V> {
  /** The definition of a question of this type: a strict object with a literal `type`. */
  schema: S;
  /**
   * The schema of an answer that has been given (emptiness and `required` are handled by the
   * caller); its output is the stored value.
   */
  answerSchema: (question: z.output<S>, messages: ValidationMessages) => z.ZodType<V>;
  /** What to do when the question is required and left blank, built from `messages`. */
  required: (question: z.output<S>, messages: ValidationMessages) => string;
}

/**
 * A plain registry entry (`types/<type>.ts`); `isAnswered` defaults to "not blank", `summary`
 * to no codes.
 */
export function defineQuestionType<Q, V>(
  spec: Omit<QuestionTypeBehaviour<Q, V>, "isAnswered" | "summary"> &
    Partial<Pick<QuestionTypeBehaviour<Q, V>, "isAnswered" | "summary">>,
): QuestionTypeBehaviour<Q, V> {
  return {
    isAnswered: (_question, value) => !isBlank(value),
    summary: () => ({ codes: [] }),
    ...spec,
  };
}

/** An export entry (`<type>Export` in `types/<type>.ts`). */
export function defineQuestionExport<Q, V>(
  spec: QuestionTypeExport<Q, V>,
): QuestionTypeExport<Q, V> {
  return spec;
}

/** A schema registry entry (`types/<type>.schema.ts`). */
export function defineQuestionSchemas<S extends z.ZodObject, V>(
  spec: QuestionTypeSchemas<S, V>,
): QuestionTypeSchemas<S, V> {
  return spec;
}

export function answerRow(fields: Partial<AnswerRow>): AnswerRow {
  return {
    item: null,
    optionCode: null,
    valueNum: null,
    valueText: null,
    valueJson: null,
    ...fields,
  };
}

/** Form field name of a question or of a part of it: `q.<key>[.<part>…]`. */
export function fieldName(key: string, ...parts: Array<string | number>): string {
  return ["q", key, ...parts].join(".");
}

/** The first non-blank value of a field, trimmed. */
export function firstValue(getAll: FormGetAll, name: string): string | undefined {
  for (const raw of getAll(name)) {
    const value = raw.trim();
    if (value !== "") return value;
  }
  return undefined;
}

const PLAIN_NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)$/;

/**
 * A number typed in a form field: `undefined` when blank, the number when it reads as one,
 * otherwise the text itself (which a number schema rejects). Accepts a decimal comma and
 * digit-group spaces ("1 234,5"), as Russian users write numbers.
 */
export function parseNumberField(raw: string | undefined): number | string | undefined {
  if (raw === undefined) return undefined;
  const text = raw.trim();
  if (text === "") return undefined;
  let normalized = text.replace(/[\s\u00a0\u202f]/g, "");
  if (!normalized.includes(".") && (normalized.match(/,/g) ?? []).length === 1) {
    normalized = normalized.replace(",", ".");
  }
  return PLAIN_NUMBER.test(normalized) ? Number(normalized) : text;
}

/**
 * A field holding one scalar: a string as it is, a finite number in plain decimal notation;
 * nothing for anything else.
 */
export function scalarField(name: string, value: unknown): FormFields {
  if (typeof value === "string") return value === "" ? {} : { [name]: [value] };
  if (typeof value === "number" && Number.isFinite(value)) return { [name]: [String(value)] };
  return {};
}

/** The fields of several parts merged; later parts add values to a name after earlier ones. */
export function mergeFields(...parts: FormFields[]): FormFields {
  const merged: FormFields = {};
  for (const part of parts) {
    for (const [name, values] of Object.entries(part)) {
      merged[name] = merged[name] ? [...merged[name], ...values] : [...values];
    }
  }
  return merged;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Whether a value is "nothing entered": missing, null, whitespace, an empty list, or an
 * object whose properties are all blank (a multi choice with nothing selected, a matrix
 * without answered rows).
 */
export function isBlank(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === "string") return value.trim() === "";
  if (Array.isArray(value)) return value.length === 0;
  if (isPlainObject(value)) return Object.values(value).every(isBlank);
  return false;
}
