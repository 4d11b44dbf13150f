import * as z from "zod";
import {
  HORIZONS,
  type Horizon,
  NEED_DEFAULT_MAX_ENTRIES,
  NEED_DESCRIPTION_MAX_LENGTH,
  NEED_MAX_ENTRIES_LIMIT,
  NEED_TITLE_MAX_LENGTH,
  RATING_MAX,
  RATING_MIN,
} from "../constants";
import { checkMinMax, codedList, questionBase } from "../primitives";
import {
  answerRow,
  defineQuestionType,
  fieldName,
  firstValue,
  type FormGetAll,
  isPlainObject,
  mergeFields,
  parseNumberField,
  scalarField,
} from "../question-type";
import { ratingPoint } from "./scale";
import { codeOf } from "./single-choice";

export const needListSchema = questionBase
  .extend({
    type: z.literal("need_list"),
    categories: codedList("category", 1),
    minEntries: z.int().min(0).max(NEED_MAX_ENTRIES_LIMIT).default(0),
    maxEntries: z.int().min(1).max(NEED_MAX_ENTRIES_LIMIT).default(NEED_DEFAULT_MAX_ENTRIES),
  })
  .superRefine((q, ctx) =>
    checkMinMax(ctx, q.minEntries, q.maxEntries, {
      minField: "minEntries",
      maxField: "maxEntries",
    }),
  );

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

const ENTRY_ID = /^[A-Za-z0-9_-]{1,40}$/;

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

export const needList = defineQuestionType({
  schema: needListSchema,
  aggregation: "needs",
  condition: null,
  answerSchema: (q, m): z.ZodType<NeedEntry[]> => {
    const rating = ratingPoint(RATING_MIN, RATING_MAX, m);
    const entry = z
      .strictObject(
        {
          id: z.string({ error: m.invalid }).regex(ENTRY_ID, m.invalid),
          title: z
            .string({ error: m.needTitle })
            .trim()
            .min(1, m.needTitle)
            .max(NEED_TITLE_MAX_LENGTH, m.tooLong(NEED_TITLE_MAX_LENGTH)),
          description: z
            .string({ error: m.invalid })
            .transform((value) => value.replace(/\r\n?/g, "\n").trim())
            .pipe(
              z.string().max(NEED_DESCRIPTION_MAX_LENGTH, m.tooLong(NEED_DESCRIPTION_MAX_LENGTH)),
            )
            .optional(),
          category: codeOf(
            q.categories.map((c) => c.code),
            m.needCategory,
          ),
          horizon: z.enum(HORIZONS, { error: m.needHorizon }),
          urgency: rating,
          importance: rating,
        },
        { error: m.invalid },
      )
      .transform(({ description, ...rest }): NeedEntry =>
        description ? { ...rest, description } : rest,
      );
    return z
      .array(entry, { error: m.invalid })
      .min(q.minEntries, m.addAtLeast(q.minEntries))
      .max(q.maxEntries, m.addAtMost(q.maxEntries))
      .superRefine((entries, ctx) => {
        const seen = new Set<string>();
        entries.forEach((e, index) => {
          if (seen.has(e.id))
            ctx.addIssue({ code: "custom", path: [index, "id"], message: m.invalid });
          seen.add(e.id);
        });
      });
  },
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
