import { type CategoryWithParent, type NeedTaxonomy, sharedCategoryOf } from "~/survey/taxonomy";
import { catalogs } from "~/i18n/catalog";
import { COUNTRY_GROUPS } from "~/survey/countries";
import { type DelphiItem, type DelphiReasonMode, delphiItems } from "~/survey/delphi";
import { HORIZONS } from "~/survey/constants";
import { SUPPORTED_LOCALES } from "~/survey/locale";
import { codebookScale } from "~/survey/question-type";
import {
  codebookRowsOf,
  exportColumnsOf,
  exportTableOf,
  type Question,
  type QuestionType,
} from "~/survey/registry";
import { allQuestions, type LocalizedText, type SurveyDefinition } from "~/survey/schema";
import { textLocales } from "~/survey/translations";
import { OTHER_ITEM } from "~/survey/types/multi-choice";

/**
 * What an export of one survey contains, worked out from the definitions of all its versions
 * (pure: no I/O). The files built from it are described in the README ("Exports").
 *
 * Columns of the wide data: the metadata block (METADATA_COLUMNS), then the columns of every
 * question (see app/survey/export.ts) in the order of the current version, then questions that
 * only older versions have. A question whose options (rows, items, statements, categories)
 * changed between versions is exported once with the union of its codes. A key that an older
 * version used for a question of another type gets columns of its own, named `<key>_v<N>`
 * (N: the newest version with that type), so that old answers keep their meaning.
 *
 * A survey with Delphi rounds (docs/decisions/037-delphi-rounds.md) has, after the questions,
 * the columns of each later round: per re-rated item `<item>__r<N>` (the rating) and, unless
 * the round asks no reasons, `<item>__r<N>_reason`; the long data gives each row its `round`.
 */

/** The metadata columns that start every row of the wide data. */
export const METADATA_COLUMNS = [
  "response_id",
  "survey_version",
  "locale",
  "submitted_at",
  "access",
  "country_group",
] as const;

/** Columns of the needs table, one row per need entry. */
export const NEEDS_COLUMNS = [
  "response_id",
  "working_group",
  "question_key",
  "need_id",
  "category",
  "shared_category",
  "horizon",
  "urgency",
  "importance",
  "title",
  "description",
  "themes",
] as const;

/**
 * Columns of the tags table, one row per theme tag on an answer: long-text answers (`text`),
 * "other, please specify" answers (`other`) and need entries (`need`, `item` = need_id). The
 * theme counts of the dashboard are the rows per theme (answers) and the distinct responses per
 * theme (respondents) of this table.
 */
export const TAGS_COLUMNS = ["response_id", "question_key", "answer_part", "item", "theme_id", "theme_name"] as const;

/** What part of a response a tagged answer is. */
export const ANSWER_PARTS = ["text", "other", "need"] as const;
export type AnswerPart = (typeof ANSWER_PARTS)[number];

/** A theme tag on an answer, as read for the tags table. */
export interface ExportTag {
  responseId: string;
  questionKey: string;
  /** Empty for a long-text answer, `_other` for an "other" answer, the need_id of a need entry. */
  item: string | null;
  themeId: number;
  themeName: string;
}

export function answerPart(plan: Pick<ExportPlan, "needQuestions">, tag: ExportTag): AnswerPart {
  if (plan.needQuestions.some((q) => q.key === tag.questionKey)) return "need";
  return tag.item === OTHER_ITEM ? "other" : "text";
}

export function tagCells(plan: Pick<ExportPlan, "needQuestions">, tag: ExportTag): Cell[] {
  return [tag.responseId, tag.questionKey, answerPart(plan, tag), tag.item, tag.themeId, tag.themeName];
}

/**
 * Columns of the long (tidy) data, one row per atomic answer; `round` is 1 for the
 * questionnaire's answers and N for a Delphi round's rating.
 */
export const LONG_COLUMNS = ["response_id", "question_key", "item", "value", "round"] as const;

/** Theme names of a need entry are joined with this in the CSV and XLSX needs tables. */
export const THEME_SEPARATOR = "; ";

/** Locales in which files can show labels instead of codes. */
export type LabelLocale = (typeof SUPPORTED_LOCALES)[number];

export interface ExportVersion {
  id: number;
  version: number;
  definition: SurveyDefinition;
}

export interface ExportSurveyInfo {
  id: number;
  slug: string;
  title: LocalizedText;
  workingGroup: string;
  currentVersionId: number | null;
}

export interface PlannedQuestion {
  /** The key its answers are stored under. */
  key: string;
  /** Column-name stem: the key, or `<key>_v<N>` (see above). */
  name: string;
  type: QuestionType;
  /** The exported definition: the newest one, with codes only older versions had added; key = name. */
  question: Question;
  /** Version numbers (ascending) in which the question appears with this type. */
  versions: number[];
  versionIds: ReadonlySet<number>;
  /** The definition in each of those versions, newest first (for the codebook). */
  variants: { version: number; question: Question }[];
  /** Its columns in the wide data (none for need lists). */
  columns: string[];
  /**
   * By version id, which of `columns` that version had, when it lacked some (an option added
   * later): the others stay empty for its responses rather than reading 0.
   */
  columnsInVersion: ReadonlyMap<number, boolean[]>;
}

/** A later Delphi round as stored: its number, version, items and whether it asks reasons. */
export interface ExportRoundInfo {
  round: number;
  versionId: number;
  items: readonly string[];
  reasons: DelphiReasonMode;
}

/** A later Delphi round of the export: its items in questionnaire order, and their columns. */
export interface PlannedRound {
  round: number;
  /** The version number of the round (the codebook's `versions`). */
  version: number;
  reasons: boolean;
  items: Array<{
    item: DelphiItem;
    /** `<item>__r<N>`: the rating. */
    column: string;
    /** `<item>__r<N>_reason`, or null when the round asks no reasons. */
    reasonColumn: string | null;
    /** The item in the long data: the item id after its question key (empty for a scale). */
    atom: string | null;
  }>;
}

/** The wide column of an item's rating in a later round. */
export function roundColumn(itemId: string, round: number): string {
  return `${itemId}__r${round}`;
}

export interface ExportPlan {
  survey: ExportSurveyInfo;
  /** The programme's need taxonomy: the shared category of each need entry. */
  taxonomy: NeedTaxonomy;
  /** The Delphi rounds after the questionnaire (2, 3, …), in order. */
  rounds: PlannedRound[];
  /** Oldest first. */
  versions: { id: number; version: number }[];
  versionNumbers: ReadonlyMap<number, number>;
  questions: PlannedQuestion[];
  /** The need-list questions, whose entries make the needs table. */
  needQuestions: PlannedQuestion[];
  /** Header of the wide data. */
  wideColumns: string[];
  /** Locales of the labels in the codebook: en, ru and any other locale the definitions use. */
  locales: string[];
}

const CODED_LISTS = ["options", "rows", "items", "statements", "categories"] as const;
type CodedListField = (typeof CODED_LISTS)[number];
type CodedEntry = { code: string; label: LocalizedText };

function codedList(question: Question, field: CodedListField): CodedEntry[] | undefined {
  const list = (question as unknown as Record<string, unknown>)[field];
  return Array.isArray(list) ? (list as CodedEntry[]) : undefined;
}

/** `newer` with the coded entries only `older` has appended to each of its lists. */
function mergeCodes(newer: Question, older: Question): Question {
  let merged = newer;
  for (const field of CODED_LISTS) {
    const mine = codedList(merged, field);
    const theirs = codedList(older, field);
    if (!mine || !theirs) continue;
    const missing = theirs.filter((entry) => !mine.some((m) => m.code === entry.code));
    if (missing.length > 0) merged = { ...merged, [field]: [...mine, ...missing] } as Question;
  }
  return merged;
}

function planRounds(versions: readonly ExportVersion[], rounds: readonly ExportRoundInfo[]): PlannedRound[] {
  return [...rounds]
    .sort((a, b) => a.round - b.round)
    .map((r) => {
      const version = versions.find((v) => v.id === r.versionId);
      const wanted = new Set(r.items);
      const items = version ? delphiItems(version.definition).filter((i) => wanted.has(i.id)) : [];
      const reasons = r.reasons !== "off";
      return {
        round: r.round,
        version: version?.version ?? 0,
        reasons,
        items: items.map((item) => ({
          item,
          column: roundColumn(item.id, r.round),
          reasonColumn: reasons ? `${roundColumn(item.id, r.round)}_reason` : null,
          atom: item.id === item.questionKey ? null : item.id.slice(item.questionKey.length + 1),
        })),
      };
    });
}

export function buildExportPlan(
  survey: ExportSurveyInfo,
  versions: readonly ExportVersion[],
  delphiRounds: readonly ExportRoundInfo[] = [],
  taxonomy: NeedTaxonomy = { categories: [] },
): ExportPlan {
  const byNumber = [...versions].sort((a, b) => b.version - a.version);
  const current = byNumber.find((v) => v.id === survey.currentVersionId);
  const order = current ? [current, ...byNumber.filter((v) => v !== current)] : byNumber;

  type Draft = Omit<PlannedQuestion, "versionIds" | "columns" | "versions" | "columnsInVersion"> & {
    versionIds: Set<number>;
    variantIds: Map<number, Question>;
  };
  const drafts: Draft[] = [];
  const locales = new Set<string>(SUPPORTED_LOCALES);
  for (const version of order) {
    for (const q of allQuestions(version.definition)) {
      for (const locale of textLocales(q.label)) locales.add(locale);
      const draft = drafts.find((d) => d.key === q.key && d.type === q.type);
      if (draft) {
        draft.question = mergeCodes(draft.question, q);
        draft.versionIds.add(version.id);
        draft.variants.push({ version: version.version, question: q });
        draft.variantIds.set(version.id, q);
        continue;
      }
      const taken = drafts.some((d) => d.key === q.key);
      const name = taken ? `${q.key}_v${version.version}` : q.key;
      drafts.push({
        key: q.key,
        name,
        type: q.type,
        question: { ...q, key: name },
        versionIds: new Set([version.id]),
        variants: [{ version: version.version, question: q }],
        variantIds: new Map([[version.id, q]]),
      });
    }
  }

  const versionNumbers = new Map(versions.map((v) => [v.id, v.version]));
  const questions: PlannedQuestion[] = drafts.map(({ variantIds, ...d }) => {
    const columns = exportColumnsOf(d.question);
    const columnsInVersion = new Map<number, boolean[]>();
    for (const [id, variant] of variantIds) {
      const own = new Set(exportColumnsOf({ ...variant, key: d.name }));
      if (columns.some((c) => !own.has(c))) columnsInVersion.set(id, columns.map((c) => own.has(c)));
    }
    return {
      ...d,
      versions: [...d.versionIds].map((id) => versionNumbers.get(id) ?? 0).sort((a, b) => a - b),
      columns,
      columnsInVersion,
    };
  });
  const rounds = planRounds(versions, delphiRounds);
  return {
    survey,
    rounds,
    versions: [...versions].sort((a, b) => a.version - b.version).map((v) => ({ id: v.id, version: v.version })),
    versionNumbers,
    questions,
    taxonomy,
    needQuestions: questions.filter((q) => exportTableOf(q) === "needs"),
    wideColumns: [
      ...METADATA_COLUMNS,
      ...questions.flatMap((q) => q.columns),
      ...rounds.flatMap((r) =>
        r.items.flatMap((i) => (i.reasonColumn ? [i.column, i.reasonColumn] : [i.column])),
      ),
    ],
    locales: [...locales],
  };
}

/**
 * The shared category (taxonomy.ts) of each category of a need question, as its merged definition
 * declares it (the current version first, as the dashboards merge versions); a category in no
 * shared category is absent.
 */
export function sharedCategoryCodes(pq: PlannedQuestion, taxonomy: NeedTaxonomy): Map<string, string> {
  const out = new Map<string, string>();
  for (const category of (codedList(pq.question, "categories") ?? []) as CategoryWithParent[]) {
    const shared = sharedCategoryOf(category, taxonomy);
    if (shared !== null) out.set(category.code, shared);
  }
  return out;
}

/** A cell of the export files. */
export type Cell = string | number | null;

// ---------------------------------------------------------------------------------------------
// The codebook

export type CodebookTable = "data" | "needs" | "long" | "tags";

export interface CodebookRow {
  /** The file the column belongs to: data (wide), needs, long or tags. */
  table: CodebookTable;
  column: string;
  questionKey: string | null;
  /** The question type, or `metadata` for the columns that are not answers. */
  type: string;
  label: Record<string, string>;
  /** For a column (or value) of one option, row, item or statement: its code and label. */
  item: string | null;
  itemLabel: Record<string, string> | null;
  /** For a row that explains one code of the column's values: the code and its label. */
  code: string | null;
  codeLabel: Record<string, string> | null;
  /** What the values are (in English). */
  values: string;
  /** Versions of the questionnaire in which the column (or code) exists. */
  versions: number[];
}

/** Header of the codebook CSV for the plan's locales. */
export function codebookColumns(plan: ExportPlan): string[] {
  const per = (prefix: string) => plan.locales.map((l) => `${prefix}_${l}`);
  return [
    "table",
    "column",
    "question_key",
    "type",
    ...per("label"),
    "item",
    ...per("item_label"),
    "code",
    ...per("code_label"),
    "values",
    "versions",
  ];
}

export function codebookCells(plan: ExportPlan, row: CodebookRow): Cell[] {
  const texts = (text: Record<string, string> | null) =>
    plan.locales.map((l) => (text ? (text[l] ?? text.en ?? null) : null));
  return [
    row.table,
    row.column,
    row.questionKey,
    row.type,
    ...texts(row.label),
    row.item,
    ...texts(row.itemLabel),
    row.code,
    ...texts(row.codeLabel),
    row.values,
    row.versions.join(";"),
  ];
}

type FileTexts = (typeof catalogs)["en"]["exports"]["file"];

/** The catalog key of a code: `other` is spelt `others` there (a key `other` marks a plural). */
export function catalogCode(code: string): string {
  return code === "other" ? "others" : code;
}

/** A text of the exports catalog in every supported locale. */
function catalogText(pick: (file: FileTexts) => string): Record<string, string> {
  return Object.fromEntries(SUPPORTED_LOCALES.map((l) => [l, pick(catalogs[l].exports.file)]));
}


/** Every column of the data, needs and long tables, with its labels, values and codes. */
export function codebookRows(plan: ExportPlan): CodebookRow[] {
  const allVersions = plan.versions.map((v) => v.version);
  const rows: CodebookRow[] = [];
  const column = (
    table: CodebookTable,
    name: string,
    values: string,
    extra: Partial<CodebookRow> = {},
  ): CodebookRow => ({
    table,
    column: name,
    questionKey: null,
    type: "metadata",
    label: catalogText((f) => (f.columns as Record<string, string>)[name] ?? name),
    item: null,
    itemLabel: null,
    code: null,
    codeLabel: null,
    values,
    versions: allVersions,
    ...extra,
  });
  const codes = (table: CodebookTable, name: string, group: "access" | "country_group" | "locale" | "horizon" | "answer_part", list: readonly string[]) => {
    for (const code of list) {
      rows.push(
        column(table, name, "", {
          code,
          codeLabel: catalogText((f) => (f.codes[group] as Record<string, string>)[catalogCode(code)]),
        }),
      );
    }
  };

  rows.push(column("data", "response_id", "UUID; the same id in the needs and long tables"));
  rows.push(column("data", "survey_version", `integer: version number (${allVersions.join(", ")})`));
  rows.push(column("data", "locale", "code"));
  codes("data", "locale", "locale", SUPPORTED_LOCALES);
  rows.push(column("data", "submitted_at", "date and time, ISO 8601 in UTC: YYYY-MM-DDTHH:MM:SSZ"));
  rows.push(column("data", "access", "code"));
  codes("data", "access", "access", ["invited", "anonymous"]);
  rows.push(column("data", "country_group", "code, from the country of the organisation; empty = not stated"));
  codes("data", "country_group", "country_group", COUNTRY_GROUPS);

  for (const pq of plan.questions) rows.push(...questionRows(pq));
  for (const round of plan.rounds) rows.push(...roundRows(plan, round));

  rows.push(column("needs", "response_id", "UUID of the response (column response_id of the data)"));
  rows.push(column("needs", "working_group", `code of the working group: ${plan.survey.workingGroup}`));
  rows.push(column("needs", "question_key", "key of the need-list question"));
  for (const pq of plan.needQuestions) {
    rows.push(
      column("needs", "question_key", "", {
        questionKey: pq.key,
        type: pq.type,
        code: pq.name,
        codeLabel: { ...pq.question.label },
        versions: pq.versions,
      }),
    );
  }
  rows.push(column("needs", "need_id", "text, unique within its response"));
  rows.push(column("needs", "category", "code (labels with the labels option)"));
  for (const pq of plan.needQuestions) {
    for (const category of codedList(pq.question, "categories") ?? []) {
      rows.push(
        column("needs", "category", "", {
          questionKey: pq.key,
          type: pq.type,
          code: category.code,
          codeLabel: { ...category.label },
          versions: versionsWith(pq, "categories", category.code),
        }),
      );
    }
  }
  rows.push(
    column(
      "needs",
      "shared_category",
      "code of the programme's shared need category that the category belongs to (labels with the labels option); empty = none",
    ),
  );
  for (const shared of plan.taxonomy.categories) {
    rows.push(column("needs", "shared_category", "", { code: shared.code, codeLabel: { ...shared.label } }));
  }
  rows.push(column("needs", "horizon", "code (labels with the labels option)"));
  codes("needs", "horizon", "horizon", HORIZONS);
  rows.push(column("needs", "urgency", "integer from 1 (lowest) to 5 (highest)"));
  rows.push(column("needs", "importance", "integer from 1 (lowest) to 5 (highest)"));
  rows.push(column("needs", "title", "text"));
  rows.push(column("needs", "description", "text, may contain line breaks; empty = none given"));
  rows.push(column("needs", "themes", `theme names separated by "${THEME_SEPARATOR}"; empty = none`));

  rows.push(column("long", "response_id", "UUID of the response (column response_id of the data)"));
  rows.push(column("long", "question_key", "key of the question (column name, or its part before the first dot, in the data)"));
  rows.push(
    column("long", "item", "empty for single-valued questions; else option, row, item, `<statement>.importance|current` or `<need id>.<field>`: `<question_key>.<item>` is the column in the data"),
  );
  rows.push(column("long", "value", "the value as in the data; 1 for a chosen option (options not chosen have no row)"));
  rows.push(
    column("long", "round", "integer: 1 = the questionnaire; 2, 3, … = a Delphi round's rating of an item (item: the item's id after the question key, empty for a scale; the column `<question_key>.<item>__r<round>` in the data)"),
  );

  rows.push(column("tags", "response_id", "UUID of the response (column response_id of the data)"));
  rows.push(column("tags", "question_key", "key of the question whose answer is tagged"));
  rows.push(column("tags", "answer_part", "code: which answer of the response carries the theme"));
  codes("tags", "answer_part", "answer_part", ANSWER_PARTS);
  rows.push(
    column("tags", "item", `empty for a long-text answer; ${OTHER_ITEM} for an "other" answer; the need_id of a need entry (needs table)`),
  );
  rows.push(column("tags", "theme_id", "integer, the theme's stable identifier within the working group"));
  rows.push(column("tags", "theme_name", "text, the theme's name as the coordinators wrote it; one row per theme and answer"));
  return rows;
}

/** The codebook rows of a Delphi round's columns: per item its rating and its reason. */
function roundRows(plan: ExportPlan, round: PlannedRound): CodebookRow[] {
  const types = new Map(plan.questions.map((q) => [q.key, q.type] as const));
  const dimensionText: Record<string, string> = {
    importance: "importance",
    current: "current level",
    urgency: "urgency",
  };
  return round.items.flatMap(({ item, column, reasonColumn }) => {
    const what = [item.dimension ? dimensionText[item.dimension] : null, item.horizon]
      .filter(Boolean)
      .join(", ");
    const base = {
      table: "data" as const,
      questionKey: item.questionKey,
      type: types.get(item.questionKey) ?? item.kind,
      label: { ...item.question },
      item: item.id === item.questionKey ? null : item.id.slice(item.questionKey.length + 1),
      itemLabel: item.part ? { ...item.part.label } : null,
      code: null,
      codeLabel: null,
      versions: [round.version],
    };
    const rows: CodebookRow[] = [
      {
        ...base,
        column,
        values: `${codebookScale(item.min, item.max, item.minLabel ?? undefined, item.maxLabel ?? undefined)}: the rating in Delphi round ${round.round}${what ? ` (${what})` : ""}; empty = not rated in that round`,
      },
    ];
    if (reasonColumn) {
      rows.push({
        ...base,
        column: reasonColumn,
        values: `text: the reason given in Delphi round ${round.round} (asked for a rating outside the panel's interquartile range); empty = none given`,
      });
    }
    return rows;
  });
}

function versionsWith(pq: PlannedQuestion, field: CodedListField, code: string): number[] {
  return pq.variants
    .filter((v) => codedList(v.question, field)?.some((entry) => entry.code === code))
    .map((v) => v.version)
    .sort((a, b) => a - b);
}

function questionRows(pq: PlannedQuestion): CodebookRow[] {
  const q = pq.question;
  const base = {
    table: "data" as const,
    questionKey: pq.key,
    type: pq.type,
    label: { ...q.label },
    item: null,
    itemLabel: null,
    code: null,
    codeLabel: null,
    versions: pq.versions,
  };
  return codebookRowsOf<CodebookRow>(q, {
    column: (values) => ({ ...base, column: pq.name, values }),
    code: (list, entry) => ({
      ...base,
      column: pq.name,
      code: entry.code,
      codeLabel: { ...entry.label },
      values: "",
      versions: versionsWith(pq, list, entry.code),
    }),
    part: (list, entry, values, { part = entry.code, qualifier } = {}) => {
      const names = qualifier ? catalogText((f) => catalogPath(f, qualifier)) : null;
      return {
        ...base,
        column: `${pq.name}.${part}`,
        item: part,
        itemLabel: names
          ? Object.fromEntries(
              textLocales(entry.label).map((l) => [l, `${entry.label[l]} (${names[l] ?? names.en})`]),
            )
          : { ...entry.label },
        values,
        versions: versionsWith(pq, list, entry.code),
      };
    },
    other: (values) => ({
      ...base,
      column: `${pq.name}.other`,
      item: "other",
      itemLabel: catalogText((f) => f.otherOption),
      values,
    }),
  });
}

/** The text at a dotted path of the exports catalog's file texts (`borich.importance`). */
function catalogPath(file: FileTexts, dotted: string): string {
  let at: unknown = file;
  for (const part of dotted.split(".")) at = (at as Record<string, unknown>)[part];
  if (typeof at !== "string") throw new Error(`No exports.file text at ${dotted}`);
  return at;
}

