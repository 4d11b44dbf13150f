import type {
  AnswerSampler,
  CodebookWriter,
  ExportLabels,
  ExportSlot,
  QuestionTypeExport,
} from "./question-type";
import type {
  AnswerOf,
  AnswerValue,
  Question,
  QuestionOfEachType,
  QuestionType,
} from "./question-types";
import { borichExport } from "./types/borich";
import { countryExport } from "./types/country";
import { dateExport } from "./types/date";
import { matrixExport } from "./types/matrix";
import { multiChoiceExport } from "./types/multi-choice";
import { needListExport } from "./types/need-list";
import { numberExport } from "./types/number";
import { rankingExport } from "./types/ranking";
import { scaleExport } from "./types/scale";
import { singleChoiceExport } from "./types/single-choice";
import { longTextExport, textExport } from "./types/text";

/**
 * The export registry: one entry per type (`<type>Export` in `types/<type>.ts`) with what
 * exports and demo data need beyond the plain registry: where export cells are stored, the
 * long table's values, labels, sample answers. Server code reaches it through `registry.ts`;
 * no browser module imports it, so the respondent pages' JavaScript carries none of it.
 */
export const questionExports = {
  single_choice: singleChoiceExport,
  multi_choice: multiChoiceExport,
  scale: scaleExport,
  matrix: matrixExport,
  ranking: rankingExport,
  number: numberExport,
  text: textExport,
  long_text: longTextExport,
  date: dateExport,
  country: countryExport,
  need_list: needListExport,
  borich: borichExport,
} as const;

// Each entry handles exactly the questions and answer values of its own type.
questionExports satisfies {
  [T in QuestionType]: QuestionTypeExport<QuestionOfEachType[T], AnswerOf<T>>;
};

function exportOf(question: Pick<Question, "type">): QuestionTypeExport<Question, AnswerValue> {
  // Each entry accepts exactly the questions of its own type, which `question.type` selects.
  return questionExports[question.type] as unknown as QuestionTypeExport<Question, AnswerValue>;
}

/** Where each export column of the question finds its cell among the stored rows. */
export function exportSlotsOf(question: Question): ExportSlot[] {
  return exportOf(question).exportSlots(question);
}

/** The long table's atomic values of an answer without export columns (need lists). */
export function exportAtomsOf(
  question: Question,
  value: AnswerValue,
): Array<[string, string | number]> {
  return exportOf(question).exportAtoms?.(question, value) ?? [];
}

/**
 * How the question's type writes a code as a label (`item`: the long table's item of the
 * value), or null when its values are written as they are.
 */
export function exportLabelOf(
  question: Question,
): ((item: string, value: string, labels: ExportLabels) => string) | null {
  const label = exportOf(question).exportLabel;
  return label ? (item, value, labels) => label(question, item, value, labels) : null;
}

/** A plausible answer to the question (demo and benchmark data). */
export function sampleAnswerOf(question: Question, sample: AnswerSampler): AnswerValue {
  return exportOf(question).sampleValue(question, sample);
}

/** The codebook's rows of the question's columns in the wide data, written with `codebook`. */
export function codebookRowsOf<R>(question: Question, codebook: CodebookWriter<R>): R[] {
  return exportOf(question).codebook(question, codebook);
}

/** The table of its own in which the question's answers are exported, if any (need lists). */
export function exportTableOf(question: Pick<Question, "type">): "needs" | undefined {
  return exportOf(question).table;
}
