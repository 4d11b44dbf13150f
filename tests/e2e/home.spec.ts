import { expect, test } from "@playwright/test";
import { expectNoAxeViolations } from "./axe";

const GROUPS_EN = [
  "Food, agriculture and biotechnology",
  "Health",
  "Nanotechnologies and new materials",
  "Energy",
  "Researcher mobility",
];
const GROUPS_RU = [
  "Продовольствие, сельское хозяйство и биотехнологии",
  "Здравоохранение",
  "Нанотехнологии и новые материалы",
  "Энергетика",
  "Мобильность исследователей",
];

/** The bundled surveys, one per group; other specs may publish more surveys of their own. */
const BUNDLED = [
  "energy-needs-2026",
  "food-agri-bio-needs-2026",
  "health-needs-2026",
  "mobility-needs-2026",
  "nano-materials-needs-2026",
];

test("the home page lists the five working groups and their surveys in English", async ({
  page,
}) => {
  await page.goto("/?lang=en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    "Working groups and their surveys",
  );
  await expect(page.getByRole("heading", { level: 2 })).toHaveText(GROUPS_EN);
  for (const slug of BUNDLED)
    await expect(page.locator(`.group-card a.survey-link[href="/s/${slug}"]`)).toHaveCount(1);
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
});

test("the language switch shows Russian and is remembered", async ({ page }) => {
  await page.goto("/?lang=en");
  await page
    .getByRole("navigation", { name: "Language" })
    .getByRole("link", { name: /Русский/ })
    .click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Рабочие группы и их опросы");
  await expect(page.getByRole("heading", { level: 2 })).toHaveText(GROUPS_RU);
  await expect(page.locator("html")).toHaveAttribute("lang", "ru");
  // Remembered in a cookie: a plain visit stays in Russian.
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Рабочие группы и их опросы");
});

test("without a choice, the browser's Accept-Language decides", async ({ browser }) => {
  const context = await browser.newContext({ locale: "ru-RU" });
  const page = await context.newPage();
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("lang", "ru");
  await context.close();
});

test("the home page works without JavaScript", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/?lang=ru");
  await expect(page.getByRole("heading", { level: 2 })).toHaveCount(5);
  for (const slug of BUNDLED)
    await expect(page.locator(`.group-card a.survey-link[href="/s/${slug}"]`)).toHaveCount(1);
  await context.close();
});

for (const lang of ["en", "ru"]) {
  test(`the home page has no axe violations (${lang})`, async ({ page }) => {
    await page.goto(`/?lang=${lang}`);
    await expectNoAxeViolations(page);
  });
}

test("/healthz reports the database", async ({ request }) => {
  const res = await request.get("/healthz");
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({ status: "ok", db: "ok" });
});
