import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import type { UserRole } from "#db/schema";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorSummary, FieldError, type SummaryItem, TextField } from "~/components/staff-form";
import { localized } from "~/i18n/translate";
import { pageTitle } from "~/i18n/meta";
import { useI18n } from "~/i18n/react";
import { currentSessionHash, listAccessibleGroups, requireAdmin } from "~/server/auth.server";
import type { FieldErrors, FormError } from "~/server/form-errors.server";
import { PASSWORD_MIN_LENGTH } from "~/server/password.server";
import { clearSignInLocks, listSignInLocks, SIGN_IN_LIMITS } from "~/server/sign-in-limits.server";
import { formatDateTime } from "~/components/survey-admin/format";
import { type AccountFields, listAccounts, saveAccount, setAccountDisabled } from "~/server/users.server";

const ROLES = ["admin", "coordinator"] as const satisfies readonly UserRole[];
const NOTICES = ["created", "updated", "disabled", "enabled", "unlocked"] as const;
type Notice = (typeof NOTICES)[number];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const admin = await requireAdmin(request, context);
  const url = new URL(request.url);
  const [accounts, groups, locks] = await Promise.all([
    listAccounts(context.db),
    listAccessibleGroups(context.db, admin),
    listSignInLocks(context.db),
  ]);
  const editParam = url.searchParams.get("edit");
  const editing = editParam ? (accounts.find((a) => String(a.id) === editParam) ?? null) : null;
  if (editParam && !editing) throw new Response("", { status: 404, statusText: "Not Found" });
  const noticeKind = url.searchParams.get("notice") as Notice | null;
  const noticeAccount = accounts.find((a) => String(a.id) === url.searchParams.get("account"));
  return {
    me: admin.id,
    accounts,
    groups: groups.map((g) => ({ slug: g.slug, name: g.name })),
    editing,
    notice:
      noticeKind && NOTICES.includes(noticeKind) && noticeAccount
        ? { kind: noticeKind, email: noticeAccount.email }
        : null,
    minLength: PASSWORD_MIN_LENGTH,
    locks,
    lockLimits: {
      limit: SIGN_IN_LIMITS.accountAddress.limit,
      minutes: SIGN_IN_LIMITS.accountAddress.windowSeconds / 60,
      daily: SIGN_IN_LIMITS.account.limit,
    },
  };
}

interface FormValues {
  email: string;
  name: string;
  role: string;
  groups: string[];
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireAdmin(request, context);
  const form = await request.formData();
  const intent = form.get("intent");
  const id = /^\d+$/.test(String(form.get("id") ?? "")) ? Number(form.get("id")) : undefined;
  const audit = { by: admin, ip: context.clientIp };

  if (intent === "disable" || intent === "enable") {
    if (id == null) throw new Response("", { status: 400, statusText: "Bad Request" });
    const result = await setAccountDisabled(context.db, id, intent === "disable", audit);
    if (!result.ok && result.reason === "not_found")
      throw new Response("", { status: 404, statusText: "Not Found" });
    if (!result.ok) {
      const formError: FormError = { key: "auth.errors.cannotDisableSelf" };
      return data(
        { errors: {} as FieldErrors<AccountFields>, formError, values: null },
        { status: 400 },
      );
    }
    return redirect(`/staff/users?notice=${intent}d&account=${id}`);
  }
  if (intent === "unlock") {
    if (id == null) throw new Response("", { status: 400, statusText: "Bad Request" });
    const result = await clearSignInLocks(context.db, id, audit);
    if (!result.ok) throw new Response("", { status: 404, statusText: "Not Found" });
    return redirect(`/staff/users?notice=unlocked&account=${id}`);
  }
  if (intent !== "save") throw new Response("", { status: 400, statusText: "Bad Request" });

  const values: FormValues = {
    email: String(form.get("email") ?? ""),
    name: String(form.get("name") ?? ""),
    role: String(form.get("role") ?? ""),
    groups: form.getAll("groups").map(String),
  };
  const result = await saveAccount(
    context.db,
    { ...values, role: values.role || undefined, password: form.get("password") ?? undefined },
    { id, ...audit, keepSessionHash: await currentSessionHash(request, context) },
  );
  if (!result.ok) return data({ errors: result.errors, formError: null, values }, { status: 400 });
  return redirect(
    `/staff/users?notice=${result.created ? "created" : "updated"}&account=${result.id}`,
  );
}

export const meta: MetaFunction = ({ matches }) => [
  { title: pageTitle(matches, "auth.users.title") },
];

const dateFormat = (locale: string) =>
  new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" });

export default function Users() {
  const { me, accounts, groups, editing, notice, minLength, locks, lockLimits } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, locale } = useI18n();
  const formatDate = (d: Date) => dateFormat(locale).format(new Date(d));
  const groupName = (slug: string) =>
    localized(groups.find((g) => g.slug === slug)?.name, locale) || slug;

  const errors: FieldErrors<AccountFields> = actionData?.errors ?? {};
  const message = (m?: FormError | null) => (m ? t(m.key, m.vars) : undefined);
  const values: FormValues = actionData?.values ?? {
    email: editing?.email ?? "",
    name: editing?.name ?? "",
    role: editing?.role ?? "coordinator",
    groups: editing?.groupSlugs ?? [],
  };
  const fieldIds: Record<AccountFields, string> = {
    email: "email",
    name: "name",
    password: "password",
    role: `role-${ROLES[0]}`,
    groups: groups.length ? `group-${groups[0].slug}` : "groups",
  };
  const summary: SummaryItem[] = (Object.keys(fieldIds) as AccountFields[])
    .filter((f) => errors[f])
    .map((f) => ({ id: fieldIds[f], message: message(errors[f])! }));

  return (
    <div className="container">
      <h1>{t("auth.users.title")}</h1>
      <p className="lead">{t("auth.users.intro")}</p>
      {notice && !actionData ? (
        <p className="notice notice--ok" role="status">
          {t(`auth.users.notices.${notice.kind}`, { email: notice.email })}
        </p>
      ) : null}
      {actionData?.formError ? (
        <p className="notice notice--warn" role="alert">
          {message(actionData.formError)}
        </p>
      ) : null}

      <h2 id="sign-in-locks">{t("auth.users.locks.heading")}</h2>
      <p>{t("auth.users.locks.intro", lockLimits)}</p>
      {locks.length === 0 ? (
        <p className="muted">{t("auth.users.locks.none")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption>{t("auth.users.locks.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("auth.users.locks.account")}</th>
                <th scope="col">{t("auth.users.locks.locked")}</th>
                <th scope="col">{t("auth.users.locks.action")}</th>
              </tr>
            </thead>
            <tbody>
              {locks.map((lock) => (
                <tr key={lock.userId}>
                  <th scope="row">{lock.email}</th>
                  <td>
                    <ul className="lock-list">
                      {lock.everyAddressUntil ? (
                        <li>
                          {t("auth.users.locks.item", {
                            scope: t("auth.users.locks.everyAddress"),
                            until: formatDateTime(lock.everyAddressUntil, locale),
                          })}
                        </li>
                      ) : null}
                      {lock.addresses.map((a) => (
                        <li key={a.address}>
                          {t("auth.users.locks.item", {
                            scope: a.address,
                            until: formatDateTime(a.until, locale),
                          })}
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td>
                    <Form method="post" action="/staff/users">
                      <input type="hidden" name="id" value={lock.userId} />
                      <button type="submit" name="intent" value="unlock" className="secondary">
                        {t("auth.users.locks.lift")}{" "}
                        <span className="visually-hidden">{lock.email}</span>
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2>{t("auth.users.listHeading")}</h2>
      <p className="muted">{t("auth.users.count", { count: accounts.length })}</p>
      <ul className="account-list">
        {accounts.map((a) => (
          <li key={a.id} className={`card account${a.disabledAt ? " account--disabled" : ""}`}>
            <h3>
              {a.name || a.email}{" "}
              {a.id === me ? <span className="muted">{t("auth.users.you")}</span> : null}
            </h3>
            <dl className="details-list">
              {a.name ? (
                <>
                  <dt>{t("auth.users.email")}</dt>
                  <dd>{a.email}</dd>
                </>
              ) : null}
              <dt>{t("auth.users.role")}</dt>
              <dd>{t(`auth.roles.${a.role}`)}</dd>
              <dt>{t("auth.users.groups")}</dt>
              <dd>
                {a.role === "admin"
                  ? t("auth.users.allGroups")
                  : a.groupSlugs.length
                    ? a.groupSlugs.map(groupName).join("; ")
                    : t("auth.users.noGroups")}
              </dd>
              <dt>{t("auth.users.status")}</dt>
              <dd>
                {a.disabledAt
                  ? t("auth.users.disabled", { date: formatDate(a.disabledAt) })
                  : t("auth.users.active")}
              </dd>
              <dt>{t("auth.users.lastSeen")}</dt>
              <dd>{a.lastSeenAt ? formatDate(a.lastSeenAt) : t("auth.users.never")}</dd>
            </dl>
            <div className="actions">
              <Link to={`?edit=${a.id}#account-form`} className="button button--secondary">
                {t("auth.users.edit")} <span className="visually-hidden">{a.email}</span>
              </Link>
              {a.id === me ? null : (
                <Form method="post" action="/staff/users">
                  <input type="hidden" name="id" value={a.id} />
                  <button
                    type="submit"
                    name="intent"
                    value={a.disabledAt ? "enable" : "disable"}
                    className="secondary"
                  >
                    {a.disabledAt ? t("auth.users.enable") : t("auth.users.disable")}{" "}
                    <span className="visually-hidden">{a.email}</span>
                  </button>
                </Form>
              )}
            </div>
          </li>
        ))}
      </ul>

      <h2 id="account-form">
        {editing
          ? t("auth.users.editHeading", { email: editing.email })
          : t("auth.users.createHeading")}
      </h2>
      <ErrorSummary items={summary} trigger={actionData} />
      <Form
        method="post"
        noValidate
        className="auth-form"
        aria-labelledby="account-form"
        key={editing?.id ?? "new"}
      >
        <input type="hidden" name="intent" value="save" />
        {editing ? <input type="hidden" name="id" value={editing.id} /> : null}
        <TextField
          id="email"
          name="email"
          type="email"
          label={t("auth.users.email")}
          autoComplete="off"
          spellCheck={false}
          autoCapitalize="none"
          required
          defaultValue={values.email}
          error={message(errors.email)}
        />
        <TextField
          id="name"
          name="name"
          type="text"
          label={t("auth.users.name")}
          hint={t("auth.users.nameHint")}
          autoComplete="off"
          defaultValue={values.name}
          error={message(errors.name)}
        />
        <TextField
          id="password"
          name="password"
          type="password"
          label={t("auth.users.password")}
          hint={
            editing
              ? t("auth.users.passwordHintEdit")
              : t("auth.users.passwordHintCreate", { min: minLength })
          }
          autoComplete="new-password"
          required={!editing}
          minLength={minLength}
          error={message(errors.password)}
        />
        <fieldset
          className={`field${errors.role ? " field--invalid" : ""}`}
          aria-describedby={errors.role ? "role-error" : undefined}
        >
          <legend>{t("auth.users.role")}</legend>
          <FieldError id="role-error">{message(errors.role)}</FieldError>
          {ROLES.map((role) => (
            <div key={role} className="choice-with-hint">
              <label className="choice">
                <input
                  type="radio"
                  id={`role-${role}`}
                  name="role"
                  value={role}
                  defaultChecked={values.role === role}
                  aria-describedby={`role-${role}-hint`}
                />
                {t(`auth.roles.${role}`)}
              </label>
              <p className="hint" id={`role-${role}-hint`}>
                {t(`auth.users.roleHints.${role}`)}
              </p>
            </div>
          ))}
        </fieldset>
        <fieldset
          className={`field${errors.groups ? " field--invalid" : ""}`}
          aria-describedby={["groups-hint", errors.groups ? "groups-error" : ""].join(" ").trim()}
        >
          <legend>{t("auth.users.groups")}</legend>
          <p className="hint" id="groups-hint">
            {t("auth.users.groupsHint")}
          </p>
          <FieldError id="groups-error">{message(errors.groups)}</FieldError>
          {groups.map((g) => (
            <label key={g.slug} className="choice">
              <input
                type="checkbox"
                id={`group-${g.slug}`}
                name="groups"
                value={g.slug}
                defaultChecked={values.groups.includes(g.slug)}
              />
              {localized(g.name, locale)}
            </label>
          ))}
        </fieldset>
        <div className="actions">
          <button type="submit">{editing ? t("auth.users.save") : t("auth.users.create")}</button>
          {editing ? (
            <Link to="/staff/users" className="button button--secondary">
              {t("auth.users.cancel")}
            </Link>
          ) : null}
        </div>
      </Form>
    </div>
  );
}
