import { expect, type Page, test } from "@playwright/test";
import { expectNoAxeViolations } from "./axe";
import { E2E_ACCOUNTS, E2E_PASSWORD } from "./accounts";

async function signIn(page: Page, email: string, password = E2E_PASSWORD) {
  await page.getByLabel("E-mail address").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test.describe("staff sign-in on a small screen", () => {
  test.use({ viewport: { width: 360, height: 740 } });

  test("a coordinator signs in, sees their group only, and signs out", async ({ page }) => {
    await page.goto("/?lang=en");
    await page.goto("/staff");
    await expect(page).toHaveURL(/\/login\?redirectTo=%2Fstaff$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Staff sign-in");
    await expectNoAxeViolations(page);

    await signIn(page, E2E_ACCOUNTS.coordinator.email, "not the password");
    const summary = page.getByRole("alert").filter({ hasText: "There is a problem" });
    await expect(summary).toBeFocused();
    await expect(summary).toContainText("The e-mail address or the password is not correct");
    await expect(page.getByLabel("E-mail address")).toHaveValue(E2E_ACCOUNTS.coordinator.email);
    await expectNoAxeViolations(page);

    await signIn(page, E2E_ACCOUNTS.coordinator.email);
    await expect(page).toHaveURL(/\/staff$/);
    const nav = page.getByRole("navigation", { name: "Staff" });
    await expect(nav.getByRole("link", { name: "Dashboards" })).toHaveAttribute("aria-current", "page");
    await expect(nav.getByRole("link", { name: "Users" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: /^Dashboard: / })).toHaveText(["Dashboard: Health"]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await expectNoAxeViolations(page);

    const forbidden = await page.goto("/staff/users");
    expect(forbidden?.status()).toBe(403);

    await page.goto("/staff");
    await nav.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login\?signedOut=1/);
    await expect(page.getByRole("status")).toHaveText("You have been signed out.");
    await page.goto("/staff");
    await expect(page).toHaveURL(/\/login/);
  });

  test("an admin adds a coordinator account", async ({ page, request }) => {
    await page.goto("/login?lang=en");
    await signIn(page, E2E_ACCOUNTS.admin.email);
    await page.getByRole("navigation", { name: "Staff" }).getByRole("link", { name: "Users" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Staff accounts");
    await expectNoAxeViolations(page);

    const email = `new-${Date.now()}@e2e.test`;
    const form = page.locator("form").filter({ has: page.getByRole("button", { name: "Add the account" }) });
    await form.getByLabel("E-mail address").fill(email);
    await form.getByLabel("Password").fill("short");
    await form.getByRole("button", { name: "Add the account" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "There is a problem" })).toContainText(
      "The password must be at least 10 characters long",
    );
    await expect(form.getByLabel("E-mail address")).toHaveValue(email);
    await expectNoAxeViolations(page);

    await form.getByLabel("Password").fill("a-long-enough-password");
    await form.getByRole("group", { name: "Role" }).getByLabel("Coordinator").check();
    await form.getByRole("group", { name: "Working groups" }).getByLabel("Energy").check();
    await form.getByRole("button", { name: "Add the account" }).click();
    await expect(page.getByRole("status")).toHaveText(`The account ${email} has been added.`);
    const card = page.locator(".account").filter({ hasText: email });
    await expect(card).toContainText("Energy");

    // Five wrong passwords (sent without the admin's session) lock the new account from this
    // address; the admin sees the lock (an accessible table) and lifts it.
    const origin = new URL(page.url()).origin;
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await request.post("/login", {
        form: { email, password: "not the password" },
        headers: { Origin: origin },
        maxRedirects: 0,
      });
      statuses.push(r.status());
    }
    expect(statuses).toEqual([400, 400, 400, 400, 429]);
    await page.goto("/staff/users");
    const locks = page.getByRole("table", { name: "Accounts that cannot be signed in to at the moment" });
    await expect(locks.getByRole("row").filter({ hasText: email })).toBeVisible();
    await expectNoAxeViolations(page);
    await locks.getByRole("button", { name: `Lift the locks ${email}` }).click();
    await expect(page.getByRole("status")).toHaveText(`The sign-in locks of ${email} have been lifted.`);
    await expect(page.getByRole("row").filter({ hasText: email })).toHaveCount(0);
  });
});

test("sign-in works without JavaScript and comes back to the page asked for", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/?lang=en");
  await page.goto("/staff/account");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fstaff%2Faccount$/);
  await signIn(page, E2E_ACCOUNTS.coordinator.email);
  await expect(page).toHaveURL(/\/staff\/account$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your account");
  // (axe needs JavaScript in the page, so the accessibility checks run in the tests above.)
  await context.close();
});

test("a cross-site form post is refused", async ({ request, baseURL }) => {
  const res = await request.post("/logout", { headers: { Origin: "https://evil.example" }, maxRedirects: 0 });
  expect(res.status()).toBe(403);
  expect(await res.text()).toBe("Cross-site request refused");
  const same = await request.post("/logout", { headers: { Origin: baseURL! }, maxRedirects: 0 });
  expect(same.status()).toBe(302);
});
