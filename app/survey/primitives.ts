import * as z from "zod";
import {
  CODE_MAX_LENGTH,
  CODE_PATTERN,
  QUESTION_KEY_MAX_LENGTH,
  QUESTION_KEY_PATTERN,
} from "./constants";
import { SUPPORTED_LOCALES } from "./locale";
import { LOCALE_KEY, RECORD_HASH, RECORD_KEY } from "./translations";

/**
 * Building blocks of the definition schemas: localized texts, coded lists, question keys,
 * conditions and the fields common to every question. Every object is strict so that a
 * misspelt field is reported instead of silently ignored.
 */

/**
 * A text shown to people, by locale; `en` and `ru` are always present. It may also hold
 * translation records (`ru@en: <hash>`, translations.ts) beside the texts.
 */
export type LocalizedText = { en: string; ru: string } & Record<string, string>;

/** A text shown to people: locale code -> text; `en` and `ru` are required. */
export const localizedText = z
  .record(
    z
      .string()
      .refine(
        (key) => LOCALE_KEY.test(key) || RECORD_KEY.test(key),
        `must be a locale code: two lowercase letters such as ${SUPPORTED_LOCALES.join(", ")} (or a translation record such as ru@en)`,
      ),
    z.string(),
  )
  .superRefine((text, ctx) => {
    for (const locale of SUPPORTED_LOCALES) {
      if (text[locale] === undefined)
        ctx.addIssue({ code: "custom", path: [], message: `missing "${locale}" label` });
    }
    for (const [key, value] of Object.entries(text)) {
      const record = RECORD_KEY.exec(key);
      if (!record) {
        if (value.trim() === "")
          ctx.addIssue({ code: "custom", path: [key], message: `empty "${key}" label` });
        continue;
      }
      const [, target, source] = record;
      if (!RECORD_HASH.test(value))
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: `must be the 8-character hash of the "${source}" text that the "${target}" text translates`,
        });
      else if (target === source || text[target] === undefined || text[source] === undefined)
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: `records that the "${target}" text translates the "${source}" text: both texts must be present and differ in locale`,
        });
    }
  })
  .meta({
    description: `Text by locale; ${SUPPORTED_LOCALES.join(" and ")} are required. <target>@<source> records the hash of the source text a translation translates`,
    required: [...SUPPORTED_LOCALES],
  }) as unknown as z.ZodType<LocalizedText, Record<string, string>>;

export const questionKey = z
  .string()
  .max(QUESTION_KEY_MAX_LENGTH, `must be at most ${QUESTION_KEY_MAX_LENGTH} characters`)
  .regex(
    QUESTION_KEY_PATTERN,
    "must start with a lowercase letter and contain only lowercase letters, digits and underscores",
  );

export const code = z
  .string()
  .max(CODE_MAX_LENGTH, `must be at most ${CODE_MAX_LENGTH} characters`)
  .regex(CODE_PATTERN, "must contain only lowercase letters, digits and underscores");

/** An option, matrix row, ranking item, Borich statement or need category. */
export const codedEntry = z.strictObject({ code, label: localizedText });
export type CodedEntry = z.infer<typeof codedEntry>;

/**
 * A need category: a code of the programme's need taxonomy (surveys/shared/need-taxonomy.yaml),
 * or a category of the group's own with `parent`, the taxonomy code it belongs to (taxonomy.ts).
 */
export const needCategoryEntry = codedEntry.extend({ parent: code.optional() });

export type CodedListKind = "option" | "row" | "item" | "statement" | "category";

/** A list of coded entries, at least `min` long, with codes unique within the list. */
export function codedList(kind: CodedListKind, min: number) {
  return codedListOf(codedEntry, kind, min);
}

/** As codedList, of entries of the given schema. */
export function codedListOf<E extends z.ZodType<{ code: string }>>(
  entry: E,
  kind: CodedListKind,
  min: number,
) {
  return z
    .array(entry)
    .min(min, `needs at least ${min} ${min === 1 ? kind : `${kind}s`}`)
    .superRefine((entries, ctx) => {
      const seen = new Set<string>();
      entries.forEach((entry, index) => {
        if (seen.has(entry.code)) {
          ctx.addIssue({
            code: "custom",
            path: [index, "code"],
            message: `duplicate ${kind} code "${entry.code}"`,
          });
        }
        seen.add(entry.code);
      });
    });
}

/** The value a condition compares an answer with: an option or country code, or a number. */
const conditionOperand = z.union([z.string(), z.number()]);

/**
 * A condition on answers to earlier questions (`showIf`).
 * - `{ question, equals }`: the answer is the value (single choice, country, scale, number)
 *   or contains it (multi choice);
 * - `{ question, oneOf }`: the same for any of the values;
 * - `{ question, answered: true }`: the question has an answer;
 * - `{ not }`, `{ all }`, `{ any }`: negation, conjunction, disjunction.
 */
export type Condition =
  | { question: string; equals: string | number }
  | { question: string; oneOf: Array<string | number> }
  | { question: string; answered: true }
  | { not: Condition }
  | { all: Condition[] }
  | { any: Condition[] };

export const condition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ question: questionKey, equals: conditionOperand }),
    z.strictObject({
      question: questionKey,
      oneOf: z.array(conditionOperand).min(1, "needs at least 1 value"),
    }),
    z.strictObject({ question: questionKey, answered: z.literal(true) }),
    z.strictObject({ not: condition }),
    z.strictObject({ all: z.array(condition).min(1, "needs at least 1 condition") }),
    z.strictObject({ any: z.array(condition).min(1, "needs at least 1 condition") }),
  ]),
);

/** Fields every question has; each question type extends this with a literal `type`. */
export const questionBase = z.strictObject({
  key: questionKey.meta({ description: "Stable key: answers are stored and exported under it" }),
  label: localizedText,
  help: localizedText.optional(),
  required: z.boolean().default(false),
  showIf: condition.optional().meta({ description: "Show the question only when this holds" }),
});

/**
 * Adds an issue at the minimum's field when a configured minimum exceeds its maximum (or
 * equals it, with `strict`). Values compare as numbers or as ISO dates.
 */
export function checkMinMax(
  ctx: z.RefinementCtx,
  min: number | string | undefined,
  max: number | string | undefined,
  options: { minField?: string; maxField?: string; path?: PropertyKey[]; strict?: boolean } = {},
): void {
  const { minField = "min", maxField = "max", path = [], strict = false } = options;
  if (min === undefined || max === undefined) return;
  if (min > max || (strict && min === max)) {
    ctx.addIssue({
      code: "custom",
      path: [...path, minField],
      message: `${minField} (${min}) ${strict ? "must be less than" : "is greater than"} ${maxField} (${max})`,
    });
  }
}
