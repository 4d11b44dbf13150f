/**
 * Access-control matrix: every route module in app/routes, each of its loader and action, called
 * as five kinds of visitor, against the expectation table below. A route file without an entry
 * (or an entry without a file) fails the test, so a new route cannot be forgotten.
 *
 * Visitors: anonymous; a respondent holding a personal link (their token, no staff session); a
 * coordinator of another working group; a coordinator of the group the URL names; an admin.
 * Token routes (/i/:token, /r/:token/…) are called with the respondent's token by the respondent
 * and with a random token of the same shape by everyone else: whoever lacks the token gets 404.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commitSession, createSession, type SessionUser } from "~/server/auth.server";
import { hashToken as invitationHash, importInvitees } from "~/server/invitations.server";
import { createNeed } from "~/server/needs.server";
import { syncProgrammeCatalogue } from "~/server/programmes.server";
import { hashToken, startResponse } from "~/server/responses";
import { findSurvey } from "~/server/survey-admin.server";
import { syncSurveyDirectory } from "~/server/surveys.server";
import { saveAccount } from "~/server/users.server";
import { upsertWorkingGroups } from "~/server/working-groups.server";
import { createTestDatabase, type TestDatabase } from "./db";
import { testContext, testEnv } from "./remix";
import { call } from "./respond-helpers";

const ROUTES_DIR = path.resolve("app/routes");
const GROUP = "health";
const OTHER_GROUP = "energy";
const SURVEY = "health-needs-2026";
const OTHER_SURVEY = "energy-needs-2026";

const ROLES = ["anonymous", "respondent", "otherCoordinator", "coordinator", "admin"] as const;
type Role = (typeof ROLES)[number];

/**
 * What a visitor gets:
 * allow      the request passes the access check (2xx, a redirect elsewhere than the sign-in
 *            page, or a 4xx about the request itself such as a validation error);
 * login      redirected to the sign-in page (pages) or 401 (downloads, JSON);
 * forbidden  403;
 * notfound   404: the token opens nothing, or the survey is not in the group of the URL;
 * method     405: the route takes another method.
 */
type Outcome = "allow" | "login" | "forbidden" | "notfound" | "method";
type Expect = Record<Role, Outcome>;

const PUBLIC: Expect = { anonymous: "allow", respondent: "allow", otherCoordinator: "allow", coordinator: "allow", admin: "allow" };
const STAFF: Expect = { anonymous: "login", respondent: "login", otherCoordinator: "allow", coordinator: "allow", admin: "allow" };
const GROUP_ONLY: Expect = { anonymous: "login", respondent: "login", otherCoordinator: "forbidden", coordinator: "allow", admin: "allow" };
const ADMIN_ONLY: Expect = { anonymous: "login", respondent: "login", otherCoordinator: "forbidden", coordinator: "forbidden", admin: "allow" };
const TOKEN_HOLDER: Expect = { anonymous: "notfound", respondent: "allow", otherCoordinator: "notfound", coordinator: "notfound", admin: "notfound" };
/** A resource route of a group's survey that takes POST only: the access check comes first. */
const GROUP_NO_GET: Expect = { anonymous: "login", respondent: "login", otherCoordinator: "forbidden", coordinator: "method", admin: "method" };
const NOBODY: Expect = { anonymous: "notfound", respondent: "notfound", otherCoordinator: "notfound", coordinator: "notfound", admin: "notfound" };
const NO_GET: Expect = { anonymous: "method", respondent: "method", otherCoordinator: "method", coordinator: "method", admin: "method" };

/** The expectation for every route module, by route id (the file name without extension). */
const MATRIX: Record<string, { loader?: Expect; action?: Expect }> = {
  _index: { loader: PUBLIC },
  healthz: { loader: PUBLIC },
  login: { loader: PUBLIC, action: PUBLIC },
  logout: { loader: PUBLIC, action: PUBLIC },
  "s.$slug": { loader: PUBLIC, action: PUBLIC },
  "api.surveys.$slug.responses": { loader: NO_GET, action: PUBLIC },
  "i.$token": { loader: TOKEN_HOLDER, action: TOKEN_HOLDER },
  "r.$token._index": { loader: TOKEN_HOLDER },
  "r.$token.p.$page": { loader: TOKEN_HOLDER, action: TOKEN_HOLDER },
  "r.$token.autosave": { loader: NO_GET, action: TOKEN_HOLDER },
  "r.$token.review": { loader: TOKEN_HOLDER, action: TOKEN_HOLDER },
  "r.$token.saved": { loader: TOKEN_HOLDER, action: TOKEN_HOLDER },
  "r.$token.done": { loader: TOKEN_HOLDER },
  "staff._index": { loader: STAFF },
  "staff.account": { loader: STAFF, action: STAFF },
  "staff.overview": { loader: STAFF },
  "staff.report": { loader: STAFF },
  "staff.users": { loader: ADMIN_ONLY, action: ADMIN_ONLY },
  "staff.audit": { loader: ADMIN_ONLY },
  "staff.groups.$group._index": { loader: GROUP_ONLY },
  "staff.groups.$group.report": { loader: GROUP_ONLY, action: GROUP_ONLY },
  "staff.groups.$group.report[.docx]": { loader: GROUP_ONLY },
  "staff.groups.$group.texts": { loader: GROUP_ONLY, action: GROUP_ONLY },
  "staff.groups.$group.themes": { loader: GROUP_ONLY, action: GROUP_ONLY },
  "staff.groups.$group_.surveys._index": { loader: GROUP_ONLY },
  "staff.groups.$group_.surveys.new": { loader: GROUP_ONLY, action: GROUP_ONLY },
  "staff.groups.$group_.surveys.$survey._index": { loader: GROUP_ONLY, action: GROUP_ONLY },
  "staff.groups.$group_.surveys.$survey.edit": { loader: GROUP_ONLY, action: GROUP_ONLY },
  "staff.groups.$group_.surveys.$survey.diff": { loader: GROUP_ONLY },
  "staff.groups.$group_.surveys.$survey.preview": { loader: GROUP_ONLY },
  "staff.groups.$group_.surveys.$survey.emails": { loader: GROUP_ONLY, action: GROUP_ONLY },
  "staff.groups.$group_.surveys.$survey.invitations": { loader: GROUP_ONLY, action: GROUP_ONLY },
  "staff.groups.$group_.surveys.$survey.versions.$file": { loader: GROUP_ONLY },
  "staff.groups.$group_.surveys.$survey.links[.csv]": { action: GROUP_ONLY },
  "staff.groups.$group_.surveys.$survey.codebook[.csv]": { loader: GROUP_ONLY },
  "staff.groups.$group_.surveys.$survey.export[.csv]": { loader: GROUP_ONLY },
  "staff.groups.$group_.surveys.$survey.export[.json]": { loader: GROUP_ONLY },
  "staff.groups.$group_.surveys.$survey.export[.xlsx]": { loader: GROUP_ONLY },
  "staff.groups.$group_.surveys.$survey.export-long[.csv]": { loader: GROUP_ONLY },
  "staff.groups.$group_.surveys.$survey.needs[.csv]": { loader: GROUP_ONLY },
  "staff.groups.$group_.surveys.$survey.tags[.csv]": { loader: GROUP_ONLY },
  "staff.groups.$group_.surveys.$survey.builder": { loader: GROUP_ONLY, action: GROUP_ONLY },
  "staff.groups.$group_.surveys.$survey.check": { loader: GROUP_NO_GET, action: GROUP_ONLY },
  "staff.groups.$group_.surveys.$survey.consensus": { loader: GROUP_ONLY, action: GROUP_ONLY },
  "staff.groups.$group_.surveys.$survey.consensus[.csv]": { loader: GROUP_ONLY },
  // The fixture's survey has no second round: the round page opens for nobody.
  "r.$token.round": { loader: NOBODY, action: TOKEN_HOLDER },
  "outcomes.$group": { loader: PUBLIC },
  "staff.needs._index": { loader: STAFF, action: GROUP_ONLY },
  "staff.needs.$need": { loader: GROUP_ONLY, action: GROUP_ONLY },
  "staff.needs.figures": { loader: GROUP_ONLY },
  "staff.needs.gaps": { loader: STAFF },
  "staff.needs.new": { loader: STAFF, action: STAFF },
  "staff.needs.print": { loader: STAFF },
  "staff.needs.needs-register[.csv]": { loader: STAFF },
  "staff.needs.needs-register[.xlsx]": { loader: STAFF },
  "staff.programmes._index": { loader: STAFF },
  "staff.programmes.$code": { loader: STAFF, action: ADMIN_ONLY },
};

// ---------------------------------------------------------------------------------------------
// The route manifest, read from the file system as Remix's flat routes convention does

interface RouteFile {
  id: string;
  file: string;
  /** The URL pattern, e.g. /staff/groups/:group/surveys/:survey/export.csv */
  pattern: string;
}

const ROUTE_EXTENSIONS = /\.(tsx|ts|jsx|js)$/;

function routeFiles(): RouteFile[] {
  const out: RouteFile[] = [];
  for (const name of readdirSync(ROUTES_DIR)) {
    const full = path.join(ROUTES_DIR, name);
    if (statSync(full).isDirectory()) {
      // A folder route: app/routes/<id>/route.tsx
      const inner = readdirSync(full).find((f) => /^route\.(tsx|ts|jsx|js)$/.test(f));
      if (inner) out.push({ id: name, file: path.join(full, inner), pattern: urlPattern(name) });
      continue;
    }
    if (!ROUTE_EXTENSIONS.test(name) || /\.test\./.test(name)) continue;
    const id = name.replace(ROUTE_EXTENSIONS, "");
    out.push({ id, file: full, pattern: urlPattern(id) });
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

/** The URL pattern of a flat route id: dots separate segments, [..] escapes, $x is a parameter. */
export function urlPattern(id: string): string {
  const segments: string[] = [];
  let current = "";
  let escaped = false;
  let raw = "";
  const flush = () => {
    segments.push(raw.endsWith("_") && !raw.endsWith("]") ? current.slice(0, -1) : current);
    current = "";
    raw = "";
  };
  for (const ch of id) {
    if (ch === "[") escaped = true;
    else if (ch === "]") escaped = false;
    else if (ch === "." && !escaped) {
      flush();
      continue;
    } else current += ch;
    raw += ch;
  }
  flush();
  const parts = segments
    .filter((s) => s !== "_index" && !(s.startsWith("_") && s.length > 1))
    .map((s) => (s === "$" ? "*" : s.startsWith("$") ? `:${s.slice(1)}` : s));
  return `/${parts.join("/")}`;
}

// ---------------------------------------------------------------------------------------------
// Fixture

let t: TestDatabase;
let respondentToken: string;
let firstPage: string;
/** A need of the group the URL names (health), and a programme of the catalogue. */
let needId: number;
let programmeCode: string;
const staff: Partial<Record<Role, number>> = {};

beforeAll(async () => {
  t = await createTestDatabase();
  await upsertWorkingGroups(t.db);
  await syncSurveyDirectory(t.db, "surveys");
  const account = async (email: string, role: "admin" | "coordinator", groups: string[]) => {
    const r = await saveAccount(t.db, { email, password: "correct horse battery", role, groups, name: "" }, { by: null, actor: "test" });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    return r.id;
  };
  staff.admin = await account("admin@example.org", "admin", []);
  staff.coordinator = await account("health-coordinator@example.org", "coordinator", [GROUP]);
  staff.otherCoordinator = await account("energy-coordinator@example.org", "coordinator", [OTHER_GROUP]);

  // The respondent: a personal link issued as survey management issues them, and a response started with it.
  const group = await t.db.selectFrom("working_groups").select("id").where("slug", "=", GROUP).executeTakeFirstOrThrow();
  const survey = (await findSurvey(t.db, group.id, SURVEY))!;
  const report = await importInvitees(t.db, survey, "name,email\nAnna Petrova,anna@example.org\n", { user: null });
  respondentToken = report.links[0].token;
  const started = await startResponse(t.db, {
    surveySlug: SURVEY,
    idempotencyKey: randomUUID(),
    locale: "en",
    invitationToken: respondentToken,
  });
  if (!started.ok) throw new Error(`could not start the respondent's response: ${started.error}`);
  firstPage = started.firstPage;

  await syncProgrammeCatalogue(t.db, path.resolve("programmes/catalogue.yaml"));
  programmeCode = (await t.db.selectFrom("programmes").select("code").orderBy("sort_order").executeTakeFirstOrThrow()).code;
  const healthCoordinator: SessionUser = {
    id: staff.coordinator!,
    email: "health-coordinator@example.org",
    name: "",
    role: "coordinator",
    groupIds: [group.id],
    groupSlugs: [GROUP],
  };
  const need = await createNeed(
    t.db,
    healthCoordinator,
    {
      title_en: "Access to clinical trial networks",
      title_ru: "Доступ к сетям клинических исследований",
      description_en: "",
      description_ru: "",
      category: "",
      horizon: "short_term",
      owner: "",
      notes: "",
      groups: [String(group.id)],
    },
    null,
    { by: healthCoordinator },
  );
  if (!need.ok) throw new Error(`could not create the need: ${JSON.stringify(need.errors)}`);
  needId = need.id;
  // The group's outcome page is public once its survey shows it.
  await t.db.updateTable("surveys").set({ outcome_page: true }).where("id", "=", survey.id).execute();
}, 120_000);
afterAll(() => t?.close());

/** A random token of the same shape as a real one. */
const strangerToken = () => randomBytes(32).toString("base64url");

async function cookieFor(role: Role): Promise<string | undefined> {
  const id = staff[role];
  if (id === undefined) return undefined;
  const session = await createSession(t.db, id);
  return (await commitSession(testEnv, session)).split(";")[0];
}

function paramsFor(pattern: string, role: Role, overrides: Record<string, string> = {}): Record<string, string> {
  const values: Record<string, string> = {
    slug: SURVEY,
    group: GROUP,
    survey: SURVEY,
    token: role === "respondent" ? respondentToken : strangerToken(),
    page: firstPage,
    file: "1.yaml",
    need: String(needId),
    code: programmeCode,
    ...overrides,
  };
  const params: Record<string, string> = {};
  for (const m of pattern.matchAll(/:([A-Za-z]+)/g)) params[m[1]] = values[m[1]];
  return params;
}

function fillPattern(pattern: string, params: Record<string, string>): string {
  return pattern.replace(/:([A-Za-z]+)/g, (_m, name: string) => encodeURIComponent(params[name]));
}

/** The body each action gets: an ordinary request of the kind the page itself sends. */
function actionBody(id: string): { body: BodyInit; type: string } {
  if (id === "api.surveys.$slug.responses") {
    return { body: JSON.stringify({ idempotencyKey: randomUUID(), locale: "en", answers: {} }), type: "application/json" };
  }
  const form = new URLSearchParams();
  if (id === "s.$slug" || id === "i.$token") {
    form.set("intent", "start");
    form.set("idempotencyKey", randomUUID());
    form.set("locale", "en");
  } else if (id === "r.$token.autosave") {
    form.set("page", firstPage);
  } else if (id === "r.$token.p.$page") {
    form.set("intent", "autosave");
  } else if (id === "r.$token.review") {
    form.set("intent", "lang:en");
  } else if (id === "staff.needs._index") {
    // The register's settings name the group in the form.
    form.set("group", GROUP);
    form.set("intent", "access-matrix-probe");
  } else if (id === "login") {
    form.set("email", "nobody@example.org");
    form.set("password", "wrong password");
  } else {
    // An intent no route knows: passes the access check, then fails as a bad request.
    form.set("intent", "access-matrix-probe");
  }
  return { body: form, type: "application/x-www-form-urlencoded" };
}

/** Routes that name their working group in the query string rather than the path. */
const QUERY: Record<string, string> = {
  "staff.needs.figures": `group=${GROUP}`,
};

let ipCounter = 0;

async function request(
  route: RouteFile,
  kind: "loader" | "action",
  role: Role,
  overrides: Record<string, string> = {},
): Promise<{ status: number; location: string | null }> {
  const mod = (await import(pathToFileURL(route.file).href)) as Record<string, unknown>;
  const fn = mod[kind] as (args: LoaderFunctionArgs | ActionFunctionArgs) => unknown;
  const params = paramsFor(route.pattern, role, overrides);
  const query = QUERY[route.id] ? `?${QUERY[route.id]}` : "";
  const url = `http://localhost${fillPattern(route.pattern, params)}${query}`;
  const headers = new Headers({ "Accept-Language": "en" });
  const cookie = await cookieFor(role);
  if (cookie) headers.set("Cookie", cookie);
  let init: RequestInit = { headers };
  if (kind === "action") {
    const { body, type } = actionBody(route.id);
    headers.set("Content-Type", type);
    headers.set("Origin", "http://localhost");
    init = { method: "POST", headers, body };
  }
  // Each call from an address of its own, so that sign-in limits do not interfere.
  const clientIp = `203.0.113.${(ipCounter++ % 250) + 1}`;
  const out = await call(() => fn({ request: new Request(url, init), params, context: testContext(t.db, { clientIp }) }));
  // Downloads stream their body: read it so that nothing is left open.
  if (out.data instanceof Response) await out.data.body?.cancel();
  return { status: out.status, location: out.location };
}

function classify(r: { status: number; location: string | null }): Outcome | "error" {
  if (r.status >= 500) return "error";
  if (r.status === 401) return "login";
  if (r.status >= 300 && r.status < 400 && r.location && /^\/login(\?redirectTo=|$)/.test(r.location)) return "login";
  if (r.status === 403) return "forbidden";
  if (r.status === 404) return "notfound";
  if (r.status === 405) return "method";
  return "allow";
}

// ---------------------------------------------------------------------------------------------

const files = routeFiles();

describe("route manifest", () => {
  it("has an expectation for every route module and every loader and action it exports", async () => {
    const missing: string[] = [];
    for (const route of files) {
      const entry = MATRIX[route.id];
      if (!entry) {
        missing.push(`${route.id} (${route.pattern}): no entry in MATRIX`);
        continue;
      }
      const mod = (await import(pathToFileURL(route.file).href)) as Record<string, unknown>;
      for (const kind of ["loader", "action"] as const) {
        const exported = typeof mod[kind] === "function";
        if (exported && !entry[kind]) missing.push(`${route.id}: exports a ${kind} without an expectation`);
        if (!exported && entry[kind]) missing.push(`${route.id}: an expectation for a ${kind} it does not export`);
      }
    }
    for (const id of Object.keys(MATRIX)) {
      if (!files.some((f) => f.id === id)) missing.push(`${id}: in MATRIX but there is no such route file`);
    }
    expect(missing).toEqual([]);
  });

  it("derives URL patterns from flat route file names", () => {
    expect(urlPattern("staff.groups.$group_.surveys.$survey.export[.csv]")).toBe(
      "/staff/groups/:group/surveys/:survey/export.csv",
    );
    expect(urlPattern("r.$token._index")).toBe("/r/:token");
    expect(urlPattern("_index")).toBe("/");
    expect(urlPattern("api.surveys.$slug.responses")).toBe("/api/surveys/:slug/responses");
  });
});

describe("access matrix", () => {
  for (const route of files) {
    const entry = MATRIX[route.id];
    if (!entry) continue;
    for (const kind of ["loader", "action"] as const) {
      const expected = entry[kind];
      if (!expected) continue;
      it(`${kind === "loader" ? "GET " : "POST"} ${route.pattern}`, async () => {
        const got: Partial<Record<Role, string>> = {};
        for (const role of ROLES) {
          const r = await request(route, kind, role);
          const outcome = classify(r);
          got[role] = outcome === "error" ? `error ${r.status}` : outcome;
          if (process.env.MATRIX_DEBUG) console.log(kind, route.pattern, role, r.status, r.location);
        }
        expect(got).toEqual(expected);
      });
    }
  }
});

describe("cross-group access", () => {
  const surveyScoped = files.filter((f) => f.pattern.includes(":survey"));

  it("a coordinator reaches no survey of another group through the URL of their own group", async () => {
    const leaks: string[] = [];
    for (const route of surveyScoped) {
      for (const kind of ["loader", "action"] as const) {
        if (!MATRIX[route.id]?.[kind]) continue;
        const r = await request(route, kind, "otherCoordinator", { group: OTHER_GROUP, survey: SURVEY });
        if (classify(r) !== "notfound") leaks.push(`${kind} ${route.pattern}: ${r.status}`);
      }
    }
    expect(surveyScoped.length).toBeGreaterThan(10);
    expect(leaks).toEqual([]);
  });

  it("staff pages that span groups show a coordinator only their own groups", async () => {
    const { loader: home } = await import("~/routes/staff._index");
    const { loader: overview } = await import("~/routes/staff.overview");
    const cookie = await cookieFor("otherCoordinator");
    const args = (p: string) => ({
      request: new Request(`http://localhost${p}`, { headers: { Cookie: cookie! } }),
      params: {},
      context: testContext(t.db),
    });
    const homeData = JSON.stringify((await call(() => home(args("/staff")))).data);
    expect(homeData).toContain(OTHER_GROUP);
    expect(homeData).not.toContain(`"${GROUP}"`);
    const overviewData = JSON.stringify((await call(() => overview(args("/staff/overview")))).data);
    expect(overviewData).not.toContain(`"${GROUP}"`);
    expect(overviewData).not.toContain(SURVEY);
  });
});

describe("personal and resume tokens", () => {
  it("personal invitation tokens carry 256 random bits and only their SHA-256 is stored", async () => {
    const group = await t.db.selectFrom("working_groups").select("id").where("slug", "=", OTHER_GROUP).executeTakeFirstOrThrow();
    const survey = (await findSurvey(t.db, group.id, OTHER_SURVEY))!;
    const csv = ["name,email", ...Array.from({ length: 300 }, (_, i) => `Invitee ${i},invitee${i}@example.org`)].join("\n");
    const report = await importInvitees(t.db, survey, csv, { user: null });
    const tokens = report.links.map((l) => l.token);
    expect(tokens).toHaveLength(300);
    expect(new Set(tokens).size).toBe(300);
    const bytes: number[] = [];
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const raw = Buffer.from(token, "base64url");
      expect(raw.length * 8).toBeGreaterThanOrEqual(128);
      bytes.push(...raw);
    }
    // The bytes look uniform (chi-square over 256 values, 255 degrees of freedom; p < 1e-6 fails).
    const counts = new Array<number>(256).fill(0);
    for (const b of bytes) counts[b]++;
    const expected = bytes.length / 256;
    const chi2 = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(400);

    const stored = await t.db.selectFrom("invitations").select(["id", "token_hash"]).where("survey_id", "=", survey.id).execute();
    const hashes = new Set(stored.map((r) => r.token_hash));
    for (const token of tokens) expect(hashes.has(invitationHash(token))).toBe(true);
    expect(invitationHash(tokens[0])).toBe(hashToken(tokens[0]));
    await expectNowhereInDatabase([...tokens.slice(0, 20), respondentToken]);
  });

  it("resume tokens of anonymous responses carry 256 bits and only their SHA-256 is stored", async () => {
    const { action } = await import("~/routes/s.$slug");
    const tokens: string[] = [];
    for (let i = 0; i < 20; i++) {
      const form = new URLSearchParams({ intent: "start", idempotencyKey: randomUUID(), locale: "en" });
      const r = await call(() =>
        action({
          request: new Request(`http://localhost/s/${SURVEY}`, {
            method: "POST",
            body: form,
            headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "http://localhost" },
          }),
          params: { slug: SURVEY },
          context: testContext(t.db),
        }),
      );
      const token = /^\/r\/([^/?]+)/.exec(r.location ?? "")?.[1];
      expect(token).toBeTruthy();
      tokens.push(token!);
    }
    expect(new Set(tokens).size).toBe(tokens.length);
    for (const token of tokens) {
      expect(Buffer.from(token, "base64url").length * 8).toBeGreaterThanOrEqual(128);
      const row = await t.db.selectFrom("responses").select("id").where("resume_token_hash", "=", hashToken(token)).executeTakeFirst();
      expect(row).toBeTruthy();
    }
    await expectNowhereInDatabase(tokens);
  });
});

/** No table holds any of these strings in any column (tokens must only be stored as hashes). */
async function expectNowhereInDatabase(secrets: string[]) {
  const { sql } = await import("kysely");
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(t.db);
  const found: string[] = [];
  for (const { table_name } of tables.rows) {
    const rows = await sql<{ row: string }>`select t::text as row from ${sql.table(table_name)} t`.execute(t.db);
    for (const { row } of rows.rows) {
      for (const secret of secrets) if (row.includes(secret)) found.push(`${table_name}: ${secret.slice(0, 6)}…`);
    }
  }
  expect(found).toEqual([]);
}
