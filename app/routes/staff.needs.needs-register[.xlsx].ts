import type { LoaderFunctionArgs } from "@remix-run/node";
import { translator } from "~/i18n/catalogs.server";
import { resolveLocale } from "~/i18n/locale.server";
import { listAccessibleGroups, requireUser } from "~/server/auth.server";
import { registerExportRows, registerXlsx } from "~/server/needs-export.server";

/** GET /staff/needs/needs-register.xlsx[?group=…]: register and coverage sheets. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, { resource: true });
  const slug = new URL(request.url).searchParams.get("group");
  const group = slug ? (await listAccessibleGroups(context.db, user)).find((g) => g.slug === slug) : undefined;
  if (slug && !group) throw new Response("Unknown working group", { status: 404 });
  const rows = await registerExportRows(context.db, user, context.env.MIN_CELL_SIZE, group?.id);
  const t = translator((await resolveLocale(request)).locale);
  const body = await registerXlsx(rows, {
    register: t("register.export.sheetRegister"),
    coverage: t("register.export.sheetCoverage"),
  });
  return new Response(new Uint8Array(body), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": 'attachment; filename="needs-register.xlsx"',
      "Cache-Control": "private, no-store",
    },
  });
}
