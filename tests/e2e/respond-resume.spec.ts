// Shared computers: the survey page asks before continuing answers started in this browser
// (with their date), "Start again" forgets them after a confirmation, and "This is a shared computer" keeps nothing
// in cookies. Without JavaScript in English; with JavaScript (and axe) in Russian.
import { expect, test } from "@playwright/test";
import { axeViolations } from "./axe";
import {
  bundledSurvey,
  newRespondentPage,
  Respondent,
  tokenOf,
  waitForHydration,
} from "./respond-helpers";

const SLUG = "energy-needs-2026";

const TEXT = {
  en: {
    heading: "Answers started on this device",
    question: /^Continue the answers started on this device on .*\d{4}.* UTC\?$/,
    continue: "Continue where you left off",
    afresh: "Start again",
    confirm: "Yes, start again",
    shared: /This is a shared computer/,
  },
  ru: {
    heading: "Ответы, начатые на этом устройстве",
    question: /^Продолжить ответы, начатые на этом устройстве .*\d{4}.* UTC\?$/,
    continue: "Продолжить с того места, где вы остановились",
    afresh: "Начать заново",
    confirm: "Да, начать заново",
    shared: /Это общий компьютер/,
  },
} as const;

test("without JavaScript: asks before continuing, starts afresh, and a shared computer keeps no cookie", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const { context, page } = await newRespondentPage(browser, { js: false, locale: "en" });
  const text = TEXT.en;
  const r = new Respondent(page, bundledSurvey(SLUG), "en", false);
  await r.openLanding();
  await r.start();
  const first = tokenOf(page.url());

  // Back on the survey page: a question, not the previous answers.
  await r.openLanding();
  await expect(page.getByRole("heading", { name: text.heading })).toBeVisible();
  await expect(page.getByText(text.question)).toBeVisible();
  await expect(page.getByRole("button", { name: "Start", exact: true })).toHaveCount(0);
  await page.getByRole("link", { name: text.afresh, exact: true }).click();
  await page.getByRole("button", { name: text.confirm, exact: true }).click();

  // Forgotten: the ordinary Start, with the shared-computer option.
  await expect(page).toHaveURL(new RegExp(`/s/${SLUG}$`));
  await expect(page.getByRole("heading", { name: text.heading })).toHaveCount(0);
  expect((await context.cookies()).map((c) => c.name)).not.toContain("nm_resume");
  await page.getByRole("checkbox", { name: text.shared }).check();
  await page.getByRole("button", { name: "Start", exact: true }).click();
  await expect(page).toHaveURL(/\/r\/[A-Za-z0-9_-]{43}\/p\//);
  expect(tokenOf(page.url())).not.toBe(first);
  expect((await context.cookies()).map((c) => c.name)).not.toContain("nm_resume");
  await r.openLanding();
  await expect(page.getByRole("heading", { name: text.heading })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Start", exact: true })).toBeVisible();
  await context.close();
});

test("with JavaScript, in Russian: the question and the Start form pass axe, and Continue resumes the same answers", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const { context, page } = await newRespondentPage(browser, { js: true, locale: "ru" });
  const text = TEXT.ru;
  const r = new Respondent(page, bundledSurvey(SLUG), "ru", true);
  await r.openLanding();
  await r.start();
  const token = tokenOf(page.url());

  await r.openLanding();
  await waitForHydration(page);
  await expect(page.getByRole("heading", { name: text.heading })).toBeVisible();
  await expect(page.getByText(text.question)).toBeVisible();
  expect(await axeViolations(page, "resume question (ru)")).toEqual([]);
  await page.getByRole("link", { name: text.continue, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/r/${token}/p/`));

  // Start afresh: the Start form with the shared-computer option passes axe too.
  await r.openLanding();
  await waitForHydration(page);
  await page.getByRole("link", { name: text.afresh, exact: true }).click();
  await page.getByRole("button", { name: text.confirm, exact: true }).click();
  await expect(page.getByRole("checkbox", { name: text.shared })).toBeVisible();
  await waitForHydration(page);
  expect(await axeViolations(page, "start form with the shared-computer option (ru)")).toEqual([]);
  await context.close();
});
