// Prepares the end-to-end database before the server starts: schema and surveys, the staff
// accounts the tests use, and a session of each account whose cookies the specs start from
// (tests/e2e/sessions.ts), so that they need not sign in again and again. The sign-in form
// itself is tested in tests/e2e/auth.spec.ts.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { prepareDatabase } from "~/server/startup.server";
import { env } from "~/env.server";
import { localeCookie } from "~/i18n/locale.server";
import { commitSession, createSession } from "~/server/auth.server";
import { databaseFromEnv } from "~/server/db.server";
import { createLogger } from "~/server/logger.server";
import { saveAccount } from "~/server/users.server";
import { E2E_ACCOUNTS, E2E_PASSWORD } from "./accounts";
import { type AccountName, sessionCookies, sessionFile } from "./sessions";

const db = await databaseFromEnv();
await prepareDatabase(db, env(), createLogger("warn"));
for (const [name, account] of Object.entries(E2E_ACCOUNTS) as Array<
  [AccountName, (typeof E2E_ACCOUNTS)[AccountName]]
>) {
  const result = await saveAccount(
    db,
    { ...account, groups: [...account.groups], password: E2E_PASSWORD },
    { upsertByEmail: true, by: null, actor: "e2e" },
  );
  if (!result.ok)
    throw new Error(`cannot create ${account.email}: ${JSON.stringify(result.errors)}`);
  // The cookies a sign-in at /login?lang=en hands the browser: the session and the language.
  const setCookies = [
    await commitSession(env(), await createSession(db, result.id)),
    await localeCookie.serialize("en"),
  ];
  const file = sessionFile(name);
  mkdirSync(path.dirname(file), { recursive: true });
  const url = env().PUBLIC_URL ?? `http://localhost:${env().PORT}`;
  writeFileSync(file, JSON.stringify(sessionCookies(setCookies, url)));
}
await db.destroy();
