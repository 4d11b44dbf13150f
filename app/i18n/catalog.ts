import { auth as enAuth } from "./en/auth";
import { builder as enBuilder } from "./en/builder";
import { common as enCommon } from "./en/common";
import { dashboard as enDashboard } from "./en/dashboard";
import { delphi as enDelphi } from "./en/delphi";
import { exportsMessages as enExports } from "./en/exports";
import { home as enHome } from "./en/home";
import { manage as enManage } from "./en/manage";
import { outcomes as enOutcomes } from "./en/outcomes";
import { register as enRegister } from "./en/register";
import { respond as enRespond } from "./en/respond";
import { auth as ruAuth } from "./ru/auth";
import { builder as ruBuilder } from "./ru/builder";
import { common as ruCommon } from "./ru/common";
import { dashboard as ruDashboard } from "./ru/dashboard";
import { delphi as ruDelphi } from "./ru/delphi";
import { exportsMessages as ruExports } from "./ru/exports";
import { home as ruHome } from "./ru/home";
import { manage as ruManage } from "./ru/manage";
import { outcomes as ruOutcomes } from "./ru/outcomes";
import { register as ruRegister } from "./ru/register";
import { respond as ruRespond } from "./ru/respond";
import {
  type Catalog,
  type EnglishCatalog,
  type Locale,
  type PageMessages,
  type Translate,
  translator as translatorOf,
} from "./translate";

/**
 * UI message catalogs. Each area of the UI has its own file under en/ and ru/. Server code,
 * scripts and tests read them here; browser code imports from translate.ts and gets its texts
 * from loader data, so that no catalog is shipped to the browser.
 */
export const en: EnglishCatalog = { common: enCommon, home: enHome, auth: enAuth, respond: enRespond, manage: enManage, dashboard: enDashboard, exports: enExports, builder: enBuilder, delphi: enDelphi, register: enRegister, outcomes: enOutcomes };
export const ru: Catalog = { common: ruCommon, home: ruHome, auth: ruAuth, respond: ruRespond, manage: ruManage, dashboard: ruDashboard, exports: ruExports, builder: ruBuilder, delphi: ruDelphi, register: ruRegister, outcomes: ruOutcomes };
export const catalogs: Record<Locale, Catalog> = { en, ru };

/** A translate function for one locale; a missing key falls back to English, then to the key. */
export function translator(locale: Locale, catalog: PageMessages = catalogs[locale]): Translate {
  return translatorOf(locale, catalog, en);
}

export {
  type Catalog,
  DEFAULT_LOCALE,
  isLocale,
  LANGUAGE_NAMES,
  LOCALES,
  type Locale,
  localized,
  type MessageKey,
  type Namespace,
  type PageMessages,
  SWITCH_TO,
  type Translate,
  type Vars,
} from "./translate";
