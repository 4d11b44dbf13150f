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
  scalarField,
} from "../question-type";
import type { multiChoiceSchema } from "./multi-choice.schema";

/** The `item` of the row that holds the "other, please specify" text. */
export const OTHER_ITEM = "_other";

export type MultiChoiceQuestion = z.output<typeof multiChoiceSchema>;

/** Selected option codes in the order of the options, and the "other" text if any. */
export interface MultiChoiceValue {
  selected: string[];
  other?: string;
}

export const multiChoice = defineQuestionType<MultiChoiceQuestion, MultiChoiceValue>({
  aggregation: "multi",
  summary: (q) => ({ codes: q.options, other: q.other }),
  condition: { operand: "code", codes: (q) => q.options.map((o) => o.code) },
  conditionValues: (_q, value) =>
    isPlainObject(value) && Array.isArray(value.selected)
      ? value.selected.filter((code): code is string => typeof code === "string")
      : [],
  fromFormData: (q, getAll) => {
    const selected = getAll(fieldName(q.key))
      .map((code) => code.trim())
      .filter((code) => code !== "");
    const other = firstValue(getAll, fieldName(q.key, "other"));
    if (selected.length === 0 && other === undefined) return undefined;
    return other === undefined ? { selected } : { selected, other };
  },
  toFormFields: (q, value) => {
    if (!isPlainObject(value)) return {};
    const selected = Array.isArray(value.selected)
      ? value.selected.filter((code): code is string => typeof code === "string" && code !== "")
      : [];
    return mergeFields(
      selected.length > 0 ? { [fieldName(q.key)]: selected } : {},
      scalarField(fieldName(q.key, "other"), value.other),
    );
  },
  toRows: (_q, value) => [
    ...value.selected.map((code) => answerRow({ item: code, optionCode: code })),
    ...(value.other ? [answerRow({ item: OTHER_ITEM, valueText: value.other })] : []),
  ],
  fromRows: (q, rows) => {
    const stored = new Set(rows.filter((r) => r.item !== OTHER_ITEM).map((r) => r.optionCode));
    const selected = q.options.map((o) => o.code).filter((code) => stored.has(code));
    const other = rows.find((r) => r.item === OTHER_ITEM)?.valueText ?? undefined;
    if (selected.length === 0 && !other) return undefined;
    return other ? { selected, other } : { selected };
  },
  exportColumns: (q) => [
    ...q.options.map((o) => `${q.key}.${o.code}`),
    ...(q.other ? [`${q.key}.other`] : []),
  ],
  exportCells: (q, value) => [
    ...q.options.map((o) => (value ? (value.selected.includes(o.code) ? 1 : 0) : null)),
    ...(q.other ? [value?.other ?? null] : []),
  ],
});

/** How exports and demo data handle multiChoice answers (server side: see question-exports.ts). */
export const multiChoiceExport = defineQuestionExport<MultiChoiceQuestion, MultiChoiceValue>({
  codebook: (q, cb) => [
    ...q.options.map((o) => cb.part("options", o, `1 = chosen, 0 = not chosen${CODEBOOK_EMPTY}`)),
    ...(q.other ? [cb.other("text typed for “other”; empty = none")] : []),
  ],
  exportSlots: (q) => [
    ...q.options.map((o) => ({ item: o.code, code: o.code, flag: true, atom: o.code })),
    ...(q.other ? [{ item: OTHER_ITEM, code: null, flag: false, atom: "other" }] : []),
  ],
  sampleValue: (q, s) => {
    const max = Math.min(q.maxSelections ?? q.options.length, q.options.length);
    const min = Math.max(q.minSelections ?? 0, 1);
    const chosen = q.options
      .filter((o) => s.chance(0.15 + s.bias(o.code) * 0.5))
      .map((o) => o.code);
    while (chosen.length < min) {
      const c = s.pick(q.options).code;
      if (!chosen.includes(c)) chosen.push(c);
    }
    const selected = q.options.map((o) => o.code).filter((c) => chosen.slice(0, max).includes(c));
    const other = q.other && selected.length < max && s.chance(0.08) ? s.freeText() : undefined;
    return other ? { selected, other } : { selected };
  },
});
