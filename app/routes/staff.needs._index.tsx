import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useFormatters } from "~/components/dashboard/format";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { SelectField } from "~/components/register/fields";
import { RegisterNav, RegisterTable } from "~/components/register/views";
import { pageTitle } from "~/i18n/meta";
import { canAccessGroup, listAccessibleGroups, requireGroupAccess, requireUser } from "~/server/auth.server";
import { inLocale } from "~/i18n/in-locale";
import { resolveLocale } from "~/i18n/locale.server";
import {
  listNeeds,
  outcomeSettings,
  setOutcomePage,
} from "~/server/needs.server";
import type { NeedStatus } from "#db/schema";
import { NEED_STATUSES } from "~/survey/register";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const url = new URL(request.url);
  const groups = await listAccessibleGroups(context.db, user);
  const group = groups.find((g) => g.slug === url.searchParams.get("group")) ?? null;
  const statusParam = url.searchParams.get("status");
  const status = (NEED_STATUSES as readonly string[]).includes(statusParam ?? "")
    ? (statusParam as NeedStatus)
    : null;
  const needs = await listNeeds(context.db, user, {
    groupId: group?.id,
    status: status ?? undefined,
  });
  const outcome = group ? await outcomeSettings(context.db, group.id) : null;
  const notice = url.searchParams.get("notice");
  const { locale } = await resolveLocale(request);
  return {
    groups: inLocale(groups, locale),
    group: group?.slug ?? null,
    status,
    needs: inLocale(needs, locale),
    outcome,
    notice: notice === "outcome" ? ("outcome" as const) : null,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const slug = String(form.get("group") ?? "");
  const user = await requireGroupAccess(request, context, slug);
  const groups = await listAccessibleGroups(context.db, user);
  const group = groups.find((g) => g.slug === slug);
  if (!group || !canAccessGroup(user, group.id))
    throw new Response("", { status: 404, statusText: "Not Found" });
  if (form.get("intent") !== "outcome") throw new Response("Unknown intent", { status: 400 });
  const shown = new Set(form.getAll("shown").map(String));
  for (const survey of await outcomeSettings(context.db, group.id)) {
    await setOutcomePage(context.db, survey.id, shown.has(String(survey.id)), {
      by: user,
      ip: context.clientIp,
    });
  }
  return redirect(`/staff/needs?${new URLSearchParams({ group: group.slug, notice: "outcome" })}`);
}

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "register.list.title") }];

export default function RegisterPage() {
  const { groups, group, status, needs, outcome, notice } = useLoaderData<typeof loader>();
  const f = useFormatters(1);
  const { t } = f;
  const query = group ? `group=${group}` : "";
  return (
    <div className="container">
      <h1>{t("register.list.title")}</h1>
      <RegisterNav query={query} />
      <p className="lead">{t("register.list.intro")}</p>
      {notice ? (
        <p className="notice notice--ok" role="status">
          {t("register.outcome.saved")}
        </p>
      ) : null}
      <Form method="get" className="inline-fields" aria-labelledby="register-filters">
        <h2 id="register-filters" className="visually-hidden">
          {t("register.list.filters")}
        </h2>
        <SelectField
          id="filter-group"
          name="group"
          label={t("register.list.group")}
          defaultValue={group ?? ""}
          placeholder={t("register.list.allGroups")}
          options={groups.map((g) => ({ value: g.slug, label: f.text(g.name, g.slug) }))}
        />
        <SelectField
          id="filter-status"
          name="status"
          label={t("register.list.status")}
          defaultValue={status ?? ""}
          placeholder={t("register.list.allStatuses")}
          options={NEED_STATUSES.map((s) => ({ value: s, label: t(`register.statuses.${s}`) }))}
        />
        <button type="submit" className="secondary">
          {t("register.list.show")}
        </button>
      </Form>
      <p className="actions">
        <Link to={group ? `/staff/needs/new?group=${group}` : "/staff/needs/new"} className="button">
          {t("register.list.add")}
        </Link>{" "}
        {groups.map((g) =>
          group === null || group === g.slug ? (
            <Link key={g.slug} to={`/staff/needs/figures?group=${g.slug}`} className="button secondary">
              {t("register.nav.figures")}: {f.text(g.name, g.slug)}
            </Link>
          ) : null,
        )}
      </p>
      {needs.length === 0 ? (
        <p>{t("register.list.none")}</p>
      ) : (
        <RegisterTable rows={needs} caption={t("register.list.caption", { count: needs.length })} />
      )}
      <h2>{t("register.list.downloads")}</h2>
      <ul>
        <li>
          <a href={`/staff/needs/needs-register.csv${query ? `?${query}` : ""}`} download>
            {t("register.list.csv")}
          </a>
        </li>
        <li>
          <a href={`/staff/needs/needs-register.xlsx${query ? `?${query}` : ""}`} download>
            {t("register.list.xlsx")}
          </a>
        </li>
      </ul>
      {group && outcome ? (
        <section aria-labelledby="outcome-heading">
          <h2 id="outcome-heading">{t("register.outcome.heading")}</h2>
          <p>{t("register.outcome.intro")}</p>
          {outcome.length === 0 ? (
            <p>{t("register.outcome.noSurveys")}</p>
          ) : (
            <Form method="post">
              <input type="hidden" name="group" value={group} />
              {outcome.map((s) => (
                <div key={s.id} className="checkbox">
                  <input
                    type="checkbox"
                    id={`outcome-${s.id}`}
                    name="shown"
                    value={s.id}
                    defaultChecked={s.shown}
                  />
                  <label htmlFor={`outcome-${s.id}`}>{t("register.outcome.show", { survey: s.slug })}</label>
                </div>
              ))}
              <button type="submit" name="intent" value="outcome" className="secondary">
                {t("register.outcome.save")}
              </button>
            </Form>
          )}
          {outcome.some((s) => s.shown) ? (
            <p>
              <Link to={`/outcomes/${group}`}>{t("register.outcome.view")}</Link>
            </p>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
