import { createHash, randomBytes } from "node:crypto";
import { type AppLoadContext, createCookie, redirect } from "@remix-run/node";
import { sql } from "kysely";
import { jsonArrayFrom } from "kysely/helpers/postgres";
import type { Db } from "#db/client";
import type { LocalizedText, UserRole } from "#db/schema";
import type { Env } from "~/env.server";
import { audit } from "./audit.server";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "./password.server";
import { hit, pruneRateLimits, reset } from "./rate-limit.server";
import { countSignInAttempt, creditSignIn, type SignInScope } from "./sign-in-limits.server";

export { SIGN_IN_LIMITS, signInKeys } from "./sign-in-limits.server";

/** The signed-in staff member, as every staff loader and action sees them. */
export interface SessionUser {
  id: number;
  email: string;
  name: string;
  role: UserRole;
  /** Working groups assigned to the account (admins see every group whatever this holds). */
  groupIds: number[];
  groupSlugs: string[];
}

/** Sessions end after this long without a request… */
export const SESSION_IDLE_SECONDS = 12 * 60 * 60;
/** …and this long after sign-in in any case. */
export const SESSION_MAX_SECONDS = 7 * 24 * 60 * 60;
/** last_seen_at is written at most this often per session. */
export const SESSION_TOUCH_SECONDS = 60;

/** What the auth functions need from the load context. */
export type AuthContext = Pick<AppLoadContext, "db" | "env"> & { clientIp?: string };

export interface RequireOptions {
  /** For resource routes (downloads, JSON): answer 401 instead of redirecting to the sign-in page. */
  resource?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Cookie and session ids

const COOKIE_NAME = "needsmap_session";

/** The signed session cookie. Its value is the session id; the database holds only its hash. */
export function sessionCookie(env: Pick<Env, "SESSION_SECRET" | "NODE_ENV">) {
  return createCookie(COOKIE_NAME, {
    secrets: [env.SESSION_SECRET],
    httpOnly: true,
    sameSite: "lax",
    secure: env.NODE_ENV === "production",
    path: "/",
  });
}

export function hashSessionId(id: string): string {
  return createHash("sha256").update(id).digest("hex");
}

async function readSessionId(request: Request, env: AuthContext["env"]): Promise<string | null> {
  const header = request.headers.get("Cookie");
  if (!header || !header.includes(COOKIE_NAME)) return null;
  const value: unknown = await sessionCookie(env).parse(header);
  return typeof value === "string" && value.length > 0 ? value : null;
}

/** SHA-256 of the request's session id, or null: to keep the current session on a password change. */
export async function currentSessionHash(
  request: Request,
  context: AuthContext,
): Promise<string | null> {
  const id = await readSessionId(request, context.env);
  return id ? hashSessionId(id) : null;
}

export interface NewSession {
  /** The secret for the cookie. Never stored. */
  id: string;
  expiresAt: Date;
}

/** Opens a session for a user and returns the id to put in the cookie. */
export async function createSession(db: Db, userId: number): Promise<NewSession> {
  const id = randomBytes(32).toString("base64url");
  const row = await db
    .insertInto("sessions")
    .values({
      id_hash: hashSessionId(id),
      user_id: userId,
      expires_at: sql<Date>`now() + make_interval(secs => ${SESSION_MAX_SECONDS})`,
    })
    .returning("expires_at")
    .executeTakeFirstOrThrow();
  return { id, expiresAt: row.expires_at };
}

/** The Set-Cookie header value that hands a session to the browser. */
export function commitSession(env: AuthContext["env"], session: NewSession): Promise<string> {
  return sessionCookie(env).serialize(session.id, { expires: session.expiresAt });
}

/** The Set-Cookie header value that removes the session cookie. */
export function destroySessionCookie(env: AuthContext["env"]): Promise<string> {
  return sessionCookie(env).serialize("", { expires: new Date(0), maxAge: 0 });
}

/** Deletes sessions past their idle or absolute limit (of every user). */
export async function deleteExpiredSessions(db: Db): Promise<void> {
  await db
    .deleteFrom("sessions")
    .where((eb) =>
      eb.or([
        eb("expires_at", "<=", sql<Date>`now()`),
        eb("last_seen_at", "<=", sql<Date>`now() - make_interval(secs => ${SESSION_IDLE_SECONDS})`),
      ]),
    )
    .execute();
}

// ---------------------------------------------------------------------------------------------
// The current user

/** The user owning a session, if the session is valid; refreshes its last_seen_at. */
export async function userFromSession(db: Db, idHash: string): Promise<SessionUser | null> {
  const row = await db
    .selectFrom("sessions as s")
    .innerJoin("users as u", "u.id", "s.user_id")
    .select((eb) => [
      "u.id",
      "u.email",
      "u.name",
      "u.role",
      sql<boolean>`s.last_seen_at < now() - make_interval(secs => ${SESSION_TOUCH_SECONDS})`.as(
        "stale",
      ),
      jsonArrayFrom(
        eb
          .selectFrom("user_working_groups as ug")
          .innerJoin("working_groups as wg", "wg.id", "ug.working_group_id")
          .select(["wg.id", "wg.slug"])
          .whereRef("ug.user_id", "=", "u.id")
          .orderBy("wg.sort_order"),
      ).as("groups"),
    ])
    .where("s.id_hash", "=", idHash)
    .where("s.expires_at", ">", sql<Date>`now()`)
    .where("s.last_seen_at", ">", sql<Date>`now() - make_interval(secs => ${SESSION_IDLE_SECONDS})`)
    .where("u.disabled_at", "is", null)
    .executeTakeFirst();
  if (!row) return null;
  if (row.stale) {
    await db
      .updateTable("sessions")
      .set({ last_seen_at: sql<Date>`now()` })
      .where("id_hash", "=", idHash)
      .execute();
  }
  return toSessionUser(row);
}

function toSessionUser(row: {
  id: number;
  email: string;
  name: string;
  role: UserRole;
  groups: { id: number; slug: string }[];
}): SessionUser {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    groupIds: row.groups.map((g) => g.id),
    groupSlugs: row.groups.map((g) => g.slug),
  };
}

// One lookup per request, however many loaders ask.
const perRequest = new WeakMap<Request, Promise<SessionUser | null>>();

/** The signed-in user, or null. */
export function getOptionalUser(
  request: Request,
  context: AuthContext,
): Promise<SessionUser | null> {
  let pending = perRequest.get(request);
  if (!pending) {
    pending = readSessionId(request, context.env).then((id) =>
      id ? userFromSession(context.db, hashSessionId(id)) : null,
    );
    perRequest.set(request, pending);
  }
  return pending;
}

/** The path and query of a request, as a `redirectTo` value. */
function returnPath(request: Request): string {
  const url = new URL(request.url);
  url.searchParams.delete("_routes");
  return url.pathname + (url.searchParams.size ? `?${url.searchParams}` : "");
}

/** The sign-in page address that comes back to `path` afterwards. */
export function loginPath(path?: string): string {
  return path && path !== "/" ? `/login?${new URLSearchParams({ redirectTo: path })}` : "/login";
}

/**
 * The signed-in user. Otherwise throws a redirect to /login?redirectTo=<this page>, or a 401
 * Response with `{ resource: true }`.
 */
export async function requireUser(
  request: Request,
  context: AuthContext,
  options: RequireOptions = {},
): Promise<SessionUser> {
  const user = await getOptionalUser(request, context);
  if (user) return user;
  if (options.resource) {
    throw new Response("Sign-in required", {
      status: 401,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  throw redirect(loginPath(returnPath(request)));
}

function forbidden(): Response {
  return new Response("", { status: 403, statusText: "Forbidden" });
}

/** A signed-in admin. A coordinator gets a 403 Response. */
export async function requireAdmin(
  request: Request,
  context: AuthContext,
  options: RequireOptions = {},
): Promise<SessionUser> {
  const user = await requireUser(request, context, options);
  if (user.role !== "admin") throw forbidden();
  return user;
}

/** Whether a user may see a working group's data, by group id or slug. */
export function canAccessGroup(user: SessionUser | null, group: number | string): boolean {
  if (!user) return false;
  if (user.role === "admin") return true;
  return typeof group === "number"
    ? user.groupIds.includes(group)
    : user.groupSlugs.includes(group);
}

/** A signed-in user who may see the group (admin, or coordinator of the group); else 403. */
export async function requireGroupAccess(
  request: Request,
  context: AuthContext,
  group: number | string,
  options: RequireOptions = {},
): Promise<SessionUser> {
  const user = await requireUser(request, context, options);
  if (!canAccessGroup(user, group)) throw forbidden();
  return user;
}

export interface AccessibleGroup {
  id: number;
  slug: string;
  name: LocalizedText;
}

/** The working groups a user may see, in programme order: every group for admins. */
export async function listAccessibleGroups(db: Db, user: SessionUser): Promise<AccessibleGroup[]> {
  let q = db.selectFrom("working_groups").select(["id", "slug", "name"]).orderBy("sort_order");
  if (user.role !== "admin") {
    if (user.groupIds.length === 0) return [];
    q = q.where("id", "in", user.groupIds);
  }
  return q.execute();
}

/** A same-site path to go to after sign-in; anything else (other sites, `//host`) gives `fallback`. */
export function safeRedirect(
  to: FormDataEntryValue | string | null | undefined,
  fallback = "/staff",
): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\"))
    return fallback;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\\]/.test(to)) return fallback;
  return to;
}

// ---------------------------------------------------------------------------------------------
// Sign-in, sign-out, password change

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export type SignInResult =
  | { ok: true; user: SessionUser; session: NewSession }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "disabled" }
  | { ok: false; reason: "rate_limited"; retryAfter: number; scope: SignInScope };

/**
 * How sign-in and password change check a password: against the account's hash, or, without
 * an account, against a dummy hash in the same time. A property of an object so that tests can
 * wrap it to count or hold the checks; the app itself never replaces it.
 */
export const passwordVerification = {
  verify(password: string, hash: string | null): Promise<boolean> {
    return hash === null ? verifyAgainstDummy(password) : verifyPassword(password, hash);
  },
};

/**
 * Checks e-mail and password and opens a session. Every attempt is counted before the
 * password is checked (per account and address, per address, and on the account's daily
 * budget: see sign-in-limits.server.ts); over a limit nothing is checked until the window
 * ends. A right password gives its attempt back.
 */
export async function signIn(
  db: Db,
  input: { email: string; password: string; ip: string },
): Promise<SignInResult> {
  const email = normalizeEmail(input.email);
  const attempt = await countSignInAttempt(db, email, input.ip);
  if (!attempt.allowed)
    return {
      ok: false,
      reason: "rate_limited",
      retryAfter: attempt.retryAfter,
      scope: attempt.scope,
    };

  const user = await db
    .selectFrom("users")
    .select(["id", "password_hash", "disabled_at"])
    .where(sql<string>`lower(email)`, "=", email)
    .executeTakeFirst();
  const valid = await passwordVerification.verify(input.password, user?.password_hash ?? null);

  if (!valid || !user) {
    if (attempt.lastAllowed) return { ok: false, reason: "rate_limited", ...attempt.lastAllowed };
    return { ok: false, reason: "invalid" };
  }
  await creditSignIn(db, email, input.ip);
  if (user.disabled_at) return { ok: false, reason: "disabled" };

  // Housekeeping: expired sessions, and rate-limit counters of windows long over.
  await deleteExpiredSessions(db);
  await pruneRateLimits(db);
  const session = await createSession(db, user.id);
  const sessionUser = (await userFromSession(db, hashSessionId(session.id)))!;
  await audit(db, {
    user: sessionUser,
    action: "auth.signed_in",
    targetType: "user",
    targetId: user.id,
    ip: input.ip,
  });
  return { ok: true, user: sessionUser, session };
}

/** Ends the request's session (deletes its row) and returns the Set-Cookie header that clears the cookie. */
export async function signOut(request: Request, context: AuthContext): Promise<string> {
  const id = await readSessionId(request, context.env);
  if (id) {
    const user = await getOptionalUser(request, context);
    await context.db.deleteFrom("sessions").where("id_hash", "=", hashSessionId(id)).execute();
    perRequest.set(request, Promise.resolve(null));
    if (user) {
      await audit(context.db, {
        user,
        action: "auth.signed_out",
        targetType: "user",
        targetId: user.id,
        ip: context.clientIp,
      });
    }
  }
  return destroySessionCookie(context.env);
}

/** Deletes a user's sessions, except the one whose hash is `keep`. */
export async function deleteUserSessions(
  db: Db,
  userId: number,
  keep?: string | null,
): Promise<void> {
  let q = db.deleteFrom("sessions").where("user_id", "=", userId);
  if (keep) q = q.where("id_hash", "<>", keep);
  await q.execute();
}

/**
 * Stores a new password for a user and ends all of their sessions except `keepSessionHash`
 * (the current one when the user changes their own password).
 */
export async function setPassword(
  db: Db,
  userId: number,
  password: string,
  keepSessionHash?: string | null,
): Promise<void> {
  const password_hash = await hashPassword(password);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("users")
      .set({ password_hash, password_changed_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
      .where("id", "=", userId)
      .execute();
    await deleteUserSessions(trx, userId, keepSessionHash);
  });
}

const PASSWORD_CHANGE_LIMIT = { limit: 5, windowSeconds: 15 * 60 };

export type ChangePasswordResult =
  | { ok: true }
  | { ok: false; reason: "wrong_password" }
  | { ok: false; reason: "rate_limited"; retryAfter: number };

/**
 * Changes the signed-in user's own password after checking the current one. The session of
 * this request stays open; every other session of the user ends.
 */
export async function changeOwnPassword(
  request: Request,
  context: AuthContext,
  user: SessionUser,
  input: { currentPassword: string; newPassword: string },
): Promise<ChangePasswordResult> {
  const { db } = context;
  const key = `password-change:${user.id}`;
  // Counted before the check, like sign-in attempts, so that parallel guesses are counted too.
  const attempt = await hit(
    db,
    key,
    PASSWORD_CHANGE_LIMIT.limit,
    PASSWORD_CHANGE_LIMIT.windowSeconds,
  );
  if (!attempt.allowed)
    return { ok: false, reason: "rate_limited", retryAfter: attempt.retryAfter };
  const row = await db
    .selectFrom("users")
    .select("password_hash")
    .where("id", "=", user.id)
    .executeTakeFirstOrThrow();
  if (!(await passwordVerification.verify(input.currentPassword, row.password_hash))) {
    return { ok: false, reason: "wrong_password" };
  }
  await reset(db, key);
  await setPassword(db, user.id, input.newPassword, await currentSessionHash(request, context));
  await audit(db, {
    user,
    action: "auth.password_changed",
    targetType: "user",
    targetId: user.id,
    ip: context.clientIp,
  });
  return { ok: true };
}
