import { expect, type Page, test } from "@playwright/test";
import { expectNoAxeViolations } from "./axe";
import { E2E_ACCOUNTS } from "./accounts";
import { restoreSession } from "./sessions";

const coordinator = E2E_ACCOUNTS.surveyManager;
const group = coordinator.groups[0];

function questionnaire(slug: string, type = "long_text"): string {
  return `slug: ${slug}
workingGroup: ${group}
accessMode: invitation_only
estimatedMinutes: 5
title:
  en: Round test of the working group
  ru: Тестовый раунд рабочей группы
pages:
  - key: needs
    title: { en: Your needs, ru: Ваши потребности }
    questions:
      - key: main_need
        type: ${type}
        required: true
        label:
          en: What would help your cooperation most?
          ru: Что больше всего помогло бы вашему сотрудничеству?
`;
}

async function signIn(page: Page, email: string = coordinator.email) {
  await restoreSession(page, email);
}

test("a coordinator runs a survey round: author, preview, publish, invite, track", async ({
  page,
  browser,
}) => {
  const slug = `e2e-round-${Date.now().toString(36)}`;
  await signIn(page);

  // The group's surveys, from the staff home page.
  await page.goto("/staff");
  await page
    .getByRole("link", { name: /^Surveys:/ })
    .first()
    .click();
  await expect(page.getByRole("heading", { level: 1, name: /^Surveys:/ })).toBeVisible();
  await page.getByRole("link", { name: "New survey" }).click();

  // A file with a mistake: the problem is listed with its line and path, the text is kept.
  await page.getByLabel("Or upload a file").setInputFiles({
    name: `${slug}.yaml`,
    mimeType: "application/yaml",
    buffer: Buffer.from(questionnaire(slug, "long_txt")),
  });
  await page.getByRole("button", { name: "Create the survey" }).click();
  const problems = page.getByRole("alert").filter({ hasText: "The questionnaire has 1 problem" });
  await expect(problems).toContainText("Line 13");
  await expect(problems).toContainText("pages[0].questions[0].type");
  await expect(problems).toContainText('unknown question type "long_txt"');
  const editor = page.getByLabel("Questionnaire (YAML)");
  await expect(editor).toHaveValue(/type: long_txt/);

  // Fixed in the editor.
  await editor.fill((await editor.inputValue()).replace("type: long_txt", "type: long_text"));
  await page.getByRole("button", { name: "Create the survey" }).click();
  await expect(page.getByText("The survey has been created as a draft (version 1).")).toBeVisible();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    "Round test of the working group",
  );
  const overview = page.url().replace(/\?.*$/, "");

  // Preview in Russian.
  await page.getByRole("link", { name: "Preview in Russian" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    "Предпросмотр: Тестовый раунд рабочей группы",
  );
  await expect(page.getByText("Ничего из введённого здесь не сохраняется")).toBeVisible();
  await expect(page.getByText("Что больше всего помогло бы вашему сотрудничеству?")).toBeVisible();

  // Publish (back in English).
  await page.goto(`${overview}?lang=en`);
  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByText("The survey has been published.")).toBeVisible();
  await expect(page.locator(".badge").first()).toHaveText("Open");

  // Import invitees; the personal links are shown once.
  await page
    .getByRole("navigation", { name: "Survey management" })
    .getByRole("link", { name: "Invitations" })
    .click();
  await page.getByLabel("CSV file", { exact: true }).setInputFiles({
    name: "invitees.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(
      "\uFEFFName;E-mail;Country;Organisation;Language\nИрина Кузнецова;irina@example.ru;RU;ИФ РАН;ru\nPaul Martin;paul@example.eu;FR;CNRS;en\n",
    ),
  });
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByText("2 invitees imported.")).toBeVisible();
  await expect(page.getByRole("table", { name: "Result for each row of the file" })).toContainText(
    "Imported",
  );
  await page.getByText("Show the 2 links").click();
  const paulLink = (await page
    .getByRole("row")
    .filter({ hasText: "paul@example.eu" })
    .locator(".personal-link")
    .textContent())!.trim();
  expect(paulLink).toMatch(/\/i\/[A-Za-z0-9_-]{43}$/);
  const invitees = page.getByRole("table", { name: "Invitees and their progress" });
  await expect(invitees.getByRole("row").filter({ hasText: "paul@example.eu" })).toContainText(
    "Not started",
  );

  // The invitee answers in a browser of their own.
  const context = await browser.newContext();
  const respondent = await context.newPage();
  await respondent.goto(paulLink);
  await expect(respondent.getByText("Welcome, Paul Martin")).toBeVisible();
  await respondent.getByRole("button", { name: /^(Start|Continue your response)$/ }).click();
  await respondent
    .getByLabel(/What would help your cooperation most\?/)
    .fill("Aligned co-funding of joint calls.");
  await respondent.getByRole("button", { name: "Next", exact: true }).click();
  await respondent.getByRole("button", { name: "Submit", exact: true }).click();
  await expect(respondent.getByText("Your response has been submitted.")).toBeVisible();
  await context.close();

  // The coordinator sees the invitee's status change.
  await page.reload();
  const paulRow = page
    .getByRole("table", { name: "Invitees and their progress" })
    .getByRole("row")
    .filter({ hasText: "paul@example.eu" });
  await expect(paulRow).toContainText("Submitted");
  await expect(
    page
      .getByRole("table", { name: "Invitees and their progress" })
      .getByRole("row")
      .filter({ hasText: "irina@example.ru" }),
  ).toContainText("Not started");
  await expect(page.locator(".invitation-summary")).toContainText("submitted 1");
});

test("the editor works without JavaScript: problems are listed, the text is kept, a version is saved", async ({
  browser,
}) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const slug = `e2e-nojs-${Date.now().toString(36)}`;
  const text = questionnaire(slug);
  await signIn(page, E2E_ACCOUNTS.admin.email);
  await page.goto("/staff/groups/mobility/surveys/new");
  await page
    .getByLabel("Questionnaire (YAML)")
    .fill(text.replace("key: main_need", "key: Main Need"));
  await page.getByRole("button", { name: "Create the survey" }).click();
  await expect(page.getByText("The questionnaire has 1 problem")).toBeVisible();
  await expect(
    page.getByRole("link", { name: /Line 12, pages\[0\]\.questions\[0\]\.key/ }),
  ).toHaveAttribute("href", "#source");
  await expect(page.getByLabel("Questionnaire (YAML)")).toHaveValue(/key: Main Need/);
  await page.getByLabel("Questionnaire (YAML)").fill(text);
  await page.getByRole("button", { name: "Create the survey" }).click();
  await expect(page.getByText("The survey has been created as a draft (version 1).")).toBeVisible();
  await page.getByRole("link", { name: "Edit the questionnaire" }).click();
  await page
    .getByLabel("Questionnaire (YAML)")
    .fill(text.replace("en: Round test of the working group", "en: Round test, revised"));
  await page.getByRole("button", { name: "Save as a new version" }).click();
  await expect(page.getByText("Version 2 has been saved.")).toBeVisible();
  await page.getByRole("button", { name: "Show the differences" }).click();
  // The changes are listed by question; the YAML's line diff is one click away.
  await page.getByText("Show the line-by-line differences of the YAML").click();
  await expect(page.getByRole("table", { name: "Line-by-line differences" })).toContainText(
    "en: Round test, revised",
  );
  await context.close();
});

test("the management pages have no axe violations", async ({ page }) => {
  test.setTimeout(180_000);
  const slug = `e2e-axe-${Date.now().toString(36)}`;
  const text = questionnaire(slug);
  await signIn(page, E2E_ACCOUNTS.admin.email);

  await page.goto("/staff/groups/mobility/surveys");
  await expectNoAxeViolations(page);
  await page.goto("/staff/groups/mobility/surveys/new");
  await page
    .getByLabel("Questionnaire (YAML)")
    .fill(text.replace("key: main_need", "key: Main Need"));
  await page.getByRole("button", { name: "Create the survey" }).click();
  await expect(page.getByText("The questionnaire has 1 problem")).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByLabel("Questionnaire (YAML)").fill(text);
  await page.getByRole("button", { name: "Create the survey" }).click();
  await expect(page.getByText("The survey has been created as a draft (version 1).")).toBeVisible();
  await expectNoAxeViolations(page);
  const overview = page.url().replace(/\?.*$/, "");

  await page.goto(`${overview}/edit`);
  await page
    .getByLabel("Questionnaire (YAML)")
    .fill(text.replace("en: Round test of the working group", "en: Round test, revised"));
  await page.getByRole("button", { name: "Save as a new version" }).click();
  await expect(page.getByText("Version 2 has been saved.")).toBeVisible();
  await page.goto(`${overview}/diff?from=1&to=2`);
  await page.getByText("Show the line-by-line differences of the YAML").click();
  await expect(page.getByRole("table", { name: "Line-by-line differences" })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.goto(`${overview}/edit`);
  await expectNoAxeViolations(page);
  await page.goto(`${overview}/preview?lang=ru`);
  await expect(page.getByText("Что больше всего помогло бы вашему сотрудничеству?")).toBeVisible();
  await expectNoAxeViolations(page);

  await page.goto(`${overview}/invitations?lang=en`);
  await page.getByLabel("Name", { exact: true }).fill("Nadia Novak");
  await page.getByLabel("E-mail address").fill("nadia@example.org");
  await page.getByRole("button", { name: "Invite", exact: true }).click();
  await expect(page.getByText("Nadia Novak has been invited.")).toBeVisible();
  await expect(page.getByText("E-mail is not set up")).toBeVisible();
  await expectNoAxeViolations(page);
  await page.goto(`${overview}/emails`);
  await expectNoAxeViolations(page);
  await page.goto("/staff/audit?action=survey.");
  await expect(page.getByRole("table")).toContainText("survey.version");
  await expectNoAxeViolations(page);
});
