import { expect, type Page, test } from "@playwright/test";
import { E2E_ACCOUNTS } from "./accounts";
import { expectNoAxeViolations } from "./axe";
import { restoreSession } from "./sessions";

/** Signed in (see sessions.ts), on the staff start page in the given language. */
async function signIn(page: Page, email: string, lang: "en" | "ru") {
  await restoreSession(page, email);
  await page.goto(`/staff?lang=${lang}`);
}

/**
 * Nothing is cut off at the side: the page is no wider than the window. Read from the browser's
 * layout (DevTools protocol), so that it works with JavaScript off as well.
 */
async function expectNoHorizontalOverflow(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  const { cssContentSize, cssLayoutViewport } = await cdp.send("Page.getLayoutMetrics");
  await cdp.detach();
  expect(cssContentSize.width).toBeLessThanOrEqual(cssLayoutViewport.clientWidth);
}

async function expectFitsAt1280And375(page: Page, name: string) {
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 900 });
    await expectNoHorizontalOverflow(page);
    await page.screenshot({ path: test.info().outputPath(`${name}-${width}.png`), fullPage: true });
  }
}

for (const javaScriptEnabled of [false, true]) {
  test.describe(`staff start page, JavaScript ${javaScriptEnabled ? "on" : "off"}`, () => {
    test.use({ javaScriptEnabled });

    test("a coordinator sees their group's surveys with figures and what needs attention, in English", async ({
      page,
    }) => {
      await signIn(page, E2E_ACCOUNTS.coordinator.email, "en");
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Staff area");
      // Only the coordinator's own group.
      await expect(page.getByRole("heading", { level: 3 })).toHaveText(["Health"]);
      // The bundled survey's card (other specs may add surveys of their own to the group).
      const card = page
        .getByRole("listitem")
        .filter({ has: page.getByRole("heading", { level: 4 }) })
        .filter({ has: page.locator('a[href="/staff/groups/health/surveys/health-needs-2026"]') });
      await expect(card).toHaveCount(1);
      await expect(card.getByRole("heading", { level: 4 })).toContainText("Open");
      await expect(card.getByRole("term")).toHaveText(["Responses", "Last submission (UTC)"]);
      await expect(card.getByRole("definition").first()).toHaveText(/^\d+$/);
      // No invitations in the demo data: no response rate at all.
      await expect(card.getByText("Response rate")).toHaveCount(0);
      if (javaScriptEnabled) await expectNoAxeViolations(page);
      await expectFitsAt1280And375(page, "staff-home");

      // The untagged free texts lead to the free-text page, filtered to answers without a theme.
      const untagged = card
        .getByRole("list", { name: "Needs attention:" })
        .getByRole("link", { name: /free-text answers? without a theme$/ });
      await untagged.click();
      await expect(page).toHaveURL(/\/staff\/groups\/health\/texts\?survey=[^&]+&theme=none$/);
    });

    test("an administrator sees every group, in Russian", async ({ page }) => {
      await signIn(page, E2E_ACCOUNTS.admin.email, "ru");
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Раздел для сотрудников");
      await expect(page.getByRole("heading", { level: 3 })).toHaveText([
        "Продовольствие, сельское хозяйство и биотехнологии",
        "Здравоохранение",
        "Нанотехнологии и новые материалы",
        "Энергетика",
        "Мобильность исследователей",
      ]);
      await expect(page.getByRole("term").filter({ hasText: "Ответы" }).first()).toBeVisible();
      await expect(
        page.getByRole("list", { name: "Требует внимания:" }).first().getByRole("link"),
      ).toContainText([/свободн\S+ ответ\S* без темы$/]);
      if (javaScriptEnabled) await expectNoAxeViolations(page);
      await expectFitsAt1280And375(page, "staff-home-ru");
    });
  });
}
