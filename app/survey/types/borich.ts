import * as z from "zod";
import { RATING_MAX, RATING_MIN } from "../constants";
import { codedList, questionBase } from "../primitives";
import {
  answerRow,
  defineQuestionType,
  fieldName,
  firstValue,
  isPlainObject,
  mergeFields,
  parseNumberField,
  scalarField,
} from "../question-type";

export const borichSchema = questionBase.extend({
  type: z.literal("borich"),
  statements: codedList("statement", 2),
});

export type BorichQuestion = z.output<typeof borichSchema>;

export const BORICH_DIMENSIONS = ["importance", "current"] as const;
export type BorichDimension = (typeof BORICH_DIMENSIONS)[number];

/** Statement code -> the importance of the competence and its current level, both 1–5. */
export type BorichValue = Record<string, Record<BorichDimension, number>>;

export const borich = defineQuestionType({
  schema: borichSchema,
  aggregation: "borich",
  condition: null,
  answerSchema: (q, m): z.ZodType<BorichValue> => {
    const rating = z
      .number({
        error: (issue) =>
          issue.input === undefined ? m.rateBoth : m.rating(RATING_MIN, RATING_MAX),
      })
      .int(m.rating(RATING_MIN, RATING_MAX))
      .min(RATING_MIN, m.rating(RATING_MIN, RATING_MAX))
      .max(RATING_MAX, m.rating(RATING_MIN, RATING_MAX));
    const pair = z.strictObject({ importance: rating, current: rating }, { error: m.invalid });
    const shape = Object.fromEntries(q.statements.map((s) => [s.code, pair.optional()]));
    return z
      .strictObject(shape, { error: m.invalid })
      .superRefine((value, ctx) => {
        if (!q.required) return;
        for (const s of q.statements) {
          if (value[s.code] === undefined)
            ctx.addIssue({ code: "custom", path: [s.code], message: m.rateBoth });
        }
      })
      .transform((value) => {
        const answered: BorichValue = {};
        for (const s of q.statements) {
          const rated = value[s.code];
          if (rated) answered[s.code] = rated;
        }
        return answered;
      });
  },
  conditionValues: () => [],
  fromFormData: (q, getAll) => {
    const value: Record<string, Partial<Record<BorichDimension, number | string>>> = {};
    for (const s of q.statements) {
      const rated: Partial<Record<BorichDimension, number | string>> = {};
      for (const dimension of BORICH_DIMENSIONS) {
        const point = parseNumberField(firstValue(getAll, fieldName(q.key, s.code, dimension)));
        if (point !== undefined) rated[dimension] = point;
      }
      if (Object.keys(rated).length > 0) value[s.code] = rated;
    }
    return Object.keys(value).length > 0 ? value : undefined;
  },
  toFormFields: (q, value) => {
    if (!isPlainObject(value)) return {};
    return mergeFields(
      ...q.statements.flatMap((s) => {
        const rated = value[s.code];
        if (!isPlainObject(rated)) return [];
        return BORICH_DIMENSIONS.map((dimension) =>
          scalarField(fieldName(q.key, s.code, dimension), rated[dimension]),
        );
      }),
    );
  },
  toRows: (q, value) =>
    q.statements.flatMap((s) => {
      const rated = value[s.code];
      if (!rated) return [];
      return BORICH_DIMENSIONS.map((dimension) =>
        answerRow({ item: s.code, optionCode: dimension, valueNum: rated[dimension] }),
      );
    }),
  fromRows: (q, rows) => {
    const value: BorichValue = {};
    for (const s of q.statements) {
      const find = (dimension: BorichDimension) =>
        rows.find((r) => r.item === s.code && r.optionCode === dimension)?.valueNum ?? null;
      const importance = find("importance");
      const current = find("current");
      if (importance !== null && current !== null) value[s.code] = { importance, current };
    }
    return Object.keys(value).length > 0 ? value : undefined;
  },
  exportColumns: (q) =>
    q.statements.flatMap((s) =>
      BORICH_DIMENSIONS.map((dimension) => `${q.key}.${s.code}.${dimension}`),
    ),
  exportCells: (q, value) =>
    q.statements.flatMap((s) =>
      BORICH_DIMENSIONS.map((dimension) => value?.[s.code]?.[dimension] ?? null),
    ),
});
