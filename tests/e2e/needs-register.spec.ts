import AxeBuilder from "@axe-core/playwright";
import { type Browser, expect, type Page, test } from "@playwright/test";
import { E2E_ACCOUNTS, E2E_PASSWORD } from "./accounts";

const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const PAGE = { timeout: 30_000 };
test.describe.configure({ timeout: 240_000, mode: "serial" });

async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  expect(results.violations).toEqual([]);
}

async function signedIn(browser: Browser, javaScript: boolean): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: javaScript });
  const page = await context.newPage();
  await page.goto("/login?lang=en");
  await page.getByLabel("E-mail address").fill(E2E_ACCOUNTS.nano.email);
  await page.getByLabel("Password").fill(E2E_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/staff$/, PAGE);
  return page;
}

for (const javaScript of [true, false]) {
  const mode = javaScript ? "with JavaScript" : "without JavaScript";
  const suffix = javaScript ? "on" : "off";

  test(`a coordinator turns a ranked need into a validated need covered by a programme, merges, sees the gaps and exports (${mode})`, async ({
    browser,
  }) => {
    const page = await signedIn(browser, javaScript);

    // From the ranked need categories of the group's survey to a new need.
    await page.goto("/staff/needs/figures?group=nano-materials");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(
      "Add survey figures to the register: Nanotechnologies and new materials",
    );
    await expectNoAxeViolations(page);
    const categories = page.getByRole("region", { name: /^Need categories/ });
    const first = categories.getByRole("row").nth(1);
    const atLinking = (await first.getByRole("cell").nth(1).textContent())?.trim() ?? "";
    expect(atLinking).toMatch(/Priority score: \d/);
    await first.getByRole("link", { name: /^Add to register/ }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("New need", PAGE);
    await expectNoAxeViolations(page);

    // A bad submission keeps what was typed and names the problem.
    await page.getByLabel("Title in English").fill(`Characterisation access ${suffix}`);
    await page.getByLabel("Title in Russian").fill("");
    await page.getByRole("button", { name: "Add the need" }).click();
    await expect(page.getByRole("alert")).toContainText("Title in Russian: Fill in this field.", PAGE);
    await expect(page.getByLabel("Title in English")).toHaveValue(`Characterisation access ${suffix}`);
    await page.getByLabel("Title in Russian").fill(`Доступ к методам исследования ${suffix}`);
    await page.getByLabel("Horizon").selectOption("short_term");
    await page.getByRole("button", { name: "Add the need" }).click();
    await expect(page.getByRole("status")).toHaveText("The need was added to the register.", PAGE);
    const needUrl = page.url().replace(/\?.*$/, "");
    const evidence = page.getByRole("table", { name: "Evidence: at linking and now" });
    await expect(evidence.locator('[data-evidence="at-linking"]')).toContainText(atLinking.split(";")[0]);
    await expect(evidence.locator('[data-evidence="now"]')).toContainText("Priority score");

    // Validated, with a date; linked to a programme with a note on the fit.
    await page.getByLabel("New status").selectOption("validated");
    await page.getByLabel("Date (YYYY-MM-DD)").fill("2026-12-01");
    await page.getByRole("button", { name: "Record the status" }).click();
    await expect(page.getByRole("status")).toHaveText("The status was recorded.", PAGE);
    await expect(page.locator("[data-need-status]")).toHaveAttribute("data-need-status", "validated");
    await page.getByLabel("Programme", { exact: true }).selectOption("erc-grants");
    await page.getByLabel("Fit").selectOption("partial");
    await page.getByLabel("How well it fits").fill("Only for teams hosted in the EU");
    await page.getByRole("button", { name: "Link a programme" }).click();
    await expect(page.getByRole("status")).toHaveText("The programme link was saved.", PAGE);
    await expect(page.getByRole("table", { name: "Coverage" })).toContainText("Only for teams hosted in the EU");
    await expectNoAxeViolations(page);

    // A second need from the same figures, validated, then merged into the first.
    await page.goto("/staff/needs/figures?group=nano-materials");
    await page.getByRole("region", { name: /^Need categories/ }).getByRole("row").nth(2).getByRole("link").click();
    await page.getByLabel("Title in English").fill(`Duplicate need ${suffix}`);
    await page.getByLabel("Title in Russian").fill(`Дубликат ${suffix}`);
    await page.getByLabel("Horizon").selectOption("medium_term");
    await page.getByRole("button", { name: "Add the need" }).click();
    await expect(page.getByRole("status")).toHaveText("The need was added to the register.", PAGE);
    const duplicateId = page.url().match(/\/staff\/needs\/(\d+)/)![1];
    await page.goto(needUrl);
    await page.getByLabel("Need to merge into this one").selectOption(duplicateId);
    await page.getByRole("button", { name: "Merge" }).click();
    await expect(page.getByRole("status")).toHaveText("The needs were merged.", PAGE);
    await expect(page.getByRole("table", { name: "Evidence: at linking and now" }).getByRole("row")).toHaveCount(3);
    await expect(page.getByRole("table", { name: new RegExp(`^Status history of need ${duplicateId}`) })).toBeVisible();

    // The gaps view lists the validated need with its programme.
    await page.goto("/staff/needs/gaps?group=nano-materials");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Gaps: Nanotechnologies and new materials");
    const gapRow = page.getByRole("row").filter({ hasText: `Characterisation access ${suffix}` });
    await expect(gapRow).toContainText("European Research Council grants");
    await expect(page.getByRole("row").filter({ hasText: `Duplicate need ${suffix}` })).toHaveCount(0);
    await expectNoAxeViolations(page);

    // The printable register and the export.
    await page.goto("/staff/needs/print?group=nano-materials");
    await expect(page.getByRole("table", { name: "Validated needs and their coverage" })).toContainText(
      `Characterisation access ${suffix}`,
    );
    await expectNoAxeViolations(page);
    const csv = await page.request.get("/staff/needs/needs-register.csv?group=nano-materials");
    expect(csv.status()).toBe(200);
    const text = await csv.text();
    expect(text).toContain(`Characterisation access ${suffix}`);
    expect(text).toContain("erc-grants (partial)");
    const xlsx = await page.request.get("/staff/needs/needs-register.xlsx?group=nano-materials");
    expect(xlsx.status()).toBe(200);
    expect(xlsx.headers()["content-type"]).toContain("spreadsheetml");
    await page.context().close();
  });
}

test("the register, the catalogue and the outcome page read in Russian and pass axe", async ({ browser }) => {
  const page = await signedIn(browser, true);
  await page.goto("/staff/needs?group=nano-materials&lang=ru");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Реестр потребностей");
  await expectNoAxeViolations(page);
  await page.getByLabel(/Показывать страницу итогов/).first().check();
  await page.getByRole("button", { name: "Сохранить настройки страницы итогов" }).click();
  await expect(page.getByRole("status")).toHaveText("Настройки страницы итогов сохранены.", PAGE);
  await page.goto("/staff/programmes");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Каталог программ");
  await expectNoAxeViolations(page);
  const publicPage = await (await browser.newContext()).newPage();
  await publicPage.goto("/outcomes/nano-materials?lang=ru");
  await expect(publicPage.getByRole("heading", { level: 1 })).toHaveText(
    "Нанотехнологии и новые материалы: что стало с вашими ответами",
  );
  await expect(publicPage.getByRole("table")).toContainText("Доступ к методам исследования");
  await expect(publicPage.getByText(E2E_ACCOUNTS.nano.email)).toHaveCount(0);
  await expectNoAxeViolations(publicPage);
});
