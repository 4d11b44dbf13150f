import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useFormatters } from "~/components/dashboard/format";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { RegisterReportSections } from "~/components/register/views";
import { resolveLocale } from "~/i18n/locale.server";
import { pageTitle } from "~/i18n/meta";
import { listAccessibleGroups, requireUser } from "~/server/auth.server";
import { inLocale } from "~/i18n/in-locale";
import { gaps, listNeeds, today } from "~/server/needs.server";

/**
 * The register and the gaps table for printing (one group with ?group=, else the user's groups):
 * the same components as the findings report takes.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const groups = await listAccessibleGroups(context.db, user);
  const slug = new URL(request.url).searchParams.get("group");
  const group = groups.find((g) => g.slug === slug) ?? null;
  if (slug && !group) throw new Response("", { status: 404, statusText: "Not Found" });
  const { locale } = await resolveLocale(request);
  const [needs, gapRows] = await Promise.all([
    listNeeds(context.db, user, { groupId: group?.id }),
    gaps(context.db, user, group?.id),
  ]);
  return {
    group: group ? inLocale(group, locale) : null,
    needs: inLocale(needs, locale),
    gaps: inLocale(gapRows, locale),
    date: today(),
  };
}

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "register.print.title") }];

export default function PrintRegisterPage() {
  const { group, needs, gaps: gapRows, date } = useLoaderData<typeof loader>();
  const f = useFormatters(1);
  const { t } = f;
  return (
    <div className="container report">
      <h1>
        {t("register.print.title")}
        {group ? `: ${f.text(group.name, group.slug)}` : ""}
      </h1>
      <p>{t("register.print.printed", { date: f.date(date) })}</p>
      <RegisterReportSections register={needs} gaps={gapRows} />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
