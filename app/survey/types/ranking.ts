import * as z from "zod";
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

export const rankingSchema = questionBase.extend({
  type: z.literal("ranking"),
  items: codedList("item", 2),
});

export type RankingQuestion = z.output<typeof rankingSchema>;

/** Item code -> rank, 1 being the first. An answered ranking ranks every item, each rank once. */
export type RankingValue = Record<string, number>;

export const ranking = defineQuestionType({
  schema: rankingSchema,
  aggregation: "ranking",
  condition: null,
  answerSchema: (q, m): z.ZodType<RankingValue> => {
    const count = q.items.length;
    const rank = z
      .number({ error: m.rankAll(count) })
      .int(m.rankAll(count))
      .min(1, m.rankAll(count))
      .max(count, m.rankAll(count));
    const shape = Object.fromEntries(q.items.map((item) => [item.code, rank.optional()]));
    return z
      .strictObject(shape, { error: m.invalid })
      .superRefine((value, ctx) => {
        if (q.items.some((item) => value[item.code] === undefined)) {
          ctx.addIssue({ code: "custom", path: [], message: m.rankAll(count) });
        }
        const seen = new Set<number>();
        for (const item of q.items) {
          const position = value[item.code];
          if (position === undefined) continue;
          if (seen.has(position)) {
            ctx.addIssue({ code: "custom", path: [item.code], message: m.rankOnce });
          }
          seen.add(position);
        }
      })
      .transform((value) => value as RankingValue);
  },
  conditionValues: () => [],
  fromFormData: (q, getAll) => {
    const value: Record<string, number | string> = {};
    for (const item of q.items) {
      const position = parseNumberField(firstValue(getAll, fieldName(q.key, item.code)));
      if (position !== undefined) value[item.code] = position;
    }
    return Object.keys(value).length > 0 ? value : undefined;
  },
  toFormFields: (q, value) =>
    isPlainObject(value)
      ? mergeFields(
          ...q.items.map((item) => scalarField(fieldName(q.key, item.code), value[item.code])),
        )
      : {},
  toRows: (q, value) =>
    q.items.map((item) => answerRow({ item: item.code, valueNum: value[item.code] })),
  fromRows: (q, rows) => {
    const value: RankingValue = {};
    for (const item of q.items) {
      const stored = rows.find((r) => r.item === item.code && r.valueNum !== null);
      if (stored) value[item.code] = stored.valueNum as number;
    }
    return Object.keys(value).length > 0 ? value : undefined;
  },
  exportColumns: (q) => q.items.map((item) => `${q.key}.${item.code}`),
  exportCells: (q, value) => q.items.map((item) => value?.[item.code] ?? null),
});
