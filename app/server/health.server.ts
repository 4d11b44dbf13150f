import { sql } from "kysely";
import type { Db } from "#db/client";
import type { ReplicaState } from "#db/replica";

/** Asks the database a trivial question, giving up after `timeoutMs`. */
export async function checkDatabase(db: Db, timeoutMs = 2_000): Promise<{ ok: true } | { ok: false; reason: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      sql`select 1`.execute(db),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true };
  } catch (e) {
    const err = e as Error & { code?: string };
    return { ok: false, reason: err.code ? `${err.code}: ${err.message}` : err.message || "unreachable" };
  } finally {
    clearTimeout(timer);
  }
}

/** The read replica's state as /healthz reports it: `ok`, or why reads go to the primary. */
export function replicaHealth(state: ReplicaState): string {
  switch (state.status) {
    case "ok":
      return "ok";
    case "lagging":
      return `lagging ${Math.round(state.lagSeconds)} s behind the primary: reads go to the primary`;
    case "down":
      return `down (${state.reason}): reads go to the primary`;
    case "not_standby":
      return "not a standby (not in recovery): reads go to the primary";
    case "unchecked":
      return "not checked yet: reads go to the primary";
  }
}
