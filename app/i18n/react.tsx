import { useMemo } from "react";
import { useRouteLoaderData } from "@remix-run/react";
import { type Catalog, DEFAULT_LOCALE, type Locale, translator, type Translate } from "./catalog";

interface RootI18n {
  locale: Locale;
  messages: Catalog;
}

/** The reader's language and a translate function, from the root loader's data. */
export function useI18n(): { locale: Locale; t: Translate } {
  const data = useRouteLoaderData("root") as RootI18n | undefined;
  const locale = data?.locale ?? DEFAULT_LOCALE;
  const messages = data?.messages;
  const t = useMemo(() => translator(locale, messages), [locale, messages]);
  return { locale, t };
}
