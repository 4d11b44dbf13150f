import * as z from "zod";
import type { ValidationMessages } from "./messages";
import type {
  AggregationKind,
  AnswerRow,
  ConditionSupport,
  ExportCell,
  FormFields,
  FormGetAll,
  QuestionTypeSpec,
} from "./question-type";
import { borich, type BorichValue } from "./types/borich";
import { country } from "./types/country";
import { date } from "./types/date";
import { matrix, type MatrixValue } from "./types/matrix";
import { type MultiChoiceValue, multiChoice } from "./types/multi-choice";
import { needList, type NeedEntry } from "./types/need-list";
import { number } from "./types/number";
import { ranking, type RankingValue } from "./types/ranking";
import { scale } from "./types/scale";
import { singleChoice } from "./types/single-choice";
import { longText, text } from "./types/text";

export type { AggregationKind, AnswerRow, ExportCell, FormGetAll } from "./question-type";

/**
 * The question-type registry: one entry per type, holding its definition schema, answer
 * schema, form parsing, storage mapping, aggregation kind and export columns.
 */
export const questionTypes = {
  single_choice: singleChoice,
  multi_choice: multiChoice,
  scale,
  matrix,
  ranking,
  number,
  text,
  long_text: longText,
  date,
  country,
  need_list: needList,
  borich,
} as const;

export type QuestionType = keyof typeof questionTypes;
export const QUESTION_TYPES = Object.keys(questionTypes) as QuestionType[];

/** A question of any type, as stored in an expanded definition (defaults applied). */
export const questionSchema = z.discriminatedUnion("type", [
  singleChoice.schema,
  multiChoice.schema,
  scale.schema,
  matrix.schema,
  ranking.schema,
  number.schema,
  text.schema,
  longText.schema,
  date.schema,
  country.schema,
  needList.schema,
  borich.schema,
]);

export type Question = z.output<typeof questionSchema>;
export type QuestionInput = z.input<typeof questionSchema>;
export type QuestionOfType<T extends QuestionType> = Extract<Question, { type: T }>;

/** The validated answer value of each type. */
export interface AnswerValueOfType {
  single_choice: string;
  multi_choice: MultiChoiceValue;
  scale: number;
  matrix: MatrixValue;
  ranking: RankingValue;
  number: number;
  text: string;
  long_text: string;
  date: string;
  country: string;
  need_list: NeedEntry[];
  borich: BorichValue;
}

export type AnswerOf<T extends QuestionType> = AnswerValueOfType[T];
export type AnswerValue = AnswerValueOfType[QuestionType];
/** Answers by question key. Unanswered questions have no key. */
export type Answers = Record<string, AnswerValue>;

type AnySpec = QuestionTypeSpec<z.ZodObject, AnswerValue> & {
  condition: ConditionSupport<Question> | null;
  answerSchema: (q: Question, m: ValidationMessages) => z.ZodType<AnswerValue>;
  isAnswered: (q: Question, value: unknown) => boolean;
  conditionValues: (q: Question, value: unknown) => Array<string | number>;
  fromFormData: (q: Question, getAll: FormGetAll) => unknown;
  toFormFields: (q: Question, value: unknown) => FormFields;
  toRows: (q: Question, value: AnswerValue) => AnswerRow[];
  fromRows: (q: Question, rows: readonly AnswerRow[]) => AnswerValue | undefined;
  exportColumns: (q: Question) => string[];
  exportCells: (q: Question, value: AnswerValue | undefined) => ExportCell[];
};

/** The registry entry of a question's type, callable with the question. */
export function questionTypeOf(question: Pick<Question, "type">): AnySpec {
  // Each entry accepts exactly the questions of its own type, which `question.type` selects.
  return questionTypes[question.type] as unknown as AnySpec;
}

export function isQuestionType(value: unknown): value is QuestionType {
  return typeof value === "string" && Object.hasOwn(questionTypes, value);
}

export function aggregationOf(question: Question): AggregationKind {
  return questionTypeOf(question).aggregation;
}

/**
 * The schema of one question's answer: blank values (see `isAnswered`) become `undefined`,
 * which a required question rejects with `messages.required`.
 */
export function answerSchemaOf(
  question: Question,
  messages: ValidationMessages,
): z.ZodType<AnswerValue | undefined> {
  const spec = questionTypeOf(question);
  const schema = z.preprocess(
    (value) => (spec.isAnswered(question, value) ? value : undefined),
    spec.answerSchema(question, messages).optional(),
  );
  return question.required
    ? schema.refine((value) => value !== undefined, { message: messages.required })
    : schema;
}

export function isAnswered(question: Question, value: unknown): boolean {
  return questionTypeOf(question).isAnswered(question, value);
}

export function answerFromFormData(question: Question, getAll: FormGetAll): unknown {
  return questionTypeOf(question).fromFormData(question, getAll);
}

/** The form fields that show `value` (validated or not) in the question's inputs. */
export function answerToFormFields(question: Question, value: unknown): FormFields {
  return questionTypeOf(question).toFormFields(question, value);
}

export function answerToRows(question: Question, value: AnswerValue): AnswerRow[] {
  return questionTypeOf(question).toRows(question, value);
}

export function answerFromRows(
  question: Question,
  rows: readonly AnswerRow[],
): AnswerValue | undefined {
  return rows.length === 0 ? undefined : questionTypeOf(question).fromRows(question, rows);
}

export function exportColumnsOf(question: Question): string[] {
  return questionTypeOf(question).exportColumns(question);
}

export function exportCellsOf(question: Question, value: AnswerValue | undefined): ExportCell[] {
  return questionTypeOf(question).exportCells(question, value);
}
