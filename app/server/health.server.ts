import { sql } from "kysely";
import type { Db } from "#db/client";

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
