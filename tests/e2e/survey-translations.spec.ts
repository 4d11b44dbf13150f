// Stale translations: when the English text changes and its Russian translation does not, the
// builder marks the Russian field, and the survey's overview, the builder and the Russian
// preview list it; recording the translation as reviewed clears every mark. Without
// JavaScript (every builder button is a form post), staff pages in English and Russian.
import { expect, test } from "@playwright/test";
import { axeViolations } from "./axe";
import { signInAsAdmin, startInBuilder } from "./builder-helpers";

test.setTimeout(240_000);

test("a translation whose source text changed is marked in the builder, listed on the overview and in the preview, until it is reviewed", async ({
  browser,
}) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signInAsAdmin(page);
  const slug = `e2e-stale-${Date.now().toString(36)}`;
  const base = `/staff/groups/energy/surveys/${slug}`;
  await startInBuilder(page, slug, { en: "Energy needs", ru: "Потребности в энергетике" });

  // Nothing is stale yet. Only the English title changes.
  const staleList = page.locator("section.stale-texts");
  await expect(staleList).toHaveCount(0);
  const title = page.getByRole("group", { name: "Title", exact: true });
  await title.getByLabel("English").fill("Energy cooperation needs");
  await page.getByRole("button", { name: "Save as a new version" }).click();
  await expect(page).toHaveURL(new RegExp(`${base}\\?notice=version&version=2$`));

  // The overview lists the Russian title as stale, naming the new English text.
  await expect(
    staleList.getByRole("heading", { name: "1 translation may be out of date" }),
  ).toBeVisible();
  await expect(staleList.getByRole("listitem")).toHaveText(
    "RU translation of title (the EN text is now “Energy cooperation needs”)",
  );
  await page.goto(`${base}?lang=ru`);
  await expect(
    staleList.getByRole("heading", { name: "1 перевод может быть устаревшим" }),
  ).toBeVisible();
  await expect(staleList.getByRole("listitem")).toHaveText(
    "Перевод (RU) текста title; исходный текст (EN) теперь: «Energy cooperation needs»",
  );

  // The Russian preview flags it; the English preview has nothing to flag.
  await page.goto(`${base}/preview?lang=ru`);
  await expect(
    staleList.getByRole("heading", { name: "1 перевод может быть устаревшим" }),
  ).toBeVisible();
  await page.goto(`${base}/preview?lang=en`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Energy cooperation needs");
  await expect(staleList).toHaveCount(0);

  // The builder marks the Russian field (also in its description) and lists it.
  await page.goto(`${base}/builder?lang=en`);
  await expect(staleList).toBeVisible();
  const russian = title.getByLabel("Русский");
  await expect(russian).toHaveAccessibleDescription(
    "Out of date: the English text changed since this was translated.",
  );
  await expect(title.getByLabel("English")).not.toHaveAccessibleDescription(/Out of date/);

  // Recorded as reviewed: no longer stale anywhere.
  await title.getByLabel("The translation is up to date (record it as reviewed)").check();
  await page.getByRole("button", { name: "Save as a new version" }).click();
  await expect(page).toHaveURL(new RegExp(`${base}\\?notice=version&version=3$`));
  await expect(staleList).toHaveCount(0);
  await page.goto(`${base}/builder?lang=en`);
  await expect(staleList).toHaveCount(0);
  await expect(title.getByLabel("Русский")).not.toHaveAccessibleDescription(/Out of date/);
  await context.close();
});

test("the builder's stale marks pass axe, in English and Russian", async ({ page }) => {
  await signInAsAdmin(page);
  const slug = `e2e-stale-axe-${Date.now().toString(36)}`;
  const base = `/staff/groups/energy/surveys/${slug}`;
  await startInBuilder(page, slug, { en: "Energy needs", ru: "Потребности в энергетике" });
  await page
    .getByRole("group", { name: "Title", exact: true })
    .getByLabel("English")
    .fill("Energy cooperation needs");
  await page.getByRole("button", { name: "Save as a new version" }).click();
  await expect(page).toHaveURL(new RegExp(`${base}\\?notice=version&version=2$`));
  for (const lang of ["en", "ru"]) {
    await page.goto(`${base}/builder?lang=${lang}`);
    await expect(page.locator("section.stale-texts")).toBeVisible();
    expect(await axeViolations(page, `builder with a stale translation (${lang})`)).toEqual([]);
  }
});
