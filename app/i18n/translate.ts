import type { auth } from "./en/auth";
import type { builder } from "./en/builder";
import type { common } from "./en/common";
import type { dashboard } from "./en/dashboard";
import type { delphi } from "./en/delphi";
import type { exportsMessages } from "./en/exports";
import type { home } from "./en/home";
import type { manage } from "./en/manage";
import type { outcomes } from "./en/outcomes";
import type { register } from "./en/register";
import type { respond } from "./en/respond";
import type { Leaves, Messages } from "./types";

/**
 * What browser code needs of the UI texts: languages, types and the translate function. The
 * catalogs themselves stay on the server (catalog.ts, catalogs.server.ts); loaders send the
 * namespaces a page needs, in its reader's language.
 */

/** The English catalog's shape: the source of every message key. */
export interface EnglishCatalog {
  common: typeof common;
  home: typeof home;
  auth: typeof auth;
  respond: typeof respond;
  manage: typeof manage;
  dashboard: typeof dashboard;
  exports: typeof exportsMessages;
  builder: typeof builder;
  delphi: typeof delphi;

  register: typeof register;
  outcomes: typeof outcomes;
}
export type Catalog = Messages<EnglishCatalog>;
export type Namespace = keyof Catalog;
/** Some namespaces of a catalog, as a loader sends them. */
export type PageMessages = Partial<Catalog>;

export const LOCALES = ["en", "ru"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";

export type MessageKey = Leaves<EnglishCatalog>;
export type Vars = Record<string, string | number>;

/** Each language's name in itself (catalog key common.languageNames). */
export const LANGUAGE_NAMES: Readonly<Record<Locale, string>> = { en: "English", ru: "Русский" };
/** "Switch language to …", in the language switched to (catalog key common.switchTo). */
export const SWITCH_TO: Readonly<Record<Locale, string>> = {
  en: "Switch language to {language}",
  ru: "Сменить язык на {language}",
};

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

function lookup(catalog: unknown, key: string): unknown {
  let node: unknown = catalog;
  for (const part of key.split(".")) {
    if (node && typeof node === "object" && part in node)
      node = (node as Record<string, unknown>)[part];
    else return undefined;
  }
  return node;
}

export function interpolate(text: string, vars?: Vars): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in vars ? String(vars[name]) : whole,
  );
}

export type Translate = (key: MessageKey, vars?: Vars) => string;

const plurals = new Map<string, Intl.PluralRules>();

/** The plural rules of a locale, made once (building them costs more than a whole translation). */
function pluralRules(locale: Locale): Intl.PluralRules {
  let rules = plurals.get(locale);
  if (!rules) {
    rules = new Intl.PluralRules(locale);
    plurals.set(locale, rules);
  }
  return rules;
}

/**
 * A translate function for one locale over the given messages; a missing key falls back to
 * `fallback` (the server passes English), then to the key itself.
 */
export function translator(
  locale: Locale,
  messages: PageMessages | undefined,
  fallback?: PageMessages,
): Translate {
  return (key, vars) => {
    let value = lookup(messages, key) ?? lookup(fallback, key);
    if (value && typeof value === "object" && "other" in value) {
      const forms = value as Record<string, string>;
      const count = Number(vars?.count ?? 0);
      value = forms[pluralRules(locale).select(count)] ?? forms.other;
    }
    return typeof value === "string" ? interpolate(value, vars) : key;
  };
}

/** Text in the reader's language from a localized map such as a survey label. */
export function localized(text: Record<string, string> | undefined | null, locale: string): string {
  if (!text) return "";
  return text[locale] ?? text.en ?? Object.values(text)[0] ?? "";
}
