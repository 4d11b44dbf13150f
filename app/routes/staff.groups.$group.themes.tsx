import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useFormatters } from "~/components/dashboard/format";
import { GroupNav } from "~/components/dashboard/layout";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { localized } from "~/i18n/translate";
import { pageTitle } from "~/i18n/meta";
import { requireGroupAccess } from "~/server/auth.server";
import { findGroup } from "~/server/working-groups.server";
import {
  createTheme,
  listThemes,
  mergeThemes,
  renameTheme,
  type ThemeError,
} from "~/server/themes.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const slug = params.group ?? "";
  await requireGroupAccess(request, context, slug);
  const group = await findGroup(context.db, slug);
  if (!group) throw new Response("", { status: 404, statusText: "Not Found" });
  const url = new URL(request.url);
  const themes = await listThemes(context.db, group.id);
  const kind = url.searchParams.get("notice");
  const name = url.searchParams.get("name")?.slice(0, 80) ?? "";
  const target = url.searchParams.get("target")?.slice(0, 80) ?? "";
  const notice =
    kind === "created" || kind === "renamed"
      ? { kind: kind as "created" | "renamed", name, target: "" }
      : kind === "merged"
        ? { kind: "merged" as const, name, target }
        : null;
  return { group, themes, notice, minCell: context.env.MIN_CELL_SIZE };
}

interface ActionResult {
  intent: "create" | "rename" | "merge";
  themeId: number | null;
  error: ThemeError;
  value: string;
}

function themeId(value: FormDataEntryValue | null): number | null {
  const s = String(value ?? "");
  return /^\d{1,9}$/.test(s) ? Number(s) : null;
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const slug = params.group ?? "";
  const user = await requireGroupAccess(request, context, slug);
  const group = await findGroup(context.db, slug);
  if (!group) throw new Response("", { status: 404, statusText: "Not Found" });
  const form = await request.formData();
  const intent = form.get("intent");
  const options = { by: user, ip: context.clientIp };
  const base = `/staff/groups/${group.slug}/themes`;
  const fail = (result: ActionResult) => data(result, { status: 400 });

  if (intent === "create") {
    const name = form.get("name");
    const result = await createTheme(context.db, group.id, name, options);
    if (!result.ok)
      return fail({ intent, themeId: null, error: result.error, value: String(name ?? "") });
    return redirect(`${base}?${new URLSearchParams({ notice: "created", name: result.name })}`);
  }
  if (intent === "rename") {
    const id = themeId(form.get("theme"));
    const name = form.get("name");
    if (id === null) throw new Response("Missing theme", { status: 400 });
    const result = await renameTheme(context.db, group.id, id, name, options);
    if (!result.ok)
      return fail({ intent, themeId: id, error: result.error, value: String(name ?? "") });
    return redirect(`${base}?${new URLSearchParams({ notice: "renamed", name: result.name })}`);
  }
  if (intent === "merge") {
    const id = themeId(form.get("theme"));
    const target = themeId(form.get("target"));
    if (id === null) throw new Response("Missing theme", { status: 400 });
    if (target === null)
      return fail({ intent, themeId: id, error: "dashboard.themes.errors.sameTheme", value: "" });
    const result = await mergeThemes(context.db, group.id, id, target, options);
    if (!result.ok) return fail({ intent, themeId: id, error: result.error, value: "" });
    return redirect(
      `${base}?${new URLSearchParams({ notice: "merged", name: result.source, target: result.target })}`,
    );
  }
  throw new Response("Unknown intent", { status: 400 });
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const locale =
    (matches.find((m) => m.id === "root")?.data as { locale?: string } | undefined)?.locale ?? "en";
  return [
    {
      title: pageTitle(matches, "dashboard.themes.title", {
        group: localized(data?.group.name, locale),
      }),
    },
  ];
};

export default function ThemesPage() {
  const { group, themes, notice, minCell } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const f = useFormatters(minCell);
  const { t } = f;
  const groupName = f.text(group.name, group.slug);
  const errorFor = (intent: ActionResult["intent"], id: number | null) =>
    result && result.intent === intent && result.themeId === id ? result : null;
  const createError = errorFor("create", null);
  return (
    <div className="container">
      <h1>{t("dashboard.themes.title", { group: groupName })}</h1>
      <GroupNav group={group.slug} query="" f={f} />
      <p className="lead">{t("dashboard.themes.intro")}</p>
      {notice && !result ? (
        <p className="notice notice--ok" role="status">
          {notice.kind === "merged"
            ? t("dashboard.themes.notices.merged", { source: notice.name, target: notice.target })
            : t(`dashboard.themes.notices.${notice.kind}`, { name: notice.name })}
        </p>
      ) : null}

      <h2 id="new-theme">{t("dashboard.themes.createHeading")}</h2>
      <Form method="post" className="inline-fields" aria-labelledby="new-theme" noValidate>
        <div className={`field${createError ? " field--invalid" : ""}`}>
          <label htmlFor="theme-name">{t("dashboard.themes.name")}</label>
          {createError ? (
            <p className="field-error" id="theme-name-error">
              <span className="visually-hidden">{t("auth.errors.prefix")} </span>
              {t(createError.error)}
            </p>
          ) : null}
          <input
            type="text"
            id="theme-name"
            name="name"
            maxLength={80}
            required
            autoComplete="off"
            defaultValue={createError?.value ?? ""}
            aria-invalid={createError ? true : undefined}
            aria-describedby={createError ? "theme-name-error" : undefined}
          />
        </div>
        <button type="submit" name="intent" value="create">
          {t("dashboard.themes.create")}
        </button>
      </Form>

      <h2>{t("dashboard.themes.listHeading")}</h2>
      {themes.length === 0 ? (
        <p>{t("dashboard.themes.none")}</p>
      ) : (
        <div className="table-wrap">
          <table className="themes-table">
            <caption>{t("dashboard.themes.listCaption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("dashboard.themes.theme")}</th>
                <th scope="col" className="num">
                  {t("dashboard.themes.answers")}
                </th>
                <th scope="col">{t("dashboard.themes.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {themes.map((th) => {
                const renameError = errorFor("rename", th.id);
                const mergeError = errorFor("merge", th.id);
                const others = themes.filter((o) => o.id !== th.id);
                return (
                  <tr key={th.id}>
                    <th scope="row">
                      {th.name}
                      <br />
                      <Link
                        to={`/staff/groups/${group.slug}/texts?theme=${th.id}`}
                        className="small"
                      >
                        {t("dashboard.themes.showAnswers")}
                        <span className="visually-hidden">: {th.name}</span>
                      </Link>
                    </th>
                    <td className="num" data-theme-count={th.name}>
                      {th.answers}
                    </td>
                    <td>
                      <Form method="post" className="inline-fields">
                        <input type="hidden" name="theme" value={th.id} />
                        <div className={`field${renameError ? " field--invalid" : ""}`}>
                          <label htmlFor={`rename-${th.id}`}>
                            {t("dashboard.themes.renameLabel", { name: th.name })}
                          </label>
                          {renameError ? (
                            <p className="field-error" id={`rename-${th.id}-error`}>
                              {t(renameError.error)}
                            </p>
                          ) : null}
                          <input
                            type="text"
                            id={`rename-${th.id}`}
                            name="name"
                            maxLength={80}
                            autoComplete="off"
                            defaultValue={renameError?.value ?? th.name}
                            aria-invalid={renameError ? true : undefined}
                            aria-describedby={renameError ? `rename-${th.id}-error` : undefined}
                          />
                        </div>
                        <button type="submit" name="intent" value="rename" className="secondary">
                          {t("dashboard.themes.rename")}
                        </button>
                      </Form>
                      {others.length ? (
                        <Form method="post" className="inline-fields">
                          <input type="hidden" name="theme" value={th.id} />
                          <div className={`field${mergeError ? " field--invalid" : ""}`}>
                            <label htmlFor={`merge-${th.id}`}>
                              {t("dashboard.themes.mergeLabel", { name: th.name })}
                            </label>
                            {mergeError ? (
                              <p className="field-error" id={`merge-${th.id}-error`}>
                                {t(mergeError.error)}
                              </p>
                            ) : null}
                            <select
                              id={`merge-${th.id}`}
                              name="target"
                              defaultValue=""
                              aria-invalid={mergeError ? true : undefined}
                              aria-describedby={mergeError ? `merge-${th.id}-error` : undefined}
                            >
                              <option value="">{t("dashboard.themes.chooseTarget")}</option>
                              {others.map((o) => (
                                <option key={o.id} value={o.id}>
                                  {o.name}
                                </option>
                              ))}
                            </select>
                          </div>
                          <button type="submit" name="intent" value="merge" className="secondary">
                            {t("dashboard.themes.merge")}
                          </button>
                        </Form>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
