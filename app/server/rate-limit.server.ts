import { sql } from "kysely";
import type { Db } from "#db/client";
import { limitAddress } from "./limit-address.server";

/**
 * Fixed-window counters in the `rate_limits` table, so that limits hold across several app
 * instances. A window opens with the first event on a key and lasts `windowSeconds`; the
 * database clock is the only clock used.
 */
export interface RateLimitResult {
  /** Whether this event is within the limit. */
  allowed: boolean;
  /** Events counted in the current window, this one included. */
  count: number;
  /** Events still allowed in the current window. */
  remaining: number;
  /** Seconds until the window closes and the counter starts again (0 when no window is open). */
  retryAfter: number;
}

interface Row {
  count: number;
  seconds_left: number | string;
}

function result(row: Row | undefined, limit: number, counted: boolean): RateLimitResult {
  if (!row) return { allowed: true, count: 0, remaining: limit, retryAfter: 0 };
  const count = Number(row.count);
  const retryAfter = Math.max(0, Math.ceil(Number(row.seconds_left)));
  return {
    allowed: counted ? count <= limit : count < limit,
    count,
    remaining: Math.max(0, limit - count),
    retryAfter,
  };
}

/**
 * Counts one event on `key` and says whether it is within `limit` events per `windowSeconds`.
 * Atomic: concurrent hits on the same key are all counted.
 */
export async function hit(
  db: Db,
  key: string,
  limit: number,
  windowSeconds: number,
): Promise<RateLimitResult> {
  const window = sql`make_interval(secs => ${windowSeconds})`;
  const { rows } = await sql<Row>`
    insert into rate_limits as r (key, window_start, count) values (${key}, now(), 1)
    on conflict (key) do update set
      window_start = case when r.window_start <= now() - ${window} then now() else r.window_start end,
      count = case when r.window_start <= now() - ${window} then 1 else r.count + 1 end
    returning r.count, extract(epoch from (r.window_start + ${window} - now())) as seconds_left`.execute(
    db,
  );
  return result(rows[0], limit, true);
}

/**
 * Whether one more event on `key` would be within the limit, without counting anything: to
 * show the state of a counter. Never use it to guard an attempt that is counted only after it
 * ran (a password check): concurrent attempts all pass the check before any of them is
 * counted. Count such attempts with `hit` first, and `credit` those that turn out fine.
 */
export async function check(
  db: Db,
  key: string,
  limit: number,
  windowSeconds: number,
): Promise<RateLimitResult> {
  const window = sql`make_interval(secs => ${windowSeconds})`;
  const { rows } = await sql<Row>`
    select count, extract(epoch from (window_start + ${window} - now())) as seconds_left
    from rate_limits where key = ${key} and window_start > now() - ${window}`.execute(db);
  return result(rows[0], limit, false);
}

/**
 * Gives back one event counted on `key` with `hit` (an attempt that turned out not to be a
 * failure). A counter that comes back to zero is deleted; nothing happens when it is gone.
 */
export async function credit(db: Db, key: string): Promise<void> {
  await sql`
    with emptied as (delete from rate_limits where key = ${key} and count <= 1)
    update rate_limits set count = count - 1 where key = ${key} and count > 1`.execute(db);
}

/** Forgets the counter of `key`. */
export async function reset(db: Db, key: string): Promise<void> {
  await db.deleteFrom("rate_limits").where("key", "=", key).execute();
}

/** Deletes counters whose window started more than `olderThanSeconds` ago. */
export async function pruneRateLimits(db: Db, olderThanSeconds = 86_400): Promise<number> {
  const r = await db
    .deleteFrom("rate_limits")
    .where("window_start", "<", sql<Date>`now() - make_interval(secs => ${olderThanSeconds})`)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/**
 * Starting and submitting responses, per client address: RESPONSE_RATE_LIMIT per hour (300 by
 * default). Generous, because many members of one institution may answer from behind a single
 * address; it stops floods, not people. Kept in the database like every counter here, so it
 * holds across app instances.
 */
export const SUBMISSION_WINDOW_SECONDS = 60 * 60;

/**
 * Counts one start or submission from `ip` and says whether it is within `limit` per hour (0: no
 * limit). An IPv6 client is counted by its /64 prefix (limitAddress).
 */
export async function hitSubmissionLimit(db: Db, ip: string, limit: number): Promise<RateLimitResult> {
  if (limit <= 0) return { allowed: true, count: 0, remaining: Number.POSITIVE_INFINITY, retryAfter: 0 };
  return hit(db, `respond:address:${limitAddress(ip)}`, limit, SUBMISSION_WINDOW_SECONDS);
}
