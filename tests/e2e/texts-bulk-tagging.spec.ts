import { expect, type Locator, type Page, test } from "@playwright/test";
import { expectNoAxeViolations } from "./axe";
import { E2E_ACCOUNTS } from "./accounts";
import { waitForHydration } from "./respond-helpers";
import { restoreSession } from "./sessions";

// The energy coordinator tags free-text answers several at a time, with and without JavaScript.
// Other specs tag answers of the same group: every check here is about this spec's own themes
// and the answers it selected itself.
test.describe.configure({ timeout: 180_000 });
const PAGE = { timeout: 30_000 };

async function signIn(page: Page) {
  await restoreSession(page, E2E_ACCOUNTS.energy.email);
}

/** The ids of the first `n` answers listed (their articles' ids). */
async function firstIds(items: Locator, n: number): Promise<string[]> {
  const ids = await items.locator("article").evaluateAll((els) => els.map((e) => e.id));
  expect(ids.length).toBeGreaterThanOrEqual(n);
  return ids.slice(0, n);
}

/** Shows the answers without a theme, 50 a page, through the search form. */
async function filterUntagged(page: Page) {
  await page.getByLabel("Theme", { exact: true }).selectOption("none");
  await page.getByLabel("Answers per page").selectOption("50");
  await page.getByRole("button", { name: "Show", exact: true }).click();
  await expect(page).toHaveURL(/[?&]theme=none(&|$)/, PAGE);
  await expect(page).toHaveURL(/[?&]per=50(&|$)/);
}

/** The form that tags several answers at once (each answer also has a form of its own). */
const bulkForm = (page: Page) => page.getByRole("region", { name: "Tag several answers" });

/** Answers tagged with a theme, as the themes page counts them. */
async function themeCount(page: Page, theme: string): Promise<string> {
  await page.goto("/staff/groups/energy/themes?lang=en");
  const row = page
    .getByRole("row")
    .filter({ has: page.getByRole("rowheader", { name: new RegExp(`^${theme}`) }) });
  return (await row.getByRole("cell").first().textContent())?.trim() ?? "";
}

test.describe("bulk tagging, JavaScript off", () => {
  test.use({ javaScriptEnabled: false });

  test("filter untagged answers, select several, tag them at once, remove the theme from all", async ({
    page,
  }) => {
    await signIn(page);
    await page.goto("/staff/groups/energy/texts?lang=en");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(
      "Energy: free-text answers",
      PAGE,
    );
    await filterUntagged(page);
    const items = page.locator(".text-list > li");
    const ids = await firstIds(items, 3);
    // Each answer shows the language it is written in.
    await expect(items.first().locator(".lang-badge")).toHaveText(/^(EN|RU)$/);

    const theme = `Bulk plain ${Date.now().toString(36)}`;
    for (let i = 0; i < 3; i++)
      await items.nth(i).getByRole("checkbox", { name: /^Select answer \d+$/ }).check();
    await bulkForm(page).getByLabel("New theme", { exact: true }).fill(theme);
    await page.getByRole("button", { name: "Tag the selected answers" }).first().click();
    await expect(
      page.getByRole("status").filter({ hasText: "Tagged 3 answers (new tags: 3)." }),
    ).toBeVisible(PAGE);
    // Back on the same view, which the three answers have left; the new theme stays picked.
    await expect(page).toHaveURL(/[?&]theme=none(&|$)/);
    await expect(page).toHaveURL(/[?&]per=50(&|$)/);
    for (const id of ids) await expect(page.locator(`#${id}`)).toHaveCount(0);
    await expect(page.getByRole("checkbox", { name: theme, exact: true })).toBeChecked();
    const next = page.getByRole("navigation", { name: "Pages" }).getByRole("link", {
      name: "Next page",
    });
    // Pages of 50: a next page when more answers are untagged, its link keeping the filters,
    // the page size and the picked theme.
    const total = Number(
      (await page.getByRole("status").filter({ hasText: /^\d+ answers?$/ }).textContent())?.match(
        /^\d+/,
      )?.[0],
    );
    expect(total).toBeGreaterThanOrEqual(0);
    await expect(next).toHaveCount(total > 50 ? 1 : 0);
    if (total > 50) {
      const href = new URL((await next.getAttribute("href"))!, "http://x").searchParams;
      expect([href.get("theme"), href.get("per"), href.getAll("pick").length]).toEqual([
        "none",
        "50",
        1,
      ]);
    }
    expect(await themeCount(page, theme)).toBe("3");

    // Remove the theme from all of them: filter by the theme, select all on the page.
    await page.goto("/staff/groups/energy/texts?lang=en");
    await page.getByLabel("Theme", { exact: true }).selectOption({ label: `${theme} (3)` });
    await page.getByRole("button", { name: "Show", exact: true }).click();
    await expect(page.getByText("3 answers", { exact: true })).toBeVisible(PAGE);
    await page.getByRole("link", { name: "Select all on this page" }).click();
    await expect(page.getByRole("checkbox", { name: /^Select answer \d+$/ })).toHaveCount(3);
    for (const box of await page.getByRole("checkbox", { name: /^Select answer \d+$/ }).all())
      await expect(box).toBeChecked();
    await page.getByRole("checkbox", { name: theme, exact: true }).check();
    await page.getByRole("button", { name: "Remove the themes from the selected answers" }).first().click();
    await expect(
      page
        .getByRole("status")
        .filter({ hasText: "Removed the themes from 3 answers (tags removed: 3)." }),
    ).toBeVisible(PAGE);
    await expect(page.getByText("No answer matches.")).toBeVisible();
    expect(await themeCount(page, theme)).toBe("0");

    // Nothing selected: a clear message, not an error page.
    await page.goto("/staff/groups/energy/texts?lang=en");
    await page.getByRole("checkbox", { name: theme, exact: true }).check();
    await page.getByRole("button", { name: "Tag the selected answers" }).first().click();
    await expect(page.getByRole("alert").filter({ hasText: "Select at least one answer" })).toBeVisible(
      PAGE,
    );

    // The same page in Russian.
    await page.goto("/staff/groups/energy/texts?lang=ru");
    await expect(page.getByRole("heading", { name: "Отметить несколько ответов" })).toBeVisible();
    await expect(page.locator("summary", { hasText: "Клавиатурные сокращения" })).toBeVisible();
  });
});

test.describe("bulk tagging, JavaScript on", () => {
  test("keyboard: move, select, tag and untag with the picked theme; never while typing", async ({
    page,
  }) => {
    await signIn(page);
    await page.goto("/staff/groups/energy/texts?lang=en");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(
      "Energy: free-text answers",
      PAGE,
    );
    await filterUntagged(page);
    await waitForHydration(page);
    const items = page.locator(".text-list > li");
    const ids = await firstIds(items, 3);
    const selected = page.getByRole("status").filter({ hasText: /answers? selected$/ });
    await expect(selected).toHaveText("0 answers selected");

    // "?" opens the help.
    await page.keyboard.press("?");
    const help = page.getByRole("table", { name: "Keyboard shortcuts" });
    await expect(help).toBeVisible();
    await expect(help.getByRole("row").filter({ hasText: "Move to the next answer" })).toContainText(
      "J",
    );

    // Typing in a field is typing: these letters are no shortcuts there.
    const theme = `Keys jkxtar ${Date.now().toString(36)}`;
    const field = bulkForm(page).getByLabel("New theme", { exact: true });
    await field.click();
    await page.keyboard.type(theme);
    await expect(field).toHaveValue(theme);
    await expect(selected).toHaveText("0 answers selected");

    // Out of the field: J moves to the first answer, X selects; J J X, K X.
    await page.keyboard.press("Tab");
    await page.keyboard.press("j");
    await expect(items.nth(0).locator("article")).toBeFocused();
    await page.keyboard.press("x");
    await page.keyboard.press("j");
    await page.keyboard.press("j");
    await expect(items.nth(2).locator("article")).toBeFocused();
    await page.keyboard.press("x");
    await page.keyboard.press("k");
    await expect(items.nth(1).locator("article")).toBeFocused();
    await page.keyboard.press("x");
    await expect(selected).toHaveText("3 answers selected");
    for (let i = 0; i < 3; i++)
      await expect(items.nth(i).getByRole("checkbox", { name: /^Select answer/ })).toBeChecked();
    await expect(items.nth(3).getByRole("checkbox", { name: /^Select answer/ })).not.toBeChecked();

    // T tags the selected answers with the new theme; they leave the untagged view.
    await page.keyboard.press("t");
    await expect(
      page.getByRole("status").filter({ hasText: "Tagged 3 answers (new tags: 3)." }),
    ).toBeVisible(PAGE);
    for (const id of ids) await expect(page.locator(`#${id}`)).toHaveCount(0);
    await expect(page).toHaveURL(/[?&]theme=none(&|$)/);
    await expect(page.getByRole("checkbox", { name: theme, exact: true })).toBeChecked();
    await expect(selected).toHaveText("0 answers selected");

    // A selects all on the page, A again none.
    await page.keyboard.press("a");
    const count = await items.count();
    await expect(selected).toHaveText(`${count} answers selected`);
    await page.keyboard.press("a");
    await expect(selected).toHaveText("0 answers selected");

    // R removes the picked theme from the current answer: the theme's view, J, R.
    await page.getByLabel("Theme", { exact: true }).selectOption({ label: `${theme} (3)` });
    await page.getByRole("button", { name: "Show", exact: true }).click();
    await expect(page.getByText("3 answers", { exact: true })).toBeVisible(PAGE);
    await page.getByRole("button", { name: "Show", exact: true }).blur();
    await page.keyboard.press("j");
    await expect(items.nth(0).locator("article")).toBeFocused();
    await page.keyboard.press("r");
    await expect(
      page
        .getByRole("status")
        .filter({ hasText: "Removed the themes from 1 answer (tags removed: 1)." }),
    ).toBeVisible(PAGE);
    await expect(page.getByText("2 answers", { exact: true })).toBeVisible();
    await expectNoAxeViolations(page);
    // "/" goes to the search field.
    await page.keyboard.press("/");
    await expect(page.getByLabel("Words in the answer")).toBeFocused();
    expect(await themeCount(page, theme)).toBe("2");
  });
});
