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
export const PUBLIC_NAMESPACES = ["common", "home", "auth", "respond", "outcomes"] as const satisfies readonly Namespace[];

/** The texts of a respondent page that follow the response's language. */
export const RESPOND_NAMESPACES = ["common", "respond"] as const satisfies readonly Namespace[];
