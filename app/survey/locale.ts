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
