import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import {
  ErrorSummary,
  type FormMessage,
  type SummaryItem,
  TextField,
} from "~/components/staff-form";
import { pageTitle } from "~/i18n/meta";
import { useI18n } from "~/i18n/react";
import { commitSession, getOptionalUser, safeRedirect, signIn } from "~/server/auth.server";
import { type FieldErrors, fieldErrors } from "~/server/form-errors.server";
import { PASSWORD_MAX_LENGTH } from "~/server/password.server";
import { emailSchema } from "~/server/users.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const redirectTo = safeRedirect(url.searchParams.get("redirectTo"));
  if (await getOptionalUser(request, context)) throw redirect(redirectTo);
  return { redirectTo, signedOut: url.searchParams.has("signedOut") };
}

const schema = z.object({
  email: emailSchema,
  password: z
    .string({ message: "auth.errors.passwordRequired" })
    .min(1, { message: "auth.errors.passwordRequired" })
    .max(PASSWORD_MAX_LENGTH, { message: "auth.errors.passwordTooLong" }),
});
type Field = keyof z.infer<typeof schema>;

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const values = { email: String(form.get("email") ?? "") };
  const parsed = schema.safeParse({
    email: form.get("email") ?? undefined,
    password: form.get("password") ?? undefined,
  });
  if (!parsed.success) {
    return data(
      { errors: fieldErrors<Field>(parsed.error), formError: null, values },
      { status: 400 },
    );
  }
  const result = await signIn(context.db, { ...parsed.data, ip: context.clientIp });
  if (result.ok) {
    return redirect(safeRedirect(form.get("redirectTo")), {
      headers: { "Set-Cookie": await commitSession(context.env, result.session) },
    });
  }
  const errors: FieldErrors<Field> = {};
  if (result.reason === "invalid") {
    errors.password = { key: "auth.errors.invalidCredentials" };
    return data({ errors, formError: null, values }, { status: 400 });
  }
  if (result.reason === "disabled") {
    return data(
      { errors, formError: { key: "auth.errors.disabled" } satisfies FormMessage, values },
      { status: 403 },
    );
  }
  context.logger.warn("sign-in refused: too many failed attempts", {
    ip: context.clientIp,
    limit: result.scope,
  });
  const minutes = Math.max(1, Math.ceil(result.retryAfter / 60));
  const formError: FormMessage =
    minutes > 90
      ? { key: "auth.errors.tooManyAttemptsHours", vars: { count: Math.ceil(minutes / 60) } }
      : { key: "auth.errors.tooManyAttempts", vars: { count: minutes } };
  return data(
    {
      errors,
      formError,
      values,
    },
    { status: 429, headers: { "Retry-After": String(result.retryAfter) } },
  );
}

export const meta: MetaFunction = ({ matches }) => [
  { title: pageTitle(matches, "auth.login.title") },
];

export default function Login() {
  const { redirectTo, signedOut } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useI18n();
  const errors: FieldErrors<Field> = actionData?.errors ?? {};
  const message = (m?: FormMessage | null) => (m ? t(m.key, m.vars) : undefined);
  const summary: SummaryItem[] = [];
  if (actionData?.formError) summary.push({ message: message(actionData.formError)! });
  for (const field of ["email", "password"] as const) {
    if (errors[field]) summary.push({ id: field, message: message(errors[field])! });
  }
  return (
    <div className="container narrow">
      <h1>{t("auth.login.title")}</h1>
      {signedOut && !actionData ? (
        <p className="notice notice--ok" role="status">
          {t("auth.login.signedOutNotice")}
        </p>
      ) : null}
      <p>{t("auth.login.intro")}</p>
      <ErrorSummary items={summary} trigger={actionData} />
      <Form method="post" noValidate className="auth-form">
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <TextField
          id="email"
          name="email"
          type="email"
          label={t("auth.login.email")}
          autoComplete="username"
          spellCheck={false}
          autoCapitalize="none"
          required
          defaultValue={actionData?.values.email ?? ""}
          error={message(errors.email)}
        />
        <TextField
          id="password"
          name="password"
          type="password"
          label={t("auth.login.password")}
          autoComplete="current-password"
          required
          error={message(errors.password)}
        />
        <div className="actions">
          <button type="submit">{t("auth.login.submit")}</button>
        </div>
      </Form>
      <p className="hint">{t("auth.login.forgotten")}</p>
    </div>
  );
}
