import type * as z from "zod";
import {
  answerRow,
  CODEBOOK_EMPTY,
  defineQuestionExport,
  defineQuestionType,
  fieldName,
  firstValue,
  isPlainObject,
  mergeFields,
  parseNumberField,
  scalarField,
} from "../question-type";
import type { rankingSchema } from "./ranking.schema";

export type RankingQuestion = z.output<typeof rankingSchema>;

/** Item code -> rank, 1 being the first. An answered ranking ranks every item, each rank once. */
export type RankingValue = Record<string, number>;

export const ranking = defineQuestionType<RankingQuestion, RankingValue>({
  aggregation: "ranking",
  summary: (q) => ({ codes: q.items }),
  condition: null,
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

/** How exports and demo data handle ranking answers (server side: see question-exports.ts). */
export const rankingExport = defineQuestionExport<RankingQuestion, RankingValue>({
  codebook: (q, cb) =>
    q.items.map((item) =>
      cb.part("items", item, `rank from 1 (first) to ${q.items.length}${CODEBOOK_EMPTY}`),
    ),
  exportSlots: (q) =>
    q.items.map((item) => ({ item: item.code, code: null, flag: false, atom: item.code })),
  sampleValue: (q, s) => {
    const order = [...q.items]
      .map((it) => ({ code: it.code, key: s.bias(it.code) + s.next() * 0.8 }))
      .sort((a, b) => b.key - a.key);
    return Object.fromEntries(order.map((it, i) => [it.code, i + 1]));
  },
});
