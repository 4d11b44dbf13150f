// Prepares the end-to-end database before the server starts: schema and surveys. Accounts used
// by the tests are added here as the features that need them arrive.
import { prepareDatabase } from "~/server/startup.server";
import { env } from "~/env.server";
import { databaseFromEnv } from "~/server/db.server";
import { createLogger } from "~/server/logger.server";
import { saveAccount } from "~/server/users.server";
import { E2E_ACCOUNTS, E2E_PASSWORD } from "./accounts";

const db = await databaseFromEnv();
await prepareDatabase(db, env(), createLogger("warn"));
for (const account of Object.values(E2E_ACCOUNTS)) {
  const result = await saveAccount(
    db,
    { ...account, groups: [...account.groups], password: E2E_PASSWORD },
    { upsertByEmail: true, by: null, actor: "e2e" },
  );
  if (!result.ok) throw new Error(`cannot create ${account.email}: ${JSON.stringify(result.errors)}`);
}
await db.destroy();
