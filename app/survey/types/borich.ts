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
import type { borichSchema } from "./borich.schema";

export type BorichQuestion = z.output<typeof borichSchema>;

export const BORICH_DIMENSIONS = ["importance", "current"] as const;
export type BorichDimension = (typeof BORICH_DIMENSIONS)[number];

/** Statement code -> the importance of the competence and its current level, both 1–5. */
export type BorichValue = Record<string, Record<BorichDimension, number>>;

export const borich = defineQuestionType<BorichQuestion, BorichValue>({
  aggregation: "borich",
  summary: (q) => ({ codes: q.statements }),
  condition: null,
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

/** How exports and demo data handle borich answers (server side: see question-exports.ts). */
export const borichExport = defineQuestionExport<BorichQuestion, BorichValue>({
  codebook: (q, cb) =>
    q.statements.flatMap((s) =>
      BORICH_DIMENSIONS.map((dimension) =>
        cb.part(
          "statements",
          s,
          `integer from 1 to 5: ${dimension === "importance" ? "importance of the competence" : "current level of the competence"}${CODEBOOK_EMPTY}`,
          { part: `${s.code}.${dimension}`, qualifier: `borich.${dimension}` },
        ),
      ),
    ),
  exportSlots: (q) =>
    q.statements.flatMap((s) =>
      BORICH_DIMENSIONS.map((dimension) => ({
        item: s.code,
        code: dimension,
        flag: false,
        atom: `${s.code}.${dimension}`,
      })),
    ),
  sampleValue: (q, s) =>
    Object.fromEntries(
      q.statements.map((st) => {
        const importance = s.rating(3 + s.bias(st.code) * 1.8);
        const current = s.rating(1.5 + s.bias(st.code + "c") * 2.2);
        return [st.code, { importance, current }];
      }),
    ),
});
