// Signed-in staff sessions of the end-to-end tests. Before the server starts, setup-accounts.ts
// opens a session for each account of accounts.ts (as a sign-in does) and keeps its cookies in a
// file; a spec that needs a coordinator or an administrator starts from those cookies instead of
// signing in through the form each time. The sign-in form itself is tested in auth.spec.ts.
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { BrowserContext, Page } from "@playwright/test";
import { E2E_ACCOUNTS } from "./accounts";

export type AccountName = keyof typeof E2E_ACCOUNTS;

/** A cookie as Playwright's `addCookies` takes it. */
type Cookie = Parameters<BrowserContext["addCookies"]>[0][number];

/** Where the session of an account is kept (one directory per server port: runs side by side). */
export function sessionFile(account: AccountName): string {
  const port = process.env.E2E_PORT ?? "3210";
  return path.join(tmpdir(), `needsmap-e2e-sessions-${port}`, `${account}.json`);
}

/** The cookies that these Set-Cookie header values give a browser at `url`. */
export function sessionCookies(setCookies: string[], url: string): Cookie[] {
  const https = url.startsWith("https:");
  return setCookies.map((header) => {
    const [pair, ...attributes] = header.split(";").map((s) => s.trim());
    const at = pair.indexOf("=");
    const cookie: Cookie = { name: pair.slice(0, at), value: pair.slice(at + 1), url };
    for (const attribute of attributes) {
      const [key, value = ""] = attribute.split("=");
      switch (key.toLowerCase()) {
        case "expires":
          cookie.expires = Math.floor(new Date(value).getTime() / 1000);
          break;
        case "max-age":
          cookie.expires = Math.floor(Date.now() / 1000) + Number(value);
          break;
        case "httponly":
          cookie.httpOnly = true;
          break;
        case "secure":
          cookie.secure = https;
          break;
        case "samesite":
          cookie.sameSite = (value[0].toUpperCase() +
            value.slice(1).toLowerCase()) as Cookie["sameSite"];
          break;
      }
    }
    return cookie;
  });
}

function accountOf(account: AccountName | string): AccountName {
  if (account in E2E_ACCOUNTS) return account as AccountName;
  const found = (Object.keys(E2E_ACCOUNTS) as AccountName[]).find(
    (name) => E2E_ACCOUNTS[name].email === account,
  );
  if (!found) throw new Error(`no e2e account ${account}`);
  return found;
}

/**
 * Signs the page's browser context in as the account (by its name or e-mail address): its
 * session cookies are added, nothing is loaded. Pages are in English, as after a sign-in at
 * /login?lang=en, until an address asks for another language.
 */
export async function restoreSession(page: Page, account: AccountName | string): Promise<void> {
  const cookies = JSON.parse(readFileSync(sessionFile(accountOf(account)), "utf8")) as Cookie[];
  await page.context().addCookies(cookies);
}
