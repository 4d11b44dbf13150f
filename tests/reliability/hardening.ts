/**
 * Web hardening and output safety, checked over HTTP against the production server (two
 * instances on one database):
 *
 * - security headers: a Content-Security-Policy whose scripts run only with the per-request
 *   nonce (every inline script carries it), nosniff, Referrer-Policy, frame-ancestors;
 * - CSRF: every route with an action refuses a cross-site POST (Origin or Referer of another
 *   site, or Origin: null) with 403; session cookies are HttpOnly, SameSite=Lax, Secure;
 * - request body limits: 413 over the limit, 411 without a Content-Length;
 * - sessions end on sign-out and on a password change, also on the other instance;
 * - sign-in and submission rate limits are shared by the instances (kept in the database);
 * - text with HTML or script is shown escaped wherever answers appear (review, receipt,
 *   dashboards, free-text list, reports) and formula-like text is neutralised in exports.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import { sql } from "kysely";
import type { Db } from "#db/client";
import { saveAccount } from "~/server/users.server";
import { buildSubmissionSchema } from "~/survey/answer-schema";
import { answersToFormFields, fieldsGetAll, pageAnswersFromFormData } from "~/survey/form-data";
import type { Answers } from "~/survey/registry";
import { allQuestions } from "~/survey/schema";
import { visiblePages, visibleQuestionsOnPage } from "~/survey/visibility";
import { hasStackTrace } from "./lib/http";
import { chunkedBody, rawExchange, rawRequest } from "./lib/raw-http";
import { drawResponse, type LoadSurvey } from "./lib/respondents";

export interface Check {
  area: string;
  name: string;
  ok: boolean;
  detail: string;
}

const FORM = "application/x-www-form-urlencoded";
const SCRIPT = "<script>alert('nm-xss')</script>";
const IMG = `"><img src=x onerror=alert('nm-xss')>`;
const FORMULA = '=HYPERLINK("http://evil.example/","nm-formula")';

interface Raw {
  status: number;
  headers: Headers;
  text: string;
  location: string | null;
}

async function http(origin: string, method: string, p: string, init: { body?: BodyInit; headers?: Record<string, string> } = {}): Promise<Raw> {
  const res = await fetch(`${origin}${p}`, {
    method,
    body: init.body,
    headers: { "X-Forwarded-For": "198.18.0.1", ...init.headers },
    redirect: "manual",
  });
  return { status: res.status, headers: res.headers, text: await res.text(), location: res.headers.get("Location") };
}

/**
 * A POST on a connection of its own, whose body is sent with a Content-Length or chunked. The
 * server may answer while the body is still being written (413, 411) and close the connection:
 * the reply is read whatever happens to the writing, and the check fails only when no reply
 * arrives.
 */
async function rawPost(origin: string, p: string, body: string, options: { chunked?: boolean; contentType?: string } = {}): Promise<{ status: number; text: string; detail: string }> {
  const url = new URL(p, origin);
  const headers: Record<string, string> = { Host: url.host, "Content-Type": options.contentType ?? FORM, Origin: origin, Connection: "close" };
  if (options.chunked) headers["Transfer-Encoding"] = "chunked";
  else headers["Content-Length"] = String(Buffer.byteLength(body));
  const exchange = await rawExchange(url.hostname, Number(url.port), rawRequest("POST", url.pathname, headers, options.chunked ? chunkedBody(body) : body));
  const reply = exchange.replies[0];
  const detail = exchange.error ? `connection: ${exchange.error.code ?? exchange.error.message}` : "";
  if (!reply) return { status: 0, text: "", detail: `no reply${detail ? ` (${detail})` : ""}` };
  return { status: reply.status, text: reply.body, detail };
}

function cookieOf(res: Raw, name: string): { pair: string; attributes: string } | null {
  for (const c of res.headers.getSetCookie()) {
    if (c.startsWith(`${name}=`)) return { pair: c.split(";")[0], attributes: c };
  }
  return null;
}

/** Route files with an action, and their URL patterns (flat routes). */
export function actionRoutes(routesDir = "app/routes"): Array<{ id: string; pattern: string }> {
  const out: Array<{ id: string; pattern: string }> = [];
  for (const name of readdirSync(routesDir)) {
    if (!/\.(tsx|ts)$/.test(name)) continue;
    const text = readFileSync(path.join(routesDir, name), "utf8");
    if (!/export (async )?function action\b|export const action\b/.test(text)) continue;
    const id = name.replace(/\.(tsx|ts)$/, "");
    out.push({ id, pattern: flatPattern(id) });
  }
  return out;
}

function flatPattern(id: string): string {
  const segments: string[] = [];
  let current = "";
  let escaped = false;
  for (const ch of id) {
    if (ch === "[") escaped = true;
    else if (ch === "]") escaped = false;
    else if (ch === "." && !escaped) {
      segments.push(current);
      current = "";
    } else current += ch;
  }
  segments.push(current);
  return `/${segments
    .filter((s) => s !== "_index")
    .map((s) => (s.endsWith("_") ? s.slice(0, -1) : s))
    .map((s) => (s.startsWith("$") ? `:${s.slice(1)}` : s))
    .join("/")}`;
}

export interface HardeningContext {
  origins: [string, string];
  db: Db;
  surveys: LoadSurvey[];
  /** The group and survey used for the staff pages. */
  group: string;
  survey: LoadSurvey;
  /** Lines instance A wrote to stderr so far (errors). */
  errorsOfA: () => string[];
  /** Starts one more instance on the same database, with these environment variables. */
  startApp: (name: string, env: Record<string, string>) => Promise<{ origin: string; stop: () => Promise<void> }>;
}

export async function runHardeningChecks(ctx: HardeningContext): Promise<Check[]> {
  const checks: Check[] = [];
  const check = (area: string, name: string, ok: boolean, detail = "") => checks.push({ area, name, ok, detail });
  const [A, B] = ctx.origins;

  // --- Security headers -----------------------------------------------------------------------
  for (const p of ["/", `/s/${ctx.survey.slug}`, "/login"]) {
    const r = await http(A, "GET", p);
    const csp = r.headers.get("Content-Security-Policy") ?? "";
    const scriptSrc = /script-src ([^;]+)/.exec(csp)?.[1] ?? "";
    const nonce = /'nonce-([^']+)'/.exec(scriptSrc)?.[1] ?? "";
    const scripts = [...r.text.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]);
    const inlineWithoutNonce = scripts.filter((attrs) => !/\bsrc=/.test(attrs) && !attrs.includes(`nonce="${nonce}"`));
    check("headers", `GET ${p}: CSP allows scripts only from self and by nonce`, r.status === 200 && nonce.length >= 16 && !scriptSrc.includes("unsafe-inline") && !scriptSrc.includes("*"), scriptSrc);
    check("headers", `GET ${p}: every inline script carries the nonce (${scripts.length} scripts)`, scripts.length > 0 && inlineWithoutNonce.length === 0, inlineWithoutNonce.join(" | ").slice(0, 200));
    check("headers", `GET ${p}: frame-ancestors 'none', object-src 'none', base-uri 'self'`, /frame-ancestors 'none'/.test(csp) && /object-src 'none'/.test(csp) && /base-uri 'self'/.test(csp), csp);
    check("headers", `GET ${p}: X-Content-Type-Options nosniff, Referrer-Policy, X-Frame-Options`, r.headers.get("X-Content-Type-Options") === "nosniff" && Boolean(r.headers.get("Referrer-Policy")) && r.headers.get("X-Frame-Options") === "DENY", `${r.headers.get("Referrer-Policy")}`);
  }
  const n1 = /'nonce-([^']+)'/.exec((await http(A, "GET", "/")).headers.get("Content-Security-Policy") ?? "")?.[1];
  const n2 = /'nonce-([^']+)'/.exec((await http(A, "GET", "/")).headers.get("Content-Security-Policy") ?? "")?.[1];
  check("headers", "the CSP nonce is new on every request", Boolean(n1 && n2 && n1 !== n2));
  const notFound = await http(A, "GET", "/no/such/page");
  check("headers", "an unknown address gets a 404 page without a stack trace", notFound.status === 404 && !hasStackTrace(notFound.text));

  // --- CSRF on every action --------------------------------------------------------------------
  const params: Record<string, string> = {
    slug: ctx.survey.slug,
    group: ctx.group,
    survey: ctx.survey.slug,
    token: randomBytes(32).toString("base64url"),
    page: ctx.survey.def.pages[0].key,
    file: "1.yaml",
  };
  const actions = actionRoutes();
  const refused: string[] = [];
  const crossSiteVariants: Array<Record<string, string>> = [
    { Origin: "https://evil.example" },
    { Referer: "https://evil.example/page" },
    { Origin: "null" },
  ];
  for (const route of actions) {
    const p = route.pattern.replace(/:([A-Za-z]+)/g, (_m, name: string) => encodeURIComponent(params[name]));
    for (const headers of crossSiteVariants) {
      const r = await http(A, "POST", p, { body: "intent=x", headers: { "Content-Type": FORM, ...headers } });
      if (r.status === 403 && /cross-site/i.test(r.text)) refused.push(p);
      else check("csrf", `cross-site POST ${p} (${JSON.stringify(headers)})`, false, `got ${r.status}`);
    }
  }
  check("csrf", `every action (${actions.length} routes × 3 kinds of cross-site request) refuses cross-site POSTs with 403`, refused.length === actions.length * 3, `${refused.length} refused`);
  const sameSite = await http(A, "POST", `/s/${ctx.survey.slug}`, { body: "intent=x", headers: { "Content-Type": FORM, Origin: A } });
  check("csrf", "a same-origin POST is not refused", sameSite.status !== 403, `got ${sameSite.status}`);

  // --- Body limits -----------------------------------------------------------------------------
  const big = await rawPost(A, "/login", "x".repeat(3 * 1024 * 1024));
  check("limits", "a 3 MB body gets 413 with a message", big.status === 413 && /larger than/i.test(big.text), `${big.status} ${big.detail}`);
  const apiBig = await rawPost(
    A,
    `/api/surveys/${ctx.survey.slug}/responses`,
    JSON.stringify({ idempotencyKey: randomUUID(), locale: "en", answers: {}, pad: "x".repeat(1.5 * 1024 * 1024) }),
    { contentType: "application/json" },
  );
  check("limits", "a 1.5 MB JSON submission gets 413 JSON", apiBig.status === 413 && /"error"/.test(apiBig.text), `${apiBig.status} ${apiBig.text.slice(0, 100)} ${apiBig.detail}`);
  const chunked = await rawPost(A, "/login", "email=a%40b.c&password=x", { chunked: true });
  check("limits", "a body without Content-Length (chunked) gets 411", chunked.status === 411, `${chunked.status} ${chunked.detail}`);

  // --- Malformed addresses and methods: the client's mistake, not an error of the server ------
  const failuresBefore = ctx.errorsOfA().filter((l) => /request failed|unhandled/i.test(l)).length;
  for (const p of ["/%", `/s/%E0%A4%A`, "/staff/groups/%ff"]) {
    const r = await http(A, "GET", p, { headers: { Accept: "text/html" } });
    check("input", `GET ${p} answers 400 "malformed", no stack trace`, r.status === 400 && /malformed/i.test(r.text) && !hasStackTrace(r.text), `${r.status}`);
  }
  const a = new URL(A);
  for (const p of ["/", "/staff"]) {
    const { replies } = await rawExchange(a.hostname, Number(a.port), rawRequest("TRACE", p, { Host: a.host, Connection: "close" }));
    check("input", `TRACE ${p} answers 405 with Allow`, replies[0]?.status === 405 && Boolean(replies[0]?.headers.allow), `${replies[0]?.status ?? "no reply"}`);
  }
  const failuresAfter = ctx.errorsOfA().filter((l) => /request failed|unhandled/i.test(l)).length;
  check("input", "malformed addresses and TRACE are not logged as failures of the server", failuresAfter === failuresBefore, `${failuresAfter - failuresBefore} error lines`);

  // --- HTTPS only, and no caching of pages ------------------------------------------------------
  const home = await http(A, "GET", "/");
  check("headers", "Strict-Transport-Security (NODE_ENV=production)", /^max-age=\d{7,}/.test(home.headers.get("Strict-Transport-Security") ?? ""), home.headers.get("Strict-Transport-Security") ?? "none");
  const assetPath = /\/assets\/[\w.-]+\.js/.exec(home.text)?.[0];
  const asset = assetPath ? await http(A, "GET", assetPath) : null;
  check("headers", "static assets keep their long caching", Boolean(asset && asset.status === 200 && /immutable/.test(asset.headers.get("Cache-Control") ?? "") && !/no-store/.test(asset.headers.get("Cache-Control") ?? "")), `${assetPath} ${asset?.headers.get("Cache-Control")}`);

  // --- Accounts, sessions, sign-in limits across instances -------------------------------------
  const password = `pw-${randomUUID()}`;
  const email = `hardening-${randomUUID().slice(0, 8)}@example.org`;
  const created = await saveAccount(ctx.db, { email, password, role: "admin", groups: [], name: "Hardening Admin" }, { by: null, actor: "load-test" });
  if (!created.ok) throw new Error(`could not create the admin account: ${JSON.stringify(created.errors)}`);
  const signIn = async (origin: string, pw = password, ip = `198.18.1.${Math.floor(Math.random() * 200) + 1}`) =>
    http(origin, "POST", "/login", {
      body: new URLSearchParams({ email, password: pw, redirectTo: "/staff" }).toString(),
      headers: { "Content-Type": FORM, Origin: origin, "X-Forwarded-For": ip },
    });
  const s1 = await signIn(A);
  const session = cookieOf(s1, "needsmap_session");
  check("cookies", "the session cookie is HttpOnly, SameSite=Lax, Secure, Path=/", Boolean(session && /HttpOnly/i.test(session.attributes) && /SameSite=Lax/i.test(session.attributes) && /Secure/i.test(session.attributes) && /Path=\//.test(session.attributes)), session?.attributes.replace(/=[^;]+/, "=…") ?? "no cookie");
  const staffOn = async (origin: string, cookie: string) => (await http(origin, "GET", "/staff", { headers: { Cookie: cookie } })).status;
  check("sessions", "a session opened on instance A works on instance B", session !== null && (await staffOn(B, session.pair)) === 200);
  await http(B, "POST", "/logout", { headers: { Cookie: session!.pair, Origin: B, "Content-Type": FORM }, body: "" });
  check("sessions", "signed out on B, the session no longer opens staff pages on A", (await staffOn(A, session!.pair)) === 302);

  const keep = cookieOf(await signIn(A), "needsmap_session")!.pair;
  const other = cookieOf(await signIn(B), "needsmap_session")!.pair;
  const newPassword = `new-${randomUUID()}`;
  const changed = await http(A, "POST", "/staff/account", {
    body: new URLSearchParams({ currentPassword: password, newPassword }).toString(),
    headers: { Cookie: keep, Origin: A, "Content-Type": FORM },
  });
  check("sessions", "after a password change the other sessions end (on both instances) and this one stays", changed.status === 302 && (await staffOn(B, other)) === 302 && (await staffOn(A, other)) === 302 && (await staffOn(B, keep)) === 200, `change ${changed.status}`);

  const attempts: number[] = [];
  for (let i = 0; i < 6; i++) attempts.push((await signIn(i % 2 ? B : A, "wrong-password", "198.18.2.1")).status);
  const afterLock = (await signIn(A, newPassword, "198.18.2.1")).status;
  const elsewhere = (await signIn(B, newPassword, "198.18.2.99")).status;
  check("rate limits", "failed sign-ins from one address on alternating instances share one counter: the 5th locks the account from that address (429), even for the right password; the owner still signs in from another address", attempts.slice(0, 4).every((s) => s === 400) && attempts[4] === 429 && attempts[5] === 429 && afterLock === 429 && elsewhere === 302, `statuses ${attempts.join(",")}; right password then ${afterLock}, from elsewhere ${elsewhere}`);
  // Every attempt is counted before its password is checked: of a parallel burst on both
  // instances, at most 4 get "wrong password" (the 5th checked one already says 429), and the
  // right password sent after the burst is refused.
  const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => signIn(i % 2 ? B : A, "wrong-password", "198.18.2.50")));
  const burstStatuses = burst.map((r) => r.status);
  const afterBurst = (await signIn(A, newPassword, "198.18.2.50")).status;
  check("rate limits", "a parallel burst of 20 wrong passwords from one address on both instances gets at most 5 checked; the right password after it is refused (429)", burstStatuses.filter((s) => s === 400).length <= 4 && burstStatuses.every((s) => s === 400 || s === 429) && afterBurst === 429, `statuses ${burstStatuses.join(",")}; right password then ${afterBurst}`);

  // --- Client address: X-Forwarded-For counts only from a trusted proxy -------------------------
  checks.push(...(await clientAddressChecks(ctx)));

  // --- Output safety ---------------------------------------------------------------------------
  const safety = await outputSafety(ctx, A, B, keep);
  checks.push(...safety);

  // --- Submission limit across instances ------------------------------------------------------
  // The counter of one address is brought near the limit, then starts alternate between the
  // instances: the one over the limit is refused wherever it arrives.
  const ip = "198.18.3.1";
  await sql`insert into rate_limits (key, window_start, count) values (${`respond:address:${ip}`}, now(), 297)
    on conflict (key) do update set count = 297, window_start = now()`.execute(ctx.db);
  const starts: number[] = [];
  let refusal = "";
  for (let i = 0; i < 4; i++) {
    const origin = i % 2 ? B : A;
    const r = await http(origin, "POST", `/s/${ctx.survey.slug}`, {
      body: new URLSearchParams({ intent: "start", idempotencyKey: randomUUID(), locale: "en" }).toString(),
      headers: { "Content-Type": FORM, Origin: origin, "X-Forwarded-For": ip },
    });
    starts.push(r.status);
    if (r.status === 429) refusal = r.text;
  }
  const otherAddress = await http(A, "POST", `/s/${ctx.survey.slug}`, {
    body: new URLSearchParams({ intent: "start", idempotencyKey: randomUUID(), locale: "en" }).toString(),
    headers: { "Content-Type": FORM, Origin: A, "X-Forwarded-For": "198.18.3.2" },
  });
  check(
    "rate limits",
    "starts from one address on alternating instances share one counter: the 301st in an hour gets 429 with an explanation; another address is not affected",
    starts.join(",") === "302,302,302,429" && /too many/i.test(refusal) && otherAddress.status === 302,
    `statuses ${starts.join(",")}, other address ${otherAddress.status}`,
  );
  return checks;
}

/**
 * With TRUST_PROXY unset, an X-Forwarded-For from a loopback peer (the harness) is ignored: the
 * submission limit and the audit log see the connection's address. Instances A and B run with
 * TRUST_PROXY=loopback, where the checks above (rate limits per forwarded address) show the
 * documented opposite.
 */
async function clientAddressChecks(ctx: HardeningContext): Promise<Check[]> {
  const checks: Check[] = [];
  const check = (name: string, ok: boolean, detail = "") => checks.push({ area: "client address", name, ok, detail });
  const appC = await ctx.startApp("app C (TRUST_PROXY unset)", { TRUST_PROXY: "" });
  const C = appC.origin;
  try {
    const spoofed = "198.18.7.7";
    const counter = async (ip: string) =>
      Number((await ctx.db.selectFrom("rate_limits").select("count").where("key", "=", `respond:address:${ip}`).executeTakeFirst())?.count ?? 0);
    const before = await counter("127.0.0.1");
    const started = await http(C, "POST", `/s/${ctx.survey.slug}`, {
      body: new URLSearchParams({ intent: "start", idempotencyKey: randomUUID(), locale: "en" }).toString(),
      headers: { "Content-Type": FORM, Origin: C, "X-Forwarded-For": spoofed },
    });
    const after = await counter("127.0.0.1");
    check(
      "TRUST_PROXY unset: a start with a spoofed X-Forwarded-For counts against the connection's address (127.0.0.1), not the spoofed one",
      started.status === 302 && after === before + 1 && (await counter(spoofed)) === 0,
      `status ${started.status}, 127.0.0.1 ${before} → ${after}, spoofed ${await counter(spoofed)}`,
    );

    const email = `address-${randomUUID().slice(0, 8)}@example.org`;
    const password = `pw-${randomUUID()}`;
    const saved = await saveAccount(ctx.db, { email, password, role: "admin", groups: [], name: "Address Check" }, { by: null, actor: "load-test" });
    if (!saved.ok) throw new Error(`could not create the account: ${JSON.stringify(saved.errors)}`);
    const signedIn = await http(C, "POST", "/login", {
      body: new URLSearchParams({ email, password, redirectTo: "/staff" }).toString(),
      headers: { "Content-Type": FORM, Origin: C, "X-Forwarded-For": spoofed },
    });
    const session = cookieOf(signedIn, "needsmap_session");
    await http(C, "POST", "/logout", { body: "", headers: { "Content-Type": FORM, Origin: C, Cookie: session?.pair ?? "", "X-Forwarded-For": spoofed } });
    const entry = await ctx.db
      .selectFrom("audit_log")
      .select("ip")
      .where("action", "=", "auth.signed_out")
      .where("user_id", "=", saved.id)
      .executeTakeFirst();
    check("TRUST_PROXY unset: the audit log records the connection's address, not a spoofed X-Forwarded-For", entry?.ip === "127.0.0.1", `sign-in ${signedIn.status}, audit ip ${entry?.ip ?? "no entry"}`);
  } finally {
    await appC.stop();
  }
  return checks;
}

/** Puts HTML, script and formula payloads into the text answers of a response. */
function withPayloads(survey: LoadSurvey, answers: Answers): Answers {
  const out: Record<string, unknown> = structuredClone(answers);
  const payloads = [SCRIPT, IMG, FORMULA];
  let i = 0;
  for (const q of allQuestions(survey.def)) {
    const value = out[q.key];
    if (value === undefined) continue;
    if (q.type === "text" || q.type === "long_text") out[q.key] = payloads[i++ % payloads.length];
    if (q.type === "need_list" && Array.isArray(value)) {
      out[q.key] = value.map((n: Record<string, unknown>) => ({ ...n, title: SCRIPT, description: FORMULA }));
    }
  }
  return out as Answers;
}

async function outputSafety(ctx: HardeningContext, A: string, B: string, staffCookie: string): Promise<Check[]> {
  const checks: Check[] = [];
  const check = (name: string, ok: boolean, detail = "") => checks.push({ area: "output", name, ok, detail });
  const survey = ctx.survey;
  const { locale, answers: drawn } = drawResponse(survey.def, 4242);
  const answers = buildSubmissionSchema(survey.def, locale).parse(withPayloads(survey, drawn));
  const payloadCount = JSON.stringify(answers).split("nm-xss").length - 1;
  const cookies = new Map<string, string>();
  const jar = (r: Raw) => {
    for (const c of r.headers.getSetCookie()) {
      const pair = c.split(";")[0];
      cookies.set(pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1));
    }
    return r;
  };
  const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  const post = async (origin: string, p: string, body: URLSearchParams) =>
    jar(await http(origin, "POST", p, { body: body.toString(), headers: { "Content-Type": FORM, Origin: origin, Cookie: cookieHeader(), "X-Forwarded-For": "198.18.4.1" } }));
  const get = async (origin: string, p: string, cookie = cookieHeader()) => jar(await http(origin, "GET", p, { headers: { Cookie: cookie } }));

  const start = await post(A, `/s/${survey.slug}`, new URLSearchParams({ intent: "start", idempotencyKey: randomUUID(), locale }));
  const token = /^\/r\/([^/?]+)/.exec(start.location ?? "")?.[1] ?? "";
  const pages = visiblePages(survey.def, answers);
  for (const [i, page] of pages.entries()) {
    const fields = answersToFormFields(visibleQuestionsOnPage(survey.def, page.key, answers), answers);
    pageAnswersFromFormData(survey.def, page.key, fieldsGetAll(fields));
    const body = new URLSearchParams();
    for (const [k, vs] of Object.entries(fields)) for (const v of vs) body.append(k, v);
    body.append("intent", i === pages.length - 1 ? "review" : "next");
    await post(i % 2 ? B : A, `/r/${token}/p/${page.key}`, body);
  }
  // Markup would be the payload's own `<`; escaped it is &lt; in HTML or \u003c in the data script.
  const unsafe = (html: string) => html.includes(SCRIPT) || html.includes("<img src=x");
  const escapedShown = (html: string) => html.includes("&lt;script&gt;alert(") || html.includes("\\u003cscript\\u003ealert(");
  const review = await get(B, `/r/${token}/review?lang=${locale}`);
  check(`review page shows ${payloadCount} script payloads escaped, never as markup`, review.status === 200 && escapedShown(review.text) && !unsafe(review.text), `${review.status}`);
  const noStore = (r: Raw) => r.headers.get("Cache-Control") === "private, no-store";
  check("the review page (answers) is Cache-Control: private, no-store", noStore(review), `${review.headers.get("Cache-Control")}`);
  const submitted = await post(A, `/r/${token}/review`, new URLSearchParams({ intent: "submit" }));
  const done = await get(B, `/r/${token}/done?lang=${locale}`);
  check("receipt shows the answers escaped", submitted.status === 302 && done.status === 200 && escapedShown(done.text) && !unsafe(done.text), `${submitted.status}/${done.status}`);
  check("the receipt is Cache-Control: private, no-store", noStore(done), `${done.headers.get("Cache-Control")}`);
  const personal = await get(A, `/i/${randomBytes(32).toString("base64url")}`);
  check("a personal-link page is Cache-Control: private, no-store", noStore(personal), `${personal.status} ${personal.headers.get("Cache-Control")}`);

  const base = `/staff/groups/${ctx.group}`;
  for (const p of [base, `${base}/texts`, `${base}/report`, "/staff/overview", "/staff/report", `${base}/surveys/${survey.slug}`]) {
    const r = await get(A, p, staffCookie);
    check(`GET ${p}: no payload as markup`, r.status === 200 && !unsafe(r.text), `${r.status}`);
    check(`GET ${p}: Cache-Control: private, no-store`, noStore(r), `${r.headers.get("Cache-Control")}`);
  }
  // Searched for, since the list is paged newest first and the load may have added many answers since.
  const texts = await get(B, `${base}/texts?q=${encodeURIComponent("alert(")}`, staffCookie);
  check("the free-text list shows the payload, escaped", escapedShown(texts.text), "");

  const exportBase = `${base}/surveys/${survey.slug}`;
  for (const file of ["export.csv", "export-long.csv", "needs.csv"]) {
    const r = await get(A, `${exportBase}/${file}`, staffCookie);
    const cells = r.text.split(/[\n,;]/);
    const raw = cells.filter((c) => /^"?=HYPERLINK/.test(c));
    const neutralised = cells.filter((c) => /^"?'=HYPERLINK/.test(c));
    const applicable = file !== "needs.csv" || r.text.includes("nm-formula");
    check(`${file}: formula-like text is neutralised`, r.status === 200 && raw.length === 0 && (!applicable || neutralised.length > 0), `${r.status}, ${neutralised.length} neutralised, ${raw.length} raw`);
  }
  const xlsx = await fetch(`${A}${exportBase}/export.xlsx`, { headers: { Cookie: staffCookie } });
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as unknown as ArrayBuffer);
  let formulas = 0;
  let neutralisedCells = 0;
  workbook.eachSheet((sheet) =>
    sheet.eachRow((row) =>
      row.eachCell((cell) => {
        if (cell.type === ExcelJS.ValueType.Formula) formulas++;
        if (typeof cell.value === "string" && cell.value.startsWith("'=HYPERLINK")) neutralisedCells++;
      }),
    ),
  );
  check("export.xlsx: no cell is a formula; the formula-like answer is text", xlsx.status === 200 && formulas === 0 && neutralisedCells > 0, `${formulas} formulas, ${neutralisedCells} neutralised`);
  return checks;
}
