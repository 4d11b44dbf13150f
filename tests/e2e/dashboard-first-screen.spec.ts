import { type Browser, expect, type Page, test } from "@playwright/test";
import { expectNoAxeViolations } from "./axe";
import { E2E_ACCOUNTS } from "./accounts";
import { waitForHydration } from "./respond-helpers";
import { restoreSession } from "./sessions";

// The first screen of a working-group dashboard, as a coordinator sees it on a laptop and on a
// phone: responses, the top needs of both horizons in one chart, the filters folded into a line.
test.describe.configure({ timeout: 240_000 });
const PAGE = { timeout: 30_000 };

const WIDTHS = [
  { name: "laptop", width: 1280, height: 900 },
  { name: "phone", width: 375, height: 812 },
] as const;

async function coordinatorPage(
  browser: Browser,
  options: { js: boolean; viewport: { width: number; height: number } },
) {
  const context = await browser.newContext({
    javaScriptEnabled: options.js,
    locale: "en-GB",
    viewport: options.viewport,
  });
  const page = await context.newPage();
  await restoreSession(page, E2E_ACCOUNTS.coordinator.email);
  return { context, page };
}

function topNeedsChart(page: Page) {
  return page.getByRole("list", { name: /^Top needs: short and medium term/ });
}

for (const size of WIDTHS) {
  test(`the top needs are on the first screen (${size.name}, ${size.width}×${size.height})`, async ({
    browser,
  }, testInfo) => {
    const { context, page } = await coordinatorPage(browser, {
      js: true,
      viewport: { width: size.width, height: size.height },
    });
    await page.goto("/staff/groups/health");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Health: dashboard", PAGE);
    await waitForHydration(page);

    const glance = page.getByRole("region", { name: "At a glance" });
    await expect(glance.getByRole("term").filter({ hasText: "Responses" })).toBeVisible();
    const chart = topNeedsChart(page);
    await expect(chart).toBeVisible();
    // Each category shows its score in both horizons, as text.
    const first = chart.getByRole("listitem").first();
    await expect(first).toContainText(/Short term: \d+\.\d \(95 % CI/);
    await expect(first).toContainText(/Medium term: (\d+\.\d \(95 % CI|– \(not shown)/);
    expect(await chart.getByRole("listitem").count()).toBeGreaterThan(0);
    expect(await chart.getByRole("listitem").count()).toBeLessThanOrEqual(5);

    // Within the first viewport, without scrolling.
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    const box = await chart.boundingBox();
    expect(box, "the chart is laid out").not.toBeNull();
    expect(box!.y + box!.height).toBeLessThanOrEqual(size.height);

    // Nothing is wider than the screen (tables scroll inside their own box).
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
    ).toBe(true);

    const shot = testInfo.outputPath(`dashboard-first-screen-${size.name}.png`);
    await page.screenshot({ path: shot });
    await testInfo.attach(`first screen at ${size.width}×${size.height}`, {
      path: shot,
      contentType: "image/png",
    });

    // The filters are folded into their summary line, which opens them.
    const form = page.getByRole("form", { name: "Filters" });
    await expect(form).toBeHidden();
    await page.getByText("All respondents · change").click();
    await expect(form).toBeVisible();
    await expect(page.getByLabel("Time horizon of needs")).toHaveAccessibleDescription(
      "Applies to the need sections.",
    );
    await expect(page.getByText("Filters apply to every section", { exact: false })).toBeVisible();

    // The chart's table is one click away (axe checks the page with it and the filters open).
    const table = page.getByRole("table", { name: /^Top needs: short and medium term/ });
    await expect(table).toBeHidden();
    await glance.getByText("Show table").click();
    await expect(table).toBeVisible();
    await expectNoAxeViolations(page);
    await context.close();
  });
}

test("in Russian, whose labels are longer, the top needs are on a phone's first screen too", async ({
  browser,
}, testInfo) => {
  const { context, page } = await coordinatorPage(browser, {
    js: true,
    viewport: { width: 375, height: 812 },
  });
  await page.goto("/staff/groups/health?lang=ru");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Здравоохранение: панель", PAGE);
  await waitForHydration(page);
  const chart = page.getByRole("list", { name: /^Главные потребности: оба горизонта/ });
  await expect(chart.getByRole("listitem").first()).toContainText(/\d+,\d/);
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  const box = await chart.boundingBox();
  expect(box, "the chart is laid out").not.toBeNull();
  expect(box!.y + box!.height).toBeLessThanOrEqual(812);
  const shot = testInfo.outputPath("dashboard-first-screen-phone-ru.png");
  await page.screenshot({ path: shot });
  await testInfo.attach("first screen at 375×812, Russian", {
    path: shot,
    contentType: "image/png",
  });
  await context.close();
});

test("the table of the top needs, and the filters, open without JavaScript", async ({
  browser,
}) => {
  const { context, page } = await coordinatorPage(browser, {
    js: false,
    viewport: { width: 375, height: 812 },
  });
  await page.goto("/staff/groups/health");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Health: dashboard", PAGE);
  // The chart is server-rendered: its figures are there without JavaScript.
  await expect(topNeedsChart(page).getByRole("listitem").first()).toContainText(/\d+\.\d/);

  const table = page.getByRole("table", { name: /^Top needs: short and medium term/ });
  await expect(table).toBeHidden();
  const glance = page.getByRole("region", { name: "At a glance" });
  await glance.getByText("Show table").click();
  await expect(table).toBeVisible();
  await expect(
    table.getByRole("columnheader", { name: /Short term: priority score/ }),
  ).toBeVisible();
  // The same figure in the chart and in the table.
  const category = (await table.getByRole("rowheader").first().textContent())!.trim();
  const score = (await table.getByRole("row").nth(1).getByRole("cell").first().textContent())!
    .split(" (")[0]!
    .trim();
  await expect(topNeedsChart(page).getByRole("listitem").first()).toContainText(category);
  await expect(topNeedsChart(page).getByRole("listitem").first()).toContainText(
    `Short term: ${score}`,
  );
  await glance.getByText("Show table").click();
  await expect(table).toBeHidden();

  // The filters: folded, opened by their summary line, and applied by the form.
  const form = page.getByRole("form", { name: "Filters" });
  await expect(form).toBeHidden();
  await page.getByText("All respondents · change").click();
  await expect(form).toBeVisible();
  await page.getByLabel("Respondents from").selectOption("eu");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/country_group=eu/, PAGE);
  await expect(page.getByText("Filtered view: respondents from: EU · change")).toBeVisible();
  await expect(form).toBeHidden();
  await page.getByText("Filtered view: respondents from: EU · change").click();
  await expect(form).toBeVisible();
  await expect(page.getByLabel("Respondents from")).toHaveValue("eu");
  await context.close();
});
