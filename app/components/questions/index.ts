import type { QuestionType } from "~/survey/question-types";
import { borichRenderer } from "./borich";
import { countryRenderer } from "./country";
import { dateRenderer } from "./date";
import { longTextRenderer } from "./long-text";
import { matrixRenderer } from "./matrix";
import { multiChoiceRenderer } from "./multi-choice";
import { needListRenderer } from "./need-list";
import { numberRenderer } from "./number";
import { rankingRenderer } from "./ranking";
import { scaleRenderer } from "./scale";
import { singleChoiceRenderer } from "./single-choice";
import { textRenderer } from "./text";
import type { QuestionRenderer, QuestionRenderers } from "./types";

/**
 * The renderer of each question type: its form fields and its answer summary. Keyed like the
 * question-type registry (app/survey/registry.ts); a type without a renderer does not compile.
 */
export const questionRenderers: QuestionRenderers = {
  single_choice: singleChoiceRenderer,
  multi_choice: multiChoiceRenderer,
  scale: scaleRenderer,
  matrix: matrixRenderer,
  ranking: rankingRenderer,
  number: numberRenderer,
  text: textRenderer,
  long_text: longTextRenderer,
  date: dateRenderer,
  country: countryRenderer,
  need_list: needListRenderer,
  borich: borichRenderer,
};

/** The renderer of a question's type. */
export function rendererOf<T extends QuestionType>(type: T): QuestionRenderer<T> {
  return questionRenderers[type];
}

export type {
  AnswerSummaryProps,
  FieldReader,
  QuestionFieldProps,
  QuestionRenderer,
} from "./types";
