// npm run db:migrate [-- --down [N] | --status]
import { migrateDown, migrateToLatest, pendingMigrations } from "#db/migrate";
import { withDatabase } from "./lib/cli";

const args = process.argv.slice(2);

await withDatabase(async (db) => {
  if (args.includes("--status")) {
    const pending = await pendingMigrations(db);
    console.log(pending.length ? `pending: ${pending.join(", ")}` : "up to date");
    return;
  }
  const downAt = args.indexOf("--down");
  const results =
    downAt >= 0 ? await migrateDown(db, Number(args[downAt + 1] ?? 1) || 1) : await migrateToLatest(db);
  console.log(results.length ? results.join("\n") : "nothing to do: the schema is up to date");
});
