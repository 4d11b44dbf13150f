const LOCALE_KEY = /^[a-z]{2}$/;

function isLocalizedText(value: Record<string, unknown>): value is Record<string, string> {
  const keys = Object.keys(value);
  return (
    keys.length > 0 &&
    "en" in value &&
    keys.every((k) => LOCALE_KEY.test(k) && typeof value[k] === "string")
  );
}

/**
 * The page data with every localized text (survey labels, group names) reduced to the reader's
 * language (English when missing): pages carry one language instead of all of them.
 */
export function inLocale<T>(value: T, locale: string): T {
  if (Array.isArray(value)) return value.map((v) => inLocale(v, locale)) as T;
  if (value === null || typeof value !== "object" || value instanceof Date) return value;
  const record = value as Record<string, unknown>;
  if (isLocalizedText(record)) return { [locale]: record[locale] ?? record.en } as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) out[k] = inLocale(v, locale);
  return out as T;
}
