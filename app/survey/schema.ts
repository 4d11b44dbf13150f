import * as z from "zod";
import { addCheckIssues, pageListIssues } from "./checks";
import { checkDelphiItems, delphiSchema } from "./delphi.schema";
import {
  ACCESS_MODES,
  BLOCK_NAME_PATTERN,
  PAGE_KEY_PATTERN,
  SLUG_PATTERN,
  SURVEY_STATUSES,
  WORKING_GROUPS,
} from "./constants";
import { localizedText } from "./primitives";
import { questionSchema } from "./registry";

/**
 * The questionnaire format (docs/survey-format.md): survey files, block files, and the
 * expanded definition that is stored with each survey version.
 */

export { localizedText, condition, type Condition, type LocalizedText } from "./primitives";
export {
  questionSchema,
  QUESTION_TYPES,
  type Answers,
  type AnswerOf,
  type AnswerValue,
  type Question,
  type QuestionOfType,
  type QuestionType,
} from "./registry";
export { SUPPORTED_LOCALES, type Locale } from "./locale";
export { allQuestions, findPage, findQuestion } from "./definition";
export { WORKING_GROUPS, HORIZONS, type Horizon, type WorkingGroup } from "./constants";

const pageKey = z
  .string()
  .max(63, "must be at most 63 characters")
  .regex(
    PAGE_KEY_PATTERN,
    "must start with a lowercase letter and contain only lowercase letters, digits and underscores",
  );

export const pageSchema = z.strictObject({
  key: pageKey,
  title: localizedText,
  description: localizedText.optional(),
  questions: z.array(questionSchema).min(1, "needs at least 1 question"),
});

/** `- include: respondent-profile` in a survey's pages: the page of surveys/blocks/<name>.yaml. */
export const includePageSchema = z.strictObject({
  include: z
    .string()
    .regex(BLOCK_NAME_PATTERN, "must be the name of a file in surveys/blocks/ without .yaml")
    .meta({ description: "Name of a shared block in surveys/blocks/" }),
});

/** A block file holds one page; its rules are checked as if it were a survey of that page. */
export const blockFileSchema = pageSchema.superRefine((page, ctx) => {
  addCheckIssues(
    ctx,
    pageListIssues([page]).map((issue) => ({
      ...issue,
      path: issue.path.slice(1),
      related: issue.related?.slice(1),
    })),
  );
});

const ISO_DATE_OR_DATE_TIME =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

const dateOrDateTime = z
  .string()
  .refine(
    (value) => ISO_DATE_OR_DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)),
    "must be a date (YYYY-MM-DD) or a date-time (YYYY-MM-DDTHH:MM, optionally with a time zone)",
  );

const surveyFields = {
  slug: z
    .string()
    .max(80, "must be at most 80 characters")
    .regex(SLUG_PATTERN, "must contain only lowercase letters, digits and single hyphens")
    .meta({ description: "URL name, unique among all surveys" }),
  workingGroup: z.enum(WORKING_GROUPS),
  status: z
    .enum(SURVEY_STATUSES)
    .default("draft")
    .meta({ description: "Status when first synchronised; managed in the application afterwards" }),
  accessMode: z.enum(ACCESS_MODES).default("open_link"),
  estimatedMinutes: z.int().min(1).max(600).optional(),
  opensAt: dateOrDateTime.optional(),
  closesAt: dateOrDateTime.optional(),
  title: localizedText,
  introduction: localizedText.optional(),
  delphi: delphiSchema.optional(),
};

function checkDates(survey: { opensAt?: string; closesAt?: string }, ctx: z.RefinementCtx): void {
  if (
    survey.opensAt &&
    survey.closesAt &&
    Date.parse(survey.opensAt) >= Date.parse(survey.closesAt)
  ) {
    ctx.addIssue({
      code: "custom",
      path: ["closesAt"],
      message: `closesAt must be after opensAt (${survey.opensAt})`,
    });
  }
}

/** A survey file as written: pages are pages or includes of shared blocks. */
export const surveyFileSchema = z
  .strictObject({
    ...surveyFields,
    pages: z.array(z.union([includePageSchema, pageSchema])).min(1, "needs at least 1 page"),
  })
  .superRefine(checkDates);

/**
 * The expanded definition: includes replaced by the block pages, defaults applied, every
 * cross-field rule checked. This is what a survey version stores and what every layer reads.
 */
export const surveyDefinitionSchema = z
  .strictObject({
    ...surveyFields,
    pages: z.array(pageSchema).min(1, "needs at least 1 page"),
  })
  .superRefine((survey, ctx) => {
    checkDates(survey, ctx);
    addCheckIssues(ctx, pageListIssues(survey.pages), ["pages"]);
    checkDelphiItems(survey, ctx);
  });

/** Either kind of file, for the JSON Schema that editors use. */
export const surveyOrBlockFileSchema = z.union([surveyFileSchema, blockFileSchema]);

export type Page = z.output<typeof pageSchema>;
export type PageInput = z.input<typeof pageSchema>;
export type IncludePage = z.output<typeof includePageSchema>;
export type BlockFile = z.output<typeof blockFileSchema>;
export type SurveyFile = z.output<typeof surveyFileSchema>;
export type SurveyFileInput = z.input<typeof surveyFileSchema>;
export type SurveyDefinition = z.output<typeof surveyDefinitionSchema>;

/** Reads a stored definition (for example a survey version's JSON) back; throws if invalid. */
export function parseSurveyDefinition(json: unknown): SurveyDefinition {
  return surveyDefinitionSchema.parse(json);
}
