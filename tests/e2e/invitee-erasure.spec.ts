import { expect, type Page, test } from "@playwright/test";
import { expectNoAxeViolations } from "./axe";
import { E2E_ACCOUNTS } from "./accounts";
import { restoreSession } from "./sessions";

/**
 * Erasing an invitee from the invitations page: the confirmation step has no axe violations,
 * and the whole erasure works without JavaScript.
 */

const coordinator = E2E_ACCOUNTS.surveyManager;
const group = coordinator.groups[0];

async function signIn(page: Page) {
  await restoreSession(page, coordinator.email);
}

test("a coordinator erases an invitee after confirming, without JavaScript", async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  const slug = `e2e-erase-${Date.now().toString(36)}`;
  await signIn(page);
  await page.goto(`/staff/groups/${group}/surveys/new?lang=en`);
  await page.getByLabel("Questionnaire (YAML)").fill(`slug: ${slug}
workingGroup: ${group}
title: { en: Erasure round, ru: Раунд удаления }
pages:
  - key: p1
    title: { en: Page, ru: Страница }
    questions:
      - key: q1
        type: text
        label: { en: Question, ru: Вопрос }
`);
  await page.getByRole("button", { name: "Create the survey" }).click();
  await expect(page.getByText("The survey has been created as a draft (version 1).")).toBeVisible();
  const invitations = `${page.url().replace(/\?.*$/, "")}/invitations`;
  await page.goto(`${invitations}?lang=en`);
  for (const [name, email] of [
    ["Erin Ashdown", "erin@ashdown.example"],
    ["Kept Person", "kept@example.org"],
  ]) {
    await page.getByLabel("Name", { exact: true }).fill(name);
    await page.getByLabel("E-mail address").fill(email);
    await page.getByRole("button", { name: "Invite", exact: true }).click();
    await expect(page.getByText(`${name} has been invited.`)).toBeVisible();
  }

  // The confirmation step, in both languages, with JavaScript.
  await page.getByRole("link", { name: "Erase the data of Erin Ashdown" }).click();
  await expect(
    page.getByRole("heading", { name: "Erase the data of Erin Ashdown?" }),
  ).toBeVisible();
  await expectNoAxeViolations(page);
  await page.goto(`${page.url().replace(/#.*$/, "")}&lang=ru`);
  await expect(page.getByRole("heading", { name: "Удалить данные: Erin Ashdown?" })).toBeVisible();
  await expectNoAxeViolations(page);

  // The erasure itself, without JavaScript.
  const context = await browser.newContext({ javaScriptEnabled: false });
  // The session only: the language comes from the address.
  await context.addCookies((await page.context().cookies()).filter((c) => c.name !== "lang"));
  const plain = await context.newPage();
  try {
    await plain.goto(`${invitations}?lang=en`);
    await plain.getByRole("link", { name: "Erase the data of Erin Ashdown" }).click();
    await expect(plain).toHaveURL(/\?erase=\d+#erase-confirm$/);
    await plain.getByLabel("I understand that this cannot be undone").check();
    await plain.getByRole("button", { name: "Erase permanently" }).click();
    await expect(plain.getByText(/The invitee's data has been erased/)).toContainText(
      /invitee-\d+/,
    );
    const list = plain.getByRole("table", { name: "Invitees and their progress" });
    await expect(list).toContainText("Kept Person");
    await expect(list).not.toContainText("Erin Ashdown");
  } finally {
    await context.close();
  }
  await page.goto(`${invitations}?lang=en`);
  await expectNoAxeViolations(page);
});
