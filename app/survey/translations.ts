import { formatPath, type Path } from "./paths";

/**
 * Translation records of localized texts (docs/survey-format.md#translations). Beside a
 * translation, `<target>@<source>: <hash>` records which version of the source text it
 * translates: `ru@en: 3f1c9a0b` says "this Russian text translates the English text whose
 * hash is 3f1c9a0b". When the source text changes and the translation does not, the hashes
 * differ and the translation is stale. Pure: used by the checks, the builder and the pages.
 */

/** A locale code, such as `en`. */
export const LOCALE_KEY = /^[a-z]{2}$/;
/** A translation record key, such as `ru@en` (the Russian text translates the English one). */
export const RECORD_KEY = /^([a-z]{2})@([a-z]{2})$/;
/** The value of a translation record: the short hash of the source text. */
export const RECORD_HASH = /^[0-9a-f]{8}$/;

export function isRecordKey(key: string): boolean {
  return RECORD_KEY.test(key);
}

/** The texts of a localized text, without its translation records. */
export function textLocales(text: Readonly<Record<string, string>>): string[] {
  return Object.keys(text).filter((key) => LOCALE_KEY.test(key));
}

export function recordKey(target: string, source: string): string {
  return `${target}@${source}`;
}

/**
 * The short hash of a source text (FNV-1a, 32 bits, as 8 hex digits) over the text with its
 * white space collapsed, so that re-wrapping a long text does not make its translations stale.
 */
export function textHash(text: string): string {
  const normalized = text.trim().replace(/\s+/g, " ");
  let hash = 0x811c9dc5;
  for (let i = 0; i < normalized.length; i++) {
    hash ^= normalized.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

/** Whether a value is a localized text: an object of strings with an `en` text. */
export function isLocalizedTextValue(value: unknown): value is Record<string, string> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  return (
    entries.length > 0 &&
    typeof (value as Record<string, unknown>).en === "string" &&
    entries.every(([k, v]) => (LOCALE_KEY.test(k) || RECORD_KEY.test(k)) && typeof v === "string")
  );
}

export interface TranslationRecord {
  target: string;
  source: string;
  hash: string;
}

export function recordsOf(text: Readonly<Record<string, string>>): TranslationRecord[] {
  return Object.entries(text).flatMap(([key, hash]) => {
    const m = RECORD_KEY.exec(key);
    return m ? [{ target: m[1], source: m[2], hash }] : [];
  });
}

/** The translations of a text whose source has changed since they were made or reviewed. */
export function staleLocales(text: Readonly<Record<string, string>>): TranslationRecord[] {
  return recordsOf(text).filter(
    (r) =>
      text[r.source] !== undefined &&
      text[r.target] !== undefined &&
      textHash(text[r.source]) !== r.hash,
  );
}

/** Where a text is, as a path of keys: list entries are named by their `key` or `code`. */
export type TextId = string;

function entryName(entry: unknown, index: number): string {
  if (typeof entry === "object" && entry !== null) {
    const named = entry as { key?: unknown; code?: unknown; include?: unknown };
    if (typeof named.key === "string") return named.key;
    if (typeof named.code === "string") return named.code;
    if (typeof named.include === "string") return `include:${named.include}`;
  }
  return String(index);
}

export interface FoundText {
  /** Index path, as problems are located (`pages[2].questions[0].label`). */
  path: Path;
  /** Key path, stable when entries move (`pages.funding.questions.budget.label`). */
  id: TextId;
  text: Record<string, string>;
}

/** Every localized text in a survey, block or definition (plain data). */
export function findTexts(data: unknown): FoundText[] {
  const found: FoundText[] = [];
  const walk = (value: unknown, path: PropertyKey[], id: string[]) => {
    if (isLocalizedTextValue(value)) {
      found.push({ path, id: id.join("."), text: value });
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((entry, i) => walk(entry, [...path, i], [...id, entryName(entry, i)]));
    } else if (typeof value === "object" && value !== null) {
      for (const [key, inner] of Object.entries(value)) walk(inner, [...path, key], [...id, key]);
    }
  };
  walk(data, [], []);
  return found;
}

export interface StaleText {
  path: string;
  id: TextId;
  /** The translation that is out of date, and the text it translates. */
  target: string;
  source: string;
  text: Record<string, string>;
}

/** The stale translations of a survey, block or definition. */
export function staleTexts(data: unknown): StaleText[] {
  return findTexts(data).flatMap(({ path, id, text }) =>
    staleLocales(text).map((r) => ({
      path: formatPath(path),
      id,
      target: r.target,
      source: r.source,
      text,
    })),
  );
}

/** The source of a text's translations: the locale its records name, else English. */
export function sourceLocale(text: Readonly<Record<string, string>>): string {
  return recordsOf(text)[0]?.source ?? "en";
}

function mapTexts(
  data: unknown,
  change: (text: Record<string, string>, id: TextId) => Record<string, string>,
  id: string[] = [],
): unknown {
  if (isLocalizedTextValue(data)) return change(data, id.join("."));
  if (Array.isArray(data))
    return data.map((entry, i) => mapTexts(entry, change, [...id, entryName(entry, i)]));
  if (typeof data === "object" && data !== null)
    return Object.fromEntries(
      Object.entries(data).map(([key, inner]) => [key, mapTexts(inner, change, [...id, key])]),
    );
  return data;
}

/** The text with its translations recorded as translating the current source text. */
export function markTextReviewed(text: Record<string, string>): Record<string, string> {
  const source = sourceLocale(text);
  const next: Record<string, string> = {};
  for (const key of Object.keys(text)) if (!RECORD_KEY.test(key)) next[key] = text[key];
  for (const target of textLocales(text)) {
    if (target !== source && text[source] !== undefined)
      next[recordKey(target, source)] = textHash(text[source]);
  }
  return next;
}

/**
 * Marks translations as reviewed: every text (or those whose id is in `ids`) records the
 * current version of its source text.
 */
export function markReviewed(data: unknown, ids?: ReadonlySet<TextId>): unknown {
  return mapTexts(data, (text, id) => (ids && !ids.has(id) ? text : markTextReviewed(text)));
}

/**
 * The records a save writes, comparing the texts as they were (`before`) with the texts as
 * saved (`after`), matched by their key paths:
 * - a new text, or one whose translation changed, translates its source as it is now;
 * - a text whose source changed and whose translation did not keeps the record of the source
 *   it translated (written now if it had none), so it shows as stale until it is reviewed;
 * - otherwise the records stay as they were.
 */
export function recordTranslations(before: unknown, after: unknown): unknown {
  const previous = new Map(findTexts(before).map((t) => [t.id, t.text]));
  return mapTexts(after, (text, id) => {
    const old = previous.get(id);
    const source = sourceLocale(old ?? text);
    const next: Record<string, string> = { ...text };
    for (const target of textLocales(text)) {
      if (target === source || text[source] === undefined) continue;
      const key = recordKey(target, source);
      const translationChanged = !old || old[target] !== text[target];
      if (translationChanged) next[key] = textHash(text[source]);
      else if (old[source] !== text[source] && next[key] === undefined && old[source] !== undefined)
        next[key] = textHash(old[source]);
      else if (old[key] !== undefined && next[key] === undefined) next[key] = old[key];
    }
    return next;
  });
}
