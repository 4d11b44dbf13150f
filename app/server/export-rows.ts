import { catalogs } from "~/i18n/catalog";
import {
  answerFromRows,
  type AnswerValue,
  exportAtomsOf,
  type ExportLabels,
  exportLabelOf,
  exportSlotsOf,
} from "~/survey/registry";
import { answerRow, type ExportSlot } from "~/survey/question-type";
import { type PackedValues, slotKey } from "~/survey/storage";
import type { NeedEntry } from "~/survey/types/need-list";
import { csvField } from "./spreadsheet.server";
import { type Cell, type ExportPlan, type LabelLocale, METADATA_COLUMNS, type PlannedQuestion, sharedCategoryCodes, THEME_SEPARATOR } from "./export-plan";

/**
 * The rows of the export files, written straight from the responses as they are read
 * (export-read.server.ts): one object of stored values per response (packed when it was
 * submitted), placed into the cells of the wide data in one pass over its keys, through a map of
 * slot key -> column compiled once per survey version from the plan and the question-type
 * registry's `exportSlots`. The wide, long and JSON rows are all written from those cells; no
 * answer value or row object is built for the wide, long and needs tables (the JSON file, whose
 * answers are values, builds them with the registry's `fromRows`), and the long CSV's lines are
 * built as text straight from the cells.
 */

/** A response as read for an export. */
export interface ReadResponse {
  id: string;
  versionId: number;
  locale: string;
  /** ISO 8601, UTC, whole seconds: 2026-03-01T09:30:00Z. */
  submittedAt: string;
  invited: boolean;
  countryGroup: string | null;
  /**
   * The value (number, text or option code) of each stored answer row but need entries, by
   * `slotKey` of the row, as packed when the response was submitted (packedValues): the JSON
   * text as read, parsed only when the response is written, so that the objects of a page read
   * ahead never outlive the writing of one response; null when the pass does not read them or
   * there are none.
   */
  values: string | null;
  /**
   * The need entries (of the filter's horizon), by need-list question key in the order of
   * their position, with the names of the themes tagged on each; null when not read.
   */
  needs: Array<[questionKey: string, entry: NeedEntry, themes: string[] | null]> | null;
  /**
   * The response's ratings in later Delphi rounds, by `<round>|<item id>`: [rating, reason];
   * null when the pass does not read them or there are none.
   */
  rounds?: Record<string, [number, string | null]> | null;
}

/** How one export column reads its cell in responses of one version. */
interface ColumnReader {
  /** The slot key of its value, or null when the version has no such column (always empty). */
  key: string | null;
  flag: boolean;
  /** Its item in the long table. */
  atom: string;
  /** Its slot (for the JSON file's answer rows). */
  slot: ExportSlot;
  /** Its position among the questions' columns of the wide data (after the metadata). */
  index: number;
}

/** How the columns of one question read their cells in responses of one version. */
interface QuestionReader {
  question: PlannedQuestion;
  /** False when the version does not have this question: every cell empty. */
  asked: boolean;
  columns: ColumnReader[];
  /** The slot keys of all its columns, when a column is a flag (to tell answered from not). */
  answeredBy: string[] | null;
  label: ((item: string, value: string, labels: ExportLabels) => string) | null;
}

export interface RowWriter {
  /** The wide data row of a response, matching `plan.wideColumns`; the array is reused. */
  wide(response: ReadResponse): Cell[];
  /** The lines of the long CSV (LONG_COLUMNS) of a response, each ended by CRLF. */
  long(response: ReadResponse): string;
  /** The needs table rows of a response (NEEDS_COLUMNS), handed to `emit` one at a time. */
  needs(response: ReadResponse, emit: (row: Cell[]) => void): void;
  /** A response as an object of the JSON export: metadata and answers by key (need lists aside). */
  json(response: ReadResponse): Record<string, unknown>;
  /** The need entries of a response as objects of the JSON export. */
  jsonNeeds(response: ReadResponse): Array<Record<string, unknown>>;
}

export function horizonLabel(horizon: string, locale: LabelLocale): string {
  const labels: Record<string, string> = catalogs[locale].exports.file.codes.horizon;
  return labels[horizon] ?? horizon;
}

function readersOf(plan: ExportPlan, versionId: number): QuestionReader[] {
  let index = 0;
  return plan.questions.map((question) => {
    const asked = question.versionIds.has(versionId);
    const present = question.columnsInVersion.get(versionId);
    const slots = exportSlotsOf(question.question);
    const columns = slots.map((slot, i) => ({
      key: asked && (!present || present[i]) ? slotKey(question.key, slot.item, slot.code) : null,
      flag: slot.flag,
      atom: slot.atom,
      slot,
      index: index++,
    }));
    const anyFlag = slots.some((slot) => slot.flag);
    return {
      question,
      asked,
      columns,
      answeredBy: anyFlag && asked ? slots.map((slot) => slotKey(question.key, slot.item, slot.code)) : null,
      label: exportLabelOf(question.question),
    };
  });
}

/**
 * A version's readers; where each stored row's value goes (slot key -> column, and for the rows
 * of a question with option columns, which such question they answer); the option columns of
 * each such question; and the columns whose codes are written as labels with the labels option.
 */
interface VersionReaders {
  readers: QuestionReader[];
  column: Map<string, number>;
  flag: boolean[];
  answers: Map<string, number>;
  optionColumns: number[][];
  labelled: Array<{ index: number; atom: string; label: NonNullable<QuestionReader["label"]> }>;
}

function compileVersion(plan: ExportPlan, versionId: number, width: number): VersionReaders {
  const readers = readersOf(plan, versionId);
  const column = new Map<string, number>();
  const flag = new Array<boolean>(width).fill(false);
  const answers = new Map<string, number>();
  const optionColumns: number[][] = [];
  for (const reader of readers) {
    for (const c of reader.columns) {
      if (c.key !== null) column.set(c.key, c.index);
      flag[c.index] = c.flag;
    }
    if (reader.answeredBy) {
      const n = optionColumns.length;
      for (const key of reader.answeredBy) answers.set(key, n);
      optionColumns.push(reader.columns.filter((c) => c.flag && c.key !== null).map((c) => c.index));
    }
  }
  return {
    readers,
    column,
    flag,
    answers,
    optionColumns,
    labelled: readers.flatMap((reader) => {
      const label = reader.label;
      if (!label) return [];
      return reader.columns.filter((c) => c.key !== null && !c.flag).map((c) => ({ index: c.index, atom: c.atom, label }));
    }),
  };
}

const NO_ROUNDS: Record<string, [number, string | null]> = {};

/** The writer of the rows of a plan's files, with labels in `labels` instead of codes if given. */
export function rowWriter(plan: ExportPlan, labels?: LabelLocale): RowWriter {
  const questionColumns = plan.questions.reduce((n, q) => n + q.columns.length, 0);
  const byVersion = new Map<number, VersionReaders>();
  const version = (versionId: number): VersionReaders => {
    let found = byVersion.get(versionId);
    if (!found) {
      found = compileVersion(plan, versionId, questionColumns);
      byVersion.set(versionId, found);
    }
    return found;
  };
  const readers = (versionId: number) => version(versionId).readers;
  // The cells of the questions' columns of the response last placed (reused): the stored value,
  // or for an option column 1 when its row is stored, 0 when another row of its question is.
  const cells: Cell[] = new Array<Cell>(questionColumns).fill(null);
  const answered: boolean[] = [];
  function cellsOf(response: ReadResponse): Cell[] {
    cells.fill(null);
    if (response.values === null) return cells;
    const values = JSON.parse(response.values) as PackedValues;
    const v = version(response.versionId);
    answered.length = 0;
    for (const key in values) {
      const at = v.column.get(key);
      if (at !== undefined) cells[at] = v.flag[at] ? 1 : values[key];
      const question = v.answers.get(key);
      if (question !== undefined) answered[question] = true;
    }
    for (let q = 0; q < v.optionColumns.length; q++) {
      if (answered[q] !== true) continue;
      for (const at of v.optionColumns[q]) if (cells[at] === null) cells[at] = 0;
    }
    return cells;
  }
  const labelContext: ExportLabels | null = labels
    ? { locale: labels, horizon: (code) => horizonLabel(code, labels) }
    : null;
  const sharedOf = new Map(
    plan.needQuestions.map((q) => [q.key, sharedCategoryCodes(q, plan.taxonomy)]),
  );
  const sharedLabel = (code: string | null) => {
    if (code === null || !labels) return code;
    const label = plan.taxonomy.categories.find((c) => c.code === code)?.label;
    return label ? (label[labels] ?? label.en) : code;
  };
  const wideRow: Cell[] = new Array<Cell>(plan.wideColumns.length).fill(null);
  // The fixed part of each long-table line of a column (`,<question>,<item>,`), by version and
  // column: each line is then the response id, this, the value and the round.
  const longPrefixes = new Map<number, Array<string | null>>();
  const longPrefix = (versionId: number) => {
    let list = longPrefixes.get(versionId);
    if (!list) {
      list = new Array<string | null>(questionColumns).fill(null);
      for (const reader of readers(versionId)) {
        if (!reader.asked) continue;
        for (const column of reader.columns) {
          if (column.key !== null) list[column.index] = `,${csvField(reader.question.name)},${csvField(column.atom)},`;
        }
      }
      longPrefixes.set(versionId, list);
    }
    return list;
  };

  function entriesOf(response: ReadResponse, question: PlannedQuestion) {
    const out: Array<[NeedEntry, string[] | null]> = [];
    if (!response.needs || !question.versionIds.has(response.versionId)) return out;
    for (const [key, entry, themes] of response.needs) if (key === question.key) out.push([entry, themes]);
    return out;
  }

  return {
    wide(response) {
      const row = wideRow;
      row[0] = response.id;
      row[1] = plan.versionNumbers.get(response.versionId) ?? null;
      row[2] = response.locale;
      row[3] = response.submittedAt;
      row[4] = response.invited ? "invited" : "anonymous";
      row[5] = response.countryGroup;
      let at = METADATA_COLUMNS.length;
      const rounds = response.rounds ?? NO_ROUNDS;
      const cells = cellsOf(response);
      for (let i = 0; i < questionColumns; i++) row[at + i] = cells[i];
      if (labelContext) {
        for (const { index, atom, label } of version(response.versionId).labelled) {
          const value = cells[index];
          if (typeof value === "string") row[at + index] = label(atom, value, labelContext);
        }
      }
      at += questionColumns;
      for (const round of plan.rounds) {
        for (const { item, reasonColumn } of round.items) {
          const rating = rounds[`${round.round}|${item.id}`];
          row[at++] = rating ? rating[0] : null;
          if (reasonColumn) row[at++] = rating ? rating[1] : null;
        }
      }
      return row;
    },

    long(response) {
      const cells = cellsOf(response);
      const id = csvField(response.id);
      const prefixes = longPrefix(response.versionId);
      let text = "";
      for (const reader of readers(response.versionId)) {
        if (!reader.asked) continue;
        if (reader.columns.length === 0) {
          const name = csvField(reader.question.name);
          for (const [entry] of entriesOf(response, reader.question)) {
            for (const [item, atom] of exportAtomsOf(reader.question.question, [entry])) {
              const cell = labelContext && reader.label && typeof atom === "string" ? reader.label(item, atom, labelContext) : atom;
              text += `${id},${name},${csvField(item)},${csvField(cell)},1\r\n`;
            }
          }
          continue;
        }
        for (const column of reader.columns) {
          const prefix = prefixes[column.index];
          if (prefix === null) continue;
          const value = cells[column.index];
          if (column.flag) {
            if (value === 1) text += `${id}${prefix}1,1\r\n`;
          } else if (value !== null) {
            const cell = labelContext && reader.label && typeof value === "string" ? reader.label(column.atom, value, labelContext) : value;
            text += `${id}${prefix}${csvField(cell)},1\r\n`;
          }
        }
      }
      const rounds = response.rounds ?? NO_ROUNDS;
      for (const round of plan.rounds) {
        for (const { item, atom } of round.items) {
          const rating = rounds[`${round.round}|${item.id}`];
          if (rating) text += `${id},${csvField(item.questionKey)},${csvField(atom)},${csvField(rating[0])},${round.round}\r\n`;
        }
      }
      return text;
    },

    needs(response, emit) {
      for (const question of plan.needQuestions) {
        const label = exportLabelOf(question.question);
        for (const [entry, themes] of entriesOf(response, question)) {
          const text = (item: string, value: string) =>
            labelContext && label ? label(`${entry.id}.${item}`, value, labelContext) : value;
          emit([
            response.id,
            plan.survey.workingGroup,
            question.name,
            entry.id,
            text("category", entry.category),
            sharedLabel(sharedOf.get(question.key)?.get(entry.category) ?? null),
            text("horizon", entry.horizon),
            entry.urgency,
            entry.importance,
            entry.title,
            entry.description ?? null,
            themes && themes.length > 0 ? themes.join(THEME_SEPARATOR) : null,
          ]);
        }
      }
    },

    json(response) {
      const answers: Record<string, AnswerValue> = {};
      const cells = cellsOf(response);
      for (const reader of readers(response.versionId)) {
        if (!reader.asked || reader.columns.length === 0) continue;
        const rows = [];
        for (const { slot, index, flag } of reader.columns) {
          const cell = cells[index];
          // An option column holds 1 for its stored row, whose value is its option code.
          const value = flag ? (cell === 1 ? slot.code : null) : cell;
          if (value === null) continue;
          const text = typeof value === "string" ? value : null;
          rows.push(
            answerRow({
              item: slot.item,
              optionCode: slot.code ?? (slot.item === null ? text : null),
              valueNum: typeof value === "number" ? value : null,
              valueText: text,
            }),
          );
        }
        const value = rows.length > 0 ? answerFromRows(reader.question.question, rows) : undefined;
        if (value !== undefined) answers[reader.question.name] = value;
      }
      const rounds = response.rounds ?? NO_ROUNDS;
      const delphi: Array<{
        round: number;
        ratings: Record<string, number>;
        reasons: Record<string, string>;
      }> = [];
      for (const round of plan.rounds) {
        const ratings: Record<string, number> = {};
        const reasons: Record<string, string> = {};
        for (const { item } of round.items) {
          const rating = rounds[`${round.round}|${item.id}`];
          if (!rating) continue;
          ratings[item.id] = rating[0];
          if (rating[1] !== null) reasons[item.id] = rating[1];
        }
        if (Object.keys(ratings).length > 0) delphi.push({ round: round.round, ratings, reasons });
      }
      return {
        response_id: response.id,
        survey_version: plan.versionNumbers.get(response.versionId) ?? null,
        locale: response.locale,
        submitted_at: response.submittedAt,
        access: response.invited ? "invited" : "anonymous",
        country_group: response.countryGroup,
        answers,
        ...(plan.rounds.length > 0 ? { rounds: delphi } : {}),
      };
    },

    jsonNeeds(response) {
      const out: Array<Record<string, unknown>> = [];
      for (const question of plan.needQuestions) {
        for (const [entry, themes] of entriesOf(response, question)) {
          out.push({
            response_id: response.id,
            working_group: plan.survey.workingGroup,
            question_key: question.name,
            need_id: entry.id,
            category: entry.category,
            shared_category: sharedOf.get(question.key)?.get(entry.category) ?? null,
            horizon: entry.horizon,
            urgency: entry.urgency,
            importance: entry.importance,
            title: entry.title,
            description: entry.description ?? null,
            themes: themes ?? [],
          });
        }
      }
      return out;
    },
  };
}
