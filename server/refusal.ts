import type { Request, Response } from "express";
import { translator } from "~/i18n/catalog";
import { resolveLocale } from "~/i18n/locale.server";
import { DEFAULT_LOCALE, type MessageKey, type Vars } from "~/i18n/translate";

/**
 * The reply to a request the server refuses before any page code runs (body too large, a body
 * without a length, a malformed address, an unsupported method): JSON `{ error }` for the API and
 * for clients that ask for JSON, else a short page in the visitor's language (?lang=, the
 * language cookie, Accept-Language, as every other page).
 */
export async function sendRefusal(
  req: Request,
  res: Response,
  status: number,
  key: MessageKey,
  vars?: Vars,
): Promise<void> {
  const locale = await requestLocale(req);
  const t = translator(locale);
  const message = t(key, vars);
  res.status(status);
  res.setHeader("Cache-Control", "no-store");
  if (req.path.startsWith("/api/") || req.accepts(["html", "json"]) === "json") {
    res.json({ error: message });
    return;
  }
  const title = t("common.refused.title");
  res
    .type("html")
    .send(
      `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
        `<title>${title} — Needsmap</title></head><body><main><h1>${title}</h1><p>${message}</p>` +
        `<p><a href="/">${t("common.errors.backHome")}</a></p></main></body></html>`,
    );
}

/**
 * The body of a request refused by the body limit, read by a route (see bodySizeLimit): reading
 * it fails with this error, which the route error mapping (server/resilience.ts) turns into its
 * status and message, shown by the page's error boundary.
 */
export class RefusedBodyError extends Error {
  constructor(
    public readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "RefusedBodyError";
  }
}

/** A refusal's text in the request's language (as in sendRefusal). */
export async function refusalMessage(req: Request, key: MessageKey, vars?: Vars): Promise<string> {
  return translator(await requestLocale(req))(key, vars);
}

/** The language of a request, decided as for pages (app/i18n/locale.server.ts), from its query and headers only. */
async function requestLocale(req: Request) {
  try {
    const query = req.originalUrl.includes("?") ? req.originalUrl.slice(req.originalUrl.indexOf("?")) : "";
    const headers = new Headers();
    const cookie = req.get("Cookie");
    const acceptLanguage = req.get("Accept-Language");
    if (cookie) headers.set("Cookie", cookie);
    if (acceptLanguage) headers.set("Accept-Language", acceptLanguage);
    return (await resolveLocale(new globalThis.Request(`http://localhost/${query}`, { headers }))).locale;
  } catch {
    return DEFAULT_LOCALE;
  }
}
