import { expect, test } from "@playwright/test";
import { parse } from "yaml";
import { axeViolations } from "./axe";
import { openFirstQuestion, signInAsAdmin, startInBuilder } from "./builder-helpers";
import { bundledSurveys, waitForHydration } from "./respond-helpers";

// Each button of the builder is a whole-page form post: a dozen of them take a while.
test.setTimeout(300_000);

/** The question types in the order of the builder's list. */
const TYPES = [
  ["single_choice", "Single choice"],
  ["multi_choice", "Multiple choice"],
  ["scale", "Scale"],
  ["matrix", "Matrix of scales"],
  ["ranking", "Ranking"],
  ["number", "Number"],
  ["text", "Short text"],
  ["long_text", "Long text"],
  ["date", "Date"],
  ["country", "Country"],
  ["need_list", "List of needs"],
  ["borich", "Competences (Borich)"],
] as const;

test("without JavaScript, a survey with every question type and a condition is built without YAML", async ({
  browser,
}) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signInAsAdmin(page);
  const slug = `e2e-built-${Date.now().toString(36)}`;
  await startInBuilder(page, slug, { en: "Built in the browser", ru: "Создано в браузере" });
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Builder: Built in the browser");

  for (const [, name] of TYPES) {
    await page.getByLabel("Type of the new question").selectOption({ label: name });
    await page.getByRole("button", { name: "Add a question to this page" }).click();
    await expect(
      page.getByRole("heading", {
        level: 4,
        name: new RegExp(`\\(${name.replace(/[()]/g, "\\$&")}\\)$`),
      }),
    ).toBeVisible();
  }
  // The open question (the last one added) gets English and Russian texts side by side.
  const label = page.getByRole("group", { name: "Question text" });
  await label.getByLabel("English").fill("Which competences matter most?");
  await label.getByLabel("Русский").fill("Какие компетенции важнее всего?");
  // A condition chosen from lists: show it only if the single-choice question is "Option 2".
  await page.getByLabel("When", { exact: true }).selectOption({
    label: "When the answer to the chosen question is one of the ticked answers",
  });
  await page.getByLabel("Question", { exact: true }).selectOption("single_choice_1");
  await page.getByRole("button", { name: "Show the answers of the chosen question" }).click();
  await page.getByRole("checkbox", { name: /Option 2/ }).check();
  await page.getByRole("button", { name: "Apply and update the preview" }).click();
  await expect(
    page.getByText(/borich_1 · Competences \(Borich\) · shown only if a condition holds/),
  ).toBeVisible();
  // A question moved and one duplicated, then deleted again.
  await page.getByRole("button", { name: "Move question text_1 up" }).click();
  await page.getByRole("button", { name: "Duplicate question number_1" }).click();
  await page.getByRole("button", { name: "Delete question number_1_1" }).click();

  await page.getByRole("button", { name: "Save as a new version" }).click();
  await expect(page).toHaveURL(new RegExp(`/surveys/${slug}\\?notice=version&version=2$`));

  const yaml = await (
    await page.request.get(`/staff/groups/energy/surveys/${slug}/versions/2.yaml`)
  ).text();
  const file = parse(yaml) as { pages: Array<{ questions?: Array<Record<string, unknown>> }> };
  const questions = file.pages.flatMap((p) => p.questions ?? []);
  expect(questions.map((q) => q.type)).toEqual([
    "long_text",
    "single_choice",
    "multi_choice",
    "scale",
    "matrix",
    "ranking",
    "text",
    "number",
    "long_text",
    "date",
    "country",
    "need_list",
    "borich",
  ]);
  const borich = questions.find((q) => q.type === "borich")!;
  expect(borich.label).toMatchObject({
    en: "Which competences matter most?",
    ru: "Какие компетенции важнее всего?",
  });
  expect(borich.showIf).toEqual({ question: "single_choice_1", equals: "option_2" });
  await context.close();
});

test("the builder passes axe with a question open, in English and Russian", async ({ page }) => {
  await signInAsAdmin(page);
  const base = "/staff/groups/nano-materials/surveys/nano-materials-needs-2026";
  await page.goto(`${base}/builder?lang=en`);
  await openFirstQuestion(page);
  expect(await axeViolations(page, "builder with a question open (en)")).toEqual([]);

  await page.goto(`${base}/builder?lang=ru`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Конструктор");
  expect(await axeViolations(page, "builder (ru)")).toEqual([]);
});

test("without JavaScript, every bundled survey opened in the builder and saved unchanged keeps its version", async ({
  browser,
}) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signInAsAdmin(page);
  const surveys = bundledSurveys() as Array<{ slug: string; workingGroup?: string }>;
  expect(surveys.length).toBeGreaterThanOrEqual(5);
  for (const { slug, workingGroup } of surveys) {
    const base = `/staff/groups/${workingGroup}/surveys/${slug}`;
    await page.goto(`${base}?lang=en`);
    const current = page.locator("dt", { hasText: "Current version" }).locator("+ dd");
    const version = await current.textContent();
    await page.goto(`${base}/builder?lang=en`);
    // With a question's editor open, as a coordinator would look at it before saving.
    await openFirstQuestion(page);
    await page.getByRole("button", { name: /^Save as a (draft|new version)$/ }).click();
    await expect(page.getByRole("status").filter({ hasText: "No changes" }), slug).toBeVisible();
    await page.goto(`${base}?lang=en`);
    await expect(page.getByText(/^Draft version/), slug).toHaveCount(0);
    await expect(current, slug).toHaveText(version!);
  }
  await context.close();
});

test("with JavaScript, the YAML editor reports an indentation slip alone while typing, and the builder's preview follows the typing", async ({
  page,
}) => {
  await signInAsAdmin(page);
  const base = "/staff/groups/nano-materials/surveys/nano-materials-needs-2026";
  await page.goto(`${base}/edit?lang=en`);
  await waitForHydration(page);
  const editor = page.getByLabel("Questionnaire (YAML)");
  const text = await editor.inputValue();
  expect(text).toMatch(/\nworkingGroup: /);
  // One key indented by two spaces: a syntax error, reported alone with its line and column.
  await editor.fill(text.replace("\nworkingGroup: ", "\n  workingGroup: "));
  const live = page.locator(".live-check");
  await expect(live).toContainText("The questionnaire has 1 problem");
  await expect(live.getByRole("listitem")).toHaveCount(1);
  await expect(live.getByRole("listitem")).toContainText(/Line \d+, column \d+/);
  await editor.fill(text);
  await expect(live).toContainText("No problems found so far.");

  // The builder's preview shows the open question as typed, without pressing a button.
  await page.goto(`${base}/builder?lang=en`);
  await waitForHydration(page);
  await openFirstQuestion(page);
  await waitForHydration(page);
  await page
    .getByRole("group", { name: "Question text" })
    .getByLabel("English")
    .fill("Which organisation do you work for, as typed just now?");
  await expect(page.locator("aside.builder-preview")).toContainText(
    "Which organisation do you work for, as typed just now?",
  );
});
