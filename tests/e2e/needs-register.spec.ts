import { readFileSync } from "node:fs";
import { type Browser, expect, type Page, test } from "@playwright/test";
import { expectNoAxeViolations } from "./axe";
import { E2E_ACCOUNTS } from "./accounts";
import { bundledSurvey, newRespondentPage, Respondent, waitForHydration } from "./respond-helpers";
import { openTable } from "./show-table";
import { restoreSession } from "./sessions";

// A coordinator of the food group walks from a survey figure to a validated need linked to a
// programme, through a merge, to the gaps view, the printable register and the export; then
// respondents see the outcome page from their receipt.
test.describe.configure({ timeout: 240_000 });
const PAGE = { timeout: 30_000 };
const GROUP = "food-agri-bio";
const SURVEY = "food-agri-bio-needs-2026";

async function signedIn(browser: Browser, js: boolean): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: js, locale: "en-GB" });
  const page = await context.newPage();
  await restoreSession(page, E2E_ACCOUNTS.food.email);
  return page;
}

/** Opens a page, waits for React when JavaScript is on and checks it with axe then. */
async function open(page: Page, js: boolean, address: string, heading: string | RegExp) {
  await page.goto(address);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(heading, PAGE);
  if (js) {
    await waitForHydration(page);
    await expectNoAxeViolations(page);
  }
}

async function checkAxe(page: Page, js: boolean) {
  if (!js) return;
  await waitForHydration(page);
  await expectNoAxeViolations(page);
}

/** The id of the need whose page the browser is on. */
function needId(page: Page): number {
  const match = /\/staff\/needs\/(\d+)/.exec(page.url());
  if (!match) throw new Error(`not on a need's page: ${page.url()}`);
  return Number(match[1]);
}

/** Fills the need form (the new need page or a need's details) and submits it. */
async function fillNeed(
  page: Page,
  need: { en: string; ru: string; owner?: string; notes?: string },
) {
  await page.getByLabel("Title in English").fill(need.en);
  await page.getByLabel("Title in Russian").fill(need.ru);
  await page.getByLabel("Horizon").selectOption("short_term");
  if (need.owner) await page.getByLabel("Owner", { exact: true }).fill(need.owner);
  if (need.notes) await page.getByLabel("Notes").fill(need.notes);
  await page.getByRole("button", { name: "Add the need" }).click();
  await expect(
    page.getByRole("status").filter({ hasText: "The need was added to the register." }),
  ).toBeVisible(PAGE);
  return needId(page);
}

async function recordStatus(page: Page, status: string) {
  await page.getByLabel("New status").selectOption(status);
  await page.getByRole("button", { name: "Record the status" }).click();
  await expect(
    page.getByRole("status").filter({ hasText: "The status was recorded." }),
  ).toBeVisible(PAGE);
}

/** The cells of a CSV text (RFC 4180 quoting), row by row. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += c;
  }
  if (cell !== "" || row.length > 0) rows.push([...row, cell]);
  return rows;
}

for (const js of [true, false]) {
  test(`a coordinator turns survey figures into validated, covered and merged needs (JavaScript ${js ? "on" : "off"})`, async ({
    browser,
  }) => {
    const page = await signedIn(browser, js);
    const stamp = `${js ? "js" : "nojs"} ${Date.now().toString(36)}`;
    const a = {
      en: `Shared sequencing capacity ${stamp}`,
      ru: `Общие мощности секвенирования ${stamp}`,
      owner: `Owner ${stamp}`,
      notes: `Internal note ${stamp}`,
    };
    const b = { en: `Access to sequencing ${stamp}`, ru: `Доступ к секвенированию ${stamp}` };
    const c = { en: `Field trial networks ${stamp}`, ru: `Сети полевых испытаний ${stamp}` };

    // From the group's dashboard: the top ranked need category, through the link on its row.
    await page.goto(`/staff/groups/${GROUP}`);
    if (js) {
      // Once the charts can be drawn, each table is behind "Show table".
      await waitForHydration(page);
      await openTable(
        page.getByRole("region", { name: "Ranked needs" }).locator("details.show-table").first(),
      );
    }
    const topRow = page
      .getByRole("region", { name: "Ranked needs" })
      .getByRole("table")
      .first()
      .getByRole("row")
      .filter({ has: page.getByRole("link", { name: /^Add to register/ }) })
      .first();
    const firstFigure = (await topRow.getByRole("rowheader").textContent())!.trim();
    await topRow.getByRole("link", { name: `Add to register: ${firstFigure}` }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("New need", PAGE);
    await expect(page.getByRole("region", { name: "Survey figures to link" })).toContainText(
      firstFigure,
    );
    await checkAxe(page, js);
    const idA = await fillNeed(page, a);
    const evidence = page.getByRole("table", { name: "Evidence: at linking and now" });
    await expect(evidence).toContainText(firstFigure);
    await checkAxe(page, js);

    // Validate it, and link a programme with a note on the fit.
    await recordStatus(page, "validated");
    await expect(
      page.getByRole("table", { name: "Status history", exact: true }).getByRole("row"),
    ).toHaveCount(3);
    await page.getByLabel("Programme", { exact: true }).selectOption({ index: 1 });
    const programme = (await page
      .getByLabel("Programme", { exact: true })
      .locator("option:checked")
      .textContent())!
      .replace(/\s*\([^)]*\)$/, "")
      .trim();
    const programmeCode = await page.getByLabel("Programme", { exact: true }).inputValue();
    await page.getByLabel("Fit", { exact: true }).selectOption("partial");
    await page.getByLabel("How well it fits").fill(`Covers travel, not equipment ${stamp}`);
    await page.getByRole("button", { name: "Link a programme" }).click();
    await expect(
      page.getByRole("status").filter({ hasText: "The programme link was saved." }),
    ).toBeVisible(PAGE);
    const coverage = page.getByRole("table", { name: "Coverage" });
    await expect(coverage).toContainText(programme);
    await expect(coverage).toContainText(`Covers travel, not equipment ${stamp}`);
    await checkAxe(page, js);

    // A second need from the list of the group's figures: another category, with a history
    // of its own.
    await open(
      page,
      js,
      `/staff/needs/figures?group=${GROUP}`,
      /^Add survey figures to the register: /,
    );
    const otherRow = page
      .getByRole("region", { name: /^Need categories/ })
      .getByRole("row")
      .filter({ has: page.getByRole("link", { name: /^Add to register/ }) })
      .filter({ hasNot: page.getByRole("rowheader", { name: firstFigure, exact: true }) })
      .first();
    const secondFigure = (await otherRow.getByRole("rowheader").textContent())!.trim();
    await otherRow.getByRole("link", { name: /^Add to register/ }).click();
    await expect(page.getByRole("region", { name: "Survey figures to link" })).toContainText(
      secondFigure,
    );
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("New need", PAGE);
    const idB = await fillNeed(page, b);
    await page.getByLabel("New status").selectOption("declined");
    await page.getByRole("button", { name: "Record the status" }).click();
    // Declining asks for a reason: the error names it, and nothing chosen is lost.
    await expect(page.getByText("Give the reason for declining the need.").first()).toBeVisible();
    await expect(page.getByLabel("New status")).toHaveValue("declined");
    await page
      .getByLabel("Reason (required when declining)")
      .fill(`Covered by need ${idA} ${stamp}`);
    await page.getByRole("button", { name: "Record the status" }).click();
    await expect(
      page.getByRole("status").filter({ hasText: "The status was recorded." }),
    ).toBeVisible(PAGE);

    // Merge it into the first: both histories and both pieces of evidence stay.
    await page.goto(`/staff/needs/${idA}`);
    if (js) await waitForHydration(page);
    await page
      .getByLabel("Need to merge into this one")
      .selectOption({ label: `${b.en} (${idB})` });
    await page.getByRole("button", { name: "Merge", exact: true }).click();
    await expect(
      page.getByRole("status").filter({ hasText: "The needs were merged." }),
    ).toBeVisible(PAGE);
    await expect(evidence).toContainText(firstFigure);
    await expect(evidence).toContainText(secondFigure);
    await expect(evidence).toContainText(`came with need ${idB}`);
    await expect(page.getByRole("table", { name: "Status history", exact: true })).toContainText(
      "Validated",
    );
    const mergedHistory = page.getByRole("table", {
      name: `Status history of need ${idB}: ${b.en}`,
    });
    await expect(mergedHistory).toContainText("Declined");
    await expect(mergedHistory).toContainText(`Covered by need ${idA} ${stamp}`);
    await checkAxe(page, js);
    await page.goto(`/staff/needs/${idB}`);
    await expect(page.getByText("This need was merged into another one.")).toBeVisible();

    // A validated need that no programme addresses comes first in the gaps view.
    await open(page, js, `/staff/needs/new?group=${GROUP}`, "New need");
    const idC = await fillNeed(page, c);
    await recordStatus(page, "validated");
    await open(page, js, `/staff/needs/gaps?group=${GROUP}`, /^Gaps: /);
    const gaps = page.getByRole("table", { name: "Validated needs and their coverage" });
    const gapTitles = (await gaps.getByRole("rowheader").allTextContents()).map((s) => s.trim());
    expect(gapTitles).toContain(a.en);
    expect(gapTitles).toContain(c.en);
    expect(gapTitles).not.toContain(b.en);
    expect(gapTitles.indexOf(c.en)).toBeLessThan(gapTitles.indexOf(a.en));
    await expect(gaps.getByRole("row").filter({ hasText: c.en })).toContainText("No programme");
    await expect(gaps.getByRole("row").filter({ hasText: a.en })).toContainText(programme);

    // The printable register and gaps table.
    await open(page, js, `/staff/needs/print?group=${GROUP}`, /Needs register and gaps/);
    await expect(page.getByRole("heading", { name: "Needs register", exact: true })).toBeVisible();
    await expect(
      page.getByRole("table", { name: "Validated needs and their coverage" }),
    ).toContainText(c.en);
    await expect(page.getByRole("table", { name: /^Needs \(\d+\)$/ })).toContainText(a.en);

    // The group's findings report carries the same register and gaps tables.
    await page.goto(`/staff/groups/${GROUP}/report`);
    const reportRegister = page.getByRole("region", { name: "Needs register", exact: true });
    await expect(reportRegister.getByRole("table", { name: /^Needs \(\d+\)$/ })).toContainText(
      a.en,
      PAGE,
    );
    const reportGaps = page
      .getByRole("region", { name: "Gaps: validated needs and their coverage" })
      .getByRole("table", { name: "Validated needs and their coverage" });
    await expect(reportGaps.getByRole("row").filter({ hasText: c.en })).toContainText(
      "No programme",
    );
    await expect(reportGaps).not.toContainText(b.en);

    // The register (English and Russian) and its CSV export.
    await open(page, js, `/staff/needs?group=${GROUP}`, "Needs register");
    await expect(page.getByRole("table", { name: /^Needs \(\d+\)$/ })).toContainText(a.en);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Needs register with evidence and coverage (CSV)" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("needs-register.csv");
    const rows = parseCsv(readFileSync(await download.path(), "utf8").replace(/^\uFEFF/, ""));
    const header = rows[0];
    const col = (name: string) => {
      const i = header.indexOf(name);
      expect(i, `column ${name}`).toBeGreaterThanOrEqual(0);
      return i;
    };
    const ofA = rows.filter((r) => r[col("need_id")] === String(idA));
    expect(ofA).toHaveLength(2);
    for (const r of ofA) {
      expect(r[col("title_en")]).toBe(a.en);
      expect(r[col("status")]).toBe("validated");
      expect(r[col("evidence_kind")]).toBe("category");
      expect(r[col("programmes")]).toBe(`${programmeCode} (partial)`);
    }
    const ofC = rows.filter((r) => r[col("need_id")] === String(idC));
    expect(ofC).toHaveLength(1);
    expect(ofC[0][col("evidence_kind")]).toBe("");
    expect(ofC[0][col("programmes")]).toBe("");
    expect(rows.some((r) => r[col("need_id")] === String(idB))).toBe(false);
    await open(page, js, `/staff/needs?group=${GROUP}&lang=ru`, "Реестр потребностей");
    await expect(page.getByRole("table", { name: /^Потребности \(\d+\)$/ })).toContainText(a.ru);

    // The public outcome page: validated needs and status, no owner or notes.
    await open(page, js, `/staff/needs?group=${GROUP}&lang=en`, "Needs register");
    const show = page.getByLabel(`Show the outcome page to respondents of ${SURVEY}`);
    await show.check();
    await page.getByRole("button", { name: "Save the outcome settings" }).click();
    await expect(
      page.getByRole("status").filter({ hasText: "The outcome settings were saved." }),
    ).toBeVisible(PAGE);
    await expect(show).toBeChecked();
    for (const [lang, title, heading] of [
      ["en", a.en, /what happened to your answers/],
      ["ru", a.ru, /./],
    ] as const) {
      const visitor = await browser.newContext({ javaScriptEnabled: js });
      const publicPage = await visitor.newPage();
      await open(publicPage, js, `/outcomes/${GROUP}?lang=${lang}`, heading);
      const body = publicPage.locator("main");
      await expect(body).toContainText(title);
      await expect(body).toContainText(lang === "en" ? c.en : c.ru);
      await expect(body).not.toContainText(a.owner);
      await expect(body).not.toContainText(a.notes);
      await expect(body).not.toContainText(b.en);
      await visitor.close();
    }
    await page.context().close();
  });
}

test("the receipt links to the outcome page when the survey shows it", async ({ browser }) => {
  test.setTimeout(240_000);
  const page = await signedIn(browser, false);
  await page.goto(`/staff/needs?group=${GROUP}&lang=en`);
  const show = page.getByLabel(`Show the outcome page to respondents of ${SURVEY}`);
  await show.check();
  await page.getByRole("button", { name: "Save the outcome settings" }).click();
  await expect(show).toBeChecked(PAGE);
  await page.context().close();

  const { context, page: respondent } = await newRespondentPage(browser, {
    js: false,
    locale: "ru",
  });
  const r = new Respondent(respondent, bundledSurvey(SURVEY), "ru", false);
  await r.openLanding();
  await r.start();
  await r.completeAll({ requiredOnly: true });
  await r.submit();
  const link = respondent.getByRole("link", { name: "Что стало с вашими ответами" });
  await expect(link).toHaveAttribute("href", `/outcomes/${GROUP}?lang=ru`);
  await link.click();
  await expect(respondent).toHaveURL(new RegExp(`/outcomes/${GROUP}\\?lang=ru$`));
  await context.close();
});
