import { expect, test } from "@playwright/test";
import { E2E_ACCOUNTS } from "./accounts";
import { expectNoAxeViolations } from "./axe";
import { restoreSession } from "./sessions";

// The publication buttons of a survey's page: each says, as its description, what it will do
// (not what the survey's state is), in English and Russian, with JavaScript off and on.

const coordinator = E2E_ACCOUNTS.surveyManager;
const group = coordinator.groups[0];

function questionnaire(slug: string): string {
  return `slug: ${slug}
workingGroup: ${group}
accessMode: open_link
estimatedMinutes: 5
title:
  en: Publication test of the working group
  ru: Проверка публикации рабочей группы
pages:
  - key: needs
    title: { en: Your needs, ru: Ваши потребности }
    questions:
      - key: main_need
        type: long_text
        label:
          en: What would help your cooperation most?
          ru: Что больше всего помогло бы вашему сотрудничеству?
`;
}

for (const javaScriptEnabled of [false, true]) {
  test(`each publication button describes what it will do, in English and Russian (JavaScript ${javaScriptEnabled ? "on" : "off"})`, async ({
    browser,
  }) => {
    const context = await browser.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    const slug = `e2e-publication-${javaScriptEnabled ? "js" : "nojs"}-${Date.now().toString(36)}`;
    await restoreSession(page, coordinator.email);

    await page.goto(`/staff/groups/${group}/surveys/new`);
    await page.getByLabel("Questionnaire (YAML)").fill(questionnaire(slug));
    await page.getByRole("button", { name: "Create the survey" }).click();
    await expect(
      page.getByText("The survey has been created as a draft (version 1)."),
    ).toBeVisible();
    const overview = page.url().replace(/\?.*$/, "");

    const publish = page.getByRole("button", { name: "Publish", exact: true });
    await expect(publish).toHaveAccessibleDescription(
      "Publishing opens the survey: respondents can answer from then on (or from the opening date, if one is set).",
    );
    await publish.click();
    await expect(page.getByText("The survey has been published.")).toBeVisible();

    const close = page.getByRole("button", { name: "Close", exact: true });
    await expect(close).toHaveAccessibleDescription(
      "Closing stops new answers. Drafts in progress are kept, and you can reopen the survey later.",
    );
    if (javaScriptEnabled) await expectNoAxeViolations(page);

    await page.goto(`${overview}?lang=ru`);
    const closeRu = page.getByRole("button", { name: "Закрыть", exact: true });
    await expect(closeRu).toHaveAccessibleDescription(
      "Закрытие прекращает приём новых ответов. Начатые черновики сохраняются, опрос можно будет открыть снова.",
    );
    if (javaScriptEnabled) await expectNoAxeViolations(page);
    await closeRu.click();
    await expect(page.getByText("Опрос закрыт.")).toBeVisible();
    await expect(
      page.getByRole("button", { name: "Открыть снова", exact: true }),
    ).toHaveAccessibleDescription("Повторное открытие снова позволяет респондентам отвечать.");

    await page.goto(`${overview}?lang=en`);
    await expect(
      page.getByRole("button", { name: "Reopen", exact: true }),
    ).toHaveAccessibleDescription("Reopening lets respondents answer again.");
    await context.close();
  });
}
