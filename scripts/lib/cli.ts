import type { Db } from "#db/client";
import { ConfigError, env } from "~/env.server";
import { databaseFromEnv, describeDatabase } from "~/server/db.server";

/** Runs a command-line task against the database described by the environment. */
export async function withDatabase(task: (db: Db) => Promise<number | void>): Promise<never> {
  let db: Db | undefined;
  let code = 0;
  try {
    env();
    db = await databaseFromEnv();
    console.error(`Using ${describeDatabase()}`);
    code = (await task(db)) ?? 0;
  } catch (e) {
    console.error(e instanceof ConfigError ? e.message : e instanceof Error ? `error: ${e.message}` : e);
    code = 1;
  } finally {
    await db?.destroy().catch(() => {});
  }
  process.exit(code);
}
