import type * as z from "zod";
import {
  answerRow,
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
