import type { LoaderFunctionArgs } from "@remix-run/node";
import { listAccessibleGroups, requireUser } from "~/server/auth.server";
import { registerCsv, registerExportRows } from "~/server/needs-export.server";

/** GET /staff/needs/needs-register.csv[?group=…]: the register with evidence and coverage. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, { resource: true });
  const slug = new URL(request.url).searchParams.get("group");
  const group = slug ? (await listAccessibleGroups(context.db, user)).find((g) => g.slug === slug) : undefined;
  if (slug && !group) throw new Response("Unknown working group", { status: 404 });
  const rows = await registerExportRows(context.db, user, context.env.MIN_CELL_SIZE, group?.id);
  return new Response(registerCsv(rows), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": 'attachment; filename="needs-register.csv"',
      "Cache-Control": "private, no-store",
    },
  });
}
