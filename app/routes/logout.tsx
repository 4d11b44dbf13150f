import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { pageTitle } from "~/i18n/meta";
import { useI18n } from "~/i18n/react";
import { getOptionalUser, signOut } from "~/server/auth.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  return { signedIn: Boolean(await getOptionalUser(request, context)) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const cookie = await signOut(request, context);
  return redirect("/login?signedOut=1", { headers: { "Set-Cookie": cookie } });
}

export const meta: MetaFunction = ({ matches }) => [
  { title: pageTitle(matches, "auth.logout.title") },
];

export default function Logout() {
  const { signedIn } = useLoaderData<typeof loader>();
  const { t } = useI18n();
  return (
    <div className="container narrow">
      <h1>{t("auth.logout.title")}</h1>
      {signedIn ? (
        <Form method="post">
          <p>{t("auth.logout.text")}</p>
          <div className="actions">
            <button type="submit">{t("auth.logout.submit")}</button>
          </div>
        </Form>
      ) : (
        <>
          <p>{t("auth.logout.notSignedIn")}</p>
          <p>
            <Link to="/login">{t("auth.logout.signIn")}</Link>
          </p>
        </>
      )}
    </div>
  );
}
