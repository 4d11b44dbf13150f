import type { ComponentType } from "react";
import type { AnswerOf, QuestionOfType, QuestionType } from "~/survey/question-types";

/** Reads the current values of the form fields (see app/survey/form-data.ts for the names). */
export interface FieldReader {
  /** The first value of a field, "" when it has none. */
  get(name: string): string;
  getAll(name: string): string[];
  /** Every field, for widgets whose number of fields varies (need entries). */
  record: Readonly<Record<string, string[]>>;
}

export interface QuestionFieldProps<T extends QuestionType> {
  question: QuestionOfType<T>;
  fields: FieldReader;
  /** Messages by form field name (the question's own name and the names of its parts). */
  errors: Readonly<Record<string, string>>;
}

export interface AnswerSummaryProps<T extends QuestionType> {
  question: QuestionOfType<T>;
  value: AnswerOf<T>;
}

export interface QuestionRenderer<T extends QuestionType> {
  /** The inputs of a question, plain form fields that work without JavaScript. */
  Field: ComponentType<QuestionFieldProps<T>>;
  /** A given answer in words, for the review page and the receipt. */
  Summary: ComponentType<AnswerSummaryProps<T>>;
}

/** One renderer per question type: a type without one does not compile. */
export type QuestionRenderers = { [T in QuestionType]: QuestionRenderer<T> };
