/**
 * Sign-in limits against password guessing, and against using them to lock people out.
 *
 * Every sign-in attempt is counted in the database before its password is checked, per account
 * and client address, per address, and on the account's daily budget; so parallel attempts,
 * even through several app instances, never get more passwords checked than a limit allows.
 * The checks are counted by wrapping the password check (`passwordVerification`), and held
 * until every attempt of a burst has been counted or refused, so nothing depends on timing.
 *
 * A wrong password from one address locks the account from that address only; the owner still
 * signs in from elsewhere until the account's slow daily budget is used up. Administrators see
 * the locks on the staff accounts page and lift them, recorded in the audit log.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "#db/client";
import { translator } from "~/i18n/catalog";
import { action as loginAction } from "~/routes/login";
import { action as accountAction } from "~/routes/staff.account";
import { action as usersAction, loader as usersLoader } from "~/routes/staff.users";
import { passwordVerification } from "~/server/auth.server";
import { hit } from "~/server/rate-limit.server";
import { SIGN_IN_LIMITS, signInKeys } from "~/server/sign-in-limits.server";
import { saveAccount } from "~/server/users.server";
import { upsertWorkingGroups } from "~/server/working-groups.server";
import { createTestDatabase, type TestDatabase } from "./db";
import { actionArgs, cookieFrom, loaderArgs } from "./remix";

const en = translator("en");
const PASSWORD = "correct horse battery";
const WRONG = "wrong password!";

let t: TestDatabase;
const ids: Record<string, number> = {};

beforeAll(async () => {
  t = await createTestDatabase();
  await upsertWorkingGroups(t.db);
  for (const [name, role, groups] of [
    ["admin", "admin", []],
    ["coordinator", "coordinator", ["health"]],
    ["burst", "coordinator", ["energy"]],
    ["burst2", "coordinator", ["energy"]],
    ["budget", "coordinator", ["energy"]],
    ["owner", "coordinator", ["health"]],
    ["changer", "coordinator", ["health"]],
    ["sixtyfour", "coordinator", ["health"]],
  ] as const) {
    const r = await saveAccount(
      t.db,
      { email: `${name}@example.org`, password: PASSWORD, role, groups: [...groups], name: "" },
      { by: null, actor: "test" },
    );
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    ids[name] = r.id;
  }
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

interface Attempt {
  email: string;
  password: string;
  ip: string;
}

async function signIn(db: Db, a: Attempt) {
  const raw = await loginAction(
    actionArgs(
      "/login",
      db,
      { email: a.email, password: a.password, redirectTo: "/staff" },
      { context: { clientIp: a.ip } },
    ),
  );
  return { ...outcome(raw), raw };
}

async function cookieFor(email: string, ip = "192.0.2.200"): Promise<string> {
  const { raw } = await signIn(t.db, { email, password: PASSWORD, ip });
  if (!(raw instanceof Response)) throw new Error(`sign-in failed: ${JSON.stringify(raw)}`);
  return cookieFrom(raw);
}

async function counter(key: string): Promise<number | undefined> {
  const row = await t.db
    .selectFrom("rate_limits")
    .select("count")
    .where("key", "=", key)
    .executeTakeFirst();
  return row?.count;
}

/**
 * Sends `burst` concurrently, spread over the app instances in turn, with every password check
 * held until each attempt of the burst has either reached its check or been answered: then
 * every attempt has been counted (or, on code that counts only failures, every one has passed
 * the limits). Then sends `last` and lets the checks run. Returns the answers and how many
 * passwords were checked in all.
 */
async function guessInParallel(instances: Db[], burst: Attempt[], last: Attempt) {
  const original = passwordVerification.verify;
  let checks = 0;
  let waiting = 0;
  let answered = 0;
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let allCounted!: () => void;
  const counted = new Promise<void>((resolve) => (allCounted = resolve));
  const progress = () => {
    if (waiting + answered >= burst.length) allCounted();
  };
  passwordVerification.verify = async (password, hash) => {
    checks++;
    waiting++;
    progress();
    await gate;
    return original(password, hash);
  };
  try {
    const pending = burst.map((a, i) =>
      signIn(instances[i % instances.length], a).finally(() => {
        answered++;
        progress();
      }),
    );
    await counted;
    const lastPending = signIn(instances[burst.length % instances.length], last);
    open();
    const results = await Promise.all(pending);
    const lastResult = await lastPending;
    return { checks, statuses: results.map((r) => r.status), last: lastResult };
  } finally {
    passwordVerification.verify = original;
  }
}

/** The app instances of a test: two connection pools on one database on Postgres. */
async function withInstances(count: 1 | 2, run: (instances: Db[]) => Promise<void>): Promise<void> {
  if (count === 1) return run([t.db]);
  const other = await createDb({ driver: "pg", url: t.url!, poolSize: 5 });
  try {
    await run([t.db, other]);
  } finally {
    await other.destroy();
  }
}

describe("IPv6 clients", () => {
  it("are counted by their /64: wrong passwords from many addresses of one prefix lock the account from the whole prefix only", async () => {
    const email = "sixtyfour@example.org";
    const { accountAddress } = SIGN_IN_LIMITS;
    for (let i = 1; i <= accountAddress.limit; i++) {
      const r = await signIn(t.db, { email, password: WRONG, ip: `2001:db8:64:1::${i.toString(16)}` });
      // The attempt that uses up the limit already says the account is locked from here.
      expect(r.status, `attempt ${i}`).toBe(i < accountAddress.limit ? 400 : 429);
    }
    expect(await counter(signInKeys.accountAddress(email, "2001:db8:64:1::1"))).toBe(accountAddress.limit);
    expect(signInKeys.accountAddress(email, "2001:db8:64:1::1")).toBe(signInKeys.accountAddress(email, "2001:db8:64:1:ffff::7"));
    // Another address of the same /64, even with the right password: refused unchecked.
    const again = await signIn(t.db, { email, password: PASSWORD, ip: "2001:db8:64:1:ffff::7" });
    expect(again.status).toBe(429);
    // The owner on another line still signs in.
    const owner = await signIn(t.db, { email, password: PASSWORD, ip: "2001:db8:64:2::1" });
    expect(owner.raw).toBeInstanceOf(Response);
    expect(owner.status).toBe(302);
  });
});

describe("parallel password guessing", () => {
  const { accountAddress, address, account } = SIGN_IN_LIMITS;

  const burstFromOneAddress = (email: string, ip: string) => async (instances: Db[]) => {
    const burst = Array.from({ length: 49 }, () => ({ email, password: WRONG, ip }));
    const r = await guessInParallel(instances, burst, { email, password: PASSWORD, ip });
    expect(r.checks).toBeLessThanOrEqual(accountAddress.limit);
    expect(r.statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(
      burst.length - accountAddress.limit,
    );
    expect(r.statuses.every((s) => s === 400 || s === 429)).toBe(true);
    // The right password, sent at the end of the burst, is refused without being checked.
    expect(r.last.status).toBe(429);
    expect(r.last.data.formError.key).toBe("auth.errors.tooManyAttempts");
    expect(await counter(signInKeys.accountAddress(email, ip))).toBe(burst.length + 1);
  };

  it(`checks at most ${accountAddress.limit} passwords of a burst of 50 from one address, and refuses the right one at its end`, async () => {
    await withInstances(1, burstFromOneAddress("burst@example.org", "203.0.113.10"));
  });

  it.runIf(Boolean(process.env.TEST_DATABASE_URL))(
    "holds across two app instances on one database (Postgres only: the embedded database has a single connection)",
    async () => {
      await withInstances(2, burstFromOneAddress("burst2@example.org", "203.0.113.11"));
    },
  );

  it(`checks at most ${address.limit} passwords from one address whatever the accounts`, async () => {
    const ip = "203.0.113.12";
    for (let i = 0; i < address.limit - 3; i++)
      await hit(t.db, signInKeys.address(ip), address.limit, address.windowSeconds);
    const burst = Array.from({ length: 20 }, (_, i) => ({
      email: `nobody${i}@example.org`,
      password: WRONG,
      ip,
    }));
    await withInstances(t.driver === "pg" ? 2 : 1, async (instances) => {
      const r = await guessInParallel(instances, burst, {
        email: "coordinator@example.org",
        password: PASSWORD,
        ip,
      });
      expect(r.checks).toBeLessThanOrEqual(3);
      expect(r.last.status).toBe(429);
    });
  });

  it(`checks at most ${account.limit} passwords of one account a day from any addresses`, async () => {
    const email = "budget@example.org";
    for (let i = 0; i < account.limit - 3; i++)
      await hit(t.db, signInKeys.account(email), account.limit, account.windowSeconds);
    const burst = Array.from({ length: 20 }, (_, i) => ({
      email,
      password: WRONG,
      ip: `198.51.100.${100 + i}`,
    }));
    await withInstances(t.driver === "pg" ? 2 : 1, async (instances) => {
      const r = await guessInParallel(instances, burst, {
        email,
        password: PASSWORD,
        ip: "198.51.100.200",
      });
      expect(r.checks).toBeLessThanOrEqual(3);
      expect(r.last.status).toBe(429);
      expect(r.last.data.formError.key).toBe("auth.errors.tooManyAttemptsHours");
      expect(en(r.last.data.formError.key, r.last.data.formError.vars)).toBe(
        "Too many failed sign-in attempts on this account. Try again in 24 hours, or ask a programme administrator to lift the lock.",
      );
      expect(Number(r.last.headers.get("Retry-After"))).toBeGreaterThan(23 * 3600);
    });
  });

  it("checks at most 5 current passwords of a burst of password changes", async () => {
    const cookie = await cookieFor("changer@example.org");
    const change = (db: Db, currentPassword: string) =>
      accountAction(
        actionArgs(
          "/staff/account",
          db,
          { currentPassword, newPassword: "a brand new password" },
          { cookie },
        ),
      ).then(outcome);
    const original = passwordVerification.verify;
    let checks = 0;
    passwordVerification.verify = (password, hash) => {
      checks++;
      return original(password, hash);
    };
    try {
      const results = await Promise.all(Array.from({ length: 20 }, () => change(t.db, WRONG)));
      expect(checks).toBeLessThanOrEqual(5);
      expect(results.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(15);
      // Once over the limit, the right current password is refused too.
      expect((await change(t.db, PASSWORD)).status).toBe(429);
    } finally {
      passwordVerification.verify = original;
    }
  });
});

describe("locks that attackers cannot use against the owner", () => {
  const email = "owner@example.org";
  const attacker = "203.0.113.66";
  const home = "192.0.2.77";

  it("an address guessing many times is locked; the owner still signs in from another address", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++)
      statuses.push((await signIn(t.db, { email, password: WRONG, ip: attacker })).status);
    expect(statuses).toEqual([400, 400, 400, 400, ...Array(16).fill(429)]);
    // Refused attempts do not use up the account's daily budget: only the 5 checked ones count.
    expect(await counter(signInKeys.account(email))).toBe(5);
    // The right password from the attacker's address is refused…
    expect((await signIn(t.db, { email, password: PASSWORD, ip: attacker })).status).toBe(429);
    // …while the owner signs in from home.
    expect((await signIn(t.db, { email, password: PASSWORD, ip: home })).status).toBe(302);
    expect(await counter(signInKeys.account(email))).toBe(5);
  });

  it("when the daily budget of the account is used up, no address may sign in until the day is over", async () => {
    await t.db
      .updateTable("rate_limits")
      .set({ count: SIGN_IN_LIMITS.account.limit })
      .where("key", "=", signInKeys.account(email))
      .execute();
    const r = await signIn(t.db, { email, password: PASSWORD, ip: home });
    expect(r.status).toBe(429);
    expect(r.data.formError.key).toBe("auth.errors.tooManyAttemptsHours");
    expect(Number(r.headers.get("Retry-After"))).toBeGreaterThan(23 * 3600);
  });

  it("an administrator sees the locks on the staff accounts page and lifts them, recorded in the audit log", async () => {
    const adminCookie = await cookieFor("admin@example.org");
    const page = outcome(
      await usersLoader(loaderArgs("/staff/users", t.db, { cookie: adminCookie })),
    );
    const lock = page.data.locks.find((l: { email: string }) => l.email === email);
    expect(lock).toMatchObject({
      userId: ids.owner,
      email,
      addresses: [{ address: attacker }],
    });
    expect(new Date(lock.everyAddressUntil).getTime()).toBeGreaterThan(Date.now() + 23 * 3600_000);
    expect(new Date(lock.addresses[0].until).getTime()).toBeLessThanOrEqual(
      Date.now() + 15 * 60_000 + 5_000,
    );
    expect(page.data.lockLimits).toEqual({ limit: 5, minutes: 15, daily: 100 });

    const lifted = await usersAction(
      actionArgs(
        "/staff/users",
        t.db,
        { intent: "unlock", id: String(ids.owner) },
        { cookie: adminCookie, context: { clientIp: "192.0.2.10" } },
      ),
    );
    expect((lifted as Response).status).toBe(302);
    const location = (lifted as Response).headers.get("Location")!;
    expect(location).toBe(`/staff/users?notice=unlocked&account=${ids.owner}`);
    const after = outcome(await usersLoader(loaderArgs(location, t.db, { cookie: adminCookie })));
    expect(after.data.notice).toEqual({ kind: "unlocked", email });
    expect(after.data.locks.find((l: { email: string }) => l.email === email)).toBeUndefined();
    expect(en("auth.users.notices.unlocked", { email })).toBe(
      "The sign-in locks of owner@example.org have been lifted.",
    );

    const entry = await t.db
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "user.sign_in_unlocked")
      .where("target_id", "=", String(ids.owner))
      .executeTakeFirstOrThrow();
    expect(entry).toMatchObject({
      user_id: ids.admin,
      actor: "admin@example.org",
      target_type: "user",
      ip: "192.0.2.10",
    });
    // Every sign-in counter of the account is cleared: the refused attempt from home included.
    expect(entry.details).toEqual({
      email,
      dailyFailures: SIGN_IN_LIMITS.account.limit + 1,
      addresses: [home, attacker].sort(),
    });

    // The owner signs in at once, from home and from the address that was locked.
    expect((await signIn(t.db, { email, password: PASSWORD, ip: home })).status).toBe(302);
    expect((await signIn(t.db, { email, password: PASSWORD, ip: attacker })).status).toBe(302);
  });

  it("lifting the locks of an unknown account is a 404, a missing account a 400", async () => {
    const adminCookie = await cookieFor("admin@example.org");
    const post = (form: Record<string, string>) =>
      thrown(usersAction(actionArgs("/staff/users", t.db, form, { cookie: adminCookie })));
    expect((await post({ intent: "unlock", id: "999999" })).status).toBe(404);
    expect((await post({ intent: "unlock" })).status).toBe(400);
    expect((await post({ intent: "unlock", id: "x" })).status).toBe(400);
  });

  it("coordinators neither see nor lift locks", async () => {
    const ip = "203.0.113.67";
    for (let i = 0; i < SIGN_IN_LIMITS.accountAddress.limit; i++)
      await signIn(t.db, { email, password: WRONG, ip });
    const cookie = await cookieFor("coordinator@example.org");
    expect((await thrown(usersLoader(loaderArgs("/staff/users", t.db, { cookie })))).status).toBe(
      403,
    );
    const refused = await thrown(
      usersAction(
        actionArgs("/staff/users", t.db, { intent: "unlock", id: String(ids.owner) }, { cookie }),
      ),
    );
    expect(refused.status).toBe(403);
    const anonymous = await thrown(
      usersAction(actionArgs("/staff/users", t.db, { intent: "unlock", id: String(ids.owner) })),
    );
    expect(anonymous.status).toBe(302);
    expect(await counter(signInKeys.accountAddress(email, ip))).toBe(
      SIGN_IN_LIMITS.accountAddress.limit,
    );
    expect(
      await t.db
        .selectFrom("audit_log")
        .select("id")
        .where("action", "=", "user.sign_in_unlocked")
        .where("actor", "=", "coordinator@example.org")
        .execute(),
    ).toEqual([]);
  });

  it("a window that is over is no lock", async () => {
    const ip = "203.0.113.68";
    for (let i = 0; i < SIGN_IN_LIMITS.accountAddress.limit; i++)
      await signIn(t.db, { email: "coordinator@example.org", password: WRONG, ip });
    await t.db
      .updateTable("rate_limits")
      .set({ window_start: sql<Date>`now() - interval '16 minutes'` })
      .where("key", "=", signInKeys.accountAddress("coordinator@example.org", ip))
      .execute();
    const adminCookie = await cookieFor("admin@example.org");
    const page = outcome(
      await usersLoader(loaderArgs("/staff/users", t.db, { cookie: adminCookie })),
    );
    expect(
      page.data.locks.find((l: { email: string }) => l.email === "coordinator@example.org"),
    ).toBeUndefined();
  });
});
