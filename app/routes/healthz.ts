import type { LoaderFunctionArgs } from "@remix-run/node";
import { checkDatabase } from "~/server/health.server";

/** Liveness and database check for load balancers and monitoring. */
export async function loader({ context }: LoaderFunctionArgs) {
  const result = await checkDatabase(context.healthDb ?? context.db);
  return Response.json(result.ok ? { status: "ok", db: "ok" } : { status: "error", db: result.reason }, {
    status: result.ok ? 200 : 503,
    headers: { "Cache-Control": "no-store" },
  });
}
