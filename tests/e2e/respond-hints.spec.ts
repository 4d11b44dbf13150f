// Hints that agree with each other and with the controls: the ranking's hint does not say
// what 1 means (the question does), a move ranks only what was placed, a lower limit of one
// option is not announced, dates are hinted, checked and reviewed in the respondent's language,
// and "Add another need" lands at the new entry. With and without JavaScript, English and Russian.
import { expect, test, type Page } from "@playwright/test";
import {
  bundledSurvey,
  type Locale,
  longDate,
  newRespondentPage,
  questionBox,
  questionOf,
  Respondent,
  tokenOf,
  UI,
  waitForHydration,
} from "./respond-helpers";
import { axeViolations } from "./axe";

const survey = bundledSurvey("energy-needs-2026");
const ranking = questionOf(survey, "funding_instrument_ranking");

const TEXT = {
  en: {
    rankHint: `Give each item a different position, from 1 (first) to ${ranking.items!.length}.`,
    topicsHint: "Select up to 4 options.",
    dateRange: `A date from ${longDate("2026-01-01", "en")} to ${longDate("2032-12-31", "en")}.`,
    dateHint: "For example, 30 6 2027.",
    realDate: "Enter a real date, like 30 6 2027.",
  },
  ru: {
    rankHint: `Присвойте каждому пункту своё место, от 1 (первое) до ${ranking.items!.length}.`,
    topicsHint: "Можно выбрать не более 4 вариантов.",
    dateRange: `Дата в промежутке с ${longDate("2026-01-01", "ru")} по ${longDate("2032-12-31", "ru")}.`,
    dateHint: "Например, 30 6 2027.",
    realDate: "Введите существующую дату, например 30 6 2027.",
  },
} as const;

async function openPage(page: Page, locale: Locale, js: boolean, key: string) {
  const r = new Respondent(page, survey, locale, js);
  await r.openLanding();
  await r.start();
  const token = tokenOf(page.url());
  await page.goto(`/r/${token}/p/${key}?lang=${locale}`);
  if (js) await waitForHydration(page);
  return token;
}

for (const js of [false, true]) {
  for (const locale of ["en", "ru"] as const) {
    const ui = UI[locale];
    const text = TEXT[locale];
    const label = (key: string, code: string) =>
      questionOf(survey, key).options!.find((o) => o.code === code)!.label[locale];
    const mode = `${locale}, ${js ? "with" : "without"} JavaScript`;

    test(`ranking: the hint agrees with the question, and a move ranks only what was placed (${mode})`, async ({
      browser,
    }) => {
      test.setTimeout(120_000);
      const { context, page } = await newRespondentPage(browser, { js, locale });
      await openPage(page, locale, js, "funding");
      const box = questionBox(page, "funding_instrument_ranking");
      await expect(box.locator(".hint")).toContainText(text.rankHint);
      await expect(box).not.toContainText(locale === "en" ? "most important" : "самый важный");
      const second = ranking.items![1].label[locale];
      await box.getByRole("button", { name: new RegExp(`^${ui.up}\\s*:\\s*${second}$`) }).click();
      await expect(box.getByRole("combobox", { name: second, exact: true })).toHaveValue("1");
      await expect(
        box.getByRole("combobox", { name: ranking.items![0].label[locale], exact: true }),
      ).toHaveValue("2");
      for (const item of ranking.items!.slice(2))
        await expect(
          box.getByRole("combobox", { name: item.label[locale], exact: true }),
        ).toHaveValue("");
      // axe runs in the page: with JavaScript (the markup is the same without).
      if (js) expect(await axeViolations(page, `funding page (${locale})`)).toEqual([]);
      await context.close();
    });

    test(`choice limits and dates are hinted and checked in the respondent's language (${mode})`, async ({
      browser,
    }) => {
      test.setTimeout(150_000);
      const { context, page } = await newRespondentPage(browser, { js, locale });
      const token = await openPage(page, locale, js, "research_profile");
      const topics = questionBox(page, "energy_topics");
      await expect(topics.locator(".hint")).toHaveText(text.topicsHint);
      await topics
        .getByRole("checkbox", { name: label("energy_topics", "hydrogen"), exact: true })
        .check();
      await questionBox(page, "trl_range")
        .getByRole("radio", { name: label("trl_range", "trl_4_6"), exact: true })
        .check();
      await questionBox(page, "cooperation_status")
        .getByRole("radio", {
          name: label("cooperation_status", "ongoing_joint_project"),
          exact: true,
        })
        .check();
      await questionBox(page, "energy_team_size").getByRole("textbox").fill("12");
      if (!js) {
        await page.getByRole("button", { name: ui.next, exact: true }).click();
        await expect(page.getByRole("status").filter({ hasText: ui.moreQuestions })).toBeVisible();
      }
      await questionBox(page, "main_partner_country").locator("select").selectOption("DE");
      const date = questionBox(page, "current_project_end");
      await expect(date.locator(".hint")).toContainText(text.dateRange);
      await expect(date.locator(".hint")).toContainText(text.dateHint);
      await date.getByRole("textbox", { name: ui.dateDay, exact: true }).fill("31");
      await date.getByRole("textbox", { name: ui.dateMonth, exact: true }).fill("2");
      await date.getByRole("textbox", { name: ui.dateYear, exact: true }).fill("2027");
      await page.getByRole("button", { name: ui.next, exact: true }).click();
      await expect(date.locator(".field-error")).toContainText(text.realDate);
      await expect(date.getByRole("textbox", { name: ui.dateDay, exact: true })).toHaveValue("31");
      // axe runs in the page: with JavaScript (the markup is the same without).
      if (js) expect(await axeViolations(page, `date with an error (${locale})`)).toEqual([]);
      await date.getByRole("textbox", { name: ui.dateDay, exact: true }).fill("30");
      await date.getByRole("textbox", { name: ui.dateMonth, exact: true }).fill("6");
      await page.getByRole("button", { name: ui.next, exact: true }).click();
      await expect(page).toHaveURL(/\/p\/funding/);
      await page.goto(`/r/${token}/review?lang=${locale}`);
      await expect(page.locator('[id="answer-current_project_end"] dd').first()).toHaveText(
        longDate("2027-06-30", locale),
      );
      await context.close();
    });

    test(`"Add another need" lands at the new entry (${mode})`, async ({ browser }) => {
      test.setTimeout(120_000);
      const { context, page } = await newRespondentPage(browser, { js, locale });
      await openPage(page, locale, js, "needs");
      const needs = questionBox(page, "energy_needs");
      const first = needs.getByRole("group", { name: ui.needEntry(1), exact: true });
      await first.getByRole("textbox", { name: ui.needTitle, exact: true }).fill("Joint calls");
      await needs.getByRole("button", { name: ui.needAddAnother, exact: true }).click();
      const second = needs.getByRole("group", { name: ui.needEntry(2), exact: true });
      await expect(second).toBeVisible();
      await expect(second).toBeInViewport();
      if (js) {
        await expect(
          second.getByRole("textbox", { name: ui.needTitle, exact: true }),
        ).toBeFocused();
      } else {
        await expect(page).toHaveURL(/#q\.energy_needs-new$/);
        await expect(first.getByRole("textbox", { name: ui.needTitle, exact: true })).toHaveValue(
          "Joint calls",
        );
      }
      await context.close();
    });
  }
}
