import { createCookie } from "@remix-run/node";
import { DEFAULT_LOCALE, type Locale, isLocale, LOCALES } from "./translate";

export const localeCookie = createCookie("lang", {
  path: "/",
  sameSite: "lax",
  httpOnly: true,
  maxAge: 60 * 60 * 24 * 365,
});

/** Best match of an Accept-Language header among our locales, by quality. */
export function fromAcceptLanguage(header: string | null): Locale | null {
  if (!header) return null;
  const ranked = header
    .split(",")
    .map((part) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { tag: tag.toLowerCase(), q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    const base = tag.split("-")[0];
    if (isLocale(base)) return base;
  }
  return null;
}

/**
 * The language of a request: ?lang= (which the caller then remembers in the cookie), else the
 * cookie, else Accept-Language, else English.
 */
export async function resolveLocale(request: Request): Promise<{ locale: Locale; fromQuery: boolean }> {
  const query = new URL(request.url).searchParams.get("lang");
  if (isLocale(query)) return { locale: query, fromQuery: true };
  const cookie = await localeCookie.parse(request.headers.get("Cookie"));
  if (isLocale(cookie)) return { locale: cookie, fromQuery: false };
  return { locale: fromAcceptLanguage(request.headers.get("Accept-Language")) ?? DEFAULT_LOCALE, fromQuery: false };
}

export { LOCALES };
