import { catalogs, en } from "./catalog";
import type { Locale, Namespace, PageMessages } from "./translate";

export { catalogs, en, ru, translator } from "./catalog";

/** The namespaces of one language's catalog, as loader data for the browser. */
export function messagesOf<N extends Namespace>(
  locale: Locale,
  namespaces: readonly N[],
): Pick<PageMessages, N> {
  const catalog = catalogs[locale];
  return Object.fromEntries(namespaces.map((n) => [n, catalog[n]])) as Pick<PageMessages, N>;
}

/** Every namespace: staff pages and the sign-in page. */
export const ALL_NAMESPACES = Object.keys(en) as Namespace[];

/** What the layout and the public and respondent pages show (the sign-in link is in auth). */
export const PUBLIC_NAMESPACES = [
  "common",
  "home",
  "auth",
  "respond",
  "outcomes",
] as const satisfies readonly Namespace[];

/** The texts of a respondent page that follow the response's language. */
export const RESPOND_NAMESPACES = ["common", "respond"] as const satisfies readonly Namespace[];

/** Parts of one language's catalog: namespaces or subtrees (`"manage.nav"`), as loader data. */
export function messagesOfParts(locale: Locale, parts: readonly string[]): PageMessages {
  const out: Record<string, unknown> = {};
  for (const part of parts) {
    const path = part.split(".");
    let from: unknown = catalogs[locale];
    let to = out;
    path.forEach((key, i) => {
      from = (from as Record<string, unknown> | undefined)?.[key];
      if (from === undefined) throw new Error(`no messages at "${part}"`);
      if (i === path.length - 1) to[key] = from;
      else to = (to[key] ??= {}) as Record<string, unknown>;
    });
  }
  return out as PageMessages;
}
