// Prepares the end-to-end database before the server starts: schema and surveys. Accounts used
// by the tests are added here as the features that need them arrive.
import { prepareDatabase } from "~/server/startup.server";
import { env } from "~/env.server";
import { databaseFromEnv } from "~/server/db.server";
import { createLogger } from "~/server/logger.server";

const db = await databaseFromEnv();
await prepareDatabase(db, env(), createLogger("warn"));
await db.destroy();
