// npm run db:reaggregate: rebuilds the dashboard aggregates from the answers (decision 045).
import { reaggregate } from "~/server/aggregates.server";
import { refreshSharedCategories } from "~/server/surveys.server";
import { withDatabase } from "./lib/cli";

await withDatabase(async (db) => {
  const started = Date.now();
  // The shared need categories as the taxonomy file says today: the rebuild counts by them.
  await refreshSharedCategories(db, undefined, { recount: false });
  const { rows } = await reaggregate(db);
  console.log(
    `dashboard aggregates rebuilt: ${rows} rows in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
});
