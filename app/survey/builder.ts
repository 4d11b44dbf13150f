import type { CodedListKind, Condition } from "./primitives";
import { QUESTION_TYPES, type QuestionType, questionTypes } from "./question-types";
import { markTextReviewed, textLocales } from "./translations";

/**
 * The survey builder's model: the survey file as plain data (what the YAML holds, includes
 * and all), the operations of the builder's buttons, and the reading of its form fields.
 * Every field the builder does not show is kept as it is, and a field whose value the form
 * leaves unchanged is not rewritten, so that opening a survey and saving it unchanged gives
 * the same definition. Pure: the builder page and the server both use it.
 */

export type Data = Record<string, unknown>;
export type SurveyData = Data & { pages: Data[] };
export type FormRead = (name: string) => string | null;
export type FormReadAll = (name: string) => string[];

/** Where a question is: page index and question index within the page. */
export interface QuestionAt {
  page: number;
  question: number;
}

export type FieldSpec =
  | { kind: "text"; name: string; optional: boolean }
  | { kind: "int" | "number"; name: string }
  | { kind: "bool"; name: string }
  | { kind: "enum"; name: string; values: readonly string[] }
  | { kind: "date"; name: string }
  | { kind: "list"; name: string; entry: CodedListKind; min: number };

/** The fields the builder shows for a question of each type, after the common ones. */
export const TYPE_FIELDS: Record<QuestionType, readonly FieldSpec[]> = {
  single_choice: [
    { kind: "list", name: "options", entry: "option", min: 2 },
    { kind: "enum", name: "display", values: ["radio", "select"] },
  ],
  multi_choice: [
    { kind: "list", name: "options", entry: "option", min: 1 },
    { kind: "bool", name: "other" },
    { kind: "int", name: "minSelections" },
    { kind: "int", name: "maxSelections" },
  ],
  scale: [
    { kind: "int", name: "min" },
    { kind: "int", name: "max" },
    { kind: "text", name: "minLabel", optional: true },
    { kind: "text", name: "maxLabel", optional: true },
  ],
  matrix: [
    { kind: "list", name: "rows", entry: "row", min: 2 },
    { kind: "int", name: "scale.min" },
    { kind: "int", name: "scale.max" },
    { kind: "text", name: "scale.minLabel", optional: true },
    { kind: "text", name: "scale.maxLabel", optional: true },
  ],
  ranking: [{ kind: "list", name: "items", entry: "item", min: 2 }],
  number: [
    { kind: "number", name: "min" },
    { kind: "number", name: "max" },
    { kind: "bool", name: "integer" },
    { kind: "text", name: "unit", optional: true },
  ],
  text: [{ kind: "int", name: "maxLength" }],
  long_text: [{ kind: "int", name: "maxLength" }],
  date: [
    { kind: "date", name: "min" },
    { kind: "date", name: "max" },
  ],
  country: [],
  need_list: [
    { kind: "list", name: "categories", entry: "category", min: 1 },
    { kind: "int", name: "minEntries" },
    { kind: "int", name: "maxEntries" },
  ],
  borich: [{ kind: "list", name: "statements", entry: "statement", min: 2 }],
};

export const BUILDER_TYPES: readonly QuestionType[] = QUESTION_TYPES;

// ---------------------------------------------------------------------------------------------
// Reading and writing nested fields

function isData(value: unknown): value is Data {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function getAt(data: Data, name: string): unknown {
  let value: unknown = data;
  for (const part of name.split(".")) {
    if (!isData(value)) return undefined;
    value = value[part];
  }
  return value;
}

/** Sets (or, with `undefined`, removes) a nested field; an emptied parent object is removed. */
export function setAt(data: Data, name: string, value: unknown): void {
  const parts = name.split(".");
  const last = parts.pop() as string;
  let target: Data = data;
  const chain: Array<[Data, string]> = [];
  for (const part of parts) {
    if (!isData(target[part])) {
      if (value === undefined) return;
      target[part] = {};
    }
    chain.push([target, part]);
    target = target[part] as Data;
  }
  if (value === undefined) delete target[last];
  else target[last] = value;
  for (const [parent, part] of chain.reverse()) {
    const child = parent[part];
    if (isData(child) && Object.keys(child).length === 0) delete parent[part];
  }
}

// ---------------------------------------------------------------------------------------------
// Blocks and the order of questions

export interface BlockPage {
  key: string;
  title: Record<string, string>;
  questions: Data[];
}

export interface ExpandedPage {
  index: number;
  block: string | null;
  key: string;
  questions: Data[];
}

/** The survey's pages in order with included blocks replaced by their pages (when known). */
export function expandedPages(
  survey: SurveyData,
  blocks: Readonly<Record<string, BlockPage>>,
): ExpandedPage[] {
  return survey.pages.flatMap((page, index): ExpandedPage[] => {
    if (typeof page.include === "string") {
      const block = blocks[page.include];
      return block
        ? [{ index, block: page.include, key: block.key, questions: block.questions }]
        : [];
    }
    return [
      {
        index,
        block: null,
        key: String(page.key ?? ""),
        questions: Array.isArray(page.questions) ? (page.questions as Data[]) : [],
      },
    ];
  });
}

/** Every question key of the survey, blocks included. */
export function questionKeys(
  survey: SurveyData,
  blocks: Readonly<Record<string, BlockPage>>,
): Set<string> {
  return new Set(
    expandedPages(survey, blocks).flatMap((p) => p.questions.map((q) => String(q.key ?? ""))),
  );
}

/** The questions before `at` (blocks included), which a condition of the question may use. */
export function earlierQuestions(
  survey: SurveyData,
  blocks: Readonly<Record<string, BlockPage>>,
  at: QuestionAt,
): Data[] {
  const found: Data[] = [];
  for (const page of expandedPages(survey, blocks)) {
    for (const [i, q] of page.questions.entries()) {
      if (page.block === null && page.index === at.page && i === at.question) return found;
      found.push(q);
    }
  }
  return found;
}

/** The codes a condition on `question` compares with, or null for numbers (or none). */
export function conditionCodes(question: Data): string[] | null {
  const type = question.type;
  if (type === "single_choice" || type === "multi_choice")
    return Array.isArray(question.options)
      ? (question.options as Data[]).map((o) => String(o.code ?? ""))
      : [];
  if (type === "country") return null;
  return null;
}

/** Whether a condition may compare the answer to `question` with values (not only "answered"). */
export function conditionOperand(question: Data): "code" | "number" | "country" | null {
  const type = question.type as QuestionType;
  if (type === "country") return "country";
  const support = (
    questionTypes[type] as { condition: { operand: "code" | "number" } | null } | undefined
  )?.condition;
  return support ? support.operand : null;
}

// ---------------------------------------------------------------------------------------------
// New pages and questions

const NEW_QUESTION = { en: "New question", ru: "Новый вопрос" };
const NEW_PAGE = { en: "New page", ru: "Новая страница" };
const ENTRY_NAMES: Record<CodedListKind, { en: string; ru: string }> = {
  option: { en: "Option", ru: "Вариант" },
  row: { en: "Row", ru: "Строка" },
  item: { en: "Item", ru: "Пункт" },
  statement: { en: "Statement", ru: "Утверждение" },
  category: { en: "Category", ru: "Категория" },
};

function uniqueName(prefix: string, taken: ReadonlySet<string>): string {
  for (let n = 1; ; n++) if (!taken.has(`${prefix}_${n}`)) return `${prefix}_${n}`;
}

function newEntry(kind: CodedListKind, taken: ReadonlySet<string>): Data {
  const code = uniqueName(kind, taken);
  const n = code.slice(kind.length + 1);
  return {
    code,
    label: { en: `${ENTRY_NAMES[kind].en} ${n}`, ru: `${ENTRY_NAMES[kind].ru} ${n}` },
  };
}

/** A new question of a type, valid as it is, with a key not used in the survey. */
export function newQuestion(type: QuestionType, taken: ReadonlySet<string>): Data {
  const question: Data = { key: uniqueName(type, taken), type, label: { ...NEW_QUESTION } };
  for (const spec of TYPE_FIELDS[type]) {
    if (spec.kind !== "list") continue;
    const list: Data[] = [];
    const codes = new Set<string>();
    for (let i = 0; i < spec.min; i++) {
      const entry = newEntry(spec.entry, codes);
      codes.add(String(entry.code));
      list.push(entry);
    }
    question[spec.name] = list;
  }
  return question;
}

// ---------------------------------------------------------------------------------------------
// The buttons

export type BuilderIntent =
  | { op: "edit"; at: QuestionAt }
  | { op: "close" }
  | { op: "refresh" }
  | { op: "save" }
  | { op: "addQuestion"; page: number; type: QuestionType }
  | { op: "moveQuestion"; at: QuestionAt; by: -1 | 1 }
  | { op: "duplicateQuestion"; at: QuestionAt }
  | { op: "deleteQuestion"; at: QuestionAt }
  | { op: "addPage" }
  | { op: "movePage"; page: number; by: -1 | 1 }
  | { op: "deletePage"; page: number }
  | { op: "addEntry"; list: string }
  | { op: "moveEntry"; list: string; index: number; by: -1 | 1 }
  | { op: "deleteEntry"; list: string; index: number };

const INT = /^\d{1,4}$/;
const LIST_NAME = /^[a-zA-Z.]{1,40}$/;

/** The button pressed, from its `intent` value (`moveQuestion:2:3:-1`); null if malformed. */
export function parseIntent(value: string, addType: string | null): BuilderIntent | null {
  const [op, ...args] = value.split(":");
  const n = (i: number) => (INT.test(args[i] ?? "") ? Number(args[i]) : null);
  const by = (i: number) => (args[i] === "-1" ? -1 : args[i] === "1" ? 1 : null);
  const at = (): QuestionAt | null =>
    n(0) !== null && n(1) !== null ? { page: n(0) as number, question: n(1) as number } : null;
  switch (op) {
    case "close":
    case "refresh":
    case "save":
    case "addPage":
      return args.length === 0 ? { op } : null;
    case "conditionAnswers":
      return args.length === 0 ? { op: "refresh" } : null;
    case "edit":
    case "duplicateQuestion":
    case "deleteQuestion": {
      const where = at();
      return where ? { op, at: where } : null;
    }
    case "moveQuestion": {
      const where = at();
      const step = by(2);
      return where && step ? { op, at: where, by: step } : null;
    }
    case "addQuestion": {
      const page = n(0);
      return page !== null && addType && (BUILDER_TYPES as readonly string[]).includes(addType)
        ? { op, page, type: addType as QuestionType }
        : null;
    }
    case "movePage": {
      const page = n(0);
      const step = by(1);
      return page !== null && step ? { op, page, by: step } : null;
    }
    case "deletePage": {
      const page = n(0);
      return page !== null ? { op, page } : null;
    }
    case "addEntry":
      return LIST_NAME.test(args[0] ?? "") ? { op, list: args[0] } : null;
    case "moveEntry":
    case "deleteEntry": {
      const index = n(1);
      if (!LIST_NAME.test(args[0] ?? "") || index === null) return null;
      if (op === "deleteEntry") return { op, list: args[0], index };
      const step = by(2);
      return step ? { op, list: args[0], index, by: step } : null;
    }
    default:
      return null;
  }
}

export interface BuilderState {
  survey: SurveyData;
  /** The question whose editor is open. */
  open: QuestionAt | null;
}

function questionsOf(page: Data | undefined): Data[] | null {
  return page && Array.isArray(page.questions) ? (page.questions as Data[]) : null;
}

export function questionAt(survey: SurveyData, at: QuestionAt | null): Data | null {
  if (!at) return null;
  return questionsOf(survey.pages[at.page])?.[at.question] ?? null;
}

/**
 * Applies a button to the state (a copy: the argument is not changed). A button that refers
 * to what no longer exists (a stale form) changes nothing.
 */
export function applyIntent(
  state: BuilderState,
  intent: BuilderIntent,
  blocks: Readonly<Record<string, BlockPage>>,
): BuilderState {
  const survey = structuredClone(state.survey);
  let open = state.open;
  const pages = survey.pages;
  switch (intent.op) {
    case "edit":
      return questionAt(survey, intent.at) ? { survey, open: intent.at } : { survey, open };
    case "close":
      return { survey, open: null };
    case "refresh":
    case "save":
      return { survey, open };
    case "addQuestion": {
      const questions = questionsOf(pages[intent.page]);
      if (!questions) return { survey, open };
      questions.push(newQuestion(intent.type, questionKeys(survey, blocks)));
      return { survey, open: { page: intent.page, question: questions.length - 1 } };
    }
    case "moveQuestion": {
      const questions = questionsOf(pages[intent.at.page]);
      const question = questions?.[intent.at.question];
      if (!questions || !question) return { survey, open };
      const target = intent.at.question + intent.by;
      if (target >= 0 && target < questions.length) {
        questions.splice(intent.at.question, 1);
        questions.splice(target, 0, question);
        return {
          survey,
          open: open && sameAt(open, intent.at) ? { ...intent.at, question: target } : open,
        };
      }
      // Past the first or last question: to the end of the previous page or the start of the next.
      let other = intent.at.page + intent.by;
      while (other >= 0 && other < pages.length && !questionsOf(pages[other])) other += intent.by;
      const into = questionsOf(pages[other]);
      if (!into || questions.length === 1) return { survey, open };
      questions.splice(intent.at.question, 1);
      if (intent.by < 0) into.push(question);
      else into.unshift(question);
      const moved = { page: other, question: intent.by < 0 ? into.length - 1 : 0 };
      return { survey, open: open && sameAt(open, intent.at) ? moved : null };
    }
    case "duplicateQuestion": {
      const questions = questionsOf(pages[intent.at.page]);
      const question = questions?.[intent.at.question];
      if (!questions || !question) return { survey, open };
      const copy = structuredClone(question);
      copy.key = uniqueName(String(question.key), questionKeys(survey, blocks));
      questions.splice(intent.at.question + 1, 0, copy);
      return { survey, open: { page: intent.at.page, question: intent.at.question + 1 } };
    }
    case "deleteQuestion": {
      const questions = questionsOf(pages[intent.at.page]);
      if (!questions?.[intent.at.question]) return { survey, open };
      questions.splice(intent.at.question, 1);
      return { survey, open: null };
    }
    case "addPage": {
      const taken = new Set(expandedPages(survey, blocks).map((p) => p.key));
      const key = uniqueName("page", taken);
      pages.push({
        key,
        title: { ...NEW_PAGE },
        questions: [newQuestion("text", questionKeys(survey, blocks))],
      });
      return { survey, open: { page: pages.length - 1, question: 0 } };
    }
    case "movePage": {
      const target = intent.page + intent.by;
      if (!pages[intent.page] || target < 0 || target >= pages.length) return { survey, open };
      const [page] = pages.splice(intent.page, 1);
      pages.splice(target, 0, page);
      if (open?.page === intent.page) open = { ...open, page: target };
      else if (open?.page === target) open = { ...open, page: intent.page };
      return { survey, open };
    }
    case "deletePage": {
      if (!pages[intent.page] || pages.length <= 1) return { survey, open };
      pages.splice(intent.page, 1);
      return { survey, open: null };
    }
    case "addEntry":
    case "moveEntry":
    case "deleteEntry": {
      const question = questionAt(survey, open);
      const list = question ? getAt(question, intent.list) : undefined;
      if (!question || !Array.isArray(list)) return { survey, open };
      const entries = list as Data[];
      if (intent.op === "addEntry") {
        const spec = TYPE_FIELDS[question.type as QuestionType]?.find(
          (f) => f.name === intent.list,
        );
        const kind = spec?.kind === "list" ? spec.entry : "option";
        entries.push(newEntry(kind, new Set(entries.map((e) => String(e.code ?? "")))));
      } else if (intent.op === "deleteEntry") {
        if (entries[intent.index]) entries.splice(intent.index, 1);
      } else {
        const target = intent.index + intent.by;
        if (entries[intent.index] && target >= 0 && target < entries.length) {
          const [entry] = entries.splice(intent.index, 1);
          entries.splice(target, 0, entry);
        }
      }
      return { survey, open };
    }
  }
}

function sameAt(a: QuestionAt, b: QuestionAt): boolean {
  return a.page === b.page && a.question === b.question;
}

// ---------------------------------------------------------------------------------------------
// Reading the form

/** A localized text from `<name>.en` and `<name>.ru` (and `<name>.reviewed`), over `old`. */
function readText(
  old: unknown,
  name: string,
  read: FormRead,
  optional: boolean,
): Record<string, string> | undefined | "absent" {
  const en = read(`${name}.en`);
  const ru = read(`${name}.ru`);
  if (en === null && ru === null) return "absent";
  const before = isData(old) ? (old as Record<string, string>) : undefined;
  const next: Record<string, string> = { ...(before ?? {}) };
  next.en = (en ?? "").trim();
  next.ru = (ru ?? "").trim();
  if (optional && next.en === "" && next.ru === "" && textLocales(next).every((l) => !next[l]))
    return undefined;
  if (
    before &&
    before.en === next.en &&
    before.ru === next.ru &&
    read(`${name}.reviewed`) !== "yes"
  )
    return before;
  return read(`${name}.reviewed`) === "yes" ? markTextReviewed(next) : next;
}

function readNumber(raw: string | null, integer: boolean): number | string | undefined {
  if (raw === null) return undefined;
  const text = raw.trim().replace(",", ".");
  if (text === "") return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) return raw.trim();
  return integer && !Number.isInteger(value) ? raw.trim() : value;
}

/** Applies one field of the question form (`q.<name>…`) to `question`. */
function applyField(question: Data, spec: FieldSpec, read: FormRead): void {
  const field = `q.${spec.name}`;
  const old = getAt(question, spec.name);
  switch (spec.kind) {
    case "text": {
      const value = readText(old, field, read, spec.optional);
      if (value !== "absent") setAt(question, spec.name, value);
      return;
    }
    case "int":
    case "number":
    case "date": {
      const raw = read(field);
      if (raw === null) return;
      const value =
        spec.kind === "date" ? raw.trim() || undefined : readNumber(raw, spec.kind === "int");
      if (value === undefined && old === undefined) return;
      if (old !== undefined && String(old) === String(value ?? "")) return;
      setAt(question, spec.name, value);
      return;
    }
    case "bool": {
      const checked = read(field) === "true";
      if (checked) setAt(question, spec.name, true);
      else if (old !== undefined) setAt(question, spec.name, false);
      return;
    }
    case "enum": {
      const raw = read(field);
      if (raw === null) return;
      if (raw === "") {
        if (old !== undefined) setAt(question, spec.name, undefined);
      } else if (spec.values.includes(raw)) setAt(question, spec.name, raw);
      return;
    }
    case "list": {
      const list = Array.isArray(old) ? (old as Data[]) : [];
      list.forEach((entry, i) => {
        const code = read(`${field}.${i}.code`);
        if (code !== null && code.trim() !== entry.code) entry.code = code.trim();
        const label = readText(entry.label, `${field}.${i}.label`, read, false);
        if (label !== "absent" && label !== undefined) entry.label = label;
        // A need category's shared category (taxonomy.ts): empty for a shared category itself.
        const parent = spec.entry === "category" ? read(`${field}.${i}.parent`) : null;
        if (parent !== null && parent.trim() !== (entry.parent ?? "")) {
          if (parent.trim() === "") delete entry.parent;
          else entry.parent = parent.trim();
        }
      });
      return;
    }
  }
}

/** The fields of a condition as the builder's lists show it. */
export interface ConditionFields {
  mode: "always" | "answered" | "in" | "notIn" | "equals" | "other";
  question: string;
  values: string[];
}

/** How the builder's lists show a condition; "other" for one they cannot express. */
export function conditionFields(condition: Condition | undefined): ConditionFields {
  if (!condition) return { mode: "always", question: "", values: [] };
  const simple = (c: Condition): ConditionFields | null => {
    if ("answered" in c) return { mode: "answered", question: c.question, values: [] };
    if ("equals" in c)
      return {
        mode: typeof c.equals === "number" ? "equals" : "in",
        question: c.question,
        values: [String(c.equals)],
      };
    if ("oneOf" in c && c.oneOf.every((v) => typeof v === "string"))
      return { mode: "in", question: c.question, values: c.oneOf.map(String) };
    return null;
  };
  const direct = simple(condition);
  if (direct) return direct;
  if ("not" in condition) {
    const inner = simple(condition.not);
    if (inner && inner.mode === "in") return { ...inner, mode: "notIn" };
  }
  return { mode: "other", question: "", values: [] };
}

/** The condition the builder's lists describe; `undefined` for "always". */
export function conditionFromFields(fields: ConditionFields): Condition | undefined | "invalid" {
  if (fields.mode === "always") return undefined;
  if (!fields.question) return "invalid";
  if (fields.mode === "answered") return { question: fields.question, answered: true };
  if (fields.mode === "equals") {
    const value = Number((fields.values[0] ?? "").replace(",", "."));
    return fields.values[0]?.trim() && Number.isFinite(value)
      ? { question: fields.question, equals: value }
      : "invalid";
  }
  const values = fields.values.filter((v) => v !== "");
  if (values.length === 0) return "invalid";
  const positive: Condition =
    values.length === 1
      ? { question: fields.question, equals: values[0] }
      : { question: fields.question, oneOf: values };
  return fields.mode === "notIn" ? { not: positive } : positive;
}

export type QuestionFormError = "conditionIncomplete";

/**
 * Applies the open question's form (`q.*` fields) to the state. A condition chosen in the
 * lists replaces the question's condition only when the lists were changed, so that a
 * condition they cannot express is kept.
 */
export function applyQuestionForm(
  state: BuilderState,
  read: FormRead,
  readAll: FormReadAll,
): { state: BuilderState; errors: QuestionFormError[]; pending: ConditionFields | null } {
  const question = questionAt(state.survey, state.open);
  if (!question || read("q.present") !== "1") return { state, errors: [], pending: null };
  let pending: ConditionFields | null = null;
  const key = read("q.key");
  if (key !== null) question.key = key.trim();
  const label = readText(question.label, "q.label", read, false);
  if (label !== "absent" && label !== undefined) question.label = label;
  const help = readText(question.help, "q.help", read, true);
  if (help !== "absent") setAt(question, "help", help);
  applyField(question, { kind: "bool", name: "required" }, read);
  for (const spec of TYPE_FIELDS[question.type as QuestionType] ?? [])
    applyField(question, spec, read);

  const errors: QuestionFormError[] = [];
  const before = conditionFields(question.showIf as Condition | undefined);
  const mode = read("q.condition.mode");
  if (mode !== null && mode !== "other") {
    const chosen: ConditionFields = {
      mode: (["always", "answered", "in", "notIn", "equals"].includes(mode)
        ? mode
        : "always") as ConditionFields["mode"],
      question: (read("q.condition.question") ?? "").trim(),
      values: [
        ...readAll("q.condition.values"),
        ...(read("q.condition.number") ? [read("q.condition.number") as string] : []),
      ]
        .map((v) => v.trim())
        .filter((v) => v !== ""),
    };
    const same =
      chosen.mode === before.mode &&
      chosen.question === before.question &&
      [...chosen.values].sort().join(" ") === [...before.values].sort().join(" ");
    if (!same) {
      const condition = conditionFromFields(chosen);
      if (condition === "invalid") {
        // Kept as chosen (not stored) so that the lists show it again, with the answers of
        // the chosen question to tick.
        errors.push("conditionIncomplete");
        pending = chosen;
      } else setAt(question, "showIf", condition);
    }
  }
  return { state, errors, pending };
}

/** Applies the survey's own fields and the pages' titles (`survey.*`, `page.<i>.*`). */
export function applySurveyForm(state: BuilderState, read: FormRead): BuilderState {
  const survey = state.survey;
  if (read("survey.present") === "1") {
    const title = readText(survey.title, "survey.title", read, false);
    if (title !== "absent" && title !== undefined) survey.title = title;
    const intro = readText(survey.introduction, "survey.introduction", read, true);
    if (intro !== "absent") setAt(survey, "introduction", intro);
    applyField(survey, { kind: "int", name: "estimatedMinutes" }, (name) =>
      read(name.replace(/^q\./, "survey.")),
    );
  }
  survey.pages.forEach((page, i) => {
    if (read(`page.${i}.present`) !== "1") return;
    const key = read(`page.${i}.key`);
    if (key !== null) page.key = key.trim();
    const title = readText(page.title, `page.${i}.title`, read, false);
    if (title !== "absent" && title !== undefined) page.title = title;
    const description = readText(page.description, `page.${i}.description`, read, true);
    if (description !== "absent") setAt(page, "description", description);
  });
  return state;
}

/** Reads the builder's state from its hidden field; null if it is not a survey's data. */
export function parseState(json: string, open: string | null): BuilderState | null {
  let survey: unknown;
  try {
    survey = JSON.parse(json);
  } catch {
    return null;
  }
  if (!isData(survey) || !Array.isArray(survey.pages) || !survey.pages.every(isData)) return null;
  const m = /^(\d{1,4}):(\d{1,4})$/.exec(open ?? "");
  const at = m ? { page: Number(m[1]), question: Number(m[2]) } : null;
  const data = survey as SurveyData;
  return { survey: data, open: at && questionAt(data, at) ? at : null };
}

// ---------------------------------------------------------------------------------------------
// The fields the builder's forms post for the state as it is (for scripts and tests that post
// a form as a browser would; the page draws the same names)

function textFields(name: string, value: unknown): Record<string, string> {
  const text = isData(value) ? (value as Record<string, string>) : {};
  return { [`${name}.en`]: text.en ?? "", [`${name}.ru`]: text.ru ?? "" };
}

/** The fields of the survey and page forms as the builder shows them, unchanged. */
export function surveyFormFields(survey: SurveyData): Record<string, string> {
  const fields: Record<string, string> = {
    "survey.present": "1",
    ...textFields("survey.title", survey.title),
    ...textFields("survey.introduction", survey.introduction),
    "survey.estimatedMinutes":
      survey.estimatedMinutes === undefined ? "" : String(survey.estimatedMinutes),
  };
  survey.pages.forEach((page, i) => {
    if (typeof page.include === "string") return;
    Object.assign(fields, {
      [`page.${i}.present`]: "1",
      [`page.${i}.key`]: String(page.key ?? ""),
      ...textFields(`page.${i}.title`, page.title),
      ...textFields(`page.${i}.description`, page.description),
    });
  });
  return fields;
}

/** The fields of the question editor as the builder shows them for `question`, unchanged. */
export function questionFormFields(question: Data): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = {
    "q.present": "1",
    "q.key": String(question.key ?? ""),
    ...textFields("q.label", question.label),
    ...textFields("q.help", question.help),
  };
  if (question.required === true) fields["q.required"] = "true";
  for (const spec of TYPE_FIELDS[question.type as QuestionType] ?? []) {
    const value = getAt(question, spec.name);
    const name = `q.${spec.name}`;
    if (spec.kind === "text") Object.assign(fields, textFields(name, value));
    else if (spec.kind === "bool") {
      if (value === true) fields[name] = "true";
    } else if (spec.kind === "list")
      ((value as Data[] | undefined) ?? []).forEach((entry, i) => {
        fields[`${name}.${i}.code`] = String(entry.code ?? "");
        Object.assign(fields, textFields(`${name}.${i}.label`, entry.label));
        if (spec.entry === "category") fields[`${name}.${i}.parent`] = String(entry.parent ?? "");
      });
    else fields[name] = value === undefined ? "" : String(value);
  }
  const condition = conditionFields(question.showIf as Condition | undefined);
  fields["q.condition.mode"] = condition.mode;
  fields["q.condition.question"] = condition.question;
  if (condition.mode === "equals") fields["q.condition.number"] = condition.values[0] ?? "";
  else fields["q.condition.values"] = condition.values;
  return fields;
}
