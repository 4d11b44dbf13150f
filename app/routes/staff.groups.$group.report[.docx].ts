import type { LoaderFunctionArgs } from "@remix-run/node";
import { resolveLocale } from "~/i18n/locale.server";
import { requireGroupAccess } from "~/server/auth.server";

/** GET …/report.docx: the findings report as a Word document, in the reader's language. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const slug = params.group ?? "";
  const user = await requireGroupAccess(request, context, slug);
  const { locale } = await resolveLocale(request);
  // The Word writer (the docx library, about 14 MB in memory) is loaded with the first report.
  const { reportDocxDownload } = await import("~/server/dashboards/report-docx.server");
  return reportDocxDownload(context, user, slug, new URL(request.url), locale);
}
