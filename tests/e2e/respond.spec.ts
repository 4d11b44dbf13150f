// The respondent's side: answering the bundled questionnaires from the home page to the
// receipt, with and without JavaScript, in English and Russian; resuming; validation; language
// switch; double submit; unavailable surveys; small screens. The answers are chosen per question
// type by tests/e2e/respond-helpers.ts from the survey definitions in surveys/*.yaml. What was
// stored is checked through the review page and the receipt's summary (the integration tests
// read the database).
import { expect, type Page, test } from "@playwright/test";
import { E2E_ACCOUNTS } from "./accounts";
import { axeViolations } from "./axe";
import {
  AxeWalk,
  bundledSurvey,
  escapeRegExp,
  newRespondentPage,
  pageOf,
  questionBox,
  questionOf,
  Respondent,
  tokenOf,
  UI,
  waitForHydration,
} from "./respond-helpers";
import { restoreSession } from "./sessions";

test.describe.configure({ mode: "parallel" });

const energy = bundledSurvey("energy-needs-2026");
const food = bundledSurvey("food-agri-bio-needs-2026");
const mobility = bundledSurvey("mobility-needs-2026");

test("a respondent completes the energy survey in English with JavaScript", async ({ browser }) => {
  test.setTimeout(240_000);
  const { context, page } = await newRespondentPage(browser, { js: true, locale: "en" });
  const r = new Respondent(page, energy, "en", true);
  const ui = UI.en;

  // From the home page's link to the first page (progress "Page 1 of 7" and the bar checked on every page).
  await page.goto("/?lang=en");
  await page.getByRole("link", { name: r.t(energy.title) }).click();
  await expect(page).toHaveURL(/\/s\/energy-needs-2026$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(r.t(energy.title));
  // Every page passes axe (the landing, each page once filled, the review and the receipt).
  const axe = new AxeWalk(() => r, "energy-needs-2026 en");
  await waitForHydration(page);
  await axe.check("landing");
  await r.start();
  await r.completeAll({ needEntries: 2, rankWithButtons: true, afterFill: axe.afterFill });
  await axe.check("review");

  // The review lists every answer (and "not answered" for none), with a Change link for each question.
  const main = page.locator("main");
  await r.expectAnswersShown(main);
  await expect(main.getByRole("link", { name: new RegExp(`^${ui.change}\\b`) })).toHaveCount(
    Object.keys(r.expected).length,
  );

  // Change one answer: the link opens its page at the question; "Review your answers" comes back.
  const teamSize = questionOf(energy, "energy_team_size");
  await main.getByRole("link", { name: ui.changeOf(r.t(teamSize.label)) }).click();
  await expect(page).toHaveURL(/\/p\/research_profile#question-energy_team_size$/);
  await waitForHydration(page);
  const teamSizeField = questionBox(page, "energy_team_size").getByRole("textbox");
  await expect(teamSizeField).toHaveValue(String(r.answers.energy_team_size));
  await teamSizeField.fill("42");
  r.answers.energy_team_size = 42;
  r.expected.energy_team_size = { texts: ["42 persons"] };
  await page.getByRole("button", { name: ui.toReview, exact: true }).click();
  await r.expectOnReview();
  await r.expectAnswersShown(main);

  // Submit: the receipt has a reference number and a printable summary of every answer.
  const reference = await r.submit();
  await axe.check("receipt");
  axe.expectClean();
  const summary = page.getByRole("region", { name: ui.answersHeading });
  await r.expectAnswersShown(summary);
  await expect(summary.getByRole("link", { name: new RegExp(`^${ui.change}\\b`) })).toHaveCount(0);

  // The response can no longer be changed: its pages lead to the receipt, with the same reference.
  await page.goto(`/r/${tokenOf(page.url())}/p/needs`);
  await expect(page).toHaveURL(/\/done(\?|$)/);
  await expect(page.locator("dd.reference")).toHaveText(reference);
  await context.close();
});

test("a respondent completes the mobility survey in Russian without JavaScript", async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const { context, page } = await newRespondentPage(browser, { js: false, locale: "ru" });
  const r = new Respondent(page, mobility, "ru", false);
  const ui = UI.ru;

  await page.goto("/?lang=ru");
  await page.getByRole("link", { name: r.t(mobility.title) }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "ru");
  await r.start();

  // The language buttons of the form post what is typed: nothing is lost in either direction.
  const profile = pageOf(mobility, "profile");
  await r.fillPage();
  await page.getByRole("button", { name: "English", exact: true }).click();
  await expect(page).toHaveURL(/\?lang=en$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(profile.title.en);
  const en = r.with({ locale: "en" });
  expect(await en.expectPageShowsAnswers()).toBeGreaterThanOrEqual(4);
  await page.getByRole("button", { name: "Русский", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(profile.title.ru);
  await expect(page.locator("html")).toHaveAttribute("lang", "ru");
  expect(await r.expectPageShowsAnswers()).toBeGreaterThanOrEqual(4);
  await r.completePage();

  // The rest, with two needs (the second added by a form post) and a ranking by position selects.
  await r.completeAll({ needEntries: 2 });

  const main = page.locator("main");
  await expect(main.getByRole("heading", { level: 1 })).toHaveText(ui.reviewTitle);
  await r.expectAnswersShown(main);
  await expect(main.getByRole("link", { name: new RegExp(`^${ui.change}`) }).first()).toBeVisible();

  // Submit twice in a row (a double click posts the form twice without JavaScript): one receipt.
  await page.getByRole("button", { name: ui.submit, exact: true }).dblclick();
  const reference = await r.expectReceipt();
  await r.expectAnswersShown(page.getByRole("region", { name: ui.answersHeading }));
  await page.reload();
  await expect(page.locator("dd.reference")).toHaveText(reference);
  await context.close();
});

test("a respondent leaves halfway and resumes with the link in another browser", async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const first = await newRespondentPage(browser, { js: true, locale: "en" });
  let r = new Respondent(first.page, food, "en", true);
  const ui = UI.en;
  // Every page passes axe (the landing, each page once filled, the review and the receipt).
  const axe = new AxeWalk(() => r, "food-agri-bio-needs-2026 en");
  await r.openLanding();
  await waitForHydration(first.page);
  await axe.check("landing");
  await r.start();
  await r.completePage({ afterFill: axe.afterFill });
  await r.completePage({ afterFill: axe.afterFill });
  const third = r.currentPageKey();
  const secondPage = food.pages[1].key;

  // "Save and continue later" shows the personal link.
  await first.page.getByRole("button", { name: ui.save, exact: true }).click();
  await expect(first.page.getByRole("heading", { level: 1 })).toHaveText(ui.savedTitle);
  const link = first.page.locator(".resume-link").getByRole("link");
  const href = (await link.getAttribute("href"))!;
  expect(href).toMatch(/^https?:\/\/[^/]+\/r\/[A-Za-z0-9_-]+$/);
  expect(await axeViolations(first.page, "saved page")).toEqual([]);
  await first.context.close();

  // A new browser without cookies: the link opens the first unanswered page.
  const second = await newRespondentPage(browser, { js: true, locale: "en" });
  r = r.with({ page: second.page });
  await second.page.goto(href);
  await r.expectOnPage(third);
  await second.page.getByRole("button", { name: ui.back, exact: true }).click();
  await r.expectOnPage(secondPage);
  expect(await r.expectPageShowsAnswers()).toBeGreaterThanOrEqual(3);
  await r.next();
  await r.completeAll({ afterFill: axe.afterFill });
  await axe.check("review");
  await r.expectAnswersShown(second.page.locator("main"));
  await r.submit();
  await axe.check("receipt");
  axe.expectClean();
  await second.context.close();
});

/** Starts the energy survey and completes its first page; returns on the second (research_profile). */
async function energyPage2(page: Page, js: boolean): Promise<Respondent> {
  const r = new Respondent(page, energy, "en", js);
  await r.openLanding();
  await r.start();
  await r.completePage({ requiredOnly: true });
  return r;
}

for (const js of [true, false]) {
  test(`validation errors are summarised, focused and keep what was typed (${js ? "with" : "without"} JavaScript)`, async ({
    browser,
  }) => {
    test.setTimeout(180_000);
    const { context, page } = await newRespondentPage(browser, { js, locale: "en" });
    const ui = UI.en;
    const r = await energyPage2(page, js);

    // Something typed, something chosen, the required questions left out.
    const teamSize = questionBox(page, "energy_team_size").getByRole("textbox");
    await teamSize.fill("12abc");
    const trl = questionOf(energy, "trl_range").options![1];
    await questionBox(page, "trl_range")
      .getByRole("radio", { name: trl.label.en, exact: true })
      .check();
    await page.getByRole("button", { name: ui.next, exact: true }).click();

    const summary = page.getByRole("alert").filter({ hasText: ui.errorSummary });
    await expect(summary).toBeVisible();
    await expect(summary).toBeFocused();
    await expect(page).toHaveURL(/\/p\/research_profile(\?|$)/);
    const links = summary.getByRole("link");
    // energy_topics, cooperation_status (required, unanswered) and energy_team_size (not a number).
    await expect(links).toHaveCount(3);
    await expect(links.nth(0)).toContainText(questionOf(energy, "energy_topics").label.en);
    await expect(links.nth(1)).toContainText(questionOf(energy, "cooperation_status").label.en);
    await expect(links.nth(2)).toContainText(questionOf(energy, "energy_team_size").label.en);
    for (const target of await links.evaluateAll((as) => as.map((a) => a.getAttribute("href")!))) {
      expect(target).toMatch(/^#/);
      await expect(page.locator(`[id="${target.slice(1)}"]`), `${target} exists`).toHaveCount(1);
    }
    await expect(teamSize).toHaveAttribute("aria-invalid", "true");
    await expect(questionBox(page, "energy_team_size")).toContainText(ui.errorPrefix);

    // Nothing typed is lost, not even the invalid number.
    await expect(teamSize).toHaveValue("12abc");
    await expect(
      questionBox(page, "trl_range").getByRole("radio", { name: trl.label.en, exact: true }),
    ).toBeChecked();

    // A link of the summary takes the respondent to the field.
    await links.nth(2).click();
    await expect(page).toHaveURL(/#q\.energy_team_size$/);
    if (js) expect(await axeViolations(page, "validation errors")).toEqual([]);

    // Corrected: the page is accepted.
    r.answers.trl_range = trl.code;
    r.expected.trl_range = { texts: [trl.label.en] };
    await r.completePage();
    await context.close();
  });
}

test("a ranking and the page work by keyboard (with JavaScript)", async ({ browser }) => {
  test.setTimeout(180_000);
  const { context, page } = await newRespondentPage(browser, { js: true, locale: "en" });
  const ui = UI.en;
  const r = await energyPage2(page, true);
  await r.completePage({ requiredOnly: true });
  expect(r.currentPageKey()).toBe("funding");

  // From the last item's position select, Tab reaches its Up button; Enter and Space move the
  // item up and the focus stays on it, then goes to its Down button once it is at the top.
  const q = questionOf(energy, "funding_instrument_ranking");
  const labels = q.items!.map((i) => i.label.en);
  const last = labels[labels.length - 1];
  const box = questionBox(page, q.key);
  const button = (direction: string) =>
    box.getByRole("button", {
      name: new RegExp(`^${escapeRegExp(direction)}\\s*:\\s*${escapeRegExp(last)}$`),
    });
  await box.getByRole("combobox", { name: last, exact: true }).focus();
  await page.keyboard.press("Tab");
  await expect(button(ui.up)).toBeFocused();
  for (let i = 0; i < labels.length - 1; i++) {
    await page.keyboard.press(i % 2 === 0 ? "Enter" : "Space");
    await expect(box.getByRole("listitem").nth(labels.length - 2 - i)).toContainText(last);
    if (i < labels.length - 2) await expect(button(ui.up)).toBeFocused();
  }
  await expect(button(ui.up)).toBeDisabled();
  await expect(button(ui.down)).toBeFocused();
  const order = [last, ...labels.slice(0, -1)];
  for (const [i, label] of order.entries())
    await expect(box.getByRole("combobox", { name: label, exact: true })).toHaveValue(
      String(i + 1),
    );
  r.answers[q.key] = true;
  r.expected[q.key] = { texts: [], order };

  // Enter in a text field goes to the next page (it does not move an item or switch language).
  await r.fillPage({ requiredOnly: true });
  const share = questionBox(page, "own_cofunding_share").getByRole("textbox");
  await share.fill("20");
  await share.press("Enter");
  await r.expectOnPage("infrastructure_data");

  // The order was saved: Back shows it, by keyboard too.
  await page.getByRole("button", { name: ui.back, exact: true }).focus();
  await page.keyboard.press("Enter");
  await r.expectOnPage("funding");
  for (const [i, label] of order.entries())
    await expect(box.getByRole("combobox", { name: label, exact: true })).toHaveValue(
      String(i + 1),
    );
  await expect(questionBox(page, "own_cofunding_share").getByRole("textbox")).toHaveValue("20");
  await context.close();
});

test("switching the language in the middle of a page keeps what was typed", async ({ browser }) => {
  test.setTimeout(180_000);
  const { context, page } = await newRespondentPage(browser, { js: true, locale: "en" });
  const r = await energyPage2(page, true);
  // Typed, not saved yet.
  await r.fillPage();
  await page.getByRole("button", { name: "Русский", exact: true }).click();
  await expect(page).toHaveURL(/\/p\/research_profile\?lang=ru$/);
  await expect(page.locator("html")).toHaveAttribute("lang", "ru");
  const ru = r.with({ locale: "ru" });
  await ru.expectOnPage("research_profile");
  expect(await ru.expectPageShowsAnswers()).toBeGreaterThanOrEqual(4);
  await expect(page.getByRole("button", { name: UI.ru.next, exact: true })).toBeVisible();
  await ru.next();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    pageOf(energy, "funding").title.ru,
  );
  await context.close();
});

test("a double submit stores one response and shows one reference", async ({ browser }) => {
  test.setTimeout(180_000);
  const { context, page } = await newRespondentPage(browser, { js: true, locale: "en" });
  const r = new Respondent(page, bundledSurvey("nano-materials-needs-2026"), "en", true);
  // Every page passes axe (the landing, each page once filled, the review and the receipt).
  const axe = new AxeWalk(() => r, "nano-materials-needs-2026 en");
  await r.openLanding();
  await waitForHydration(page);
  await axe.check("landing");
  await r.start();
  await r.completeAll({ requiredOnly: true, afterFill: axe.afterFill });
  await axe.check("review");
  await page.getByRole("button", { name: UI.en.submit, exact: true }).dblclick();
  const reference = await r.expectReceipt();
  await axe.check("receipt");
  axe.expectClean();

  // Back to the review and Submit again, and the same form posted once more: the same receipt.
  await page.goBack();
  await expect(page.locator("dd.reference")).toHaveText(reference);
  const token = tokenOf(page.url());
  const again = await page.request.post(`/r/${token}/review`, {
    form: { intent: "submit" },
    headers: { Origin: new URL(page.url()).origin },
    maxRedirects: 0,
  });
  expect(again.status()).toBe(302);
  expect(again.headers().location).toBe(`/r/${token}/done`);
  await page.goto(`/r/${token}/done`);
  await expect(page.locator("dd.reference")).toHaveText(reference);
  await context.close();
});

test("an unknown, unpublished, not yet open or closed survey explains itself", async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  // Unknown address: 404 in the reader's language.
  for (const [lang, title] of [
    ["en", "Survey not found"],
    ["ru", "Анкета не найдена"],
  ] as const) {
    const res = await page.goto(`/s/no-such-survey-e2e?lang=${lang}`);
    expect(res?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  }
  expect(await axeViolations(page, "unknown survey")).toEqual([]);
  // A response link that opens nothing.
  const unknownLink = await page.goto(`/r/${"A".repeat(43)}?lang=en`);
  expect(unknownLink?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Link not found");

  // A survey of its own, opening in the far future so that it is never listed on the home page.
  const slug = `e2e-respond-closed-${Date.now().toString(36)}`;
  const staff = await browser.newContext();
  const admin = await staff.newPage();
  await restoreSession(admin, E2E_ACCOUNTS.coordinator.email);
  await admin.goto(`/staff/groups/${E2E_ACCOUNTS.coordinator.groups[0]}/surveys/new`);
  await admin.getByLabel("Questionnaire (YAML)").fill(`slug: ${slug}
workingGroup: ${E2E_ACCOUNTS.coordinator.groups[0]}
accessMode: open_link
opensAt: 2099-01-01
title: { en: Closed survey of the respondent tests, ru: Закрытая анкета тестов респондента }
pages:
  - key: only
    title: { en: Only page, ru: Единственная страница }
    questions:
      - { key: note, type: text, label: { en: A note, ru: Заметка } }
`);
  await admin.getByRole("button", { name: "Create the survey" }).click();
  await expect(admin.getByText("The survey has been created as a draft")).toBeVisible();

  const landing = async (status: number, title: string, text: string) => {
    const res = await page.goto(`/s/${slug}?lang=en`);
    expect(res?.status()).toBe(status);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
    await expect(page.getByRole("alert")).toContainText(text);
    await expect(page.getByRole("button", { name: "Start" })).toHaveCount(0);
  };
  await landing(404, "This survey has not been published", "does not accept answers yet");

  await admin.getByRole("button", { name: "Publish" }).click();
  await expect(admin.getByText("The survey has been published.")).toBeVisible();
  await landing(403, "This survey is not open yet", "The survey opens on");

  await admin.getByRole("button", { name: "Close", exact: true }).click();
  await expect(admin.getByText("The survey has been closed.")).toBeVisible();
  await landing(410, "This survey is closed", "The survey no longer accepts answers.");
  expect(await axeViolations(page, "closed survey")).toEqual([]);
  await staff.close();
});

test.describe("on a 360 px wide screen", () => {
  test.use({ viewport: { width: 360, height: 740 } });

  test("no questionnaire page scrolls sideways (matrices, rankings, need lists, tables)", async ({
    page,
  }) => {
    test.setTimeout(180_000);
    const r = new Respondent(page, energy, "en", true);
    await r.openLanding();
    const width = () => page.evaluate(() => document.documentElement.scrollWidth);
    expect(await width(), "landing").toBeLessThanOrEqual(360);
    await r.start();
    const token = tokenOf(page.url());
    for (const p of energy.pages) {
      await page.goto(`/r/${token}/p/${p.key}`);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(p.title.en);
      await waitForHydration(page);
      if (p.questions.some((q) => q.type === "need_list")) {
        // A second need entry, added in place.
        await page
          .getByRole("button", { name: UI.en.needAdd })
          .or(page.getByRole("button", { name: UI.en.needAddAnother }))
          .click();
        await expect(
          page.getByRole("group", { name: UI.en.needEntry(2), exact: true }),
        ).toBeVisible();
      }
      expect(await width(), p.key).toBeLessThanOrEqual(360);
    }
    // With validation errors shown too.
    await page.goto(`/r/${token}/p/infrastructure_data`);
    await waitForHydration(page);
    await page.getByRole("button", { name: UI.en.next, exact: true }).click();
    await expect(page.getByRole("alert").filter({ hasText: UI.en.errorSummary })).toBeFocused();
    expect(await width(), "matrix page with errors").toBeLessThanOrEqual(360);
  });
});

// A background save that reaches the server after the page's own Next must not overwrite the
// answers Next saved with older ones (every save of a page view is numbered).
test("a late background save does not overwrite what Next saved", async ({ browser }) => {
  test.setTimeout(180_000);
  const { context, page } = await newRespondentPage(browser, { js: true, locale: "en" });
  const r = await energyPage2(page, true);
  await r.fillPage();
  const teamSize = questionBox(page, "energy_team_size").getByRole("textbox");
  // The background save of the first value is held back on the way to the server.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/autosave", async (route) => {
    await held;
    await route.continue();
  });
  await teamSize.fill("5");
  await expect(page.getByRole("status").filter({ hasText: "Saving…" })).toBeVisible();
  await teamSize.fill("77");
  await r.next();
  const lateSave = page.waitForResponse("**/autosave");
  release();
  await lateSave;
  await page.getByRole("button", { name: UI.en.back, exact: true }).click();
  await expect(page).toHaveURL(/\/p\/research_profile(\?|$)/);
  await expect(teamSize).toHaveValue("77");
  await context.close();
});
