import { expect, type Page, test } from "@playwright/test";
import { expectNoAxeViolations } from "./axe";
import { E2E_ACCOUNTS } from "./accounts";
import { waitForHydration } from "./respond-helpers";
import { restoreSession as signIn } from "./sessions";
import { openTable } from "./show-table";

// Dashboards and reports are long pages (every question's table): give them time, axe included.
test.describe.configure({ timeout: 240_000 });
const PAGE = { timeout: 30_000 };

/** Text that is a message key, shown when the page's catalog lacks a text it uses. */
const MESSAGE_KEY =
  /\b(common|auth|dashboard|delphi|exports|manage|register|respond)\.[a-z]\w*\.\w/;

/** The number of tagged answers the themes page shows for a theme. */
async function themeCount(page: Page, group: string, theme: string): Promise<string> {
  await page.goto(`/staff/groups/${group}/themes`);
  const row = page
    .getByRole("row")
    .filter({ has: page.getByRole("rowheader", { name: new RegExp(`^${theme}`) }) });
  return (await row.getByRole("cell").first().textContent())?.trim() ?? "";
}

test("a coordinator sees only their group, filters the dashboard and tags a free-text answer", async ({
  page,
}) => {
  await signIn(page, E2E_ACCOUNTS.energy.email);
  await page.goto("/staff");
  await expect(page.getByRole("link", { name: /^Dashboard: / })).toHaveText(["Dashboard: Energy"]);
  expect((await page.goto("/staff/groups/health"))?.status()).toBe(403);

  await page.goto("/staff");
  await page.getByRole("link", { name: "Dashboard: Energy" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Energy: dashboard", PAGE);
  await expect(page.getByRole("list", { name: /^Top needs: short and medium term/ })).toBeVisible();
  // Each chart's table is one click away.
  await waitForHydration(page);
  const byGroup = page.getByRole("table", { name: "By country group: Short term" });
  await expect(byGroup).toBeHidden();
  await openTable(page.locator("#findings details.show-table").first());
  await expect(byGroup).toBeVisible();
  // Axe checks this dashboard filtered (below) and unfiltered on a small screen (the same
  // markup, and the tables that scroll there): one run each, on a page that takes long to check.

  // A filter: the view is in the address, and the figures follow it.
  const all = await page
    .getByRole("term")
    .filter({ hasText: "Matching the filters" })
    .locator("xpath=following-sibling::dd")
    .textContent();
  await page.getByText("All respondents · change").click();
  await page.getByLabel("Respondents from").selectOption("ru");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/country_group=ru/, PAGE);
  await expect(page.getByText("Filtered view: respondents from: Russia")).toBeVisible();
  const ru = await page
    .getByRole("term")
    .filter({ hasText: "Matching the filters" })
    .locator("xpath=following-sibling::dd")
    .textContent();
  expect(Number(ru)).toBeLessThan(Number(all));
  expect(Number(ru)).toBeGreaterThan(0);
  await expectNoAxeViolations(page);

  // Tag a free-text answer with a new theme, then another with the same theme.
  const theme = `Funding cycles ${Date.now().toString(36)}`;
  await page
    .getByRole("navigation", { name: "Working-group pages" })
    .getByRole("link", { name: "Free-text answers" })
    .click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    "Energy: free-text answers",
    PAGE,
  );
  await expectNoAxeViolations(page);
  const items = page.locator(".text-list > li");
  await items
    .nth(0)
    .getByLabel(/new theme/i)
    .fill(theme);
  await items.nth(0).getByRole("button", { name: "Tag" }).click();
  await expect(
    page.getByRole("status").filter({ hasText: "The answer has been tagged." }),
  ).toBeVisible(PAGE);
  await expect(items.nth(0).locator(".tag-list")).toContainText(theme);
  expect(await themeCount(page, "energy", theme)).toBe("1");
  await expectNoAxeViolations(page);

  await page.goto("/staff/groups/energy/texts?lang=en");
  await items.nth(1).getByLabel("Existing theme").selectOption({ label: theme });
  await items.nth(1).getByRole("button", { name: "Tag" }).click();
  await expect(
    page.getByRole("status").filter({ hasText: "The answer has been tagged." }),
  ).toBeVisible(PAGE);
  expect(await themeCount(page, "energy", theme)).toBe("2");

  // The dashboard lists the theme (2 respondents are fewer than 5: suppressed there).
  await page.goto("/staff/groups/energy");
  await waitForHydration(page);
  await openTable(page.locator("#themes details.show-table"));
  const themes = page.getByRole("table", { name: "Answers tagged with each theme" });
  await expect(themes.getByRole("row").filter({ hasText: theme })).toContainText("fewer than 5");
});

test("an admin sees all five groups in the overview", async ({ page }) => {
  await signIn(page, E2E_ACCOUNTS.admin.email);
  await page.goto("/staff");
  await page
    .getByRole("navigation", { name: "Staff" })
    .getByRole("link", { name: "All groups" })
    .click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("All working groups", PAGE);
  const participation = page.getByRole("table", {
    name: "Participation in each group's latest survey",
  });
  await expect(participation.getByRole("rowheader")).toHaveCount(5);
  for (const name of [
    "Food, agriculture and biotechnology",
    "Health",
    "Nanotechnologies and new materials",
    "Energy",
    "Researcher mobility",
  ]) {
    await expect(participation.getByRole("link", { name, exact: true })).toBeVisible();
  }
  await expect(page.getByRole("heading", { name: "Needs on the shared categories" })).toBeVisible();
  await expectNoAxeViolations(page);

  await page.goto("/staff/groups/mobility/themes");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Researcher mobility: themes");
  await expectNoAxeViolations(page);
  await page.goto("/staff/report");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    "Findings report: all working groups",
  );
  await expectNoAxeViolations(page);
});

test("the findings report prints without navigation", async ({ page }) => {
  await signIn(page, E2E_ACCOUNTS.energy.email);
  await page.goto("/staff/groups/energy/report?horizon=short_term");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Energy: findings report");
  await expect(page.getByRole("heading", { name: "Methodology" })).toBeVisible();
  await expect(page.getByText("Filters: time horizon: Short term")).toBeVisible();
  await expectNoAxeViolations(page);

  await page.emulateMedia({ media: "print" });
  await expect(page.locator(".site-header")).toBeHidden();
  await expect(page.locator(".site-footer")).toBeHidden();
  for (const nav of await page.locator("nav").all()) await expect(nav).toBeHidden();
  await expect(page.getByRole("button", { name: "Print or save as PDF" })).toBeHidden();
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByRole("table", { name: /^Top needs: Short term/ })).toBeVisible();
  // Sections run on (the report stays short); headings keep to what follows them.
  const section = page.locator(".report .dash-section#findings");
  expect(await section.evaluate((el) => getComputedStyle(el).breakBefore)).toBe("auto");
  expect(await section.locator("h2").evaluate((el) => getComputedStyle(el).breakAfter)).toBe(
    "avoid",
  );
});

test.describe("on a small screen", () => {
  test.use({ viewport: { width: 360, height: 740 } });

  test("the dashboard fits the width", async ({ page }) => {
    await signIn(page, E2E_ACCOUNTS.energy.email);
    await page.goto("/staff/groups/energy");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Energy: dashboard");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      360,
    );

    // Tables wider than the screen scroll by themselves, also by keyboard: their container is
    // a focusable region named by the table's caption.
    await waitForHydration(page);
    await openTable(page.locator("#needs-matrix details.show-table").first());
    const matrix = page.getByRole("region", {
      name: "Respondents naming each need category, by horizon",
    });
    await expect(matrix.first()).toBeVisible();
    await matrix.first().focus();
    await expect(matrix.first()).toBeFocused();
    await page.keyboard.press("ArrowRight");
    await expect
      .poll(() => matrix.first().evaluate((el) => el.scrollLeft), PAGE)
      .toBeGreaterThan(0);
    await expectNoAxeViolations(page);
  });
});

test("the sections below the first screen load when reached, every figure in place", async ({
  page,
}) => {
  await signIn(page, E2E_ACCOUNTS.energy.email);
  // The first view as the server sends it (scripts held back, as without JavaScript): the later
  // sections are headings with a link to the whole dashboard.
  await page.route("**/assets/*.js", (route) => route.abort());
  await page.goto("/staff/groups/energy?lang=en");
  await expect(
    page
      .getByRole("region", { name: "Answers to each question" })
      .getByRole("link", { name: /^Show Answers to each question/ }),
  ).toBeVisible();
  await expectNoAxeViolations(page);
  await page.unroute("**/assets/*.js");

  await page.goto("/staff/groups/energy?lang=en");
  await waitForHydration(page);
  const questions = page.getByRole("region", { name: "Answers to each question" });
  await questions.scrollIntoViewIfNeeded();
  // Loaded in place, its table behind "Show table".
  const roleFigure = questions.locator(".show-table").filter({
    has: page.getByRole("table", { name: "Your main role", includeHidden: true }),
  });
  await expect(roleFigure).toBeAttached(PAGE);
  const role = questions.getByRole("table", { name: "Your main role" });
  await expect(role).toBeHidden();
  await openTable(roleFigure);
  await expect(role).toBeVisible();
  const borich = page.getByRole("region", { name: "Competence gaps (Borich)" });
  await borich.scrollIntoViewIfNeeded();
  const mwdsName = "Statements ranked by mean weighted discrepancy score (MWDS)";
  const mwdsFigure = borich.locator(".show-table").filter({
    has: page.getByRole("table", { name: mwdsName, includeHidden: true }),
  });
  await expect(mwdsFigure).toBeAttached(PAGE);
  await openTable(mwdsFigure);
  await expect(borich.getByRole("table", { name: mwdsName })).toBeVisible(PAGE);
  // In place: the address is still the dashboard's first view.
  expect(new URL(page.url()).searchParams.get("sections")).toBeNull();
  expect(await page.locator("main").innerText()).not.toMatch(MESSAGE_KEY);
  await expectNoAxeViolations(page, { include: "#questions" });
  await expectNoAxeViolations(page, { include: "#borich" });
});

test("the dashboard and the free-text answers work without JavaScript", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page, E2E_ACCOUNTS.energy.email);
  await page.goto("/staff/groups/energy?lang=en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Energy: dashboard", PAGE);
  // The figures are in tables (open while charts cannot be drawn); scrollable ones can be reached
  // by keyboard without JavaScript too. The top needs are drawn by the server.
  await expect(page.getByRole("list", { name: /^Top needs: short and medium term/ })).toContainText(
    /Short term: \d+\.\d/,
  );
  await expect(
    page.getByRole("table", { name: "Respondents naming each need category, by horizon" }).first(),
  ).toBeVisible();
  await expect(page.locator("#needs-matrix .table-wrap").first()).toHaveAttribute("tabindex", "0");
  expect(await page.locator("main").innerText()).not.toMatch(MESSAGE_KEY);

  // The sections below the first screen are links to the whole dashboard on one page.
  const questions = page.getByRole("region", { name: "Answers to each question" });
  await expect(questions.getByRole("table")).toHaveCount(0);
  await questions.getByRole("link", { name: /^Show Answers to each question/ }).click();
  await expect(page).toHaveURL(/[?&]sections=all(&|#|$)/, PAGE);
  await expect(page).toHaveURL(/#questions$/);
  await expect(
    page.getByRole("region", { name: "Answers to each question" }).getByRole("table", {
      name: "Your main role",
    }),
  ).toBeVisible();
  await expect(
    page.getByRole("table", {
      name: "Statements ranked by mean weighted discrepancy score (MWDS)",
    }),
  ).toBeVisible();
  expect(await page.locator("main").innerText()).not.toMatch(MESSAGE_KEY);
  await page.goto("/staff/groups/energy?lang=en");

  // Filters are a plain form, folded into their summary line, submitted here by keyboard.
  await page.getByText("All respondents · change").click();
  await page.getByLabel("Respondents from").selectOption("eu");
  await page.getByRole("button", { name: "Apply filters" }).focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/country_group=eu/, PAGE);
  await expect(page.getByText(/^Filtered view: respondents from: EU\b/)).toBeVisible();

  // Tagging is a plain form post.
  const theme = `Visa delays ${Date.now().toString(36)}`;
  await page.goto("/staff/groups/energy/texts?lang=en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    "Energy: free-text answers",
    PAGE,
  );
  const item = page.locator(".text-list > li").nth(2);
  await item.getByLabel(/new theme/i).fill(theme);
  await item.getByRole("button", { name: "Tag" }).click();
  await expect(
    page.getByRole("status").filter({ hasText: "The answer has been tagged." }),
  ).toBeVisible(PAGE);
  expect(await themeCount(page, "energy", theme)).toBe("1");
  await context.close();
});
