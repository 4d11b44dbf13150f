import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useFormatters } from "~/components/dashboard/format";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { SelectField } from "~/components/register/fields";
import { GapsTable, RegisterNav } from "~/components/register/views";
import { resolveLocale } from "~/i18n/locale.server";
import { pageTitle } from "~/i18n/meta";
import { listAccessibleGroups, requireUser } from "~/server/auth.server";
import { inLocale } from "~/i18n/in-locale";
import { gaps } from "~/server/needs.server";

/** Validated needs and their coverage, for one working group (?group=) or across the user's groups. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const groups = await listAccessibleGroups(context.db, user);
  const slug = new URL(request.url).searchParams.get("group");
  const group = groups.find((g) => g.slug === slug) ?? null;
  if (slug && !group) throw new Response("", { status: 404, statusText: "Not Found" });
  const { locale } = await resolveLocale(request);
  return {
    groups: inLocale(groups, locale),
    group: group ? inLocale(group, locale) : null,
    needs: inLocale(await gaps(context.db, user, group?.id), locale),
  };
}

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "register.gaps.title") }];

export default function GapsPage() {
  const { groups, group, needs } = useLoaderData<typeof loader>();
  const f = useFormatters(1);
  const { t } = f;
  const title = group
    ? t("register.gaps.titleGroup", { group: f.text(group.name, group.slug) })
    : t("register.gaps.title");
  return (
    <div className="container">
      <h1>{title}</h1>
      <RegisterNav query={group ? `group=${group.slug}` : ""} />
      <p className="lead">{t("register.gaps.intro")}</p>
      <Form method="get" className="inline-fields">
        <SelectField
          id="gaps-group"
          name="group"
          label={t("register.list.group")}
          defaultValue={group?.slug ?? ""}
          placeholder={t("register.list.allGroups")}
          options={groups.map((g) => ({ value: g.slug, label: f.text(g.name, g.slug) }))}
        />
        <button type="submit" className="secondary">
          {t("register.gaps.show")}
        </button>
      </Form>
      {needs.length === 0 ? (
        <p>{t("register.gaps.none")}</p>
      ) : (
        <GapsTable rows={needs} caption={t("register.gaps.caption")} />
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
