import { auth as enAuth } from "./en/auth";
import { common as enCommon } from "./en/common";
import { dashboard as enDashboard } from "./en/dashboard";
import { exportsMessages as enExports } from "./en/exports";
import { home as enHome } from "./en/home";
import { manage as enManage } from "./en/manage";
import { respond as enRespond } from "./en/respond";
import { auth as ruAuth } from "./ru/auth";
import { common as ruCommon } from "./ru/common";
import { dashboard as ruDashboard } from "./ru/dashboard";
import { exportsMessages as ruExports } from "./ru/exports";
import { home as ruHome } from "./ru/home";
import { manage as ruManage } from "./ru/manage";
import { respond as ruRespond } from "./ru/respond";
import type { Leaves, Messages } from "./types";

/** UI message catalogs. Each area of the UI has its own file under en/ and ru/. */
export const en = { common: enCommon, home: enHome, auth: enAuth, respond: enRespond, manage: enManage, dashboard: enDashboard, exports: enExports };
export type Catalog = Messages<typeof en>;
export const ru: Catalog = { common: ruCommon, home: ruHome, auth: ruAuth, respond: ruRespond, manage: ruManage, dashboard: ruDashboard, exports: ruExports };

export const LOCALES = ["en", "ru"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";
export const catalogs: Record<Locale, Catalog> = { en, ru };

export type MessageKey = Leaves<typeof en>;
export type Vars = Record<string, string | number>;

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

function lookup(catalog: unknown, key: string): unknown {
  let node: unknown = catalog;
  for (const part of key.split(".")) {
    if (node && typeof node === "object" && part in node) node = (node as Record<string, unknown>)[part];
    else return undefined;
  }
  return node;
}

function interpolate(text: string, vars?: Vars): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in vars ? String(vars[name]) : whole,
  );
}

export type Translate = (key: MessageKey, vars?: Vars) => string;

/** A translate function for one locale; a missing key falls back to English, then to the key. */
export function translator(locale: Locale, catalog: Catalog = catalogs[locale]): Translate {
  const plurals = new Intl.PluralRules(locale);
  return (key, vars) => {
    let value = lookup(catalog, key) ?? lookup(en, key);
    if (value && typeof value === "object" && "other" in value) {
      const forms = value as Record<string, string>;
      const count = Number(vars?.count ?? 0);
      value = forms[plurals.select(count)] ?? forms.other;
    }
    return typeof value === "string" ? interpolate(value, vars) : key;
  };
}

/** Text in the reader's language from a localized map such as a survey label. */
export function localized(text: Record<string, string> | undefined | null, locale: string): string {
  if (!text) return "";
  return text[locale] ?? text.en ?? Object.values(text)[0] ?? "";
}
