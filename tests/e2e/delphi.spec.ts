import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";
import { E2E_ACCOUNTS, E2E_PASSWORD } from "./accounts";

const coordinator = E2E_ACCOUNTS.coordinator;
const PAGE = "/staff/groups/health/surveys/health-needs-2026/consensus";

async function signIn(page: Page) {
  await page.goto("/login?lang=en");
  await page.getByLabel("E-mail address").fill(coordinator.email);
  await page.getByLabel("Password").fill(E2E_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/staff/);
}

async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  expect(results.violations, page.url()).toEqual([]);
}

for (const javaScriptEnabled of [true, false]) {
  test.describe(`consensus page (JavaScript ${javaScriptEnabled ? "on" : "off"})`, () => {
    test.use({ javaScriptEnabled });

    test("shows the demo round 2 by status, in English and Russian, and refuses a round without items", async ({
      page,
    }) => {
      await signIn(page);
      await page.goto(`${PAGE}?lang=en`);
      await expect(page.getByRole("heading", { level: 2, name: "Consensus" })).toBeVisible();
      // The demo adds round 2 to this survey: two rounds in the table, items with figures.
      await expect(page.locator(".delphi-item").first()).toBeVisible();
      await expect(page.locator(".delphi-figures tbody tr").first()).toContainText("1");
      await expectNoAxeViolations(page);

      await page.getByRole("button", { name: "Start round 3" }).click();
      await expect(page.locator(".error-summary")).toContainText(
        "Choose at least one item to re-rate.",
      );
      await expectNoAxeViolations(page);

      await page.goto(`${PAGE}?lang=ru`);
      await expect(page.getByRole("heading", { level: 2, name: "Согласованность" })).toBeVisible();
      await expectNoAxeViolations(page);
    });
  });
}
