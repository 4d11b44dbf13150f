import type { LoaderFunctionArgs } from "@remix-run/node";
import { checkDatabase, replicaHealth } from "~/server/health.server";

/**
 * Liveness and database check for load balancers and monitoring. With a read replica, its state
 * is reported too; a replica that is down or lags does not fail the check (reads go to the primary).
 */
export async function loader({ context }: LoaderFunctionArgs) {
  const result = await checkDatabase(context.healthDb ?? context.db);
  const replica = context.replica ? { replica: replicaHealth(context.replica.state()) } : {};
  return Response.json(
    result.ok
      ? { status: "ok", db: "ok", ...replica }
      : { status: "error", db: result.reason, ...replica },
    {
      status: result.ok ? 200 : 503,
      headers: { "Cache-Control": "no-store" },
    },
  );
}
