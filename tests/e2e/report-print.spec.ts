import { type Browser, expect, type Page, test } from "@playwright/test";
import JSZip from "jszip";
import { E2E_ACCOUNTS, E2E_PASSWORD } from "./accounts";
import { expectNoAxeViolations } from "./axe";
import { pdfPageCount, pdfPageTexts } from "./pdf";
import { waitForHydration } from "./respond-helpers";

// The energy group's findings report: its summary and comments are edited here, in order.
test.describe.configure({ mode: "serial", timeout: 240_000 });
const PAGE = { timeout: 30_000 };
const REPORT = "/staff/groups/energy/report";

async function signIn(page: Page, email: string = E2E_ACCOUNTS.energy.email) {
  await page.goto("/login?lang=en");
  await page.getByLabel("E-mail address").fill(email);
  await page.getByLabel("Password").fill(E2E_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/staff$/);
}

async function withoutJavaScript(browser: Browser) {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page);
  return { context, page };
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
  await page.goto(`${REPORT}?lang=en`);
  await summarySection(page).getByText("Edit the summary").click();
  await summarySection(page).getByRole("button", { name: "Reset to generated" }).click();
  await expect(page.getByRole("status")).toHaveText(
    "The summary is generated from the figures again.",
  );
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
