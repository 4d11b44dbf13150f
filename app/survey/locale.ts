/** Locales every survey text must be written in. Further two-letter locales are allowed. */
export const SUPPORTED_LOCALES = ["en", "ru"] as const;
export type SupportedLocale = (typeof SUPPORTED_LOCALES)[number];

/** A two-letter locale code such as "en". Texts may carry locales beyond the supported ones. */
export type Locale = string;

export const DEFAULT_LOCALE: SupportedLocale = "en";

export function isSupportedLocale(value: unknown): value is SupportedLocale {
  return typeof value === "string" && (SUPPORTED_LOCALES as readonly string[]).includes(value);
}

/** The text in `locale`, falling back to English. */
export function localize(
  text: Readonly<Record<string, string>> | undefined,
  locale: Locale,
): string {
  if (!text) return "";
  return text[locale] ?? text[DEFAULT_LOCALE] ?? "";
}

/**
 * A YYYY-MM-DD date as written in `locale` ("30 June 2027", "30 июня 2027 г."). Here, not beside
 * the validation messages that also use it, so that a page showing dates does not load them.
 */
export function formatIsoDate(value: string, locale: Locale): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return value;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(locale === "ru" ? "ru-RU" : "en-GB", {
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  }).format(date);
}

/**
 * The language a free-text answer is written in: Russian when most of its letters are
 * Cyrillic, English when most are Latin, otherwise (too few letters, or a mix) the language
 * the respondent answered the survey in.
 */
export function textLanguage(text: string, responseLocale: Locale): Locale {
  const cyrillic = text.match(/\p{Script=Cyrillic}/gu)?.length ?? 0;
  const latin = text.match(/\p{Script=Latin}/gu)?.length ?? 0;
  const letters = cyrillic + latin;
  if (letters >= 3) {
    if (cyrillic >= letters * 0.7) return "ru";
    if (latin >= letters * 0.7) return "en";
  }
  return responseLocale;
}
