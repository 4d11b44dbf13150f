import { WITHOUT_ROOT_DATA } from "./react";
import {
  DEFAULT_LOCALE,
  type Locale,
  type MessageKey,
  type PageMessages,
  translator,
  type Vars,
} from "./translate";

interface MatchLike {
  id: string;
  data: unknown;
}

/** A translated page title for a route's `meta`, from the root loader's language and messages. */
export function pageTitle(matches: readonly MatchLike[], key: MessageKey, vars?: Vars): string {
  const root = matches.find((m) => m.id === "root")?.data as
    { locale?: Locale; messages?: PageMessages } | undefined;
  const t = translator(root?.locale ?? DEFAULT_LOCALE, root?.messages ?? WITHOUT_ROOT_DATA);
  return `${t(key, vars)} — ${t("common.appName")}`;
}
