import * as z from "zod";
import type { ValidationMessages } from "./messages";
import {
  type AnswerOf,
  type AnswerValue,
  type Question,
  type QuestionOfEachType,
  type QuestionType,
  questionTypeOf,
} from "./question-types";
import { borichSchemas } from "./types/borich.schema";
import { countrySchemas } from "./types/country.schema";
import { dateSchemas } from "./types/date.schema";
import { matrixSchemas } from "./types/matrix.schema";
import { multiChoiceSchemas } from "./types/multi-choice.schema";
import { needListSchemas } from "./types/need-list.schema";
import { numberSchemas } from "./types/number.schema";
import { rankingSchemas } from "./types/ranking.schema";
import { scaleSchemas } from "./types/scale.schema";
import { singleChoiceSchemas } from "./types/single-choice.schema";
import { longTextSchemas, textSchemas } from "./types/text.schema";

export * from "./question-exports";
export * from "./question-types";

/**
 * The schema registry: one entry per type (`types/<type>.schema.ts`) with its definition
 * schema and its answer schema. Validation (answer-schema.ts, the server, the question page's
 * lazily loaded resolver) and the survey format use it; everything else uses the plain
 * registry (`question-types.ts`), which this module re-exports for server code with the export
 * registry (`question-exports.ts`).
 */
export const questionTypeSchemas = {
  single_choice: singleChoiceSchemas,
  multi_choice: multiChoiceSchemas,
  scale: scaleSchemas,
  matrix: matrixSchemas,
  ranking: rankingSchemas,
  number: numberSchemas,
  text: textSchemas,
  long_text: longTextSchemas,
  date: dateSchemas,
  country: countrySchemas,
  need_list: needListSchemas,
  borich: borichSchemas,
} as const;

// Both registries list every type, and each schema builds the question and the answer value
// its plain entry handles.
questionTypeSchemas satisfies {
  [T in QuestionType]: {
    schema: z.ZodObject;
    answerSchema: (q: QuestionOfEachType[T], m: ValidationMessages) => z.ZodType<AnswerOf<T>>;
  };
};

/** A question of any type, as stored in an expanded definition (defaults applied). */
export const questionSchema = z.discriminatedUnion("type", [
  singleChoiceSchemas.schema,
  multiChoiceSchemas.schema,
  scaleSchemas.schema,
  matrixSchemas.schema,
  rankingSchemas.schema,
  numberSchemas.schema,
  textSchemas.schema,
  longTextSchemas.schema,
  dateSchemas.schema,
  countrySchemas.schema,
  needListSchemas.schema,
  borichSchemas.schema,
]);

export type QuestionInput = z.input<typeof questionSchema>;

// The plain registry's `Question` is exactly what the definition schema produces.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type _QuestionMatchesSchema = Assert<Same<Question, z.output<typeof questionSchema>>>;
type Assert<T extends true> = T;

/** The answer schema builder of a question's type, callable with the question. */
function answerSchemaBuilder(
  question: Pick<Question, "type">,
): (q: Question, m: ValidationMessages) => z.ZodType<AnswerValue> {
  // Each entry accepts exactly the questions of its own type, which `question.type` selects.
  return questionTypeSchemas[question.type].answerSchema as unknown as (
    q: Question,
    m: ValidationMessages,
  ) => z.ZodType<AnswerValue>;
}

/** What a respondent must do when `question` is required and left blank. */
export function requiredMessageOf(question: Question, messages: ValidationMessages): string {
  return (
    questionTypeSchemas[question.type].required as unknown as (
      q: Question,
      m: ValidationMessages,
    ) => string
  )(question, messages);
}

/**
 * The schema of one question's answer: blank values (see `isAnswered`) become `undefined`,
 * which a required question rejects with its type's `required` message.
 */
export function answerSchemaOf(
  question: Question,
  messages: ValidationMessages,
): z.ZodType<AnswerValue | undefined> {
  // Definitions are parsed once per survey version and messages are one object per language,
  // so a question's schema is built once per language and reused by every request.
  let byMessages = answerSchemas.get(question);
  if (!byMessages) answerSchemas.set(question, (byMessages = new Map()));
  let schema = byMessages.get(messages);
  if (!schema) byMessages.set(messages, (schema = buildAnswerSchema(question, messages)));
  return schema;
}

const answerSchemas = new WeakMap<
  Question,
  Map<ValidationMessages, z.ZodType<AnswerValue | undefined>>
>();

function buildAnswerSchema(
  question: Question,
  messages: ValidationMessages,
): z.ZodType<AnswerValue | undefined> {
  const spec = questionTypeOf(question);
  const schema = z.preprocess(
    (value) => (spec.isAnswered(question, value) ? value : undefined),
    answerSchemaBuilder(question)(question, messages).optional(),
  );
  return question.required
    ? schema.refine((value) => value !== undefined, {
        message: requiredMessageOf(question, messages),
      })
    : schema;
}
