import { WITHOUT_ROOT_DATA } from "./react";
import {
  DEFAULT_LOCALE,
  localized,
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

/**
 * The `meta` of a survey's staff page: its title in the reader's language (or its slug when it
 * has none) in the page's title, from a loader that returns `title` and `survey.slug`.
 */
export function surveyPageMeta(key: MessageKey) {
  return ({
    matches,
    data,
  }: {
    matches: readonly MatchLike[];
    data: { title?: Record<string, string> | null; survey: { slug: string } } | undefined;
  }) => {
    const root = matches.find((m) => m.id === "root")?.data as { locale?: string } | undefined;
    return [
      {
        title: pageTitle(matches, key, {
          title: localized(data?.title, root?.locale ?? DEFAULT_LOCALE) || (data?.survey.slug ?? ""),
        }),
      },
    ];
  };
}
