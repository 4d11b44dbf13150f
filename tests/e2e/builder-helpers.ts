// Steps the builder and translation specs share: signing in as the administrator, starting a
// survey of the energy group in the builder from its address name and titles, opening a question.
import { expect, type Page } from "@playwright/test";
import { E2E_ACCOUNTS } from "./accounts";
import { restoreSession } from "./sessions";

export async function signInAsAdmin(page: Page) {
  await restoreSession(page, E2E_ACCOUNTS.admin.email);
}

/** Creates the survey with "Start in the builder" and lands in its builder. */
export async function startInBuilder(page: Page, slug: string, title: { en: string; ru: string }) {
  await page.goto("/staff/groups/energy/surveys/new?lang=en");
  await page.getByLabel("Address name (slug)").fill(slug);
  await page.getByLabel("Title in English").fill(title.en);
  await page.getByLabel("Title in Russian").fill(title.ru);
  await page.getByRole("button", { name: "Create and open the builder" }).click();
  await expect(page).toHaveURL(new RegExp(`/surveys/${slug}/builder$`));
}

/** Opens the editor of the builder's first question. */
export async function openFirstQuestion(page: Page) {
  await page
    .getByRole("button", { name: /^Edit question / })
    .first()
    .click();
  await expect(page.getByRole("heading", { level: 4, name: /^Question \w+ \(/ })).toBeVisible();
}
