import { type Browser, expect, type Locator, type Page, test } from "@playwright/test";
import JSZip from "jszip";
import { E2E_ACCOUNTS } from "./accounts";
import { expectNoAxeViolations } from "./axe";
import { pdfPageCount, pdfPageTexts } from "./pdf";
import { waitForHydration } from "./respond-helpers";
import { restoreSession } from "./sessions";

// The energy group's findings report: its summary and comments are edited here, in order.
test.describe.configure({ mode: "serial", timeout: 240_000 });
const PAGE = { timeout: 30_000 };
const REPORT = "/staff/groups/energy/report";

async function signIn(page: Page, email: string = E2E_ACCOUNTS.energy.email) {
  await restoreSession(page, email);
}

async function withoutJavaScript(browser: Browser, email?: string) {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page, email);
  return { context, page };
}

/** The body of a Word download (word/document.xml). */
async function docxXml(page: Page, address: string): Promise<string> {
  const res = await page.request.get(address);
  expect(res.status()).toBe(200);
  return (await JSZip.loadAsync(await res.body())).file("word/document.xml")!.async("string");
}

const decode = (s: string) =>
  s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
const textOf = (xml: string) =>
  [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => decode(m[1])).join("");
const squeeze = (s: string) => s.replace(/\s+/g, " ").trim();

/** The paragraphs of a Word document, in order, as text (a table's cells included). */
function docxParagraphs(xml: string): string[] {
  return [...xml.matchAll(/<w:p(?: [^>]*)?>[\s\S]*?<\/w:p>/g)].map((m) => textOf(m[0]));
}

/** The rows of a Word document's tables: the text of each cell. */
function docxRows(xml: string): string[][] {
  return [...xml.matchAll(/<w:tr(?: [^>]*)?>[\s\S]*?<\/w:tr>/g)].map((row) =>
    [...row[0].matchAll(/<w:tc(?: [^>]*)?>[\s\S]*?<\/w:tc>/g)].map((c) => textOf(c[0])),
  );
}

/** The cells of a table row on a page, as they read. */
async function cellsOf(row: Locator): Promise<string[]> {
  return (await row.locator("th, td").allTextContents()).map(squeeze);
}

const summarySection = (page: Page) => page.getByRole("region", { name: "Executive summary" });

test("the report opens with a summary written from its figures, which a coordinator edits and resets without JavaScript", async ({
  browser,
}) => {
  const { context, page } = await withoutJavaScript(browser);
  await page.goto(REPORT);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Energy: findings report", PAGE);
  // The summary is the report's first section, before the contents and the figures.
  await expect(page.locator(".report h2").first()).toHaveText("Executive summary");
  const summary = summarySection(page);
  await expect(summary).toContainText(/The figures rest on \d+ submitted responses\./);
  await expect(summary).toContainText(
    /Short term \(up to 2 years\): the top needs are .+ \(priority \d+\.\d\)/,
  );
  await expect(summary).toContainText(/Borich MWDS\) (is|are) /);
  // The demo survey sent no invitations: no response rate, and no "Invited 0" card.
  await expect(summary).not.toContainText("invited");
  await expect(page.getByRole("term").filter({ hasText: /^Invited$/ })).toHaveCount(0);
  await expect(page.getByRole("term").filter({ hasText: /^Response rate/ })).toHaveCount(0);

  // An empty summary is refused with its reason.
  await summary.getByText("Edit the summary").click();
  await summary.getByLabel("Summary text").fill("   ");
  await summary.getByRole("button", { name: "Save summary" }).click();
  await expect(
    summarySection(page).getByText("Write a summary, or reset it to the generated text."),
  ).toBeVisible();

  await summarySection(page)
    .getByLabel("Summary text")
    .fill("Partnerships with industry lead the short-term needs.\n\nTraining follows closely.");
  await summarySection(page).getByRole("button", { name: "Save summary" }).click();
  await expect(page.getByRole("status")).toHaveText("Summary saved.");
  await expect(summarySection(page).locator("p").first()).toHaveText(
    "Partnerships with industry lead the short-term needs.",
  );
  await expect(summarySection(page)).toContainText("Training follows closely.");
  await expect(summarySection(page)).not.toContainText("The figures rest on");
  await expect(summarySection(page)).not.toContainText("The figures have changed");

  await summarySection(page).getByText("Edit the summary").click();
  await summarySection(page).getByRole("button", { name: "Reset to generated" }).click();
  await expect(page.getByRole("status")).toHaveText(
    "The summary is generated from the figures again.",
  );
  await expect(summarySection(page)).toContainText(/The figures rest on \d+ submitted responses\./);
  await context.close();
});

test("an edit made from other figures is flagged, with today's generated summary beside it", async ({
  page,
}) => {
  await signIn(page);
  // The form sends the generated text the edit started from; figures of an earlier day differ.
  const response = await page.request.post(REPORT, {
    form: { intent: "summary", text: "Our reading of the figures.", generated: "Older figures." },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(302);
  await page.goto(REPORT);
  const summary = summarySection(page);
  await expect(summary.locator("p").first()).toHaveText("Our reading of the figures.");
  await expect(
    summary.getByText("The figures have changed since this summary was edited."),
  ).toBeVisible();
  await expect(summary.locator("blockquote")).toContainText(
    /The figures rest on \d+ submitted responses/,
  );
  // A filtered view shows the summary of its own figures.
  await page.goto(`${REPORT}?horizon=short_term`);
  await expect(summarySection(page)).toContainText(/The figures rest on \d+ submitted responses/);
  await expect(
    summarySection(page).getByText(/an edited summary is printed in the unfiltered report/),
  ).toBeVisible();
  // Another language keeps its own summary: the Russian one is generated, with Russian plurals.
  await page.goto(`${REPORT}?lang=ru`);
  await expect(page.getByRole("region", { name: "Краткое резюме" })).toContainText(
    /Показатели основаны на \d+ полученн(ом ответе|ых ответах)\./,
  );
  // Back to the generated summary for the tests that follow, as the form's reset button sends
  // it (the button itself is used in the first test): no need to load the report once more.
  const reset = await page.request.post(`${REPORT}?lang=en`, {
    form: { intent: "reset-summary" },
    maxRedirects: 0,
  });
  expect(reset.status()).toBe(302);
  expect(reset.headers()["location"]).toContain("notice=summary-reset");
});

const COMMENT = "Mobility needs are expected to grow once visa rules are eased.";

test("a section comment is saved without JavaScript and printed under its section", async ({
  browser,
}) => {
  const { context, page } = await withoutJavaScript(browser);
  await page.goto(REPORT);
  await page.locator("#comment-ranked-needs summary").click();
  await page.getByLabel("Comment on “Ranked needs”").fill(COMMENT);
  await page.locator("#comment-ranked-needs").getByRole("button", { name: "Save comment" }).click();
  await expect(page.getByRole("status")).toHaveText("Comment saved.");
  const comment = page.getByRole("complementary", { name: "Coordinator’s comment" });
  await expect(comment).toHaveCount(1);
  await expect(comment).toContainText(COMMENT);
  // It follows the ranked needs and comes before the Borich section.
  const order = await page.evaluate(() => {
    const ids = [...document.querySelectorAll(".report [id]")].map((e) => e.id);
    return [
      ids.indexOf("ranked-needs"),
      ids.indexOf("comment-ranked-needs"),
      ids.indexOf("borich"),
    ];
  });
  expect(order[0]).toBeLessThan(order[1]);
  expect(order[1]).toBeLessThan(order[2]);
  await context.close();
});

test("the printed report has page numbers and a running header, under 12 A4 pages", async ({
  page,
}) => {
  await signIn(page);
  await page.goto(REPORT);
  await waitForHydration(page);
  // Charts drawn (the printed findings keep their top-needs charts).
  await expect(page.locator("#findings svg").first()).toBeVisible(PAGE);
  // The edit forms open, for axe.
  await page.locator("#comment-ranked-needs summary").click();
  await summarySection(page).getByText("Edit the summary").click();
  await expect(summarySection(page).getByLabel("Summary text")).toBeVisible();
  await expectNoAxeViolations(page);

  await page.emulateMedia({ media: "print" });
  await expect(page.locator("#comment-ranked-needs summary")).toBeHidden();
  await expect(page.getByRole("complementary", { name: "Coordinator’s comment" })).toBeVisible();
  const row = page.locator(".report tbody tr").first();
  expect(await row.evaluate((el) => getComputedStyle(el).breakInside)).toBe("avoid");
  expect(
    await page
      .locator(".report thead")
      .first()
      .evaluate((el) => getComputedStyle(el).display),
  ).toBe("table-header-group");

  const pdf = await page.pdf({ format: "A4" });
  const pages = pdfPageCount(pdf);
  expect(pages).toBeGreaterThan(1);
  expect(pages).toBeLessThan(12);
  const texts = pdfPageTexts(pdf);
  expect(texts).toHaveLength(pages);
  texts.forEach((text, i) => {
    expect(text).toContain(`Page ${i + 1} of ${pages}`);
    expect(text).toContain("Needsmap · Energy: ");
  });
  // The summary and the headline figures on the first page: no near-empty title page.
  expect(texts[0]).toContain("Executive summary");
  expect(texts[0]).toContain("Headline figures");
  expect(texts.join(" ")).toContain(COMMENT);
});

test("the Word download holds the summary, the section tables and the comments, in the reader's language", async ({
  page,
}) => {
  await signIn(page);
  const en = await page.request.get(`${REPORT}.docx`);
  expect(en.status()).toBe(200);
  expect(en.headers()["content-type"]).toBe(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  );
  expect(en.headers()["content-disposition"]).toContain('filename="energy-report-en.docx"');
  const xml = await (
    await JSZip.loadAsync(await en.body())
  )
    .file("word/document.xml")!
    .async("string");
  expect(xml).toContain("Executive summary");
  expect(docxParagraphs(xml)).toContain("Filters: All submitted responses.");
  expect(xml).toMatch(/The figures rest on \d+ submitted responses\./);
  expect(xml).toContain("Need categories ranked by priority score: Short term (up to 2 years)");
  expect(xml).toContain("Competence gaps (Borich)");
  expect(xml).toContain(COMMENT);
  expect(xml).toContain("Appendix: answers to each question");
  // The same suppression as the page: a category with few respondents is "fewer than 5".
  expect(xml).toContain("fewer than 5");

  const ru = await page.request.get(`${REPORT}.docx?lang=ru`);
  const ruXml = await (
    await JSZip.loadAsync(await ru.body())
  )
    .file("word/document.xml")!
    .async("string");
  expect(ruXml).toContain("Краткое резюме");
  expect(ruXml).toMatch(/Показатели основаны на \d+ полученн/);

  // A filtered download says which filters its figures reflect, as the page's header does.
  await page.goto(`${REPORT}?horizon=short_term&lang=en`);
  await expect(page.locator(".report-header")).toContainText("Filters: time horizon: Short term");
  const filtered = docxParagraphs(await docxXml(page, `${REPORT}.docx?horizon=short_term&lang=en`));
  expect(filtered).toContain("Filters: time horizon: Short term");
  expect(filtered).not.toContain("Filters: All submitted responses.");
  expect(
    docxParagraphs(await docxXml(page, `${REPORT}.docx?horizon=short_term&lang=ru`)),
  ).toContain("Фильтры: горизонт: Краткосрочные");

  // A comment on a section the report does not have is refused, saying so.
  const refused = await page.request.post(`${REPORT}?lang=en`, {
    form: { intent: "comment", section: "nowhere", text: "Lost?" },
  });
  expect(refused.status()).toBe(400);
  expect(await refused.text()).toContain("This report has no section “nowhere”.");

  // Coordinators of other groups get neither the page nor its download.
  await page.context().clearCookies();
  await signIn(page, E2E_ACCOUNTS.coordinator.email);
  expect((await page.request.get(`${REPORT}.docx`)).status()).toBe(403);
  expect(
    (
      await page.request.post(REPORT, {
        form: { intent: "comment", section: "themes", text: "Not mine" },
        maxRedirects: 0,
      })
    ).status(),
  ).toBe(403);
});

// The health group's survey has a demo Delphi round 2; its coordinator adds a validated need.
const HEALTH = "/staff/groups/health/report?survey=health-needs-2026";
const HEALTH_DOCX = "/staff/groups/health/report.docx?survey=health-needs-2026";

test("the Word download holds the page's Delphi consensus, needs register and gaps tables, in its order", async ({
  browser,
}) => {
  const { context, page } = await withoutJavaScript(browser, E2E_ACCOUNTS.coordinator.email);
  const stamp = Date.now().toString(36);
  const need = {
    en: `Shared clinical trial registry ${stamp}`,
    ru: `Общий регистр испытаний ${stamp}`,
  };
  await page.goto("/staff/needs/new?group=health&lang=en");
  await page.getByLabel("Title in English").fill(need.en);
  await page.getByLabel("Title in Russian").fill(need.ru);
  await page.getByLabel("Horizon").selectOption("short_term");
  await page.getByRole("button", { name: "Add the need" }).click();
  await expect(
    page.getByRole("status").filter({ hasText: "The need was added to the register." }),
  ).toBeVisible(PAGE);
  await page.getByLabel("New status").selectOption("validated");
  await page.getByRole("button", { name: "Record the status" }).click();
  await expect(
    page.getByRole("status").filter({ hasText: "The status was recorded." }),
  ).toBeVisible(PAGE);

  // What the printed page shows: an item's figures by round, the need in both tables.
  await page.goto(`${HEALTH}&lang=en`);
  const consensus = page.getByRole("region", { name: "Consensus", exact: true });
  const figures = consensus.locator("table.delphi-figures").first();
  const caption = squeeze((await figures.locator("caption").textContent())!);
  const roundRows = await Promise.all(
    (await figures.locator("tbody tr").all()).map((row) => cellsOf(row)),
  );
  expect(roundRows.length).toBeGreaterThan(1);
  const registerRow = await cellsOf(
    page
      .getByRole("region", { name: "Needs register", exact: true })
      .getByRole("row")
      .filter({ hasText: need.en }),
  );
  expect(registerRow.slice(0, 3)).toEqual([need.en, "Health", "Short term (up to 2 years)"]);
  expect(registerRow[3]).toMatch(/^Validated \(/);
  const gapsRow = await cellsOf(
    page
      .getByRole("region", { name: "Gaps: validated needs and their coverage" })
      .getByRole("row")
      .filter({ hasText: need.en }),
  );
  expect(gapsRow.at(-1)).toBe("No programme");

  const xml = await docxXml(page, `${HEALTH_DOCX}&lang=en`);
  const paragraphs = docxParagraphs(xml);
  const rows = docxRows(xml);
  expect(paragraphs).toContain(caption);
  for (const row of roundRows) expect(rows).toContainEqual(row);
  expect(rows).toContainEqual(registerRow);
  expect(rows).toContainEqual(gapsRow);
  // The sections in the order of the printed page.
  const at = (text: string) => {
    const i = paragraphs.indexOf(text);
    expect(i, text).toBeGreaterThanOrEqual(0);
    return i;
  };
  const order = [
    at("Headline figures"),
    at("Consensus"),
    at("Rounds"),
    at(caption),
    at("Needs register"),
    at("Gaps: validated needs and their coverage"),
    at("Methodology"),
  ];
  expect([...order].sort((a, b) => a - b)).toEqual(order);

  // In Russian: the same sections, the need under its Russian title.
  const ru = docxParagraphs(await docxXml(page, `${HEALTH_DOCX}&lang=ru`));
  expect(ru).toContain("Согласованность");
  expect(ru).toContain("Реестр потребностей");
  expect(ru).toContain("Пробелы: подтверждённые потребности и их покрытие");
  expect(ru).toContain(need.ru);
  expect(ru).not.toContain(need.en);
  await context.close();
});
