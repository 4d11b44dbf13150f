/**
 * Bad input: property-based fuzzing (fast-check) of every action with malformed requests —
 * wrong types, missing and extra fields, unknown question keys and option codes, huge strings
 * and bodies, invalid UTF-8, NUL characters and lone surrogates, deeply nested data, negative,
 * NaN and infinite numbers, a wrong survey version, forged idempotency keys, HTML and script
 * payloads. Every reply must be a 4xx with a clear message (never a 5xx), and nothing invalid
 * may be stored.
 *
 * FUZZ_RUNS sets the number of requests per action (default 10 000); FUZZ_SEED replays a run.
 */
import { randomUUID } from "node:crypto";
import path from "node:path";
import type { ActionFunctionArgs } from "@remix-run/node";
import fc from "fast-check";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { action as apiAction } from "~/routes/api.surveys.$slug.responses";
import { action as invitationAction } from "~/routes/i.$token";
import { action as loginAction } from "~/routes/login";
import { action as logoutAction } from "~/routes/logout";
import { action as autosaveAction } from "~/routes/r.$token.autosave";
import { action as pageAction } from "~/routes/r.$token.p.$page";
import { action as reviewAction } from "~/routes/r.$token.review";
import { action as startAction } from "~/routes/s.$slug";
import { action as accountAction } from "~/routes/staff.account";
import { action as reportAction } from "~/routes/staff.groups.$group.report";
import { action as textsAction } from "~/routes/staff.groups.$group.texts";
import { action as themesAction } from "~/routes/staff.groups.$group.themes";
import { action as surveyAction } from "~/routes/staff.groups.$group_.surveys.$survey._index";
import { action as builderAction } from "~/routes/staff.groups.$group_.surveys.$survey.builder";
import { action as editAction } from "~/routes/staff.groups.$group_.surveys.$survey.edit";
import { action as emailsAction } from "~/routes/staff.groups.$group_.surveys.$survey.emails";
import { action as invitationsAction } from "~/routes/staff.groups.$group_.surveys.$survey.invitations";
import { action as linksAction } from "~/routes/staff.groups.$group_.surveys.$survey.links[.csv]";
import { action as newSurveyAction } from "~/routes/staff.groups.$group_.surveys.new";
import { action as needAction } from "~/routes/staff.needs.$need";
import { action as needsAction } from "~/routes/staff.needs._index";
import { action as newNeedAction } from "~/routes/staff.needs.new";
import { action as programmeAction } from "~/routes/staff.programmes.$code";
import { action as usersAction } from "~/routes/staff.users";
import { commitSession, createSession } from "~/server/auth.server";
import { addDemoResponses } from "~/server/demo.server";
import { createNeed } from "~/server/needs.server";
import { PROGRAMME_FORM_FIELDS, syncProgrammeCatalogue } from "~/server/programmes.server";
import { isStorableText } from "~/server/request-text.server";
import { answersFromStoredRows, DRAFT_ITEM, startResponse } from "~/server/responses";
import { addVersion, syncSurveyDirectory } from "~/server/surveys.server";
import { upsertWorkingGroups } from "~/server/working-groups.server";
import { everyType } from "~/survey/__fixtures__/every-type";
import { buildSubmissionSchema } from "~/survey/answer-schema";
import { definitionHash } from "~/survey/load";
import { allQuestions, parseSurveyDefinition, type SurveyDefinition } from "~/survey/schema";
import { answersToRows } from "~/survey/storage";
import { createTestDatabase, type TestDatabase } from "./db";
import { accountWithSession } from "./manage-helpers";
import { testContext, testEnv } from "./remix";
import { createInvitation, createSurvey } from "./respond-helpers";
import { withErrorMapping } from "../../server/resilience";

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const MB = 1024 * 1024;
/** Generous: a request takes a few milliseconds, many more on a busy machine. */
const TIMEOUT = Math.max(60_000, RUNS * 200);

const OPEN = "fuzz-open";
const CLOSED = "fuzz-closed";
const INVITE_ONLY = "fuzz-invite";
const V2_ONLY_KEY = "v2_only";

let t: TestDatabase;
let v1: SurveyDefinition;
let v2: SurveyDefinition;
let pageToken: string;
let reviewToken: string;
let invitationToken: string;
let revokedToken: string;
let admin: { id: number; cookie: string };
let logoutUser: number;
/** A need of the register (energy group), whose page the fuzzer posts to. */
let needId: number;

async function sessionCookieFor(userId: number): Promise<string> {
  return (await commitSession(testEnv, await createSession(t.db, userId))).split(";")[0];
}
const usedKeys: string[] = [];

/** The answers of a complete, valid response to the every-type survey. */
const VALID: Record<string, unknown> = {
  org_type: "company",
  instruments: { selected: ["joint_calls"], other: "Travel grants" },
  satisfaction: 0,
  barriers: { visas: 4, customs: 2 },
  priorities: { funding: 1, access: 3, data: 2 },
  budget: 50000,
  project_name: "ERA-Net",
  comments: "Line one\nline two",
  project_end: "2027-06-30",
  partner_country: "FR",
  needs: [
    { id: "n1", title: "Joint call", description: "Two stages", category: "funding", horizon: "short_term", urgency: 5, importance: 4 },
  ],
  competences: { proposal_writing: { importance: 5, current: 2 }, ipr: { importance: 3, current: 3 } },
};

beforeAll(async () => {
  t = await createTestDatabase();
  await upsertWorkingGroups(t.db);
  const open = await createSurvey(t.db, everyType, { slug: OPEN });
  await createSurvey(t.db, everyType, { slug: CLOSED, status: "closed" });
  const inviteOnly = await createSurvey(t.db, everyType, { slug: INVITE_ONLY, accessMode: "invitation_only" });
  v1 = open.def;
  invitationToken = (await createInvitation(t.db, inviteOnly.id)).token;
  const revoked = await createInvitation(t.db, inviteOnly.id, "Revoked Person");
  await t.db.updateTable("invitations").set({ status: "revoked", revoked_at: new Date() }).where("id", "=", revoked.id).execute();
  revokedToken = revoked.token;

  // Two responses pinned to version 1: one whose pages are fuzzed, one whose submission is.
  const start = async () => {
    const r = await startResponse(t.db, { surveySlug: OPEN, idempotencyKey: randomUUID(), locale: "en" });
    if (!r.ok) throw new Error(r.error);
    return r;
  };
  pageToken = (await start()).token;
  const review = await start();
  reviewToken = review.token;
  // An answer that can never be submitted, kept as a draft: every submission of this response must fail.
  await t.db
    .insertInto("answers")
    .values({ response_id: review.responseId, survey_id: open.id, question_key: "org_type", item: DRAFT_ITEM, value_json: JSON.stringify("not-an-option") })
    .execute();

  // Version 2 of the survey has one more question: version-1 responses must never get it.
  const def2 = structuredClone(v1) as SurveyDefinition & { pages: Array<{ questions: unknown[] }> };
  def2.pages[1].questions.push({ key: V2_ONLY_KEY, type: "text", label: { en: "New", ru: "Новый" } });
  v2 = parseSurveyDefinition(def2);
  await addVersion(t.db, open.id, v2, definitionHash(v2), "", "file", null);

  // A submitted response whose idempotency key the fuzzer may reuse with other answers.
  for (let i = 0; i < 3; i++) {
    const key = randomUUID();
    const r = await apiCall(OPEN, JSON.stringify({ idempotencyKey: key, locale: "en", answers: VALID }));
    expect(r.status).toBe(201);
    usedKeys.push(key);
  }
  admin = await accountWithSession(t.db, "fuzz-admin@example.org", "admin", []);
  logoutUser = (await accountWithSession(t.db, "fuzz-logout@example.org", "coordinator", [])).id;

  // The needs register: bundled surveys with responses (figures to link), the programme
  // catalogue and one need.
  await syncSurveyDirectory(t.db, path.resolve("surveys"));
  await addDemoResponses(t.db, { perSurvey: 12 });
  await syncProgrammeCatalogue(t.db, path.resolve("programmes/catalogue.yaml"));
  const energy = await t.db.selectFrom("working_groups").select("id").where("slug", "=", "energy").executeTakeFirstOrThrow();
  const adminUser = { id: admin.id, email: "fuzz-admin@example.org", name: "fuzz-admin@example.org", role: "admin" as const, groupIds: [], groupSlugs: [] };
  const need = await createNeed(
    t.db,
    adminUser,
    { title_en: "Grid test beds", title_ru: "Испытательные стенды", description_en: "", description_ru: "", category: "", horizon: "short_term", owner: "", notes: "", groups: [String(energy.id)] },
    null,
    { by: adminUser },
  );
  if (!need.ok) throw new Error(JSON.stringify(need.errors));
  needId = need.id;
}, 240_000);
afterAll(() => t?.close());

// ---------------------------------------------------------------------------------------------
// Calling actions, wrapped as the server wraps them (server/resilience.ts)

interface Outcome {
  status: number;
  /** data() of the action, or null for a Response */
  data: unknown;
  response: Response | null;
}

function outcomeOf(r: unknown): Outcome | null {
  if (r instanceof Response) return { status: r.status, data: null, response: r };
  const d = r as { type?: string; data: unknown; init?: ResponseInit | null } | null;
  if (d && typeof d === "object" && d.type === "DataWithResponseInit") return { status: d.init?.status ?? 200, data: d.data, response: null };
  return null;
}

/** Calls an action as the server does; an exception that is neither a Response nor data() is what Remix answers with a 500. */
async function call(fn: () => unknown): Promise<Outcome> {
  try {
    const r = await fn();
    return outcomeOf(r) ?? { status: 200, data: r, response: null };
  } catch (e) {
    const o = outcomeOf(e);
    if (o) return o;
    const err = e as Error & { code?: string };
    return { status: 500, data: { exception: `${err.code ?? err.name}: ${err.message}` }, response: null };
  }
}

function apiCall(slug: string, body: string | Uint8Array, contentType = "application/json") {
  return call(() =>
    withErrorMapping(apiAction)({
      request: new Request(`http://localhost/api/surveys/${encodeURIComponent(slug)}/responses`, {
        method: "POST",
        body: body as BodyInit,
        headers: { "Content-Type": contentType, Origin: "http://localhost" },
      }),
      params: { slug },
      context: testContext(t.db),
    }),
  );
}

type Action = (args: ActionFunctionArgs) => unknown;

function formCall(action: Action, path: string, params: Record<string, string>, body: EncodedBody, cookie?: string) {
  const headers = new Headers({ Origin: "http://localhost", "Accept-Language": "en" });
  if (body.contentType) headers.set("Content-Type", body.contentType);
  if (cookie) headers.set("Cookie", cookie);
  return call(() =>
    withErrorMapping(action)({
      request: new Request(`http://localhost${path}`, { method: "POST", body: body.body as BodyInit, headers }),
      params,
      context: testContext(t.db, { clientIp: `192.0.2.${Math.floor(Math.random() * 250) + 1}` }),
    }),
  );
}

/** Whether a 4xx reply says what is wrong: an error text, a reason, field errors or problems. */
async function hasClearMessage(o: Outcome): Promise<boolean> {
  if (o.response) {
    const text = await o.response.clone().text();
    return text.trim().length > 0 || o.response.statusText.length > 0;
  }
  const d = o.data;
  if (d && typeof d === "object") {
    const record = d as Record<string, unknown>;
    if (typeof record.error === "string" && record.error.length > 0) return true;
    if (typeof record.reason === "string") return true;
    for (const k of ["errors", "problems", "formError", "problem", "error", "issues", "report", "message"]) {
      const v = record[k];
      if (v && (typeof v === "string" || (typeof v === "object" && Object.keys(v).length > 0))) return true;
    }
    return false;
  }
  return false;
}

/** The outcome is a 4xx reply with a clear message. */
async function expectClearRejection(o: Outcome, what: string) {
  if (o.status < 400 || o.status >= 500 || !(await hasClearMessage(o))) {
    const body = o.response ? await o.response.clone().text().catch(() => "") : JSON.stringify(o.data);
    throw new Error(`${what}: expected a 4xx with a message, got ${o.status} ${body?.slice(0, 300)}`);
  }
}

/** Never a 5xx; a 4xx has a clear message. */
async function expectNoServerError(o: Outcome, what: string) {
  if (o.status >= 500) throw new Error(`${what}: ${o.status} ${JSON.stringify(o.data)}`);
  if (o.status >= 400) await expectClearRejection(o, what);
}

/** Runs an action with `RUNS` generated inputs; exceptions (what Remix would answer with a 500) fail the property. */
async function fuzz<T>(arb: fc.Arbitrary<T>, check: (value: T) => Promise<void>, runs = RUNS) {
  await fc.assert(
    fc.asyncProperty(arb, async (value) => {
      await check(value);
    }),
    { numRuns: runs, seed: SEED, endOnFailure: true },
  );
}

// ---------------------------------------------------------------------------------------------
// Nasty values

const BIG = "x".repeat(MB + 10);
const HUGE_TEXT = "é".repeat(60_000);
const deepArray = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
const deepObject = (depth: number) => '{"a":'.repeat(depth) + "1" + "}".repeat(depth);

const nastyStrings = fc.constantFrom(
  "",
  " ",
  "NaN",
  "Infinity",
  "-Infinity",
  "-1",
  "-0",
  "1e309",
  "-1e309",
  "0x1F",
  "1e21",
  "9007199254740993",
  "null",
  "undefined",
  "true",
  "[]",
  "{}",
  "__proto__",
  "constructor",
  "a\u0000b",
  "\u0000",
  "\uD800",
  "x\uDFFFy",
  "\u202Egnp.exe",
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "javascript:alert(1)",
  '=HYPERLINK("http://example.com","x")',
  "+1+1",
  "@SUM(A1)",
  "'; drop table responses; --",
  "../../../../etc/passwd",
  "%00",
  "%FF%FE",
  "{{7*7}}",
  "${process.exit()}",
  "company ",
  "COMPANY",
  "ｃｏｍｐａｎｙ",
  "1".repeat(400),
  HUGE_TEXT,
);

const anyString = fc.oneof(
  { weight: 4, arbitrary: nastyStrings },
  { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 30 }) },
  { weight: 1, arbitrary: fc.double().map(String) },
  { weight: 1, arbitrary: fc.integer().map(String) },
);

/** Any JSON value, including numbers JSON.parse turns into Infinity and deep nesting. */
const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 2, arbitrary: anyString },
  { weight: 1, arbitrary: fc.constantFrom(-1, -0.5, 0, 1e308, -1e308, 2 ** 53 + 1, 3.14159, 1e-320) },
  { weight: 1, arbitrary: fc.integer({ min: 50, max: 3_000 }).map((d) => JSON.parse(deepArray(d)) as unknown) },
);

// ---------------------------------------------------------------------------------------------
// 1. The JSON API

/** Values each question of the every-type survey must refuse. */
const INVALID_VALUES: Record<string, unknown[]> = {
  org_type: ["nope", "<script>alert(1)</script>", 1, true, ["company"], { code: "company" }, "COMPANY", ""],
  instruments: [{ selected: ["nope"] }, { selected: "joint_calls" }, { selected: ["joint_calls", "co_funding", "mobility"] }, ["joint_calls"], { selected: [1] }],
  satisfaction: [-1, 11, 3.5, "5", "@@INF@@", "@@-INF@@", [5], { value: 5 }],
  barriers: [{ visas: 9 }, { visas: -1, customs: 2 }, { nope: 1, visas: 1, customs: 1 }, { visas: "4", customs: 2 }, [], "visas"],
  priorities: [{ funding: 1, access: 1, data: 2 }, { funding: 4, access: 3, data: 2 }, { funding: -1 }, { x: 1 }, [1, 2, 3]],
  budget: [-5, 1.5, 2_000_000, "@@INF@@", "50000", -0.0001],
  project_name: ["x".repeat(21), "line\nbreak", 42, ["ERA"], HUGE_TEXT],
  comments: ["y".repeat(51), { text: "x" }, HUGE_TEXT],
  project_end: ["2025-13-40", "2031-01-01", "2025-12-31", 20270630, "30/06/2027", "2027-02-30"],
  partner_country: ["XX", "France", 33, "fr ", "<b>FR</b>"],
  needs: [
    [{ id: "n1", title: "", category: "funding", horizon: "short_term", urgency: 5, importance: 4 }],
    [{ id: "n1", title: "T", category: "nope", horizon: "short_term", urgency: 5, importance: 4 }],
    [{ id: "n1", title: "T", category: "funding", horizon: "forever", urgency: 5, importance: 4 }],
    [{ id: "n1", title: "T", category: "funding", horizon: "short_term", urgency: 99, importance: 4 }],
    Array.from({ length: 4 }, (_, i) => ({ id: `n${i}`, title: "T", category: "funding", horizon: "short_term", urgency: 1, importance: 1 })),
    { id: "n1" },
  ],
  competences: [{ proposal_writing: { importance: 9, current: 2 } }, { proposal_writing: { importance: 5 } }, { nope: { importance: 1, current: 1 } }, [1, 2]],
};

const UNKNOWN_KEY = fc.oneof(
  fc.constantFrom(V2_ONLY_KEY + "_x", "__proto__", "constructor", "toString", "<script>", "org_type ", "ORG_TYPE", "q.org_type", "", "removed_question"),
  fc.string({ minLength: 1, maxLength: 40 }).filter((k) => !allQuestions(v2).some((q) => q.key === k)),
);

const VALID_KEY_CHARS = fc.constantFrom(..."abcdefABCDEF0123456789_.:-".split(""));
const IDEMPOTENCY_KEY_FORMAT = /^[A-Za-z0-9_.:-]{8,100}$/;
const BAD_IDEMPOTENCY_KEY: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ unit: VALID_KEY_CHARS, maxLength: 7 }),
  fc.string({ unit: VALID_KEY_CHARS, minLength: 101, maxLength: 300 }),
  fc.tuple(fc.string({ unit: VALID_KEY_CHARS, minLength: 8, maxLength: 40 }), fc.constantFrom(" ", "/", "'", '"', "<", "\u0000", "é", "\n", "%", "+"))
    .map(([s, c]) => `${s.slice(0, 4)}${c}${s.slice(4)}`),
  fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }), fc.object({ maxDepth: 1 })),
);

/** A generated value as a form field carries it (objects without a prototype have no String()). */
function asFormText(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

type ApiDefect =
  | { kind: "key"; value: unknown; omit: boolean }
  | { kind: "locale"; value: unknown; omit: boolean }
  | { kind: "answersType"; value: unknown; omit: boolean }
  | { kind: "unknownQuestion"; key: string; value: unknown }
  | { kind: "badValue"; key: string; value: unknown }
  | { kind: "missingRequired"; key: "org_type" | "barriers" }
  | { kind: "slug"; slug: string }
  | { kind: "invitation"; value: unknown }
  | { kind: "notJson"; how: "truncate" | "nan" | "trailing" | "single-quotes" | "garbage" | "deep"; at: number }
  | { kind: "utf8"; bytes: number[] }
  | { kind: "nul"; key: "project_name" | "comments" }
  | { kind: "surrogate"; key: "project_name" | "comments" }
  | { kind: "tooLarge" }
  | { kind: "forgedKey"; index: number; change: string };

const apiDefect = fc.oneof(
  fc.record({ kind: fc.constant("key" as const), value: BAD_IDEMPOTENCY_KEY, omit: fc.boolean() }),
  fc.record({
    kind: fc.constant("locale" as const),
    value: fc.oneof(anyJson, fc.constantFrom("EN", "en-GB", "de", "", " en", "ru\u0000")).filter((v) => v !== "en" && v !== "ru"),
    omit: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant("answersType" as const),
    value: fc.oneof(fc.array(anyJson, { maxLength: 3 }), anyString, fc.double(), fc.constant(null), fc.boolean()),
    omit: fc.boolean(),
  }),
  fc.record({ kind: fc.constant("unknownQuestion" as const), key: UNKNOWN_KEY, value: anyJson }),
  fc.constantFrom(...Object.keys(INVALID_VALUES)).chain((key) =>
    fc.record({
      kind: fc.constant("badValue" as const),
      key: fc.constant(key),
      value: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...INVALID_VALUES[key]) }, { weight: 1, arbitrary: fc.oneof(fc.boolean(), fc.array(fc.boolean(), { minLength: 1, maxLength: 3 })) }),
    }),
  ),
  fc.record({ kind: fc.constant("missingRequired" as const), key: fc.constantFrom("org_type" as const, "barriers" as const) }),
  fc.record({
    kind: fc.constant("slug" as const),
    slug: fc.oneof(
      fc.constantFrom(CLOSED, INVITE_ONLY, "FUZZ-OPEN", "fuzz-open ", "../fuzz-open", "fuzz-open%00", "x".repeat(81), "<script>", "", "nope"),
      fc.string({ maxLength: 20 }).filter((s) => s !== OPEN),
    ),
  }),
  fc.record({
    kind: fc.constant("invitation" as const),
    value: fc.oneof(fc.integer(), fc.constant(null), fc.array(fc.string()), fc.constantFrom("", "short", "A".repeat(43), revokedTokenPlaceholder(), invitationTokenPlaceholder())),
  }),
  fc.record({
    kind: fc.constant("notJson" as const),
    how: fc.constantFrom("truncate" as const, "nan" as const, "trailing" as const, "single-quotes" as const, "garbage" as const, "deep" as const),
    at: fc.nat(),
  }),
  fc.record({
    kind: fc.constant("utf8" as const),
    bytes: fc.constantFrom([0xff], [0xfe, 0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x80]),
  }),
  fc.record({ kind: fc.constant("nul" as const), key: fc.constantFrom("project_name" as const, "comments" as const) }),
  fc.record({ kind: fc.constant("surrogate" as const), key: fc.constantFrom("project_name" as const, "comments" as const) }),
  fc.constant({ kind: "tooLarge" as const }),
  fc.record({ kind: fc.constant("forgedKey" as const), index: fc.nat({ max: 2 }), change: fc.constantFrom("Other name", "<b>x</b>", "Z") }),
) as fc.Arbitrary<ApiDefect>;

// Tokens are known only after beforeAll: placeholders are replaced when the request is built.
function revokedTokenPlaceholder() {
  return "@revoked";
}
function invitationTokenPlaceholder() {
  return "@invitation";
}

interface ApiRequest {
  slug: string;
  body: string | Uint8Array;
}

function buildApiRequest(defects: ApiDefect[], extra: Record<string, unknown>, key: string): ApiRequest {
  const payload: Record<string, unknown> = { idempotencyKey: key, locale: "en", answers: structuredClone(VALID), ...extra };
  let slug = OPEN;
  let post: ((text: string) => string | Uint8Array) | null = null;
  const answers = () => payload.answers as Record<string, unknown>;
  // Defects inside the answers first, then those that replace whole fields, so that none undoes another.
  const topLevel = new Set(["key", "locale", "answersType", "slug", "invitation", "notJson", "utf8", "tooLarge"]);
  const ordered = [...defects.filter((d) => !topLevel.has(d.kind)), ...defects.filter((d) => topLevel.has(d.kind))];
  for (const d of ordered) {
    switch (d.kind) {
      case "key":
      case "locale":
      case "answersType": {
        const field = d.kind === "key" ? "idempotencyKey" : d.kind === "locale" ? "locale" : "answers";
        if (d.omit) delete payload[field];
        else payload[field] = d.value;
        break;
      }
      case "unknownQuestion":
        if (typeof payload.answers === "object" && payload.answers && !Array.isArray(payload.answers)) {
          Object.defineProperty(answers(), d.key, { value: d.value, enumerable: true, configurable: true, writable: true });
        } else payload.answers = { [d.key]: d.value };
        break;
      case "badValue":
        if (typeof payload.answers === "object" && payload.answers && !Array.isArray(payload.answers)) answers()[d.key] = d.value;
        else payload.answers = { ...VALID, [d.key]: d.value };
        break;
      case "missingRequired":
        if (typeof payload.answers === "object" && payload.answers && !Array.isArray(payload.answers)) delete answers()[d.key];
        break;
      case "slug":
        slug = d.slug;
        break;
      case "invitation":
        payload.invitationToken = d.value === "@revoked" ? revokedToken : d.value === "@invitation" ? "x" + invitationToken.slice(1) : d.value;
        break;
      case "nul":
        if (typeof payload.answers === "object" && payload.answers && !Array.isArray(payload.answers)) answers()[d.key] = "a\u0000b";
        else payload.answers = { ...VALID, [d.key]: "a\u0000b" };
        break;
      case "surrogate":
        if (typeof payload.answers === "object" && payload.answers && !Array.isArray(payload.answers)) answers()[d.key] = "a\uD800b";
        else payload.answers = { ...VALID, [d.key]: "a\uD800b" };
        break;
      case "forgedKey":
        payload.idempotencyKey = usedKeys[d.index];
        payload.answers = { ...VALID, project_name: d.change };
        break;
      case "notJson":
        post = (text) => {
          switch (d.how) {
            case "truncate":
              return text.slice(0, d.at % Math.max(1, text.length - 1));
            case "nan":
              return text.replace(/"satisfaction":0/, '"satisfaction":NaN').replace(/^\{/, '{"x":NaN,');
            case "trailing":
              return text.replace(/\}$/, ",}");
            case "single-quotes":
              return text.replace(/"/g, "'");
            case "garbage":
              return `${text}\u0000garbage`;
            case "deep":
              return `{"idempotencyKey":"${randomUUID()}","locale":"en","answers":${deepObject(200_000)}}`;
          }
        };
        break;
      case "utf8":
        post = (text) => {
          const bytes = new TextEncoder().encode(text);
          const at = text.indexOf("ERA-Net");
          const i = at >= 0 ? new TextEncoder().encode(text.slice(0, at)).length : 1;
          const out = new Uint8Array(bytes.length + d.bytes.length);
          out.set(bytes.subarray(0, i));
          out.set(d.bytes, i);
          out.set(bytes.subarray(i), i + d.bytes.length);
          return out;
        };
        break;
      case "tooLarge":
        payload.padding = BIG;
        break;
    }
  }
  // Numbers JSON.stringify cannot write (it would write null): JSON.parse reads 1e309 as Infinity.
  const text = JSON.stringify(payload).replaceAll('"@@INF@@"', "1e309").replaceAll('"@@-INF@@"', "-1e309");
  return { slug, body: post ? post(text) : text };
}

const extraFields = fc.dictionary(
  fc.constantFrom("surveyVersion", "version", "status", "reference", "id", "submittedAt", "<script>", "__proto__", "x"),
  anyJson,
  { maxKeys: 3 },
);

async function storedCounts() {
  const r = await sql<{ responses: number; answers: number; submitted: number }>`
    select (select count(*) from responses)::int as responses,
           (select count(*) from answers)::int as answers,
           (select count(*) from responses where status = 'submitted')::int as submitted`.execute(t.db);
  return r.rows[0];
}

describe(`fuzz: ${RUNS} malformed requests per action`, { timeout: TIMEOUT }, () => {
  it("the JSON API accepts a valid response and its retry (positive control)", async () => {
    const key = randomUUID();
    const body = JSON.stringify({ idempotencyKey: key, locale: "en", answers: VALID });
    expect((await apiCall(OPEN, body)).status).toBe(201);
    expect((await apiCall(OPEN, body)).status).toBe(200);
  });

  it("POST /api/surveys/:slug/responses: every malformed body gets a 4xx with a message; nothing is stored", async () => {
    const before = await storedCounts();
    await fuzz(
      fc.record({ defects: fc.array(apiDefect, { minLength: 1, maxLength: 3 }), extra: extraFields }),
      async ({ defects, extra }) => {
        const request = buildApiRequest(defects, extra, randomUUID());
        const o = await apiCall(request.slug, request.body);
        await expectClearRejection(o, `API ${JSON.stringify(defects).slice(0, 300)}`);
      },
    );
    expect(await storedCounts()).toEqual(before);
  });
});

// ---------------------------------------------------------------------------------------------
// 2. Form actions

interface EncodedBody {
  body: string | Uint8Array | FormData | undefined;
  contentType: string | null;
}

type Field = [string, string];

const encodings = fc.constantFrom(
  "urlencoded",
  "urlencoded",
  "urlencoded",
  "multipart",
  "raw-bytes",
  "json",
  "text",
  "none",
  "broken-multipart",
  "too-large",
);

function encode(fields: Field[], encoding: string, rawBytes: number[]): EncodedBody {
  switch (encoding) {
    case "urlencoded":
      return { body: new URLSearchParams(fields).toString(), contentType: "application/x-www-form-urlencoded" };
    case "multipart": {
      const form = new FormData();
      for (const [k, v] of fields) form.append(k, v);
      return { body: form, contentType: null };
    }
    case "raw-bytes": {
      // Percent-decoded bytes that are not UTF-8, or raw bytes in the body.
      const text = new URLSearchParams(fields).toString();
      const bytes = new TextEncoder().encode(text + "&q.project_name=");
      const out = new Uint8Array(bytes.length + rawBytes.length);
      out.set(bytes);
      out.set(rawBytes, bytes.length);
      return { body: out, contentType: "application/x-www-form-urlencoded" };
    }
    case "json":
      return { body: JSON.stringify(Object.fromEntries(fields)), contentType: "application/json" };
    case "text":
      return { body: fields.map(([k, v]) => `${k}=${v}`).join("\n"), contentType: "text/plain" };
    case "none":
      return { body: undefined, contentType: null };
    case "broken-multipart":
      return { body: "--xyz\r\nContent-Disposition: form-data; name=\"intent\"\r\n\r\nnext", contentType: "multipart/form-data; boundary=abc" };
    default:
      return { body: `intent=next&q.project_name=${BIG}`, contentType: "application/x-www-form-urlencoded" };
  }
}

const rawByteSeqs = fc.constantFrom<number[]>([0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0x25, 0x46, 0x46], [0x00]);

function fieldsArb(names: fc.Arbitrary<string>, maxLength = 10): fc.Arbitrary<Field[]> {
  return fc.array(fc.tuple(names, anyString), { maxLength });
}

const questionFieldNames = (def: SurveyDefinition) =>
  fc.oneof(
    fc.constantFrom(...allQuestions(def).map((q) => `q.${q.key}`)),
    fc.tuple(fc.constantFrom(...allQuestions(def).map((q) => q.key)), fc.constantFrom("other", "0.title", "0.category", "0.urgency", "visas", "funding", "proposal_writing.importance", "999.title", "-1.title", "__proto__", "a.b.c.d.e.f.g")).map(
      ([k, sub]) => `q.${k}.${sub}`,
    ),
    fc.constantFrom(`q.${V2_ONLY_KEY}`, "q.", "q..", "q.__proto__", "intent", "shown", "page", "idempotencyKey", "locale", "q[org_type]", "q.org_type[0][a][b]"),
    fc.string({ maxLength: 20 }),
  );

const INTENTS = fc.oneof(
  fc.constantFrom("next", "review", "back", "save", "autosave", "lang:ru", "lang:de", "lang:", "need:add:needs", "need:add:org_type", "need:remove:needs:0", "need:remove:needs:99", "rank:up:priorities:funding", "rank:down:priorities:nope", "rank:up:org_type:company", "submit", "start", ""),
  anyString,
);

async function responseRowsAreValid(token: string, def: SurveyDefinition) {
  const { hashToken } = await import("~/server/responses");
  const response = await t.db
    .selectFrom("responses")
    .select(["id", "status"])
    .where("resume_token_hash", "=", hashToken(token))
    .executeTakeFirstOrThrow();
  const rows = await t.db.selectFrom("answers").select(["question_key", "item", "value_json", "value_text"]).where("response_id", "=", response.id).execute();
  const keys = new Set(allQuestions(def).map((q) => q.key));
  const bad = rows.filter((r) => !keys.has(r.question_key));
  expect(bad).toEqual([]);
  return { status: response.status, rows };
}

describe(`fuzz: form actions (${RUNS} per action)`, { timeout: TIMEOUT }, () => {
  it("POST /s/:slug (start): every malformed start gets a 4xx with a message; no response is started", async () => {
    const before = await storedCounts();
    await fuzz(
      fc.record({
        intent: fc.oneof(fc.constant(null), INTENTS.filter((i) => i !== "start")),
        key: fc.oneof(fc.constant(null), BAD_IDEMPOTENCY_KEY.map(asFormText).filter((k) => !IDEMPOTENCY_KEY_FORMAT.test(k))),
        locale: fc.oneof(fc.constant(null), anyString.filter((l) => l !== "en" && l !== "ru")),
        which: fc.nat({ max: 2 }),
        extra: fieldsArb(fc.string({ maxLength: 10 }), 3),
        encoding: encodings,
        raw: rawByteSeqs,
        slug: fc.constantFrom(OPEN, OPEN, CLOSED, INVITE_ONLY, "nope"),
      }),
      async (v) => {
        // At least one defect: a wrong intent, a malformed key, or a wrong language.
        const fields: Field[] = [
          ["intent", v.which === 0 ? (v.intent ?? "") : "start"],
          ["idempotencyKey", v.which === 1 ? (v.key ?? "") : randomUUID()],
          ["locale", v.which === 2 ? (v.locale ?? "xx") : "en"],
          ...v.extra,
        ];
        const o = await formCall(startAction, `/s/${v.slug}`, { slug: v.slug }, encode(fields, v.encoding, v.raw));
        await expectClearRejection(o, `start ${JSON.stringify(v).slice(0, 200)}`);
      },
    );
    expect(await storedCounts()).toEqual(before);
  });

  it("POST /i/:token (start with a personal link): every malformed start gets a 4xx with a message; no response is started", async () => {
    const before = await storedCounts();
    await fuzz(
      fc.record({
        intent: INTENTS.filter((i) => i !== "start"),
        key: BAD_IDEMPOTENCY_KEY.map(asFormText).filter((k) => !IDEMPOTENCY_KEY_FORMAT.test(k)),
        locale: anyString.filter((l) => l !== "en" && l !== "ru"),
        which: fc.nat({ max: 3 }),
        extra: fieldsArb(fc.string({ maxLength: 10 }), 3),
        encoding: encodings,
        raw: rawByteSeqs,
        token: fc.constantFrom("own", "own", "revoked", "stranger", "short"),
      }),
      async (v) => {
        const token =
          v.token === "own" ? invitationToken : v.token === "revoked" ? revokedToken : v.token === "stranger" ? "A".repeat(43) : "abc";
        const fields: Field[] = [
          ["intent", v.which === 0 ? v.intent : "start"],
          ["idempotencyKey", v.which === 1 ? v.key : randomUUID()],
          ["locale", v.which === 2 ? v.locale : "en"],
          ...v.extra,
        ];
        // which = 3: only the link is wrong.
        const useToken = v.which === 3 && v.token === "own" ? "B".repeat(43) : token;
        const o = await formCall(invitationAction, `/i/${useToken}`, { token: useToken }, encode(fields, v.encoding, v.raw));
        await expectClearRejection(o, `invitation start ${JSON.stringify(v).slice(0, 200)}`);
      },
    );
    expect(await storedCounts()).toEqual(before);
  });

  it("POST /r/:token/p/:page: no request gets a 5xx; errors are explained; only the response's own questions are stored", async () => {
    const pages = v1.pages.map((p) => p.key);
    await fuzz(
      fc.record({
        page: fc.oneof(fc.constantFrom(...pages, ...pages, ...pages, "nope", "", "CHOICES", "../review"), fc.string({ maxLength: 10 })),
        intent: fc.oneof(fc.constant(null), INTENTS),
        fields: fieldsArb(questionFieldNames(v2), 12),
        encoding: encodings,
        raw: rawByteSeqs,
        shown: fc.option(anyString),
      }),
      async (v) => {
        const fields: Field[] = [...v.fields];
        if (v.intent !== null) fields.push(["intent", v.intent]);
        if (v.shown !== null) fields.push(["shown", v.shown]);
        const o = await formCall(pageAction, `/r/${pageToken}/p/${encodeURIComponent(v.page)}`, { token: pageToken, page: v.page }, encode(fields, v.encoding, v.raw));
        await expectNoServerError(o, `page ${JSON.stringify(v).slice(0, 300)}`);
      },
    );
    const { status } = await responseRowsAreValid(pageToken, v1);
    expect(status).toBe("in_progress");
  });

  it("POST /r/:token/autosave: no request gets a 5xx; errors are explained; only the response's own questions are stored", async () => {
    const pages = v1.pages.map((p) => p.key);
    await fuzz(
      fc.record({
        page: fc.oneof(fc.constantFrom(...pages, ...pages, "nope", ""), anyString),
        fields: fieldsArb(questionFieldNames(v2), 12),
        encoding: encodings,
        raw: rawByteSeqs,
      }),
      async (v) => {
        const fields: Field[] = [["page", v.page], ...v.fields];
        const o = await formCall(autosaveAction, `/r/${pageToken}/autosave`, { token: pageToken }, encode(fields, v.encoding, v.raw));
        if (o.response && o.status >= 400) {
          const body = (await o.response.clone().json()) as { error?: string };
          expect(typeof body.error).toBe("string");
        }
        await expectNoServerError(o, `autosave ${JSON.stringify(v).slice(0, 300)}`);
      },
    );
    const { status } = await responseRowsAreValid(pageToken, v1);
    expect(status).toBe("in_progress");
  });

  it("POST /r/:token/review: a response with an invalid answer is never submitted, whatever is posted", async () => {
    await fuzz(
      fc.record({ intent: fc.oneof(fc.constant("submit"), INTENTS), fields: fieldsArb(questionFieldNames(v2), 6), encoding: encodings, raw: rawByteSeqs }),
      async (v) => {
        const fields: Field[] = [["intent", v.intent], ...v.fields];
        const o = await formCall(reviewAction, `/r/${reviewToken}/review`, { token: reviewToken }, encode(fields, v.encoding, v.raw));
        await expectClearRejection(o, `review ${JSON.stringify(v).slice(0, 300)}`);
      },
    );
    const { status } = await responseRowsAreValid(reviewToken, v1);
    expect(status).toBe("in_progress");
  });

  it("POST /login: every malformed sign-in gets a 4xx with a message; no session is opened", async () => {
    const sessionCount = async () =>
      Number((await t.db.selectFrom("sessions").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
    const sessionsBefore = await sessionCount();
    await fuzz(
      fc.record({
        email: fc.oneof(fc.constant(null), anyString.filter((s) => !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(s))),
        password: fc.oneof(fc.constant(null), fc.constant(""), fc.constant("p".repeat(2_000)), anyString),
        redirectTo: fc.oneof(fc.constant(null), fc.constantFrom("//evil.example", "https://evil.example", "/\\evil", "javascript:alert(1)", "/staff")),
        extra: fieldsArb(fc.string({ maxLength: 10 }), 3),
        encoding: encodings,
        raw: rawByteSeqs,
      }),
      async (v) => {
        const fields: Field[] = [...v.extra];
        if (v.email !== null) fields.push(["email", v.email]);
        if (v.password !== null) fields.push(["password", v.password]);
        if (v.redirectTo !== null) fields.push(["redirectTo", v.redirectTo]);
        const o = await formCall(loginAction, "/login", {}, encode(fields, v.encoding, v.raw));
        await expectClearRejection(o, `login ${JSON.stringify(v).slice(0, 200)}`);
      },
    );
    expect(await sessionCount()).toBe(sessionsBefore);
  });
});

// ---------------------------------------------------------------------------------------------
// 3. Staff actions: signed in as an admin, so that the fuzzer reaches past the access checks

const STAFF_RUNS = Number(process.env.FUZZ_STAFF_RUNS ?? RUNS);

const NEED_FIELDS = ["title_en", "title_ru", "description_en", "description_ru", "category", "horizon", "owner", "notes", "groups"];
/** The address of a survey figure (see evidenceQuery in app/survey/register.ts). */
const EVIDENCE_FIELDS = ["group", "survey", "kind", "question", "code"];
/** The need's id in a path or parameter, once it exists. */
const withNeed = (s: string) => s.replace(":need", String(needId));

const STAFF_ACTIONS: Array<{ name: string; action: Action; path: string; params: Record<string, string>; intents: string[]; names: string[] }> = [
  { name: "POST /staff/account", action: accountAction, path: "/staff/account", params: {}, intents: [], names: ["currentPassword", "newPassword"] },
  { name: "POST /staff/users", action: usersAction, path: "/staff/users", params: {}, intents: ["save", "disable", "enable", "unlock"], names: ["id", "email", "name", "role", "password", "groups"] },
  { name: "POST /staff/groups/:group/themes", action: themesAction, path: "/staff/groups/energy/themes", params: { group: "energy" }, intents: ["create", "rename", "merge", "delete"], names: ["name", "theme", "into", "from"] },
  { name: "POST /staff/groups/:group/texts", action: textsAction, path: "/staff/groups/energy/texts", params: { group: "energy" }, intents: ["tag", "untag", "bulk-tag", "bulk-untag"], names: ["answer", "answers", "theme", "themes", "new_theme", "back"] },
  { name: "POST /staff/groups/:group/report", action: reportAction, path: "/staff/groups/energy/report", params: { group: "energy" }, intents: ["summary", "reset-summary", "comment"], names: ["text", "generated", "section"] },
  { name: "POST /staff/groups/:group/surveys/new", action: newSurveyAction, path: "/staff/groups/energy/surveys/new", params: { group: "energy" }, intents: [], names: ["source", "file"] },
  { name: "POST /staff/groups/:group/surveys/:survey", action: surveyAction, path: `/staff/groups/energy/surveys/${OPEN}`, params: { group: "energy", survey: OPEN }, intents: ["publish", "close", "reopen", "access", "dates"], names: ["accessMode", "opensAt", "closesAt"] },
  { name: "POST /staff/groups/:group/surveys/:survey/builder", action: builderAction, path: `/staff/groups/energy/surveys/${OPEN}/builder`, params: { group: "energy", survey: OPEN }, intents: ["preview", "save", "close", "refresh", "addPage", "conditionAnswers", "edit:0:0", "moveQuestion:0:1:-1", "addQuestion:0", "deleteQuestion:0:0"], names: ["state", "open", "addType.0", "q.label.en", "q.type", "confirmRemoval", "confirmKeys"] },
  { name: "POST /staff/groups/:group/surveys/:survey/edit", action: editAction, path: `/staff/groups/energy/surveys/${OPEN}/edit`, params: { group: "energy", survey: OPEN }, intents: [], names: ["source", "confirmRemoval", "confirmKeys"] },
  { name: "POST /staff/groups/:group/surveys/:survey/emails", action: emailsAction, path: `/staff/groups/energy/surveys/${OPEN}/emails`, params: { group: "energy", survey: OPEN }, intents: ["save-template", "reset-template", "send", "retry"], names: ["kind", "locale", "subject", "body"] },
  { name: "POST /staff/groups/:group/surveys/:survey/invitations", action: invitationsAction, path: `/staff/groups/energy/surveys/${OPEN}/invitations`, params: { group: "energy", survey: OPEN }, intents: ["import", "add", "revoke", "regenerate", "erase", "send-invitations", "send-reminders"], names: ["csv", "name", "email", "country", "organisation", "language", "id", "confirm"] },
  { name: "POST /staff/groups/:group/surveys/:survey/links.csv", action: linksAction, path: `/staff/groups/energy/surveys/${OPEN}/links.csv`, params: { group: "energy", survey: OPEN }, intents: ["download", "regenerate-all"], names: ["token", "confirm"] },
  { name: "POST /staff/needs", action: needsAction, path: "/staff/needs", params: {}, intents: ["outcome"], names: ["group", "shown"] },
  { name: "POST /staff/needs/new", action: newNeedAction, path: "/staff/needs/new", params: {}, intents: ["save", "link"], names: [...NEED_FIELDS, ...EVIDENCE_FIELDS, "need"] },
  { name: "POST /staff/needs/:need", action: needAction, path: "/staff/needs/:need", params: { need: ":need" }, intents: ["save", "status", "coverage", "unlink", "merge"], names: [...NEED_FIELDS, "status", "on_date", "reason", "programme", "fit", "note", "source"] },
  { name: "POST /staff/programmes/new", action: programmeAction, path: "/staff/programmes/new", params: { code: "new" }, intents: [], names: [...PROGRAMME_FORM_FIELDS] },
  { name: "POST /staff/programmes/:code", action: programmeAction, path: "/staff/programmes/horizon-europe", params: { code: "horizon-europe" }, intents: [], names: [...PROGRAMME_FORM_FIELDS] },
  { name: "POST /logout", action: logoutAction, path: "/logout", params: {}, intents: [], names: [] },
];

describe(`fuzz: staff actions (${STAFF_RUNS} per action)`, { timeout: TIMEOUT }, () => {
  for (const target of STAFF_ACTIONS) {
    it(`${target.name}: no request gets a 5xx; errors are explained`, async () => {
      const names = fc.oneof(fc.constantFrom("intent", ...target.names), fc.string({ maxLength: 12 }));
      const intent = target.intents.length ? fc.oneof(fc.constantFrom(...target.intents), anyString) : anyString;
      await fuzz(
        fc.record({ intent: fc.option(intent), fields: fieldsArb(names, 8), encoding: encodings, raw: rawByteSeqs }),
        async (v) => {
          const fields: Field[] = [...v.fields];
          if (v.intent !== null) fields.unshift(["intent", v.intent]);
          // Values that would make a valid change are disarmed: the fuzzer looks for crashes, not for ways to publish.
          const cookie = target.path === "/logout" ? await sessionCookieFor(logoutUser) : admin.cookie;
          const params = Object.fromEntries(Object.entries(target.params).map(([k, p]) => [k, withNeed(p)]));
          const o = await formCall(target.action, withNeed(target.path), params, encode(fields, v.encoding, v.raw), cookie);
          await expectNoServerError(o, `${target.name} ${JSON.stringify(v).slice(0, 300)}`);
        },
        STAFF_RUNS,
      );
    });
  }

  it("what the staff fuzzing stored is valid", async () => {
    const themes = await t.db.selectFrom("themes").select("name").execute();
    for (const { name } of themes) {
      expect(name.trim().length).toBeGreaterThan(0);
      expect(isStorableText(name)).toBe(true);
    }
    const users = await t.db.selectFrom("users").select("email").execute();
    for (const { email } of users) expect(email).toMatch(/^[^@\s]+@[^@\s]+$/);
    const needs = await t.db.selectFrom("needs").select("title").execute();
    for (const { title } of needs)
      for (const text of [title.en, title.ru]) {
        expect(text.trim().length).toBeGreaterThan(0);
        expect(isStorableText(text)).toBe(true);
      }
    const programmes = await t.db.selectFrom("programmes").select(["code", "url"]).execute();
    for (const { code, url } of programmes) {
      expect(code).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(url).toMatch(/^https:\/\//);
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe("stored answers after fuzzing", () => {
  it("every submitted response passes the submission schema of its version and has no draft rows", async () => {
    const responses = await t.db
      .selectFrom("responses")
      .innerJoin("survey_versions", "survey_versions.id", "responses.survey_version_id")
      .select(["responses.id", "responses.status", "responses.locale", "survey_versions.definition"])
      .execute();
    expect(responses.length).toBeGreaterThan(0);
    for (const r of responses) {
      const def = parseSurveyDefinition(r.definition);
      const rows = await t.db.selectFrom("answers").selectAll().where("response_id", "=", r.id).orderBy("id").execute();
      const keys = new Set(allQuestions(def).map((q) => q.key));
      expect(rows.filter((row) => !keys.has(row.question_key))).toEqual([]);
      if (r.status !== "submitted") continue;
      expect(rows.filter((row) => row.item === DRAFT_ITEM)).toEqual([]);
      const answers = answersFromStoredRows(def, rows);
      const parsed = buildSubmissionSchema(def, r.locale === "ru" ? "ru" : "en").safeParse(answers);
      expect(parsed.success).toBe(true);
      if (parsed.success) expect(answersToRows(def, parsed.data).length).toBe(rows.length);
    }
  });
});

