import type {
  AggregationKind,
  AnswerRow,
  ConditionSupport,
  ExportCell,
  FormFields,
  FormGetAll,
  QuestionTypeBehaviour,
} from "./question-type";
import { borich, type BorichQuestion, type BorichValue } from "./types/borich";
import { country, type CountryQuestion } from "./types/country";
import { date, type DateQuestion } from "./types/date";
import { matrix, type MatrixQuestion, type MatrixValue } from "./types/matrix";
import { multiChoice, type MultiChoiceQuestion, type MultiChoiceValue } from "./types/multi-choice";
import { needList, type NeedEntry, type NeedListQuestion } from "./types/need-list";
import { number, type NumberQuestion } from "./types/number";
import { ranking, type RankingQuestion, type RankingValue } from "./types/ranking";
import { scale, type ScaleQuestion } from "./types/scale";
import { singleChoice, type SingleChoiceQuestion } from "./types/single-choice";
import { longText, type LongTextQuestion, text, type TextQuestion } from "./types/text";

export type {
  AggregationKind,
  AnswerRow,
  AnswerSampler,
  ExportCell,
  ExportLabels,
  ExportSlot,
  FormGetAll,
} from "./question-type";

/**
 * The plain question-type registry: one entry per type (`types/<type>.ts`) with what the
 * browser needs and no schema: blank or answered, condition values, form fields, stored rows,
 * aggregation kind and export columns. What only exports and demo data need is in
 * `question-exports.ts`. It imports no zod, so the pages that show questions
 * without validating them (review, receipt) load none; the schemas of each type
 * (`types/<type>.schema.ts`) make up the schema registry in `registry.ts`.
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

/** The question of each type, as stored in an expanded definition (defaults applied). */
export interface QuestionOfEachType {
  single_choice: SingleChoiceQuestion;
  multi_choice: MultiChoiceQuestion;
  scale: ScaleQuestion;
  matrix: MatrixQuestion;
  ranking: RankingQuestion;
  number: NumberQuestion;
  text: TextQuestion;
  long_text: LongTextQuestion;
  date: DateQuestion;
  country: CountryQuestion;
  need_list: NeedListQuestion;
  borich: BorichQuestion;
}

/** A question of any type, as stored in an expanded definition (defaults applied). */
export type Question = QuestionOfEachType[QuestionType];
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

// Each entry handles exactly the questions and answer values of its own type.
questionTypes satisfies {
  [T in QuestionType]: QuestionTypeBehaviour<QuestionOfEachType[T], AnswerOf<T>>;
};

type AnyBehaviour = QuestionTypeBehaviour<Question, AnswerValue> & {
  condition: ConditionSupport<Question> | null;
};

/** The plain registry entry of a question's type, callable with the question. */
export function questionTypeOf(question: Pick<Question, "type">): AnyBehaviour {
  // Each entry accepts exactly the questions of its own type, which `question.type` selects.
  return questionTypes[question.type] as unknown as AnyBehaviour;
}

export function isQuestionType(value: unknown): value is QuestionType {
  return typeof value === "string" && Object.hasOwn(questionTypes, value);
}

export function aggregationOf(question: Question): AggregationKind {
  return questionTypeOf(question).aggregation;
}

/** Whether the question's answers are country codes (its page needs the list of countries). */
export function asksForCountry(question: Question): boolean {
  return questionTypeOf(question).summary(question).countries === true;
}

/** The label of one of the question's codes (an option, a need category…), if it has it. */
export function codeLabelOf(question: Question, code: string): Record<string, string> | undefined {
  return questionTypeOf(question)
    .summary(question)
    .codes.find((c) => c.code === code)?.label;
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
