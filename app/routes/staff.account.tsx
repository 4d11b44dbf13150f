import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { ErrorSummary, type SummaryItem, TextField } from "~/components/staff-form";
import { localized } from "~/i18n/translate";
import { pageTitle } from "~/i18n/meta";
import { useI18n } from "~/i18n/react";
import { changeOwnPassword, listAccessibleGroups, requireUser } from "~/server/auth.server";
import { type FieldErrors, fieldErrors, type FormError } from "~/server/form-errors.server";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "~/server/password.server";
import { passwordSchema } from "~/server/users.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const groups = user.role === "admin" ? [] : await listAccessibleGroups(context.db, user);
  return {
    user: { email: user.email, name: user.name, role: user.role },
    groups: groups.map((g) => g.name),
    changed: new URL(request.url).searchParams.has("changed"),
    minLength: PASSWORD_MIN_LENGTH,
  };
}

const schema = z.object({
  currentPassword: z
    .string({ message: "auth.errors.currentPasswordRequired" })
    .min(1, { message: "auth.errors.currentPasswordRequired" })
    .max(PASSWORD_MAX_LENGTH, { message: "auth.errors.passwordTooLong" }),
  newPassword: passwordSchema,
});
type Field = keyof z.infer<typeof schema>;

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = await request.formData();
  const parsed = schema.safeParse({
    currentPassword: form.get("currentPassword") ?? undefined,
    newPassword: form.get("newPassword") ?? undefined,
  });
  if (!parsed.success)
    return data({ errors: fieldErrors<Field>(parsed.error), formError: null }, { status: 400 });
  const result = await changeOwnPassword(request, context, user, parsed.data);
  if (result.ok) return redirect("/staff/account?changed=1");
  if (result.reason === "wrong_password") {
    const errors: FieldErrors<Field> = {
      currentPassword: { key: "auth.errors.currentPasswordWrong" },
    };
    return data({ errors, formError: null }, { status: 400 });
  }
  const formError: FormError = {
    key: "auth.errors.tooManyPasswordAttempts",
    vars: { count: Math.max(1, Math.ceil(result.retryAfter / 60)) },
  };
  return data({ errors: {} as FieldErrors<Field>, formError }, { status: 429 });
}

export const meta: MetaFunction = ({ matches }) => [
  { title: pageTitle(matches, "auth.account.title") },
];

export default function Account() {
  const { user, groups, changed, minLength } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, locale } = useI18n();
  const errors: FieldErrors<Field> = actionData?.errors ?? {};
  const message = (m?: FormError | null) => (m ? t(m.key, m.vars) : undefined);
  const summary: SummaryItem[] = [];
  if (actionData?.formError) summary.push({ message: message(actionData.formError)! });
  for (const field of ["currentPassword", "newPassword"] as const) {
    if (errors[field]) summary.push({ id: field, message: message(errors[field])! });
  }
  return (
    <div className="container narrow">
      <h1>{t("auth.account.title")}</h1>
      {changed && !actionData ? (
        <p className="notice notice--ok" role="status">
          {t("auth.account.changed")}
        </p>
      ) : null}

      <h2>{t("auth.account.detailsHeading")}</h2>
      <dl className="details-list">
        <dt>{t("auth.account.email")}</dt>
        <dd>{user.email}</dd>
        {user.name ? (
          <>
            <dt>{t("auth.account.name")}</dt>
            <dd>{user.name}</dd>
          </>
        ) : null}
        <dt>{t("auth.account.role")}</dt>
        <dd>{t(`auth.roles.${user.role}`)}</dd>
        <dt>{t("auth.account.groups")}</dt>
        <dd>
          {user.role === "admin"
            ? t("auth.account.allGroups")
            : groups.length
              ? groups.map((g) => localized(g, locale)).join("; ")
              : t("auth.account.noGroups")}
        </dd>
      </dl>

      <h2 id="password-heading">{t("auth.account.passwordHeading")}</h2>
      <ErrorSummary items={summary} trigger={actionData} />
      <Form method="post" noValidate aria-labelledby="password-heading" className="auth-form">
        {/* Lets password managers tie the new password to the account. */}
        <input type="hidden" name="username" autoComplete="username" value={user.email} />
        <TextField
          id="currentPassword"
          name="currentPassword"
          type="password"
          label={t("auth.account.currentPassword")}
          autoComplete="current-password"
          required
          error={message(errors.currentPassword)}
        />
        <TextField
          id="newPassword"
          name="newPassword"
          type="password"
          label={t("auth.account.newPassword")}
          hint={t("auth.account.newPasswordHint", { min: minLength })}
          autoComplete="new-password"
          minLength={minLength}
          required
          error={message(errors.newPassword)}
        />
        <div className="actions">
          <button type="submit">{t("auth.account.submit")}</button>
        </div>
      </Form>
    </div>
  );
}
