import { readFile } from "node:fs/promises";
import { expect, type Locator, type Page, test } from "@playwright/test";
import { expectNoAxeViolations } from "./axe";
import { E2E_ACCOUNTS } from "./accounts";
import { waitForHydration } from "./respond-helpers";
import { restoreSession } from "./sessions";

// The dashboard is a long page: give it time, axe included.
test.describe.configure({ timeout: 180_000 });
const PAGE = { timeout: 30_000 };
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Signed in as the energy group's coordinator (see sessions.ts), on its dashboard in `lang`. */
async function openDashboard(page: Page, lang: "en" | "ru") {
  await restoreSession(page, E2E_ACCOUNTS.energy.email);
  await page.goto(`/staff/groups/energy?lang=${lang}`);
}

/** The dates a file made now may carry (the day may turn during the test). */
function today(locale: string, before: Date): string[] {
  const format = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" });
  return [...new Set([format.format(before), format.format(new Date())])];
}

async function download(page: Page, button: Locator): Promise<{ name: string; body: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent("download"), button.click()]);
  const path = await file.path();
  return { name: file.suggestedFilename(), body: await readFile(path) };
}

/** The figure of the short-term comparison by country group, with its chart drawn. */
async function comparisonFigure(page: Page, caption: string | RegExp): Promise<Locator> {
  const figure = page
    .locator("figure.chart-figure")
    // The table is behind "Show table" (closed once the chart is drawn).
    .filter({ has: page.getByRole("table", { name: caption, includeHidden: true }) })
    .first();
  await figure.scrollIntoViewIfNeeded();
  await expect(figure.locator(".recharts-wrapper > svg.recharts-surface")).toBeVisible(PAGE);
  return figure;
}

test("a chart downloads as SVG and PNG with its title, base and date; hidden cells are hatched bars", async ({
  page,
}) => {
  await openDashboard(page, "en");
  await waitForHydration(page);
  const figure = await comparisonFigure(page, "By country group: Short term");

  // Cells the table hides (fewer than N, withheld) are hatched bars labelled so, never blanks.
  const table = figure.locator("table");
  const hiddenCells = await table.locator("td.cell--hidden").count();
  expect(hiddenCells).toBeGreaterThan(0);
  const chart = figure.locator(".chart-figure__chart");
  const hatched = chart.locator(".chart-bar--hidden .recharts-rectangle");
  await expect(hatched).toHaveCount(hiddenCells);
  await expect(hatched.first()).toHaveAttribute("fill", /^url\(#hatch-/);
  const hiddenTexts = await table.locator("td.cell--hidden").allTextContents();
  for (const text of new Set(hiddenTexts.map((t) => t.trim())))
    await expect(chart.locator("text", { hasText: text }).first()).toBeVisible();
  // Every country group is in the legend.
  await expect(chart.locator(".recharts-legend-item")).toHaveText([
    "EU",
    "Russia",
    "Other countries",
  ]);

  const before = new Date();
  const svgButton = figure.getByRole("button", { name: /^Download SVG/ });
  await expect(svgButton).toHaveAccessibleName(
    "Download SVG of the chart “By country group: Short term”",
  );
  const svg = await download(page, svgButton);
  expect(svg.name).toMatch(/^by-country-group-short-term-\d{4}-\d{2}-\d{2}\.svg$/);
  const text = svg.body.toString("utf8");
  expect(text.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  expect(text).toContain(">By country group: Short term</text>");
  expect(text).toContain(">Energy: dashboard</text>");
  expect(Number(text.match(/Base: n = (\d+)/)?.[1])).toBeGreaterThan(0);
  expect(today("en", before).some((d) => text.includes(`Date: ${d}`))).toBe(true);
  expect(text).toContain(">Other countries</text>");
  expect(text).toMatch(/<pattern id="hatch-/);

  const png = await download(page, figure.getByRole("button", { name: /^Download PNG/ }));
  expect(png.name).toMatch(/^by-country-group-short-term-\d{4}-\d{2}-\d{2}\.png$/);
  expect([...png.body.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
  expect(png.body.length).toBeGreaterThan(10_000);
  // Twice the SVG's size, for slides.
  const width = png.body.readUInt32BE(16);
  expect(width).toBe(2 * Number(text.match(/^<svg[^>]* width="(\d+)"/)![1]));

  await expectNoAxeViolations(page);
});

test("the downloads speak the page's language", async ({ page }) => {
  await openDashboard(page, "ru");
  await waitForHydration(page);
  const figure = await comparisonFigure(page, /^По группам стран/);
  const before = new Date();
  const svg = await download(page, figure.getByRole("button", { name: /^Скачать SVG/ }));
  const text = svg.body.toString("utf8");
  expect(text).toMatch(/База: n = \d+/);
  expect(today("ru", before).some((d) => text.includes(`Дата: ${d}`))).toBe(true);
  await expect(figure.getByRole("button", { name: /^Скачать PNG/ })).toBeVisible();
});

test("without JavaScript the figures are tables and no download button is dead", async ({
  browser,
}) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await openDashboard(page, "en");
  await expect(page.getByRole("table", { name: "By country group: Short term" })).toBeVisible(PAGE);
  await expect(page.getByRole("button", { name: /^Download (SVG|PNG)/ })).toHaveCount(0);
  await context.close();
});
