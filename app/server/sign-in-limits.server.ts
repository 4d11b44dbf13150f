import { sql } from "kysely";
import type { Db } from "#db/client";
import { audit, type AuditActor } from "./audit.server";
import { limitAddress } from "./limit-address.server";
import { credit, hit, reset } from "./rate-limit.server";

/**
 * Limits on sign-in attempts, kept as counters in the `rate_limits` table so that they hold
 * across app instances. Every attempt is counted before its password is checked (one atomic
 * statement per counter), so that concurrent attempts cannot get more passwords checked than a
 * limit allows; an attempt that signs in is given back afterwards.
 *
 * - Per account and client address together: stops guessing from one place, without letting
 *   anyone who knows an e-mail address lock its owner out everywhere.
 * - Per client address, whatever the accounts: stops trying many accounts from one place.
 *   Generous, because many members may sit behind one institutional address.
 * - Per account from every address: a slow daily budget against guessing from many addresses.
 *   One address alone needs about five hours to use it up (5 attempts every 15 minutes).
 *
 * See docs/operations.md (Rate limits) and docs/decisions/007-sign-in-locks.md.
 */
export const SIGN_IN_LIMITS = {
  accountAddress: { limit: 5, windowSeconds: 15 * 60 },
  address: { limit: 30, windowSeconds: 15 * 60 },
  account: { limit: 100, windowSeconds: 24 * 60 * 60 },
} as const;

export type SignInScope = keyof typeof SIGN_IN_LIMITS;

const PREFIX = {
  accountAddress: "sign-in:account-address:",
  address: "sign-in:address:",
  account: "sign-in:account:",
} as const satisfies Record<SignInScope, string>;

/**
 * The rate_limits keys of sign-in attempts. `email` is a normalized address (normalizeEmail);
 * e-mail addresses never contain `|`, so the account comes first and the address after it. The
 * address is counted as limitAddress keeps it (an IPv6 client by its /64 prefix).
 */
export const signInKeys = {
  accountAddress: (email: string, ip: string) => `${PREFIX.accountAddress}${email}|${limitAddress(ip)}`,
  address: (ip: string) => `${PREFIX.address}${limitAddress(ip)}`,
  account: (email: string) => `${PREFIX.account}${email}`,
};

export type SignInAttempt =
  /** Over a limit: the password must not be checked. */
  | { allowed: false; scope: SignInScope; retryAfter: number }
  /**
   * The password may be checked. `lastAllowed` is set when this attempt used the last one a
   * limit allows: if the password is wrong, the next attempts are refused.
   */
  | { allowed: true; lastAllowed: { scope: SignInScope; retryAfter: number } | null };

/**
 * Counts one sign-in attempt, before its password is checked: first per account and address,
 * then per address, then on the account's daily budget. An attempt refused by a limit is not
 * counted on the limits after it, so that attempts refused from one address never use up the
 * account's daily budget.
 */
export async function countSignInAttempt(
  db: Db,
  email: string,
  ip: string,
): Promise<SignInAttempt> {
  const counters: [SignInScope, string][] = [
    ["accountAddress", signInKeys.accountAddress(email, ip)],
    ["address", signInKeys.address(ip)],
    ["account", signInKeys.account(email)],
  ];
  let lastAllowed: { scope: SignInScope; retryAfter: number } | null = null;
  for (const [scope, key] of counters) {
    const { limit, windowSeconds } = SIGN_IN_LIMITS[scope];
    const r = await hit(db, key, limit, windowSeconds);
    if (!r.allowed) return { allowed: false, scope, retryAfter: r.retryAfter };
    if (r.remaining === 0 && (!lastAllowed || r.retryAfter > lastAllowed.retryAfter))
      lastAllowed = { scope, retryAfter: r.retryAfter };
  }
  return { allowed: true, lastAllowed };
}

/**
 * After a right password: clears the counter of this account and address (the owner's typing
 * mistakes are forgotten) and gives the attempt back to the address and to the account's daily
 * budget. Failures from other addresses stay counted.
 */
export async function creditSignIn(db: Db, email: string, ip: string): Promise<void> {
  await reset(db, signInKeys.accountAddress(email, ip));
  await credit(db, signInKeys.address(ip));
  await credit(db, signInKeys.account(email));
}

/** An account that cannot be signed in to from some or every address until a time. */
export interface SignInLock {
  userId: number;
  email: string;
  /** Until when the account's daily budget is used up (no address may sign in), or null. */
  everyAddressUntil: Date | null;
  /** Client addresses from which the account is locked, and until when. */
  addresses: { address: string; until: Date }[];
}

interface LockRow {
  user_id: number;
  email: string;
  address: string | null;
  until: Date | string;
}

/** Every account with a current sign-in lock, by e-mail address. */
export async function listSignInLocks(db: Db): Promise<SignInLock[]> {
  const { account, accountAddress } = SIGN_IN_LIMITS;
  const { rows } = await sql<LockRow>`
    select u.id as user_id, u.email, null as address,
      r.window_start + make_interval(secs => ${account.windowSeconds}) as until
    from users u
    join rate_limits r on r.key = ${PREFIX.account} || lower(u.email)
    where r.count >= ${account.limit}
      and r.window_start > now() - make_interval(secs => ${account.windowSeconds})
    union all
    select u.id, u.email,
      substr(r.key, length(${PREFIX.accountAddress} || lower(u.email) || '|') + 1),
      r.window_start + make_interval(secs => ${accountAddress.windowSeconds})
    from users u
    join rate_limits r on starts_with(r.key, ${PREFIX.accountAddress} || lower(u.email) || '|')
    where r.count >= ${accountAddress.limit}
      and r.window_start > now() - make_interval(secs => ${accountAddress.windowSeconds})
    order by 2, 3 nulls first, 4`.execute(db);
  const locks = new Map<number, SignInLock>();
  for (const row of rows) {
    let lock = locks.get(row.user_id);
    if (!lock) {
      lock = { userId: row.user_id, email: row.email, everyAddressUntil: null, addresses: [] };
      locks.set(row.user_id, lock);
    }
    const until = new Date(row.until);
    if (row.address === null) lock.everyAddressUntil = until;
    else lock.addresses.push({ address: row.address, until });
  }
  return [...locks.values()];
}

export type ClearSignInLocksResult =
  { ok: true; email: string; cleared: number } | { ok: false; reason: "not_found" };

/**
 * Lifts every sign-in lock of an account (an admin's decision, recorded in the audit log): its
 * daily budget and its per-address counters start again from zero. Limits per client address
 * (whatever the account) stay.
 */
export async function clearSignInLocks(
  db: Db,
  userId: number,
  options: { by: AuditActor; ip?: string | null },
): Promise<ClearSignInLocksResult> {
  return db.transaction().execute(async (trx) => {
    const user = await trx
      .selectFrom("users")
      .select(sql<string>`lower(email)`.as("email"))
      .where("id", "=", userId)
      .executeTakeFirst();
    if (!user) return { ok: false as const, reason: "not_found" as const };
    const pairPrefix = `${PREFIX.accountAddress}${user.email}|`;
    const deleted = await trx
      .deleteFrom("rate_limits")
      .where((eb) =>
        eb.or([
          eb("key", "=", signInKeys.account(user.email)),
          eb(sql<boolean>`starts_with(key, ${pairPrefix})`, "=", true),
        ]),
      )
      .returning(["key", "count"])
      .execute();
    await audit(trx, {
      user: options.by,
      action: "user.sign_in_unlocked",
      targetType: "user",
      targetId: userId,
      details: {
        email: user.email,
        dailyFailures: deleted.find((d) => d.key === signInKeys.account(user.email))?.count ?? 0,
        addresses: deleted
          .filter((d) => d.key.startsWith(pairPrefix))
          .map((d) => d.key.slice(pairPrefix.length))
          .sort(),
      },
      ip: options.ip,
    });
    return { ok: true as const, email: user.email, cleared: deleted.length };
  });
}
