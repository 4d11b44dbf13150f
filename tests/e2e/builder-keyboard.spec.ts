// A coordinator who uses no mouse builds a survey in the builder: after the page is opened,
// only keys are pressed (Tab, Shift+Tab, Enter, Space, arrows and typing), with JavaScript and
// without it. After every button the focus is visible and on what the button acted on, and the
// saved definition holds what was set: texts in both languages, required, limits, "other", a
// condition chosen from lists and the order of the questions.
import { expect, type Locator, type Page, test } from "@playwright/test";
import { parse } from "yaml";
import { axeViolations } from "./axe";
import { signInAsAdmin } from "./builder-helpers";
import { waitForHydration } from "./respond-helpers";

// axe runs in the page, so only with JavaScript; the states are the same without it.
// Each button is a whole-page form post without JavaScript: a few dozen of them take a while.
test.setTimeout(300_000);

/** Presses Tab (or Shift+Tab) until `target` has the focus; fails after `max` presses. */
async function tabTo(page: Page, target: Locator, { back = false, max = 120 } = {}) {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
  }
  await expect(target).toBeFocused();
}

/** The focus is on `target`, and shown. */
async function expectFocusShown(target: Locator) {
  await expect(target).toBeFocused();
  expect(await target.evaluate((el) => getComputedStyle(el).outlineStyle)).not.toBe("none");
}

/**
 * Arrow keys on the focused closed list until `select` holds `value`: down or up, from wherever
 * the list stands (after a post with JavaScript it keeps the previous choice).
 */
async function arrowTo(page: Page, select: Locator, value: string) {
  const values = await select.locator("option").evaluateAll((os) =>
    os.map((o) => (o as HTMLOptionElement).value),
  );
  const target = values.indexOf(value);
  expect(target).toBeGreaterThanOrEqual(0);
  for (let i = 0; i < values.length; i++) {
    const at = values.indexOf(await select.inputValue());
    if (at === target) break;
    await page.keyboard.press(at < target ? "ArrowDown" : "ArrowUp");
  }
  await expect(select).toHaveValue(value);
}

/**
 * Presses Enter on the focused button of the builder's form and waits until the post has been
 * answered: the builder draws its form anew after every post (a new page without JavaScript, a
 * new form element with it). Until then the focus may still be on the button pressed, and keys
 * would go to the form about to be replaced.
 */
async function post(page: Page) {
  const form = page.locator("form.builder-form");
  await form.evaluate((f) => f.setAttribute("data-posted", ""));
  await page.keyboard.press("Enter");
  await expect(page.locator("form.builder-form[data-posted]")).toHaveCount(0);
  await expect(form).toBeVisible();
}

for (const javaScriptEnabled of [true, false]) {
  test(`by keyboard alone ${javaScriptEnabled ? "with" : "without"} JavaScript, a survey is built with required, limits, "other", a condition and a move`, async ({
    browser,
  }) => {
    const context = await browser.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    await signInAsAdmin(page);
    const slug = `e2e-keys-${javaScriptEnabled ? "js" : "nojs"}-${Date.now().toString(36)}`;
    await page.goto("/staff/groups/energy/surveys/new?lang=en");
    // Keys pressed before the page has hydrated could be undone by it (a list's choice reset to
    // the rendered one): with JavaScript, the coordinator's keys go to the live page.
    if (javaScriptEnabled) await waitForHydration(page);
    const { keyboard } = page;

    // Creating the survey.
    await tabTo(page, page.getByLabel("Address name (slug)"));
    await keyboard.type(slug);
    await tabTo(page, page.getByLabel("Title in English"));
    await keyboard.type("Built by keyboard");
    await tabTo(page, page.getByLabel("Title in Russian"));
    await keyboard.type("Создано с клавиатуры");
    await tabTo(page, page.getByRole("button", { name: "Create and open the builder" }));
    await keyboard.press("Enter");
    await expect(page).toHaveURL(new RegExp(`/surveys/${slug}/builder$`));
    if (javaScriptEnabled) await waitForHydration(page);
    if (javaScriptEnabled) expect(await axeViolations(page, "builder, new survey")).toEqual([]);

    const heading = (key: string, type: string) =>
      page.getByRole("heading", { level: 4, name: `Question ${key} (${type})` });
    const addQuestion = async (type: string, typed: string, key: string) => {
      const select = page.getByLabel("Type of the new question");
      await tabTo(page, select);
      await arrowTo(page, select, type);
      await tabTo(page, page.getByRole("button", { name: "Add a question to this page" }));
      await post(page);
      // The new question's editor takes the focus.
      await expectFocusShown(heading(key, typed));
    };
    const typeTexts = async (en: string, ru: string) => {
      const label = page.getByRole("group", { name: "Question text" });
      await tabTo(page, label.getByLabel("English"));
      await keyboard.type(en);
      await keyboard.press("Tab");
      await expect(label.getByLabel("Русский")).toBeFocused();
      await keyboard.type(ru);
    };
    const tick = async (checkbox: Locator) => {
      await tabTo(page, checkbox);
      await keyboard.press("Space");
      await expect(checkbox).toBeChecked();
    };
    const apply = async () => {
      const button = page.getByRole("button", { name: "Apply and update the preview" });
      await tabTo(page, button);
      await post(page);
      await expectFocusShown(button);
    };

    // A multiple-choice question: texts, required, a most-choices limit and "other".
    await addQuestion("multi_choice", "Multiple choice", "multi_choice_1");
    if (javaScriptEnabled)
      expect(await axeViolations(page, "builder, multiple choice open")).toEqual([]);
    await typeTexts("Which facilities do you need?", "Какая инфраструктура вам нужна?");
    await tick(page.getByRole("checkbox", { name: "An answer is required" }));
    await tick(page.getByRole("checkbox", { name: "Add “Other, please specify”" }));
    await tabTo(page, page.getByLabel("Most choices (optional)"));
    await keyboard.type("2");
    await apply();

    // A number question with both limits, shown only if "Option 1" was ticked above.
    await addQuestion("number", "Number", "number_1");
    await typeTexts("How many researchers?", "Сколько исследователей?");
    await tick(page.getByRole("checkbox", { name: "An answer is required" }));
    await tabTo(page, page.getByLabel("Minimum (optional)"));
    await keyboard.type("1");
    await tabTo(page, page.getByLabel("Maximum (optional)"));
    await keyboard.type("500");
    const mode = page.getByLabel("When", { exact: true });
    await tabTo(page, mode);
    await arrowTo(page, mode, "in");
    const chosen = page.getByLabel("Question", { exact: true });
    await tabTo(page, chosen);
    await arrowTo(page, chosen, "multi_choice_1");
    await tabTo(
      page,
      page.getByRole("button", { name: "Show the answers of the chosen question" }),
    );
    await post(page);
    // The answers to tick take the focus; the next Tab reaches the first of them.
    await expectFocusShown(page.getByRole("group", { name: "Answers", exact: true }));
    if (javaScriptEnabled)
      expect(await axeViolations(page, "builder, condition answers listed")).toEqual([]);
    await tick(page.getByRole("checkbox", { name: /Option 1/ }));
    await apply();
    await expect(
      page.getByText(/number_1 · Number · required · shown only if a condition holds/i),
    ).toBeVisible();

    // The multiple-choice question moved up, above the first question: the focus follows it.
    const moveUp = page.getByRole("button", { name: "Move question multi_choice_1 up" });
    await tabTo(page, moveUp, { back: true, max: 200 });
    await post(page);
    await expectFocusShown(moveUp);
    if (javaScriptEnabled) expect(await axeViolations(page, "builder, after a move")).toEqual([]);

    // Closing the editor returns to the question's "Edit" button.
    await tabTo(page, page.getByRole("button", { name: "Close the question" }));
    await post(page);
    await expectFocusShown(page.getByRole("button", { name: "Edit question number_1" }));

    await tabTo(page, page.getByRole("button", { name: /^Save as a (new version|draft)$/ }));
    await keyboard.press("Enter");
    await expect(page).toHaveURL(new RegExp(`/surveys/${slug}\\?notice=version&version=2$`));

    const yaml = await (
      await page.request.get(`/staff/groups/energy/surveys/${slug}/versions/2.yaml`)
    ).text();
    const file = parse(yaml) as { pages: Array<{ questions?: Array<Record<string, unknown>> }> };
    const questions = file.pages.flatMap((p) => p.questions ?? []);
    const keys = questions.map((q) => q.key);
    expect(keys[0]).toBe("multi_choice_1");
    expect(keys.indexOf("number_1")).toBeGreaterThan(1);
    const multi = questions.find((q) => q.key === "multi_choice_1")!;
    expect(multi).toMatchObject({
      type: "multi_choice",
      required: true,
      other: true,
      maxSelections: 2,
      label: { en: "Which facilities do you need?", ru: "Какая инфраструктура вам нужна?" },
    });
    const number = questions.find((q) => q.key === "number_1")!;
    expect(number).toMatchObject({
      type: "number",
      required: true,
      min: 1,
      max: 500,
      label: { en: "How many researchers?", ru: "Сколько исследователей?" },
      showIf: { question: "multi_choice_1", equals: "option_1" },
    });
    await context.close();
  });
}
