import { createContext, useContext, useEffect, useState } from "react";
import type { Locale, Translate } from "~/i18n/translate";

export interface RespondUi {
  /** The respondent's language: labels of the definition and UI messages. */
  locale: Locale;
  t: Translate;
  /** True once the page is hydrated: richer widgets replace or extend the plain fields. */
  enhanced: boolean;
  /** Country options (code, name) in the respondent's language, sorted by name. */
  countries: ReadonlyArray<readonly [string, string]>;
  /** Empty need entries to show after the filled ones, by question key (after "Add a need"). */
  blankNeedSlots: Readonly<Record<string, number>>;
  /** Lets a widget that changes the form without an input event (moving, adding) report it. */
  changed: () => void;
}

const RespondContext = createContext<RespondUi | null>(null);
export const RespondProvider = RespondContext.Provider;

export function useRespondUi(): RespondUi {
  const ui = useContext(RespondContext);
  if (!ui) throw new Error("useRespondUi outside RespondProvider");
  return ui;
}

/** False during the server render and the first client render, true after hydration. */
export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

/** The name of a country in the respondent's language, or its code. */
export function countryName(ui: Pick<RespondUi, "countries">, code: string): string {
  return ui.countries.find(([c]) => c === code)?.[1] ?? code;
}
