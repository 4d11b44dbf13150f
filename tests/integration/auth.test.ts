import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { translator } from "~/i18n/catalog";
import { loader as rootLoader } from "~/root";
import { action as loginAction, loader as loginLoader } from "~/routes/login";
import { action as logoutAction } from "~/routes/logout";
import { action as accountAction } from "~/routes/staff.account";
import { loader as staffLoader } from "~/routes/staff._index";
import { action as usersAction, loader as usersLoader } from "~/routes/staff.users";
import {
  canAccessGroup,
  getOptionalUser,
  requireAdmin,
  requireGroupAccess,
  requireUser,
  safeRedirect,
  sessionCookie,
  SIGN_IN_LIMITS,
  signInKeys,
} from "~/server/auth.server";
import { hashPassword, readablePassword, verifyPassword } from "~/server/password.server";
import { check, hit } from "~/server/rate-limit.server";
import { createLogger } from "~/server/logger.server";
import {
  DEMO_ADMIN_EMAIL,
  ensureDemoAdmin,
  saveAccount,
  setAccountDisabled,
} from "~/server/users.server";
import { upsertWorkingGroups } from "~/server/working-groups.server";
import { adminUrl as adminDatabaseUrl, withDatabase as databaseUrlWith } from "./database-urls";
import { createTestDatabase, type TestDatabase } from "./db";
import { actionArgs, cookieFrom, loaderArgs, testContext, testEnv } from "./remix";

const en = translator("en");
const PASSWORD = "correct horse battery";

let t: TestDatabase;
let ids: { admin: number; health: number; energy: number; other: number };
let groupIds: Record<string, number>;

beforeAll(async () => {
  t = await createTestDatabase();
  await upsertWorkingGroups(t.db);
  const groups = await t.db.selectFrom("working_groups").select(["id", "slug"]).execute();
  groupIds = Object.fromEntries(groups.map((g) => [g.slug, g.id]));
  const make = async (email: string, role: string, groups: string[]) => {
    const r = await saveAccount(
      t.db,
      { email, password: PASSWORD, role, groups, name: "" },
      { by: null, actor: "test" },
    );
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    return r.id;
  };
  ids = {
    admin: await make("admin@example.org", "admin", []),
    health: await make("health@example.org", "coordinator", ["health"]),
    energy: await make("energy@example.org", "coordinator", ["energy"]),
    other: await make("other@example.org", "coordinator", ["health", "mobility"]),
  };
});
afterAll(() => t?.close());

/** Status, data and headers of whatever an action returned: a Response or data(). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read into route data of several shapes
function outcome(r: unknown): { status: number; data: any; headers: Headers } {
  if (r instanceof Response) return { status: r.status, data: null, headers: r.headers };
  const d = r as { type?: string; data: unknown; init?: ResponseInit | null };
  if (d && d.type === "DataWithResponseInit") {
    return { status: d.init?.status ?? 200, data: d.data, headers: new Headers(d.init?.headers) };
  }
  return { status: 200, data: r, headers: new Headers() };
}

async function thrown(p: Promise<unknown>): Promise<Response> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(e instanceof Response)) throw new Error(`expected a thrown Response, got ${String(e)}`);
  return e;
}

let ipCounter = 0;
/** A client address of its own, so that tests do not share the per-address counter. */
const freshIp = () => `198.51.100.${++ipCounter}`;

async function signInAs(email: string, password = PASSWORD, ip = freshIp()) {
  const res = await loginAction(
    actionArgs(
      "/login",
      t.db,
      { email, password, redirectTo: "/staff" },
      { context: { clientIp: ip } },
    ),
  );
  return { res: outcome(res), raw: res };
}

async function cookieFor(email: string, password = PASSWORD): Promise<string> {
  const { raw } = await signInAs(email, password);
  if (!(raw instanceof Response))
    throw new Error(`sign-in failed: ${JSON.stringify(outcome(raw).data)}`);
  return cookieFrom(raw);
}

async function userFor(cookie: string) {
  return getOptionalUser(loaderArgs("/staff", t.db, { cookie }).request, testContext(t.db));
}

async function sessionCount(userId: number): Promise<number> {
  const r = await t.db
    .selectFrom("sessions")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("user_id", "=", userId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

async function sessionHashOf(cookie: string): Promise<string> {
  const id = (await sessionCookie(testEnv).parse(cookie)) as string;
  return createHash("sha256").update(id).digest("hex");
}

describe("password hashing", () => {
  it("encodes scrypt parameters, salt and hash, and verifies in constant time", async () => {
    const hash = await hashPassword("s3cret-enough");
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(await verifyPassword("s3cret-enough", hash)).toBe(true);
    expect(await verifyPassword("s3cret-enougH", hash)).toBe(false);
    expect(await hashPassword("s3cret-enough")).not.toBe(hash);
  });

  it("never matches a malformed hash", async () => {
    for (const bad of [
      "",
      "plain",
      "scrypt$1$2$3",
      "bcrypt$10$8$1$aa$bb",
      "scrypt$x$8$1$c2FsdA==$aGFzaA==",
    ]) {
      expect(await verifyPassword("anything", bad)).toBe(false);
    }
  });

  it("makes readable random passwords", () => {
    const p = readablePassword();
    expect(p).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    expect(readablePassword()).not.toBe(p);
  });
});

describe("rate limiter", () => {
  it("counts hits per key within a window and says when to retry", async () => {
    const key = `test:${Date.now()}`;
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await hit(t.db, key, 3, 60));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results.map((r) => r.remaining)).toEqual([2, 1, 0, 0]);
    expect(results[3].retryAfter).toBeGreaterThan(55);
    expect(results[3].retryAfter).toBeLessThanOrEqual(60);
    expect((await check(t.db, key, 3, 60)).allowed).toBe(false);
    expect((await check(t.db, `${key}:other`, 3, 60)).allowed).toBe(true);
  });

  it("starts a new window when the old one has passed", async () => {
    const key = `test-window:${Date.now()}`;
    await hit(t.db, key, 1, 60);
    expect((await hit(t.db, key, 1, 60)).allowed).toBe(false);
    await t.db
      .updateTable("rate_limits")
      .set({ window_start: sql<Date>`now() - interval '61 seconds'` })
      .where("key", "=", key)
      .execute();
    expect((await check(t.db, key, 1, 60)).allowed).toBe(true);
    const again = await hit(t.db, key, 1, 60);
    expect(again).toMatchObject({ allowed: true, count: 1 });
  });

  it("counts concurrent hits exactly", async () => {
    const key = `test-concurrent:${Date.now()}`;
    await Promise.all(Array.from({ length: 12 }, () => hit(t.db, key, 100, 60)));
    const row = await t.db
      .selectFrom("rate_limits")
      .select("count")
      .where("key", "=", key)
      .executeTakeFirstOrThrow();
    expect(row.count).toBe(12);
  });
});

describe("sign-in", () => {
  it("sets an HttpOnly, SameSite=Lax session cookie, stores only the id's hash and redirects", async () => {
    const before = await sessionCount(ids.health);
    const res = await loginAction(
      actionArgs(
        "/login",
        t.db,
        {
          email: "  Health@Example.ORG ",
          password: PASSWORD,
          redirectTo: "/staff/groups/health?tab=needs",
        },
        { context: { clientIp: freshIp() } },
      ),
    );
    expect(res).toBeInstanceOf(Response);
    const r = res as Response;
    expect(r.status).toBe(302);
    expect(r.headers.get("Location")).toBe("/staff/groups/health?tab=needs");
    const setCookie = r.headers.get("Set-Cookie")!;
    expect(setCookie).toMatch(/^needsmap_session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).toMatch(/Expires=/);
    expect(setCookie).not.toMatch(/Secure/i);
    expect(await sessionCount(ids.health)).toBe(before + 1);

    const cookie = cookieFrom(r);
    const hash = await sessionHashOf(cookie);
    const row = await t.db
      .selectFrom("sessions")
      .selectAll()
      .where("id_hash", "=", hash)
      .executeTakeFirstOrThrow();
    expect(row.user_id).toBe(ids.health);
    const days = (row.expires_at.getTime() - row.created_at.getTime()) / 86_400_000;
    expect(days).toBeCloseTo(7, 3);
    expect(
      await t.db
        .selectFrom("sessions")
        .select("id_hash")
        .where("id_hash", "=", cookie)
        .executeTakeFirst(),
    ).toBeUndefined();

    const user = await userFor(cookie);
    expect(user).toEqual({
      id: ids.health,
      email: "health@example.org",
      name: "",
      role: "coordinator",
      groupIds: [groupIds.health],
      groupSlugs: ["health"],
    });
    const audit = await t.db
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "auth.signed_in")
      .where("user_id", "=", ids.health)
      .executeTakeFirst();
    expect(audit).toBeDefined();
  });

  it("marks the cookie Secure in production", async () => {
    const header = await sessionCookie({ ...testEnv, NODE_ENV: "production" }).serialize("x");
    expect(header).toMatch(/Secure/);
  });

  it("goes only to same-site paths after sign-in", async () => {
    expect(safeRedirect("/staff/users")).toBe("/staff/users");
    for (const bad of [
      "//evil.example/x",
      "https://evil.example",
      "/\\evil.example",
      "staff",
      "",
      null,
      "/a\nb",
    ]) {
      expect(safeRedirect(bad)).toBe("/staff");
    }
    const res = await loginAction(
      actionArgs(
        "/login",
        t.db,
        { email: "health@example.org", password: PASSWORD, redirectTo: "//evil.example/" },
        { context: { clientIp: freshIp() } },
      ),
    );
    expect((res as Response).headers.get("Location")).toBe("/staff");
  });

  it("refuses a wrong password or an unknown address with one message", async () => {
    for (const email of ["health@example.org", "nobody@example.org"]) {
      const { res } = await signInAs(email, "wrong password!");
      expect(res.status).toBe(400);
      expect(res.data.errors.password.key).toBe("auth.errors.invalidCredentials");
      expect(en(res.data.errors.password.key)).toBe(
        "The e-mail address or the password is not correct",
      );
      expect(res.data.values).toEqual({ email });
      expect(res.headers.get("Set-Cookie")).toBeNull();
    }
  });

  it("checks the form and sends back what was typed (never the password)", async () => {
    const empty = outcome(
      await loginAction(actionArgs("/login", t.db, { email: "", password: "" })),
    );
    expect(empty.status).toBe(400);
    expect(empty.data.errors.email.key).toBe("auth.errors.emailRequired");
    expect(empty.data.errors.password.key).toBe("auth.errors.passwordRequired");
    const bad = outcome(
      await loginAction(actionArgs("/login", t.db, { email: "not-an-address", password: "x" })),
    );
    expect(bad.data.errors.email.key).toBe("auth.errors.emailInvalid");
    expect(bad.data.values).toEqual({ email: "not-an-address" });
  });

  it(`locks an account from one address after ${SIGN_IN_LIMITS.accountAddress.limit} failures there, says when to retry, and a success resets the counter`, async () => {
    const email = "energy@example.org";
    const ip = freshIp();
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < SIGN_IN_LIMITS.accountAddress.limit; i++) {
      last = (await signInAs(email, "wrong password!", ip)).res;
      statuses.push(last.status);
    }
    expect(statuses).toEqual([400, 400, 400, 400, 429]);
    expect(last!.data.formError).toEqual({
      key: "auth.errors.tooManyAttempts",
      vars: { count: 15 },
    });
    expect(en(last!.data.formError.key, last!.data.formError.vars)).toBe(
      "Too many failed sign-in attempts. Try again in 15 minutes.",
    );
    expect(Number(last!.headers.get("Retry-After"))).toBeGreaterThan(800);

    // The right password from that address is refused too while the account is locked there…
    const locked = (await signInAs(email, PASSWORD, ip)).res;
    expect(locked.status).toBe(429);
    expect(locked.data.formError.key).toBe("auth.errors.tooManyAttempts");
    // …but not from another address: knowing an e-mail address does not lock its owner out.
    expect((await signInAs(email)).res.status).toBe(302);

    // After the window, the right password works there and clears the counter.
    const key = signInKeys.accountAddress(email, ip);
    await t.db
      .updateTable("rate_limits")
      .set({ window_start: sql<Date>`now() - interval '16 minutes'` })
      .where("key", "=", key)
      .execute();
    expect((await signInAs(email, PASSWORD, ip)).res.status).toBe(302);
    expect(
      await t.db.selectFrom("rate_limits").select("key").where("key", "=", key).executeTakeFirst(),
    ).toBeUndefined();
    const again = (await signInAs(email, "wrong password!", ip)).res;
    expect(again.status).toBe(400);
  });

  it(`locks a client address after ${SIGN_IN_LIMITS.address.limit} failures on any accounts`, async () => {
    const ip = "203.0.113.7";
    const { limit, windowSeconds } = SIGN_IN_LIMITS.address;
    for (let i = 0; i < limit - 2; i++)
      await hit(t.db, signInKeys.address(ip), limit, windowSeconds);
    expect((await signInAs("nobody1@example.org", "wrong password!", ip)).res.status).toBe(400);
    const last = (await signInAs("nobody2@example.org", "wrong password!", ip)).res;
    expect(last.status).toBe(429);
    expect(last.data.formError.key).toBe("auth.errors.tooManyAttempts");
    // Every account is refused from that address, with the message…
    const other = (await signInAs("other@example.org", PASSWORD, ip)).res;
    expect(other.status).toBe(429);
    expect(en(other.data.formError.key, other.data.formError.vars)).toMatch(
      /Try again in 1[45] minutes/,
    );
    // …while the same account signs in from elsewhere.
    expect((await signInAs("other@example.org", PASSWORD)).res.status).toBe(302);
  });

  it("refuses a disabled account and ends its sessions; enabling lets it in again", async () => {
    const email = "disabled-soon@example.org";
    const created = await saveAccount(
      t.db,
      { email, password: PASSWORD, role: "coordinator", groups: [] },
      { by: null },
    );
    if (!created.ok) throw new Error("setup");
    const cookie = await cookieFor(email);
    expect(await userFor(cookie)).not.toBeNull();

    await setAccountDisabled(t.db, created.id, true, {
      by: { id: ids.admin, email: "admin@example.org" },
    });
    expect(await userFor(cookie)).toBeNull();
    expect(await sessionCount(created.id)).toBe(0);
    const refused = (await signInAs(email)).res;
    expect(refused.status).toBe(403);
    expect(refused.data.formError.key).toBe("auth.errors.disabled");
    // A wrong password on a disabled account gets the ordinary message.
    expect((await signInAs(email, "wrong password!")).res.data.errors.password.key).toBe(
      "auth.errors.invalidCredentials",
    );

    await setAccountDisabled(t.db, created.id, false, {
      by: { id: ids.admin, email: "admin@example.org" },
    });
    expect((await signInAs(email)).res.status).toBe(302);
  });

  it("sends a signed-in user from /login straight on", async () => {
    const cookie = await cookieFor("health@example.org");
    const r = await thrown(
      loginLoader(loaderArgs("/login?redirectTo=/staff/account", t.db, { cookie })),
    );
    expect(r.status).toBe(302);
    expect(r.headers.get("Location")).toBe("/staff/account");
  });
});

describe("sessions", () => {
  it("end after 12 hours without a request", async () => {
    const cookie = await cookieFor("health@example.org");
    const hash = await sessionHashOf(cookie);
    await t.db
      .updateTable("sessions")
      .set({ last_seen_at: sql<Date>`now() - interval '11 hours 59 minutes'` })
      .where("id_hash", "=", hash)
      .execute();
    expect(await userFor(cookie)).not.toBeNull();
    await t.db
      .updateTable("sessions")
      .set({ last_seen_at: sql<Date>`now() - interval '12 hours 1 minute'` })
      .where("id_hash", "=", hash)
      .execute();
    expect(await userFor(cookie)).toBeNull();
  });

  it("end 7 days after sign-in however active", async () => {
    const cookie = await cookieFor("health@example.org");
    const hash = await sessionHashOf(cookie);
    await t.db
      .updateTable("sessions")
      .set({ expires_at: sql<Date>`now() - interval '1 second'` })
      .where("id_hash", "=", hash)
      .execute();
    expect(await userFor(cookie)).toBeNull();
  });

  it("slide: last_seen_at is refreshed, at most once a minute", async () => {
    const cookie = await cookieFor("health@example.org");
    const hash = await sessionHashOf(cookie);
    const seen = async () =>
      (
        await t.db
          .selectFrom("sessions")
          .select("last_seen_at")
          .where("id_hash", "=", hash)
          .executeTakeFirstOrThrow()
      ).last_seen_at;
    await t.db
      .updateTable("sessions")
      .set({ last_seen_at: sql<Date>`now() - interval '30 seconds'` })
      .where("id_hash", "=", hash)
      .execute();
    const recent = await seen();
    await userFor(cookie);
    expect((await seen()).getTime()).toBe(recent.getTime());

    await t.db
      .updateTable("sessions")
      .set({ last_seen_at: sql<Date>`now() - interval '5 hours'` })
      .where("id_hash", "=", hash)
      .execute();
    const old = await seen();
    await userFor(cookie);
    expect((await seen()).getTime() - old.getTime()).toBeGreaterThan(4.9 * 3600_000);
  });

  it("ignore a cookie that is tampered with or unsigned", async () => {
    const cookie = await cookieFor("health@example.org");
    const [name, value] = cookie.split("=");
    expect(await userFor(`${name}=${value.slice(0, -3)}abc`)).toBeNull();
    const raw = await sessionCookie({
      ...testEnv,
      SESSION_SECRET: "another-secret-another-secret-another",
    }).serialize("x");
    expect(await userFor(raw.split(";")[0])).toBeNull();
    expect(await userFor("needsmap_session=")).toBeNull();
  });

  it("sign-out deletes the session and clears the cookie; GET does not sign out", async () => {
    const cookie = await cookieFor("health@example.org");
    const hash = await sessionHashOf(cookie);
    const res = (await logoutAction(actionArgs("/logout", t.db, {}, { cookie }))) as Response;
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/login?signedOut=1");
    expect(res.headers.get("Set-Cookie")).toMatch(/^needsmap_session=;.*Expires=Thu, 01 Jan 1970/);
    expect(
      await t.db
        .selectFrom("sessions")
        .select("id_hash")
        .where("id_hash", "=", hash)
        .executeTakeFirst(),
    ).toBeUndefined();
    expect(await userFor(cookie)).toBeNull();
    const audit = await t.db
      .selectFrom("audit_log")
      .select("action")
      .where("action", "=", "auth.signed_out")
      .executeTakeFirst();
    expect(audit).toBeDefined();
  });

  it("the root loader hands the signed-in user to the header, and nothing without a session", async () => {
    const cookie = await cookieFor("admin@example.org");
    const signedIn = outcome(await rootLoader(loaderArgs("/", t.db, { cookie })));
    expect(signedIn.data.user).toEqual({
      id: ids.admin,
      name: "admin@example.org",
      email: "admin@example.org",
      role: "admin",
    });
    const anonymous = outcome(await rootLoader(loaderArgs("/", t.db)));
    expect(anonymous.data.user).toBeNull();
  });
});

describe("password change", () => {
  it("checks the current password, keeps this session and ends the others", async () => {
    const email = "changer@example.org";
    const created = await saveAccount(
      t.db,
      { email, password: PASSWORD, role: "coordinator", groups: ["health"] },
      { by: null },
    );
    if (!created.ok) throw new Error("setup");
    const here = await cookieFor(email);
    const elsewhere = await cookieFor(email);

    const wrong = outcome(
      await accountAction(
        actionArgs(
          "/staff/account",
          t.db,
          { currentPassword: "nope", newPassword: "a-new-password" },
          { cookie: here },
        ),
      ),
    );
    expect(wrong.status).toBe(400);
    expect(wrong.data.errors.currentPassword.key).toBe("auth.errors.currentPasswordWrong");

    const short = outcome(
      await accountAction(
        actionArgs(
          "/staff/account",
          t.db,
          { currentPassword: PASSWORD, newPassword: "short" },
          { cookie: here },
        ),
      ),
    );
    expect(short.data.errors.newPassword).toEqual({
      key: "auth.errors.passwordTooShort",
      vars: { min: 10 },
    });
    expect(en(short.data.errors.newPassword.key, short.data.errors.newPassword.vars)).toBe(
      "The password must be at least 10 characters long",
    );

    const ok = (await accountAction(
      actionArgs(
        "/staff/account",
        t.db,
        { currentPassword: PASSWORD, newPassword: "a-new-password" },
        { cookie: here },
      ),
    )) as Response;
    expect(ok.status).toBe(302);
    expect(ok.headers.get("Location")).toBe("/staff/account?changed=1");
    expect(await userFor(here)).not.toBeNull();
    expect(await userFor(elsewhere)).toBeNull();
    expect(await sessionCount(created.id)).toBe(1);
    expect((await signInAs(email)).res.status).toBe(400);
    expect((await signInAs(email, "a-new-password")).res.status).toBe(302);
  });

  it("set by an admin ends every session of the account", async () => {
    const email = "reset-by-admin@example.org";
    const created = await saveAccount(
      t.db,
      { email, password: PASSWORD, role: "coordinator", groups: [] },
      { by: null },
    );
    if (!created.ok) throw new Error("setup");
    const a = await cookieFor(email);
    const b = await cookieFor(email);
    const adminCookie = await cookieFor("admin@example.org");
    const res = await usersAction(
      actionArgs(
        "/staff/users",
        t.db,
        {
          intent: "save",
          id: String(created.id),
          email,
          name: "",
          role: "coordinator",
          password: "brand-new-password",
        },
        { cookie: adminCookie },
      ),
    );
    expect((res as Response).status).toBe(302);
    expect(await userFor(a)).toBeNull();
    expect(await userFor(b)).toBeNull();
    expect(await userFor(adminCookie)).not.toBeNull();
  });

  it("requires a signed-in user", async () => {
    const r = await thrown(
      accountAction(actionArgs("/staff/account", t.db, { currentPassword: "x", newPassword: "y" })),
    );
    expect(r.status).toBe(302);
    expect(r.headers.get("Location")).toBe("/login?redirectTo=%2Fstaff%2Faccount");
  });
});

describe("access control", () => {
  const req = (cookie?: string) =>
    loaderArgs("/staff/groups/health?view=table", t.db, { cookie }).request;
  const ctx = () => testContext(t.db);

  it("requireGroupAccess: admins and the group's coordinators yes, coordinators of other groups 403", async () => {
    const admin = await cookieFor("admin@example.org");
    const health = await cookieFor("health@example.org");
    const energy = await cookieFor("energy@example.org");
    expect((await requireGroupAccess(req(admin), ctx(), "health")).role).toBe("admin");
    expect((await requireGroupAccess(req(admin), ctx(), groupIds.energy)).id).toBe(ids.admin);
    expect((await requireGroupAccess(req(health), ctx(), "health")).id).toBe(ids.health);
    expect((await requireGroupAccess(req(health), ctx(), groupIds.health)).id).toBe(ids.health);
    const denied = await thrown(requireGroupAccess(req(energy), ctx(), "health"));
    expect(denied.status).toBe(403);
    expect((await thrown(requireGroupAccess(req(energy), ctx(), groupIds.health))).status).toBe(
      403,
    );
    expect((await thrown(requireGroupAccess(req(health), ctx(), "no-such-group"))).status).toBe(
      403,
    );
  });

  it("anonymous: pages redirect to sign-in and come back; resource routes get 401", async () => {
    const page = await thrown(requireGroupAccess(req(), ctx(), "health"));
    expect(page.status).toBe(302);
    expect(page.headers.get("Location")).toBe(
      `/login?redirectTo=${encodeURIComponent("/staff/groups/health?view=table")}`,
    );
    const resource = await thrown(requireGroupAccess(req(), ctx(), "health", { resource: true }));
    expect(resource.status).toBe(401);
    expect((await thrown(requireUser(req(), ctx(), { resource: true }))).status).toBe(401);
  });

  it("requireAdmin refuses coordinators with 403", async () => {
    const health = await cookieFor("health@example.org");
    expect((await thrown(requireAdmin(req(health), ctx()))).status).toBe(403);
    expect(
      (await thrown(usersLoader(loaderArgs("/staff/users", t.db, { cookie: health })))).status,
    ).toBe(403);
    const admin = await cookieFor("admin@example.org");
    expect((await requireAdmin(req(admin), ctx())).id).toBe(ids.admin);
  });

  it("canAccessGroup by id or slug", () => {
    const coordinator = {
      id: 1,
      email: "c@x",
      name: "",
      role: "coordinator" as const,
      groupIds: [7],
      groupSlugs: ["health"],
    };
    expect(canAccessGroup(coordinator, 7)).toBe(true);
    expect(canAccessGroup(coordinator, "health")).toBe(true);
    expect(canAccessGroup(coordinator, 8)).toBe(false);
    expect(canAccessGroup(coordinator, "energy")).toBe(false);
    expect(
      canAccessGroup({ ...coordinator, role: "admin", groupIds: [], groupSlugs: [] }, "energy"),
    ).toBe(true);
    expect(canAccessGroup(null, "health")).toBe(false);
  });

  it("/staff lists the groups a user may open: all for admins, their own for coordinators", async () => {
    const admin = outcome(
      await staffLoader(
        loaderArgs("/staff", t.db, { cookie: await cookieFor("admin@example.org") }),
      ),
    );
    expect(admin.data.groups.map((g: { slug: string }) => g.slug)).toEqual([
      "food-agri-bio",
      "health",
      "nano-materials",
      "energy",
      "mobility",
    ]);
    const other = outcome(
      await staffLoader(
        loaderArgs("/staff", t.db, { cookie: await cookieFor("other@example.org") }),
      ),
    );
    expect(other.data.groups.map((g: { slug: string }) => g.slug)).toEqual(["health", "mobility"]);
    const anonymous = await thrown(staffLoader(loaderArgs("/staff", t.db)));
    expect(anonymous.headers.get("Location")).toBe("/login?redirectTo=%2Fstaff");
  });
});

describe("account administration (/staff/users)", () => {
  let adminCookie: string;
  beforeAll(async () => {
    adminCookie = await cookieFor("admin@example.org");
  });
  const post = (form: Record<string, string | string[]>) =>
    usersAction(
      actionArgs("/staff/users", t.db, form, {
        cookie: adminCookie,
        context: { clientIp: "192.0.2.10" },
      }),
    );

  it("creates an account with groups, then updates it, with audit entries", async () => {
    const created = await post({
      intent: "save",
      email: "New.Coordinator@Example.org",
      name: "Nina Novak",
      password: "first-password",
      role: "coordinator",
      groups: ["energy", "health"],
    });
    expect((created as Response).status).toBe(302);
    const location = (created as Response).headers.get("Location")!;
    expect(location).toMatch(/^\/staff\/users\?notice=created&account=\d+$/);
    const id = Number(new URL(location, "http://x").searchParams.get("account"));

    const page = outcome(await usersLoader(loaderArgs(location, t.db, { cookie: adminCookie })));
    expect(page.data.notice).toEqual({ kind: "created", email: "new.coordinator@example.org" });
    const account = page.data.accounts.find((a: { id: number }) => a.id === id);
    expect(account).toMatchObject({
      email: "new.coordinator@example.org",
      name: "Nina Novak",
      role: "coordinator",
      groupSlugs: ["health", "energy"],
    });

    const updated = await post({
      intent: "save",
      id: String(id),
      email: "new.coordinator@example.org",
      name: "Nina Novak",
      password: "",
      role: "admin",
      groups: [],
    });
    expect((updated as Response).headers.get("Location")).toBe(
      `/staff/users?notice=updated&account=${id}`,
    );
    const row = await t.db
      .selectFrom("users")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row.role).toBe("admin");
    expect(await verifyPassword("first-password", row.password_hash)).toBe(true);

    const entries = await t.db
      .selectFrom("audit_log")
      .selectAll()
      .where("target_type", "=", "user")
      .where("target_id", "=", String(id))
      .orderBy("id")
      .execute();
    expect(entries.map((e) => e.action)).toEqual(["user.created", "user.updated"]);
    expect(entries[0]).toMatchObject({
      user_id: ids.admin,
      actor: "admin@example.org",
      ip: "192.0.2.10",
    });
    expect(entries[0].details).toMatchObject({
      email: "new.coordinator@example.org",
      groups: ["health", "energy"],
    });
    expect(JSON.stringify(entries)).not.toContain("first-password");
  });

  it("sends back field errors with the values typed", async () => {
    const r = outcome(
      await post({
        intent: "save",
        email: "admin@example.org",
        name: "x",
        password: "short",
        role: "boss",
        groups: ["atlantis"],
      }),
    );
    expect(r.status).toBe(400);
    expect(r.data.errors.password.key).toBe("auth.errors.passwordTooShort");
    expect(r.data.errors.role.key).toBe("auth.errors.roleInvalid");
    expect(r.data.values).toEqual({
      email: "admin@example.org",
      name: "x",
      role: "boss",
      groups: ["atlantis"],
    });

    const taken = outcome(
      await post({
        intent: "save",
        email: "ADMIN@example.org",
        password: "long-enough-pw",
        role: "coordinator",
        groups: ["atlantis"],
      }),
    );
    expect(taken.data.errors.email.key).toBe("auth.errors.emailTaken");
    expect(taken.data.errors.groups).toEqual({
      key: "auth.errors.unknownGroup",
      vars: { slug: "atlantis", count: 1 },
    });

    const noPassword = outcome(
      await post({ intent: "save", email: "fresh@example.org", password: "", role: "coordinator" }),
    );
    expect(noPassword.data.errors.password.key).toBe("auth.errors.passwordRequired");
  });

  it("disables and enables accounts, but not the admin's own, nor removes their own admin role", async () => {
    const disable = (await post({ intent: "disable", id: String(ids.other) })) as Response;
    expect(disable.headers.get("Location")).toBe(
      `/staff/users?notice=disabled&account=${ids.other}`,
    );
    expect(
      (
        await t.db
          .selectFrom("users")
          .select("disabled_at")
          .where("id", "=", ids.other)
          .executeTakeFirstOrThrow()
      ).disabled_at,
    ).not.toBeNull();
    const enable = (await post({ intent: "enable", id: String(ids.other) })) as Response;
    expect(enable.headers.get("Location")).toBe(`/staff/users?notice=enabled&account=${ids.other}`);
    expect(
      (
        await t.db
          .selectFrom("users")
          .select("disabled_at")
          .where("id", "=", ids.other)
          .executeTakeFirstOrThrow()
      ).disabled_at,
    ).toBeNull();

    const self = outcome(await post({ intent: "disable", id: String(ids.admin) }));
    expect(self.status).toBe(400);
    expect(self.data.formError.key).toBe("auth.errors.cannotDisableSelf");
    const demote = outcome(
      await post({
        intent: "save",
        id: String(ids.admin),
        email: "admin@example.org",
        role: "coordinator",
      }),
    );
    expect(demote.data.errors.role.key).toBe("auth.errors.cannotDemoteSelf");

    const actions = await t.db
      .selectFrom("audit_log")
      .select("action")
      .where("target_id", "=", String(ids.other))
      .execute();
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining(["user.disabled", "user.enabled"]),
    );
  });

  it("opens an account for editing, and 404 for an unknown one", async () => {
    const page = outcome(
      await usersLoader(
        loaderArgs(`/staff/users?edit=${ids.health}`, t.db, { cookie: adminCookie }),
      ),
    );
    expect(page.data.editing).toMatchObject({
      id: ids.health,
      email: "health@example.org",
      groupSlugs: ["health"],
    });
    expect(
      (
        await thrown(
          usersLoader(loaderArgs("/staff/users?edit=999999", t.db, { cookie: adminCookie })),
        )
      ).status,
    ).toBe(404);
  });
});

describe("user:create logic", () => {
  it("creates, then updates by e-mail address replacing role, groups and password", async () => {
    const email = "cli-user@example.org";
    const first = await saveAccount(
      t.db,
      { email, password: "cli-password-1", role: "coordinator", groups: ["energy"], name: "Cli" },
      { upsertByEmail: true, by: null, actor: "cli" },
    );
    expect(first).toMatchObject({ ok: true, created: true, groups: ["energy"] });
    const cookie = await cookieFor(email, "cli-password-1");

    const second = await saveAccount(
      t.db,
      {
        email: "CLI-User@example.org",
        password: "cli-password-2",
        role: "admin",
        groups: ["health", "mobility"],
      },
      { upsertByEmail: true, by: null, actor: "cli" },
    );
    expect(second).toMatchObject({
      ok: true,
      created: false,
      passwordChanged: true,
      groups: ["health", "mobility"],
    });
    if (!first.ok || !second.ok) throw new Error("unreachable");
    expect(second.id).toBe(first.id);
    const row = await t.db
      .selectFrom("users")
      .selectAll()
      .where("id", "=", first.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ role: "admin", name: "Cli", email });
    expect(await verifyPassword("cli-password-2", row.password_hash)).toBe(true);
    expect(await userFor(cookie)).toBeNull();
    const audit = await t.db
      .selectFrom("audit_log")
      .selectAll()
      .where("target_id", "=", String(first.id))
      .orderBy("id")
      .execute();
    expect(audit.map((a) => [a.action, a.actor])).toEqual([
      ["user.created", "cli"],
      ["auth.signed_in", email],
      ["user.updated", "cli"],
    ]);
  });

  it("rejects an unknown group, a bad role and a short password", async () => {
    const r = await saveAccount(
      t.db,
      {
        email: "x@example.org",
        password: "short",
        role: "superuser",
        groups: ["health", "nowhere"],
      },
      { upsertByEmail: true, by: null },
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.password?.key).toBe("auth.errors.passwordTooShort");
    expect(r.errors.role?.key).toBe("auth.errors.roleInvalid");
    const g = await saveAccount(
      t.db,
      {
        email: "x@example.org",
        password: "long-enough-1",
        role: "coordinator",
        groups: ["nowhere"],
      },
      { upsertByEmail: true, by: null },
    );
    expect(g.ok ? null : en(g.errors.groups!.key, g.errors.groups!.vars)).toBe(
      "Unknown working group: nowhere",
    );
  });

  it("runs as a command on a fresh database (migrating it first) and exits 1 on bad input", async () => {
    // A fresh embedded database of its own; on Postgres runs, a fresh Postgres database.
    const dir = mkdtempSync(path.join(tmpdir(), "needsmap-cli-"));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATA_DIR: dir,
      LOG_LEVEL: "silent",
      NODE_ENV: "development",
    };
    delete env.DATABASE_URL;
    const pgUrl = process.env.TEST_DATABASE_URL;
    const dbName = `needsmap_cli_${process.pid}`;
    const admin = async (query: string) => {
      const pg = (await import("pg")).default;
      const c = new pg.Client({ connectionString: adminDatabaseUrl(pgUrl!) });
      await c.connect();
      await c.query(query).finally(() => c.end());
    };
    if (pgUrl) {
      await admin(`drop database if exists ${dbName}`);
      await admin(`create database ${dbName}`);
      env.DATABASE_URL = databaseUrlWith(pgUrl, dbName);
    }
    const run = (...args: string[]) =>
      promisify(execFile)(
        path.resolve("node_modules/.bin/tsx"),
        ["scripts/user-create.ts", ...args],
        { env },
      ).then(
        (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
        (e: { code: number; stdout: string; stderr: string }) => ({
          code: e.code,
          stdout: e.stdout,
          stderr: e.stderr,
        }),
      );
    try {
      const [ok, bad, missing] = await Promise.all([
        run(
          "--email",
          "first@example.org",
          "--password",
          "first-password",
          "--role",
          "coordinator",
          "--group",
          "health",
          "--group",
          "energy",
        ),
        run("--email", "first@example.org", "--password", "short", "--role", "chief"),
        run("--email", "first@example.org"),
      ]);
      expect(ok.stderr).not.toMatch(/error/);
      expect(ok.code).toBe(0);
      expect(ok.stdout).toMatch(
        /^created coordinator account first@example.org \(id \d+\); groups: health, energy/,
      );
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain("--password: The password must be at least 10 characters long");
      expect(bad.stderr).toContain("--role: Choose a role");
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain("missing --role");
    } finally {
      rmSync(dir, { recursive: true, force: true });
      if (pgUrl) await admin(`drop database if exists ${dbName} with (force)`);
    }
  }, 120_000);
});

describe("demo admin", () => {
  it("is created once, on a database without accounts, with a readable password that signs in", async () => {
    const fresh = await createTestDatabase();
    try {
      const logger = createLogger("silent");
      const creds = await ensureDemoAdmin(fresh.db, logger);
      expect(creds?.email).toBe(DEMO_ADMIN_EMAIL);
      expect(creds?.password).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
      expect(await ensureDemoAdmin(fresh.db, logger)).toBeNull();
      const row = await fresh.db.selectFrom("users").selectAll().executeTakeFirstOrThrow();
      expect(row.role).toBe("admin");
      expect(await verifyPassword(creds!.password, row.password_hash)).toBe(true);
    } finally {
      await fresh.close();
    }
    expect(await ensureDemoAdmin(t.db, createLogger("silent"))).toBeNull();
  });
});
