import { useMemo } from "react";
import { useRouteLoaderData } from "@remix-run/react";
import { common } from "./en/common";
import { DEFAULT_LOCALE, type Locale, type PageMessages, translator, type Translate } from "./translate";

interface RootI18n {
  locale: Locale;
  messages: PageMessages;
}

/**
 * Without root data (the root loader failed), the layout and the error page still need their
 * texts: the common namespace in English.
 */
export const WITHOUT_ROOT_DATA: PageMessages = { common };

/** The reader's language and a translate function, from the root loader's data. */
export function useI18n(): { locale: Locale; t: Translate } {
  const data = useRouteLoaderData("root") as RootI18n | undefined;
  const locale = data?.locale ?? DEFAULT_LOCALE;
  const messages = data?.messages ?? WITHOUT_ROOT_DATA;
  const t = useMemo(() => translator(locale, messages), [locale, messages]);
  return { locale, t };
}
