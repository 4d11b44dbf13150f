import { catalogs } from "~/i18n/catalog";
import {
  answerFromRows,
  type AnswerValue,
  exportAtomsOf,
  type ExportLabels,
  exportLabelOf,
  exportSlotsOf,
} from "~/survey/registry";
import { answerRow } from "~/survey/question-type";
import type { NeedEntry } from "~/survey/types/need-list";
import { type Cell, type ExportPlan, type LabelLocale, METADATA_COLUMNS, type PlannedQuestion, sharedCategoryCodes, THEME_SEPARATOR } from "./export-plan";

/**
 * The rows of the export files, written straight from the responses as they are read
 * (export-read.server.ts): one object of stored values per response, looked up column by
 * column through a reader compiled once per survey version from the plan and the question-type
 * registry's `exportSlots`. No answer value or row object is built for the wide, long and needs
 * tables (the JSON file, whose answers are values, builds them with the registry's `fromRows`).
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
   * `slotKey` of the row; null when the pass does not read them or there are none.
   */
  values: Record<string, string | number> | null;
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

/**
 * The key of a stored answer row in `ReadResponse.values`: question key, item and, for a row
 * with an item, its option code, joined with `|` (which keys and codes never contain). The
 * reading query builds the same key (export-read.server.ts, `answerValues`).
 */
export function slotKey(questionKey: string, item: string | null, code: string | null): string {
  if (item === null) return questionKey;
  return code === null ? `${questionKey}|${item}` : `${questionKey}|${item}|${code}`;
}

/** How one export column reads its cell in responses of one version. */
interface ColumnReader {
  /** The slot key of its value, or null when the version has no such column (always empty). */
  key: string | null;
  flag: boolean;
  /** Its item in the long table. */
  atom: string;
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
  /** The long data rows of a response (LONG_COLUMNS), handed to `emit` one at a time. */
  long(response: ReadResponse, emit: (row: Cell[]) => void): void;
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
  return plan.questions.map((question) => {
    const asked = question.versionIds.has(versionId);
    const present = question.columnsInVersion.get(versionId);
    const slots = exportSlotsOf(question.question);
    const columns = slots.map((slot, i) => ({
      key: asked && (!present || present[i]) ? slotKey(question.key, slot.item, slot.code) : null,
      flag: slot.flag,
      atom: slot.atom,
    }));
    const anyFlag = slots.some((slot) => slot.flag);
    return {
      question,
      asked,
      columns,
      answeredBy: anyFlag ? slots.map((slot) => slotKey(question.key, slot.item, slot.code)) : null,
      label: exportLabelOf(question.question),
    };
  });
}

function answered(values: Record<string, string | number>, keys: readonly string[]): boolean {
  for (const key of keys) if (values[key] !== undefined) return true;
  return false;
}

const NO_VALUES: Record<string, string | number> = {};
const NO_ROUNDS: Record<string, [number, string | null]> = {};

/** The writer of the rows of a plan's files, with labels in `labels` instead of codes if given. */
export function rowWriter(plan: ExportPlan, labels?: LabelLocale): RowWriter {
  const byVersion = new Map<number, QuestionReader[]>();
  const readers = (versionId: number) => {
    let list = byVersion.get(versionId);
    if (!list) {
      list = readersOf(plan, versionId);
      byVersion.set(versionId, list);
    }
    return list;
  };
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
      const values = response.values ?? NO_VALUES;
      const rounds = response.rounds ?? NO_ROUNDS;
      for (const reader of readers(response.versionId)) {
        const columns = reader.columns;
        if (columns.length === 0) continue;
        const isAnswered = reader.answeredBy !== null && reader.asked ? answered(values, reader.answeredBy) : false;
        for (let i = 0; i < columns.length; i++) {
          const column = columns[i];
          let cell: Cell = null;
          if (column.key !== null) {
            const value = values[column.key];
            if (column.flag) cell = value !== undefined ? 1 : isAnswered ? 0 : null;
            else if (value !== undefined) {
              cell = labelContext && reader.label && typeof value === "string" ? reader.label(column.atom, value, labelContext) : value;
            }
          }
          row[at++] = cell;
        }
      }
      for (const round of plan.rounds) {
        for (const { item, reasonColumn } of round.items) {
          const rating = rounds[`${round.round}|${item.id}`];
          row[at++] = rating ? rating[0] : null;
          if (reasonColumn) row[at++] = rating ? rating[1] : null;
        }
      }
      return row;
    },

    long(response, emit) {
      const values = response.values ?? NO_VALUES;
      for (const reader of readers(response.versionId)) {
        if (!reader.asked) continue;
        const name = reader.question.name;
        if (reader.columns.length === 0) {
          for (const [entry] of entriesOf(response, reader.question)) {
            for (const [item, atom] of exportAtomsOf(reader.question.question, [entry])) {
              const cell = labelContext && reader.label && typeof atom === "string" ? reader.label(item, atom, labelContext) : atom;
              emit([response.id, name, item, cell, 1]);
            }
          }
          continue;
        }
        for (const column of reader.columns) {
          if (column.key === null) continue;
          const value = values[column.key];
          if (value === undefined) continue;
          if (column.flag) emit([response.id, name, column.atom, 1, 1]);
          else {
            const cell = labelContext && reader.label && typeof value === "string" ? reader.label(column.atom, value, labelContext) : value;
            emit([response.id, name, column.atom, cell, 1]);
          }
        }
      }
      const rounds = response.rounds ?? NO_ROUNDS;
      for (const round of plan.rounds) {
        for (const { item, atom } of round.items) {
          const rating = rounds[`${round.round}|${item.id}`];
          if (rating) emit([response.id, item.questionKey, atom, rating[0], round.round]);
        }
      }
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
      const values = response.values ?? NO_VALUES;
      for (const reader of readers(response.versionId)) {
        if (!reader.asked || reader.columns.length === 0) continue;
        const slots = exportSlotsOf(reader.question.question);
        const rows = [];
        for (const slot of slots) {
          const value = values[slotKey(reader.question.key, slot.item, slot.code)];
          if (value === undefined) continue;
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
