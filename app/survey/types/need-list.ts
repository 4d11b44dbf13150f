import type * as z from "zod";
import { type Horizon, NEED_MAX_ENTRIES_LIMIT } from "../constants";
import {
  answerRow,
  defineQuestionExport,
  defineQuestionType,
  fieldName,
  firstValue,
  type FormGetAll,
  isPlainObject,
  mergeFields,
  parseNumberField,
  scalarField,
} from "../question-type";
import type { needListSchema } from "./need-list.schema";

export type NeedListQuestion = z.output<typeof needListSchema>;

/** One need described by a respondent. `id` is stable across edits of a draft. */
export interface NeedEntry {
  id: string;
  title: string;
  description?: string;
  category: string;
  horizon: Horizon;
  urgency: number;
  importance: number;
}

export const NEED_ENTRY_FIELDS = [
  "id",
  "title",
  "description",
  "category",
  "horizon",
  "urgency",
  "importance",
] as const;

/**
 * Form slots scanned for entries: `q.<key>.<index>.<field>` for index 0 to this bound.
 * Deliberately above the largest allowed number of entries, so that too many entries are
 * rejected with a message rather than dropped.
 */
export const NEED_FORM_SLOTS = NEED_MAX_ENTRIES_LIMIT * 2;

/** The first id of the form `n<number>` not in `taken`. */
function freshId(taken: Set<string>): string {
  for (let n = 1; ; n++) {
    const id = `n${n}`;
    if (!taken.has(id)) return id;
  }
}

/**
 * The form slot (`q.<key>.<slot>.<field>`) of each entry that `fromFormData` reads, in order:
 * slots may have gaps and blank slots are skipped, so the entry at index i of an answer (and
 * of an issue path) sits in slot `needEntrySlots(...)[i]` of the form.
 */
export function needEntrySlots(q: { key: string }, getAll: FormGetAll): number[] {
  const slots: number[] = [];
  for (let index = 0; index < NEED_FORM_SLOTS; index++) {
    const filled = NEED_ENTRY_FIELDS.some(
      (field) =>
        field !== "id" && getAll(fieldName(q.key, index, field)).some((v) => v.trim() !== ""),
    );
    if (filled) slots.push(index);
  }
  return slots;
}

export const needList = defineQuestionType<NeedListQuestion, NeedEntry[]>({
  aggregation: "needs",
  summary: (q) => ({ codes: q.categories, freeText: "need" }),
  condition: null,
  conditionValues: () => [],
  fromFormData: (q, getAll) => {
    const read = (index: number, field: (typeof NEED_ENTRY_FIELDS)[number]) =>
      firstValue(getAll, fieldName(q.key, index, field));
    const entries: Array<Record<string, unknown>> = [];
    for (let index = 0; index < NEED_FORM_SLOTS; index++) {
      const title = read(index, "title");
      const description = getAll(fieldName(q.key, index, "description")).find(
        (v) => v.trim() !== "",
      );
      const category = read(index, "category");
      const horizon = read(index, "horizon");
      const urgency = parseNumberField(read(index, "urgency"));
      const importance = parseNumberField(read(index, "importance"));
      const filled = [title, description, category, horizon, urgency, importance].some(
        (v) => v !== undefined,
      );
      if (!filled) continue;
      entries.push({
        id: read(index, "id"),
        title: title ?? "",
        ...(description !== undefined ? { description } : {}),
        category: category ?? "",
        horizon: horizon ?? "",
        urgency,
        importance,
      });
    }
    if (entries.length === 0) return undefined;
    const taken = new Set(
      entries.map((e) => e.id).filter((id): id is string => typeof id === "string"),
    );
    for (const e of entries) {
      if (e.id === undefined) {
        e.id = freshId(taken);
        taken.add(e.id as string);
      }
    }
    return entries;
  },
  toFormFields: (q, value) => {
    if (!Array.isArray(value)) return {};
    return mergeFields(
      ...value
        .slice(0, NEED_FORM_SLOTS)
        .flatMap((entry, index) =>
          isPlainObject(entry)
            ? NEED_ENTRY_FIELDS.map((field) =>
                scalarField(fieldName(q.key, index, field), entry[field]),
              )
            : [],
        ),
    );
  },
  toRows: (_q, entries) =>
    entries.map((e, index) =>
      answerRow({
        item: e.id,
        optionCode: e.category,
        valueNum: index + 1,
        valueText: e.description ?? null,
        valueJson: e,
      }),
    ),
  fromRows: (_q, rows) => {
    const entries = [...rows]
      .filter((row) => isPlainObject(row.valueJson))
      .sort((a, b) => (a.valueNum ?? 0) - (b.valueNum ?? 0))
      .map((row) => row.valueJson as NeedEntry);
    return entries.length > 0 ? entries : undefined;
  },
  exportColumns: () => [],
  exportCells: () => [],
});

/** How exports and demo data handle needList answers (server side: see question-exports.ts). */
export const needListExport = defineQuestionExport<NeedListQuestion, NeedEntry[]>({
  codebook: () => [],
  table: "needs",
  exportSlots: () => [],
  exportAtoms: (_q, entries) =>
    entries.flatMap((entry) => {
      const pairs: Array<[string, string | number]> = [[`${entry.id}.title`, entry.title]];
      if (entry.description !== undefined)
        pairs.push([`${entry.id}.description`, entry.description]);
      pairs.push(
        [`${entry.id}.category`, entry.category],
        [`${entry.id}.horizon`, entry.horizon],
        [`${entry.id}.urgency`, entry.urgency],
        [`${entry.id}.importance`, entry.importance],
      );
      return pairs;
    }),
  exportLabel: (q, item, value, labels) => {
    if (item.endsWith(".category")) {
      const label = q.categories.find((c) => c.code === value)?.label;
      return label ? (label[labels.locale] ?? label.en ?? value) : value;
    }
    return item.endsWith(".horizon") ? labels.horizon(value) : value;
  },
  sampleValue: (q, s) => {
    const n = Math.min(q.maxEntries, Math.max(q.minEntries, s.int(1, 3)));
    return Array.from({ length: n }, (_, i) => {
      const [title, description] = s.needPhrase();
      const category = q.categories[s.weighted(q.categories.map((c) => 0.2 + s.bias(c.code)))].code;
      const urgencyCentre = 2 + s.bias(category) * 2.5;
      return {
        id: `n${i + 1}`,
        title,
        description,
        category,
        horizon: s.chance(0.55) ? ("short_term" as const) : ("medium_term" as const),
        urgency: s.rating(urgencyCentre),
        importance: s.rating(urgencyCentre + 0.7),
      };
    });
  },
});
