import { readFileSync } from "node:fs";
import { expect, type Page, test } from "@playwright/test";
import { expectNoAxeViolations } from "./axe";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { E2E_ACCOUNTS } from "./accounts";
import { restoreSession } from "./sessions";

const SURVEY = "health-needs-2026";

async function signIn(page: Page, email: string) {
  await restoreSession(page, email);
}

async function downloadFrom(page: Page, link: ReturnType<Page["getByRole"]>) {
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  return { name: download.suggestedFilename(), bytes: readFileSync(await download.path()) };
}

test("a coordinator downloads the filtered data and the workbook from the dashboard", async ({ page }) => {
  await signIn(page, E2E_ACCOUNTS.coordinator.email);
  await page.goto("/staff/groups/health?country_group=ru");
  const section = page.getByRole("region", { name: "Download the data" });
  await expect(section).toContainText("Only the responses that match the current filters are included.");
  await expectNoAxeViolations(page, { include: ".export-links" });

  const csv = await downloadFrom(page, section.getByRole("link", { name: "Data, one row per response, codes (CSV)" }));
  expect(csv.name).toMatch(new RegExp(`^${SURVEY}_data_\\d{4}-\\d{2}-\\d{2}\\.csv$`));
  expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const [header, ...rows] = parse(csv.bytes, { bom: true }) as string[][];
  expect(header.slice(0, 6)).toEqual(["response_id", "survey_version", "locale", "submitted_at", "access", "country_group"]);
  expect(rows.length).toBeGreaterThan(0);
  expect(new Set(rows.map((r) => r[5]))).toEqual(new Set(["ru"]));

  const labelled = await downloadFrom(page, section.getByRole("link", { name: "Data, one row per response, Russian labels (CSV)" }));
  expect(labelled.name).toMatch(new RegExp(`^${SURVEY}_data-ru_`));
  const [, ...labelledRows] = parse(labelled.bytes, { bom: true }) as string[][];
  expect(labelledRows).toHaveLength(rows.length);
  expect(labelledRows[0][header.indexOf("country")]).toBe("Россия");

  const xlsx = await downloadFrom(page, section.getByRole("link", { name: /^Excel workbook/ }));
  expect(xlsx.name).toMatch(/\.xlsx$/);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
  expect(book.worksheets.map((w) => w.name)).toEqual(["Data", "Needs", "Tags", "Codebook", "Summary"]);
  expect(book.getWorksheet("Data")!.rowCount).toBe(rows.length + 1);

  const codebook = await downloadFrom(page, section.getByRole("link", { name: /^Codebook/ }));
  const [, ...entries] = parse(codebook.bytes, { bom: true }) as string[][];
  expect(new Set(entries.filter((e) => e[0] === "data").map((e) => e[1]))).toEqual(new Set(header));
});

test("export URLs need a session of the group's coordinator or an admin", async ({ page, playwright, baseURL }) => {
  const anonymous = await playwright.request.newContext({ baseURL });
  const res = await anonymous.get(`/staff/groups/health/surveys/${SURVEY}/export.csv`, { maxRedirects: 0 });
  expect(res.status()).toBe(401);
  await anonymous.dispose();

  await signIn(page, E2E_ACCOUNTS.coordinator.email);
  expect((await page.request.get("/staff/groups/energy/surveys/energy-needs-2026/export.json")).status()).toBe(403);
  const own = await page.request.get(`/staff/groups/health/surveys/${SURVEY}/export.json?horizon=short_term`);
  expect(own.status()).toBe(200);
  const doc = (await own.json()) as { filters: object; needs: { horizon: string }[] };
  expect(doc.filters).toEqual({ horizon: "short_term" });
  expect(doc.needs.every((n) => n.horizon === "short_term")).toBe(true);
});
