import { createHmac, timingSafeEqual } from "node:crypto";
import { createCookie, data, redirect } from "@remix-run/node";
import type { AppLoadContext } from "@remix-run/node";
import type { Env } from "~/env.server";
import { isLocale, type Locale } from "~/i18n/catalog";
import { resolveLocale } from "~/i18n/locale.server";
import { hitSubmissionLimit } from "./rate-limit.server";
import { isWellFormedFormBody } from "./request-text.server";
import { COUNTRY_CODES } from "~/survey/countries";
import type { SurveyDefinition } from "~/survey/schema";
import { asksForCountry } from "~/survey/question-types";
import { allQuestions } from "~/survey/schema";
import { isLocalizedTextValue } from "~/survey/translations";
import {
  type LoadedResponse,
  loadResponse,
  MAX_BODY_BYTES,
  responseAvailability,
  type Refusal,
  type UnavailableReason,
  updateResponseState,
} from "./responses";

/**
 * What the respondent routes share: reading a form within the size limit, the errors they
 * throw (a reason the error boundary explains in the respondent's language), the definition
 * sent to the browser, country names, dates in words, and the two cookies.
 */

export type RespondErrorReason =
  | UnavailableReason
  | "closed_in_progress"
  | "response_unknown"
  | "invitation_unknown"
  | "invitation_required"
  | "invitation_revoked"
  | "too_large"
  | "draft_too_large"
  | "too_many"
  | "bad_intent"
  | "bad_form"
  | "unknown_page"
  | "already_submitted";

export interface RespondErrorData {
  reason: RespondErrorReason;
  /** A date in words in the reader's language (opening or closing date). */
  date?: string;
}

export function respondError(status: number, reason: RespondErrorReason, date?: string) {
  return data<RespondErrorData>(date ? { reason, date } : { reason }, { status });
}

/**
 * Counts a start or a submission against the client address's hourly limit, and throws the
 * 429 page (with Retry-After) when it is over.
 */
export async function enforceSubmissionLimit(context: AppLoadContext): Promise<void> {
  const limited = await hitSubmissionLimit(
    context.db,
    context.clientIp,
    context.env.RESPONSE_RATE_LIMIT,
  );
  if (!limited.allowed) throw tooManyError(limited.retryAfter);
}

/** Too many responses started or submitted from the client's address: 429 with Retry-After. */
export function tooManyError(retryAfterSeconds: number) {
  return data<RespondErrorData>(
    { reason: "too_many" },
    { status: 429, headers: { "Retry-After": String(Math.max(1, Math.ceil(retryAfterSeconds))) } },
  );
}

/** The status and reason of an error made by respondError, or null for anything else. */
export function respondErrorOf(
  error: unknown,
): { status: number; reason: RespondErrorReason } | null {
  const e = error as { type?: string; data?: RespondErrorData; init?: ResponseInit | null } | null;
  if (!e || typeof e !== "object" || e.type !== "DataWithResponseInit" || !e.data?.reason)
    return null;
  return { status: e.init?.status ?? 400, reason: e.data.reason };
}

/** The error a refused response or survey gets (see accessCheck), with its date in words. */
export function unavailableError(u: Refusal, locale: Locale, inProgress = false) {
  const date =
    u.reason === "not_yet_open" && u.opensAt
      ? formatDate(u.opensAt, locale)
      : u.reason === "closed" && u.closesAt && u.closesAt.getTime() <= Date.now()
        ? formatDate(u.closesAt, locale)
        : undefined;
  return respondError(
    u.status,
    inProgress && u.reason === "closed" ? "closed_in_progress" : u.reason,
    date,
  );
}

// ---------------------------------------------------------------------------------------------
// Request bodies

/**
 * The submitted form, read with a size limit: 413 when the body is over MAX_BODY_BYTES (by its
 * Content-Length or as it arrives), 400 when it cannot be read as a form.
 */
export async function readForm(request: Request): Promise<FormData> {
  const length = Number(request.headers.get("Content-Length") ?? "0");
  if (Number.isFinite(length) && length > MAX_BODY_BYTES) throw respondError(413, "too_large");
  const body = await readLimited(request, MAX_BODY_BYTES);
  if (body === null) throw respondError(413, "too_large");
  const contentType = request.headers.get("Content-Type") ?? "application/x-www-form-urlencoded";
  if (!isWellFormedFormBody(body, contentType)) throw respondError(400, "bad_form");
  try {
    return await new Request(request.url, {
      method: "POST",
      headers: {
        "Content-Type": request.headers.get("Content-Type") ?? "application/x-www-form-urlencoded",
      },
      body: body as unknown as BodyInit,
    }).formData();
  } catch {
    throw respondError(400, "bad_form");
  }
}

/** The body as bytes, or null as soon as it exceeds `limit`. */
export async function readLimited(request: Request, limit: number): Promise<Uint8Array | null> {
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Responses

/** The response a token opens, or a 404 the error boundary explains. */
export async function requireResponse(
  context: AppLoadContext,
  token: string | undefined,
): Promise<LoadedResponse> {
  const response = token ? await loadResponse(context.db, token) : null;
  if (!response) throw respondError(404, "response_unknown");
  return response;
}

/**
 * Throws what a response that can no longer be changed gets: its receipt when submitted, 410
 * when its invitation was withdrawn or its survey closed (the answers stay saved).
 */
export function assertEditable(response: LoadedResponse, token: string): void {
  if (response.status === "submitted") throw redirect(`/r/${token}/done`);
  if (response.invitation?.status === "revoked") throw respondError(410, "invitation_revoked");
  const unavailable = responseAvailability(response);
  if (unavailable) throw unavailableError(unavailable, response.locale, true);
}

/**
 * The language of a questionnaire page is the response's: `?lang=xx` changes it (the header's
 * language switch), and a request in another language is redirected to the response's.
 */
export async function respondentLocale(
  context: AppLoadContext,
  request: Request,
  response: LoadedResponse,
): Promise<Locale> {
  const lang = langParam(request);
  if (lang) {
    if (lang !== response.locale && response.status === "in_progress") {
      await updateResponseState(context.db, response, { locale: lang });
    }
    return lang;
  }
  if ((await requestLocale(request)) !== response.locale) {
    const url = new URL(request.url);
    url.searchParams.set("lang", response.locale);
    throw redirect(`${url.pathname}${url.search}`);
  }
  return response.locale;
}

/** The language a request is shown in (for pages without a response). */
export async function requestLocale(request: Request): Promise<Locale> {
  return (await resolveLocale(request)).locale;
}

/** `?lang=xx` of a request, if it names a supported locale. */
export function langParam(request: Request): Locale | null {
  const lang = new URL(request.url).searchParams.get("lang");
  return isLocale(lang) ? lang : null;
}

/** The absolute address of a path on this site (PUBLIC_URL when set). */
export function absoluteUrl(request: Request, env: Pick<Env, "PUBLIC_URL">, path: string): string {
  const base = env.PUBLIC_URL ? env.PUBLIC_URL.replace(/\/+$/, "") : new URL(request.url).origin;
  return `${base}${path}`;
}

// ---------------------------------------------------------------------------------------------
// What the browser gets

const isLocalizedText = isLocalizedTextValue;

function mapTexts(
  value: unknown,
  text: (t: Record<string, string>) => Record<string, string>,
): unknown {
  if (isLocalizedText(value)) return text(value);
  if (Array.isArray(value)) return value.map((v) => mapTexts(v, text));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapTexts(v, text)]));
  }
  return value;
}

/**
 * The definition as the browser needs it: the texts of `pageKey` (or of every page when null)
 * in `locale` only, the other pages without texts (conditions and page schemas need their
 * questions, not their labels).
 */
export function definitionForBrowser(
  def: SurveyDefinition,
  locale: Locale,
  pageKey: string | null,
): SurveyDefinition {
  const one = (t: Record<string, string>) => ({ [locale]: t[locale] ?? t.en ?? "" });
  const none = () => ({});
  return {
    ...def,
    title: one(def.title),
    introduction: undefined,
    pages: def.pages.map((page) =>
      pageKey === null || page.key === pageKey
        ? (mapTexts(page, one) as typeof page)
        : (mapTexts(page, none) as typeof page),
    ),
  } as SurveyDefinition;
}

/** Answers of other pages that conditions look at: the only ones the page needs besides its own. */
export function answersForConditions(
  def: SurveyDefinition,
  answers: Readonly<Record<string, unknown>>,
  pageKey: string,
): Record<string, unknown> {
  const referenced = new Set<string>();
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (typeof value === "object" && value !== null) {
      const record = value as Record<string, unknown>;
      if (typeof record.question === "string") referenced.add(record.question);
      Object.values(record).forEach(walk);
    }
  };
  for (const q of allQuestions(def)) if (q.showIf) walk(q.showIf);
  const page = def.pages.find((p) => p.key === pageKey);
  const onPage = new Set(page?.questions.map((q) => q.key) ?? []);
  const out: Record<string, unknown> = {};
  for (const key of referenced) {
    if (!onPage.has(key) && Object.hasOwn(answers, key)) out[key] = answers[key];
  }
  return out;
}

const countryLists = new Map<string, Array<[string, string]>>();

/** Every country as (code, name) in `locale`, sorted by name. */
export function countryOptions(locale: Locale): Array<[string, string]> {
  let list = countryLists.get(locale);
  if (!list) {
    const names = new Intl.DisplayNames([locale], { type: "region", fallback: "code" });
    const collator = new Intl.Collator(locale);
    list = COUNTRY_CODES.map((code): [string, string] => [code, names.of(code) ?? code]).sort(
      (a, b) => collator.compare(a[1], b[1]),
    );
    countryLists.set(locale, list);
  }
  return list;
}

/** The names of the countries that appear in `answers` (for summaries). */
export function countryNamesIn(
  def: SurveyDefinition,
  answers: Readonly<Record<string, unknown>>,
  locale: Locale,
): Array<[string, string]> {
  const codes = new Set(
    allQuestions(def)
      .filter(asksForCountry)
      .map((q) => answers[q.key])
      .filter((v): v is string => typeof v === "string"),
  );
  return countryOptions(locale).filter(([code]) => codes.has(code));
}

export function formatDate(date: Date, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" }).format(date);
}

export function formatDateTime(date: Date, locale: Locale): string {
  const text = new Intl.DateTimeFormat(locale, {
    dateStyle: "long",
    timeStyle: "short",
    timeZone: "UTC",
  }).format(date);
  return `${text} UTC`;
}

// ---------------------------------------------------------------------------------------------
// Cookies

/**
 * Remembers the resume token of the anonymous responses started in this browser, by survey,
 * so the landing page can offer to continue. Signed, HTTP only.
 */
export function resumeCookie(env: Pick<Env, "SESSION_SECRET" | "NODE_ENV">) {
  return createCookie("nm_resume", {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure: env.NODE_ENV === "production",
    maxAge: 60 * 60 * 24 * 120,
    secrets: [env.SESSION_SECRET],
  });
}

/**
 * Marks the browser that submitted a response: the receipt shows the answers only there, so
 * that a forwarded personal link never shows someone's answers.
 */
export function receiptCookie(env: Pick<Env, "SESSION_SECRET" | "NODE_ENV">) {
  return createCookie("nm_receipt", {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure: env.NODE_ENV === "production",
    maxAge: 60 * 60 * 24 * 30,
    secrets: [env.SESSION_SECRET],
  });
}

/**
 * The proof, sent with the review page's submit form, that the poster had the review page of
 * this response open: an HMAC of its id. A repeat of that submit arriving after the first was
 * stored (a double click without JavaScript, where the browser may drop the first reply and its
 * receipt cookie) still marks the browser for the receipt; a link opened after the submission
 * has no review page, so no proof.
 */
export function submitProof(env: Pick<Env, "SESSION_SECRET">, responseId: string): string {
  return createHmac("sha256", env.SESSION_SECRET).update(`submit:${responseId}`).digest("base64url");
}

export function isSubmitProof(env: Pick<Env, "SESSION_SECRET">, responseId: string, value: unknown): boolean {
  if (typeof value !== "string") return false;
  const expected = Buffer.from(submitProof(env, responseId));
  const given = Buffer.from(value);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The value of a signed cookie that holds a list of strings (at most `max`, newest first). */
export async function readList(
  cookie: ReturnType<typeof createCookie>,
  request: Request,
): Promise<string[]> {
  const value: unknown = await cookie.parse(request.headers.get("Cookie")).catch(() => null);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

export async function addToList(
  cookie: ReturnType<typeof createCookie>,
  request: Request,
  item: string,
  max = 10,
): Promise<string> {
  const list = (await readList(cookie, request)).filter((v) => v !== item);
  return cookie.serialize([item, ...list].slice(0, max));
}

// The resume cookie holds `<surveyId>:<resume token>` entries, one per survey.

function isEntryOf(surveyId: number) {
  return (entry: string) => entry.startsWith(`${surveyId}:`);
}

/** The resume token this browser remembers for a survey, if any. */
export async function rememberedResume(
  env: Pick<Env, "SESSION_SECRET" | "NODE_ENV">,
  request: Request,
  surveyId: number,
): Promise<string | null> {
  const entry = (await readList(resumeCookie(env), request)).find(isEntryOf(surveyId));
  return entry?.slice(String(surveyId).length + 1) || null;
}

/** Set-Cookie that remembers `token` as this browser's response to the survey (replacing an earlier one). */
export async function rememberResume(
  env: Pick<Env, "SESSION_SECRET" | "NODE_ENV">,
  request: Request,
  surveyId: number,
  token: string,
): Promise<string> {
  const cookie = resumeCookie(env);
  const others = (await readList(cookie, request)).filter((e) => !isEntryOf(surveyId)(e));
  return cookie.serialize([`${surveyId}:${token}`, ...others].slice(0, 10));
}

/**
 * Set-Cookie that makes this browser forget its response to the survey (the cookie is deleted
 * when nothing else is left in it), or null when it remembers none.
 */
export async function forgetResume(
  env: Pick<Env, "SESSION_SECRET" | "NODE_ENV">,
  request: Request,
  surveyId: number,
): Promise<string | null> {
  const cookie = resumeCookie(env);
  const list = await readList(cookie, request);
  const rest = list.filter((e) => !isEntryOf(surveyId)(e));
  if (rest.length === list.length) return null;
  return rest.length > 0
    ? cookie.serialize(rest)
    : cookie.serialize([], { expires: new Date(0), maxAge: 0 });
}
