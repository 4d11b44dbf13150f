// Messages: a required question that an answer opens is shown with a neutral notice, never as
// a mistake; the messages say what to do with the question; the need list's summary names the
// entry and the field, and only the fields in error are marked. With and without JavaScript,
// in English and Russian.
import { expect, test, type Page } from "@playwright/test";
import {
  bundledSurvey,
  type Locale,
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

const TEXT = {
  en: {
    teamSize: "Enter a number between 1 and 1000.",
    topics: "Select at least one option.",
    urgency: "Rate the urgency of need 1.",
  },
  ru: {
    teamSize: "Введите число от 1 до 1000.",
    topics: "Выберите хотя бы один вариант.",
    urgency: "Оцените срочность потребности 1.",
  },
} as const;

/** Starts a response and opens one of its pages directly. */
async function openPage(page: Page, locale: Locale, js: boolean, key: string) {
  const r = new Respondent(page, survey, locale, js);
  await r.openLanding();
  await r.start();
  await page.goto(`/r/${tokenOf(page.url())}/p/${key}?lang=${locale}`);
  if (js) await waitForHydration(page);
  return r;
}

for (const js of [false, true]) {
  for (const locale of ["en", "ru"] as const) {
    const ui = UI[locale];
    const text = TEXT[locale];
    const t = (key: string, code: string) =>
      questionOf(survey, key).options!.find((o) => o.code === code)!.label[locale];

    test(`an opened question gets a notice, and messages say what to do (${locale}, ${js ? "with" : "without"} JavaScript)`, async ({
      browser,
    }) => {
      test.setTimeout(150_000);
      const { context, page } = await newRespondentPage(browser, { js, locale });
      await openPage(page, locale, js, "research_profile");
      const country = questionBox(page, "main_partner_country");
      await expect(country).toBeHidden();
      await questionBox(page, "trl_range")
        .getByRole("radio", { name: t("trl_range", "trl_4_6"), exact: true })
        .check();
      await questionBox(page, "cooperation_status")
        .getByRole("radio", { name: t("cooperation_status", "past_cooperation"), exact: true })
        .check();
      await questionBox(page, "energy_team_size").getByRole("textbox").fill("0");
      if (js) await expect(country).toBeVisible();
      await page.getByRole("button", { name: ui.next, exact: true }).click();

      // The mistakes are listed with what to do. Without JavaScript the opened question is not
      // one of them (it appears only now, with the notice); with JavaScript it appeared while
      // the respondent answered, and is checked like the others.
      const summary = page.getByRole("alert").filter({ hasText: ui.errorSummary });
      await expect(summary).toBeVisible();
      const links = summary.getByRole("link");
      await expect(links.first()).toHaveText(new RegExp(`${text.topics}$`));
      await expect(links.last()).toHaveText(new RegExp(`${text.teamSize}$`));
      await expect(links).toHaveCount(js ? 3 : 2);
      await expect(country).toBeVisible();
      if (!js) {
        await expect(country.locator(".field-error")).toHaveCount(0);
        await expect(page.getByRole("status").filter({ hasText: ui.moreQuestions })).toBeVisible();
      }
      // Only the questions in error are marked.
      await expect(page.locator(".field--invalid")).toHaveCount(js ? 3 : 2);
      // axe runs in the page: with JavaScript (the markup is the same without).
      if (js)
        expect(await axeViolations(page, `research profile with errors (${locale})`)).toEqual([]);

      // Corrected, with the opened question still blank: without JavaScript the server shows it
      // once with the notice and no error; with JavaScript the respondent has seen it already.
      await questionBox(page, "energy_topics")
        .getByRole("checkbox", { name: t("energy_topics", "hydrogen"), exact: true })
        .check();
      await questionBox(page, "energy_team_size").getByRole("textbox").fill("12");
      await page.getByRole("button", { name: ui.next, exact: true }).click();
      await expect(summary).toBeVisible();
      await expect(summary.getByRole("link")).toHaveCount(1);
      await expect(page.locator(".field--invalid")).toHaveCount(1);
      await expect(country.locator(".field--invalid, .field-error").first()).toBeVisible();
      await context.close();
    });

    test(`the need list's messages name the entry and the field (${locale}, ${js ? "with" : "without"} JavaScript)`, async ({
      browser,
    }) => {
      test.setTimeout(150_000);
      const { context, page } = await newRespondentPage(browser, { js, locale });
      await openPage(page, locale, js, "needs");
      const needs = questionBox(page, "energy_needs");
      const entry = needs.getByRole("group", { name: ui.needEntry(1), exact: true });
      await entry.getByRole("textbox", { name: ui.needTitle, exact: true }).fill("Joint calls");
      await entry
        .getByRole("combobox", { name: ui.needCategory, exact: true })
        .selectOption({ index: 1 });
      await entry.getByRole("radio", { name: ui.horizons.short_term, exact: true }).check();
      await entry
        .getByRole("group", { name: ui.needImportance, exact: true })
        .getByRole("radio", { name: "4", exact: true })
        .check();
      await page.getByRole("button", { name: ui.next, exact: true }).click();
      const summary = page.getByRole("alert").filter({ hasText: ui.errorSummary });
      await expect(
        summary.getByRole("link", { name: new RegExp(`${text.urgency}$`) }),
      ).toBeVisible();
      const urgency = entry.getByRole("group", { name: ui.needUrgency, exact: true });
      await expect(urgency).toHaveClass(/field--invalid/);
      await expect(urgency.locator(".field-error")).toHaveText(new RegExp(text.urgency));
      // Neither the list nor the entry's other fields are marked.
      await expect(needs.locator("fieldset.need-list")).not.toHaveClass(/field--invalid/);
      await expect(
        entry.getByRole("group", { name: ui.needImportance, exact: true }),
      ).not.toHaveClass(/field--invalid/);
      await expect(entry.getByRole("textbox", { name: ui.needTitle, exact: true })).toHaveValue(
        "Joint calls",
      );
      // axe runs in the page: with JavaScript (the markup is the same without).
      if (js) expect(await axeViolations(page, `needs page with errors (${locale})`)).toEqual([]);
      await context.close();
    });
  }
}
