import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import { data } from "@remix-run/node";
import {
  Form,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useMatches,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { useNonce } from "~/components/nonce";
import { ALL_NAMESPACES, messagesOf, messagesOfParts, PUBLIC_NAMESPACES } from "~/i18n/catalogs.server";
import { pageMessageParts } from "~/i18n/page-messages";
import { localeCookie, resolveLocale } from "~/i18n/locale.server";
import { useI18n } from "~/i18n/react";
import { DEFAULT_LOCALE, interpolate, LANGUAGE_NAMES, type Locale, LOCALES, SWITCH_TO } from "~/i18n/translate";
import { getOptionalUser } from "~/server/auth.server";
import styles from "~/styles/app.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.ico", sizes: "any" },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { locale, fromQuery } = await resolveLocale(request);
  const headers = new Headers({ Vary: "Cookie, Accept-Language" });
  if (fromQuery) headers.append("Set-Cookie", await localeCookie.serialize(locale));
  const user = await getOptionalUser(request, context);
  const staff = user ? { id: user.id, name: user.name || user.email, email: user.email, role: user.role } : null;
  const { pathname } = new URL(request.url);
  const parts = pageMessageParts(pathname);
  const messages =
    staff || isStaffArea(pathname)
      ? parts
        ? messagesOfParts(locale, parts)
        : messagesOf(locale, ALL_NAMESPACES)
      : messagesOf(locale, PUBLIC_NAMESPACES);
  return data({ locale, messages, user: staff }, { headers });
}

/** Staff pages and the sign-in page get every message namespace; the others only the public ones. */
function isStaffArea(pathname: string): boolean {
  return /^\/(staff|login|logout)(\/|$)/.test(pathname);
}

/**
 * Moving between the public and the staff area, or to or from a page with its own list of
 * messages, needs the other set of messages.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ currentUrl, nextUrl, defaultShouldRevalidate }) =>
  defaultShouldRevalidate ||
  isStaffArea(currentUrl.pathname) !== isStaffArea(nextUrl.pathname) ||
  pageMessageParts(currentUrl.pathname) !== pageMessageParts(nextUrl.pathname);

export const meta: MetaFunction = () => [{ title: "Needsmap" }];

/**
 * A route whose page holds a form of typed answers names it in its `handle`
 * (`{ languageForm: "<form id>" }`): the header's language switch then submits that form with
 * `intent=lang:<xx>`, so that switching saves what was typed, with or without JavaScript.
 */
export interface LanguageFormHandle {
  languageForm: string;
}

function languageFormOf(matches: ReturnType<typeof useMatches>): string | null {
  for (const match of [...matches].reverse()) {
    const handle = match.handle as Partial<LanguageFormHandle> | undefined;
    if (typeof handle?.languageForm === "string") return handle.languageForm;
  }
  return null;
}

function LanguageSwitch() {
  const { locale, t } = useI18n();
  const location = useLocation();
  const form = languageFormOf(useMatches());
  return (
    <nav aria-label={t("common.language")} className="lang-switch">
      <ul>
        {LOCALES.map((l) => {
          const params = new URLSearchParams(location.search);
          params.set("lang", l);
          const name = LANGUAGE_NAMES[l];
          return (
            <li key={l}>
              {l === locale ? (
                <span aria-current="true" lang={l}>
                  {name}
                </span>
              ) : form ? (
                <button
                  type="submit"
                  form={form}
                  name="intent"
                  value={`lang:${l}`}
                  lang={l}
                  aria-label={translatorFor(l)}
                  className="link"
                >
                  {name}
                </button>
              ) : (
                <Link
                  to={`${location.pathname}?${params.toString()}`}
                  lang={l}
                  hrefLang={l}
                  aria-label={translatorFor(l)}
                  reloadDocument
                >
                  {name}
                </Link>
              )}
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

function StaffNav() {
  const { t } = useI18n();
  const rootData = useRouteLoaderData<typeof loader>("root");
  // Without root data (the root loader failed) nothing is known about the reader.
  if (!rootData) return null;
  const user = rootData.user;
  if (!user) {
    return (
      <Link to="/login" className="staff-signin">
        {t("auth.nav.staffSignIn")}
      </Link>
    );
  }
  return (
    <nav aria-label={t("auth.nav.label")} className="site-nav staff-nav">
      <ul>
        <li>
          <NavLink to="/staff" end>
            {t("auth.nav.dashboards")}
          </NavLink>
        </li>
        <li>
          <NavLink to="/staff/overview">{t("dashboard.nav.overview")}</NavLink>
        </li>
        <li>
          <NavLink to="/staff/needs">{t("register.nav.register")}</NavLink>
        </li>
        {user.role === "admin" ? (
          <li>
            <NavLink to="/staff/users">{t("auth.nav.users")}</NavLink>
          </li>
        ) : null}
        {user.role === "admin" ? (
          <li>
            <NavLink to="/staff/audit">{t("manage.nav.audit")}</NavLink>
          </li>
        ) : null}
        <li>
          <NavLink to="/staff/account">
            {t("auth.nav.account")}
          </NavLink>
        </li>
        <li>
          <Form method="post" action="/logout">
            <button type="submit" className="link">
              {t("auth.nav.signOut")}
            </button>
          </Form>
        </li>
      </ul>
    </nav>
  );
}

function translatorFor(l: Locale): string {
  return interpolate(SWITCH_TO[l], { language: LANGUAGE_NAMES[l] });
}

export function Layout({ children }: { children: ReactNode }) {
  const rootData = useRouteLoaderData<typeof loader>("root");
  const locale = rootData?.locale ?? DEFAULT_LOCALE;
  const nonce = useNonce();
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

function Chrome({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const languageForm = languageFormOf(useMatches());
  return (
    <>
      {languageForm ? (
        // Enter in a field submits a form with its first submit button in the document, which
        // would otherwise be the header's language switch: this "Next" comes before it.
        <button
          type="submit"
          form={languageForm}
          name="intent"
          value="next"
          className="visually-hidden"
          tabIndex={-1}
          aria-hidden="true"
        >
          {t("respond.page.next")}
        </button>
      ) : null}
      <a className="skip-link" href="#main">
        {t("common.skipToContent")}
      </a>
      <header className="site-header">
        <div className="site-header__inner">
          <Link to="/" className="brand">
            {t("common.appName")}
          </Link>
          <div className="site-header__tools">
            <StaffNav />
            <LanguageSwitch />
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <footer className="site-footer">
        <p>{t("common.footer")}</p>
      </footer>
    </>
  );
}

export default function App() {
  return (
    <Chrome>
      <Outlet />
    </Chrome>
  );
}

export function ErrorBoundary() {
  return (
    <Chrome>
      <GeneralErrorBoundary />
    </Chrome>
  );
}
