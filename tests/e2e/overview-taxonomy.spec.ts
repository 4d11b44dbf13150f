import { readFileSync } from "node:fs";
import { expect, type Page, test } from "@playwright/test";
import { parse } from "yaml";
import { expectNoAxeViolations } from "./axe";
import { E2E_ACCOUNTS } from "./accounts";
import { restoreSession } from "./sessions";

// The overview is a long page (every group's tables): give it time, axe included.
test.describe.configure({ timeout: 240_000 });
const PAGE = { timeout: 30_000 };

/** The shared need categories of the programme, as the taxonomy file names them. */
const TAXONOMY = parse(readFileSync("surveys/shared/need-taxonomy.yaml", "utf8")) as {
  categories: Array<{ code: string; label: { en: string; ru: string } }>;
};
const GROUPS = [
  "Food, agriculture and biotechnology",
  "Health",
  "Nanotechnologies and new materials",
  "Energy",
  "Researcher mobility",
];

async function signIn(page: Page) {
  await restoreSession(page, E2E_ACCOUNTS.admin.email);
}

test("the overview ranks every shared need category programme-wide and shows it for every group", async ({
  browser,
  page,
}) => {
  // Without JavaScript: the tables are the page (the charts come with JavaScript).
  const context = await browser.newContext({ javaScriptEnabled: false });
  const plain = await context.newPage();
  await signIn(plain);
  await plain.goto("/staff/overview");
  await expect(plain.getByRole("heading", { level: 1 })).toHaveText("All working groups", PAGE);
  await expect(
    plain.getByRole("heading", { name: "Needs on the shared categories" }),
  ).toBeVisible();

  // A group whose latest survey has too few responses in this view is named as left out, not
  // counted (another test may have published a new survey for a group).
  const leftOutNote = plain.locator(".shared-left-out");
  const leftOutText = (await leftOutNote.count()) ? await leftOutNote.innerText() : "";
  const shownGroups = GROUPS.filter((g) => !leftOutText.includes(g));
  expect(shownGroups.length).toBeGreaterThanOrEqual(GROUPS.length - 1);
  if (shownGroups.length < GROUPS.length)
    expect(leftOutText).toMatch(/^Not included, as their figures are not shown/);

  for (const horizon of ["Short term (up to 2 years)", "Medium term (2–5 years)"]) {
    const ranking = plain.getByRole("table", {
      name: new RegExp(
        `^All groups together: shared need categories by priority score: ${horizon.replace(/[()]/g, "\\$&")}`,
      ),
    });
    // Every shared category once, ranked by priority score, highest first.
    const names = await ranking.getByRole("rowheader").allTextContents();
    expect([...names].sort()).toEqual(TAXONOMY.categories.map((c) => c.label.en).sort());
    const scores = (await ranking.locator("tbody tr td:nth-of-type(2)").allTextContents()).map(
      Number,
    );
    expect(scores.every((s) => s >= 4 && s <= 100)).toBe(true);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));

    const byGroup = plain.getByRole("table", {
      name: `Priority score (respondents) of every shared need category, by group: ${horizon}`,
    });
    await expect(byGroup.getByRole("columnheader")).toHaveText(["Category", ...shownGroups]);
    await expect(byGroup.getByRole("rowheader")).toHaveText(
      TAXONOMY.categories.map((c) => c.label.en),
    );
    // Every group has a figure on every shared category: a score with its respondents, a count
    // hidden by the small-group rule, or no respondents (a group none of whose categories
    // belongs to that shared category); and a score on some of them.
    for (const [i] of shownGroups.entries()) {
      const cells = await byGroup.locator(`tbody td:nth-of-type(${i + 1})`).allTextContents();
      expect(cells).toHaveLength(TAXONOMY.categories.length);
      for (const cell of cells)
        expect(cell.trim()).toMatch(/^(\d+(\.\d)? \(\d[\d,]*\)|– \(0\)|fewer than \d+|withheld)$/);
      expect(cells.some((c) => /^\d+(\.\d)? \(/.test(c.trim()))).toBe(true);
    }
  }
  await context.close();

  // With JavaScript (charts drawn), in English and in Russian: no axe violation.
  await signIn(page);
  await page.goto("/staff/overview");
  await expect(page.getByRole("heading", { name: "Needs on the shared categories" })).toBeVisible(
    PAGE,
  );
  await expectNoAxeViolations(page);
  await page.goto("/staff/overview?lang=ru");
  const ru = page.getByRole("table", {
    name: /^Индекс приоритетности \(число респондентов\) каждой общей категории потребностей по группам: Краткосрочн/,
  });
  await expect(ru.getByRole("rowheader")).toHaveText(TAXONOMY.categories.map((c) => c.label.ru));
  await expectNoAxeViolations(page);
});
