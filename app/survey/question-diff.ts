import { canonicalJson } from "./source";
import type { Page, Question, SurveyDefinition } from "./schema";
import { isLocalizedTextValue, textLocales } from "./translations";

/**
 * What changed between two versions of a survey, in the terms people use for it: pages and
 * questions added, removed or moved, texts changed (in which languages), options added or
 * removed, conditions and settings changed. Pure; the diff page and the overview show it.
 */

export type QuestionChange =
  | { kind: "surveyText"; field: string; locales: string[] }
  | { kind: "surveySetting"; field: string }
  | { kind: "pageAdded"; page: string; title: Record<string, string> }
  | { kind: "pageRemoved"; page: string; title: Record<string, string> }
  | { kind: "pageMoved"; page: string; title: Record<string, string>; from: number; to: number }
  | {
      kind: "pageText";
      page: string;
      title: Record<string, string>;
      field: string;
      locales: string[];
    }
  | { kind: "questionAdded"; key: string; label: Record<string, string>; page: string }
  | { kind: "questionRemoved"; key: string; label: Record<string, string> }
  | {
      kind: "questionMoved";
      key: string;
      label: Record<string, string>;
      fromPage: string;
      toPage: string;
    }
  | { kind: "questionType"; key: string; label: Record<string, string>; from: string; to: string }
  | {
      kind: "questionText";
      key: string;
      label: Record<string, string>;
      field: string;
      locales: string[];
    }
  | { kind: "required"; key: string; label: Record<string, string>; required: boolean }
  | {
      kind: "condition";
      key: string;
      label: Record<string, string>;
      change: "added" | "removed" | "changed";
    }
  | {
      kind: "entryAdded" | "entryRemoved";
      key: string;
      label: Record<string, string>;
      list: string;
      code: string;
      entry: Record<string, string>;
    }
  | {
      kind: "entryText";
      key: string;
      label: Record<string, string>;
      list: string;
      code: string;
      entry: Record<string, string>;
      locales: string[];
    }
  | { kind: "entriesReordered"; key: string; label: Record<string, string>; list: string }
  | { kind: "setting"; key: string; label: Record<string, string>; field: string };

/** The locales whose text differs (translation records aside); empty when none does. */
export function changedLocales(
  before: Record<string, string> | undefined,
  after: Record<string, string> | undefined,
): string[] {
  const locales = new Set([
    ...(before ? textLocales(before) : []),
    ...(after ? textLocales(after) : []),
  ]);
  return [...locales].filter((l) => before?.[l] !== after?.[l]).sort(localeOrder);
}

function localeOrder(a: string, b: string): number {
  const rank = (l: string) => (l === "en" ? 0 : l === "ru" ? 1 : 2);
  return rank(a) - rank(b) || a.localeCompare(b);
}

/** Keys of `after` that are not in the longest common subsequence with `before`: the moved ones. */
function movedKeys(before: readonly string[], after: readonly string[]): Set<string> {
  const common = new Set(before.filter((k) => after.includes(k)));
  const a = before.filter((k) => common.has(k));
  const b = after.filter((k) => common.has(k));
  const table: number[][] = Array.from({ length: a.length + 1 }, () =>
    new Array<number>(b.length + 1).fill(0),
  );
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      table[i][j] =
        a[i] === b[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
  const kept = new Set<string>();
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      kept.add(a[i]);
      i++;
      j++;
    } else if (table[i + 1][j] >= table[i][j + 1]) i++;
    else j++;
  }
  return new Set(b.filter((k) => !kept.has(k)));
}

const BASE_FIELDS = new Set(["key", "type", "label", "required", "showIf"]);

function isCodedList(
  value: unknown,
): value is Array<{ code: string; label: Record<string, string> }> {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every(
      (e) =>
        typeof e === "object" &&
        e !== null &&
        typeof (e as { code?: unknown }).code === "string" &&
        isLocalizedTextValue((e as { label?: unknown }).label),
    )
  );
}

function questionChanges(before: Question, after: Question): QuestionChange[] {
  const who = { key: after.key, label: after.label };
  if (before.type !== after.type)
    return [{ kind: "questionType", ...who, from: before.type, to: after.type }];
  const changes: QuestionChange[] = [];
  const label = changedLocales(before.label, after.label);
  if (label.length) changes.push({ kind: "questionText", ...who, field: "label", locales: label });
  if (before.required !== after.required)
    changes.push({ kind: "required", ...who, required: after.required });
  if (canonicalJson(before.showIf) !== canonicalJson(after.showIf))
    changes.push({
      kind: "condition",
      ...who,
      change: !before.showIf ? "added" : !after.showIf ? "removed" : "changed",
    });
  const b = before as unknown as Record<string, unknown>;
  const a = after as unknown as Record<string, unknown>;
  const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter(
    (f) => !BASE_FIELDS.has(f),
  );
  for (const field of fields) {
    const old = b[field];
    const now = a[field];
    if (canonicalJson(old) === canonicalJson(now)) continue;
    if (isLocalizedTextValue(old) || isLocalizedTextValue(now)) {
      const locales = changedLocales(
        isLocalizedTextValue(old) ? old : undefined,
        isLocalizedTextValue(now) ? now : undefined,
      );
      if (locales.length) changes.push({ kind: "questionText", ...who, field, locales });
      continue;
    }
    if (isCodedList(old) && isCodedList(now)) {
      const oldCodes = old.map((e) => e.code);
      const newCodes = now.map((e) => e.code);
      for (const entry of now)
        if (!oldCodes.includes(entry.code))
          changes.push({
            kind: "entryAdded",
            ...who,
            list: field,
            code: entry.code,
            entry: entry.label,
          });
      for (const entry of old)
        if (!newCodes.includes(entry.code))
          changes.push({
            kind: "entryRemoved",
            ...who,
            list: field,
            code: entry.code,
            entry: entry.label,
          });
      for (const entry of now) {
        const was = old.find((e) => e.code === entry.code);
        const locales = was ? changedLocales(was.label, entry.label) : [];
        if (locales.length)
          changes.push({
            kind: "entryText",
            ...who,
            list: field,
            code: entry.code,
            entry: entry.label,
            locales,
          });
      }
      if (movedKeys(oldCodes, newCodes).size > 0)
        changes.push({ kind: "entriesReordered", ...who, list: field });
      continue;
    }
    changes.push({ kind: "setting", ...who, field });
  }
  return changes;
}

function pageChanges(before: Page, after: Page): QuestionChange[] {
  const who = { page: after.key, title: after.title };
  const changes: QuestionChange[] = [];
  for (const field of ["title", "description"] as const) {
    const locales = changedLocales(before[field], after[field]);
    if (locales.length) changes.push({ kind: "pageText", ...who, field, locales });
  }
  return changes;
}

/** The changes from `before` to `after`, in the order of the new survey. */
export function questionDiff(before: SurveyDefinition, after: SurveyDefinition): QuestionChange[] {
  const changes: QuestionChange[] = [];
  for (const field of ["title", "introduction"] as const) {
    const locales = changedLocales(before[field], after[field]);
    if (locales.length) changes.push({ kind: "surveyText", field, locales });
  }
  const b = before as unknown as Record<string, unknown>;
  const a = after as unknown as Record<string, unknown>;
  for (const field of [...new Set([...Object.keys(b), ...Object.keys(a)])].sort()) {
    if (["title", "introduction", "pages"].includes(field)) continue;
    if (canonicalJson(b[field]) !== canonicalJson(a[field]))
      changes.push({ kind: "surveySetting", field });
  }

  const oldPages = new Map(before.pages.map((p) => [p.key, p]));
  const newPages = new Map(after.pages.map((p) => [p.key, p]));
  const movedPages = movedKeys(
    before.pages.map((p) => p.key),
    after.pages.map((p) => p.key),
  );
  const oldQuestions = new Map(
    before.pages.flatMap((p) => p.questions.map((q) => [q.key, { q, page: p.key }] as const)),
  );
  const newKeys = new Set(after.pages.flatMap((p) => p.questions.map((q) => q.key)));
  // Questions that stay on the same page but change their order among its questions.
  const reordered = new Set<string>();
  for (const page of after.pages) {
    const old = oldPages.get(page.key);
    if (!old) continue;
    const stay = (qs: readonly Question[]) =>
      qs
        .filter((q) => oldQuestions.get(q.key)?.page === page.key && newKeys.has(q.key))
        .map((q) => q.key);
    for (const key of movedKeys(stay(old.questions), stay(page.questions))) reordered.add(key);
  }

  for (const [index, page] of after.pages.entries()) {
    const old = oldPages.get(page.key);
    if (!old) changes.push({ kind: "pageAdded", page: page.key, title: page.title });
    else {
      if (movedPages.has(page.key))
        changes.push({
          kind: "pageMoved",
          page: page.key,
          title: page.title,
          from: before.pages.indexOf(old) + 1,
          to: index + 1,
        });
      changes.push(...pageChanges(old, page));
    }
    for (const q of page.questions) {
      const was = oldQuestions.get(q.key);
      if (!was) {
        changes.push({ kind: "questionAdded", key: q.key, label: q.label, page: page.key });
        continue;
      }
      if (was.page !== page.key || reordered.has(q.key))
        changes.push({
          kind: "questionMoved",
          key: q.key,
          label: q.label,
          fromPage: was.page,
          toPage: page.key,
        });
      changes.push(...questionChanges(was.q, q));
    }
  }
  for (const page of before.pages) {
    if (!newPages.has(page.key))
      changes.push({ kind: "pageRemoved", page: page.key, title: page.title });
  }
  for (const { q } of oldQuestions.values()) {
    if (!newKeys.has(q.key)) changes.push({ kind: "questionRemoved", key: q.key, label: q.label });
  }
  return changes;
}
