// Every way of switching the language on a questionnaire page keeps what was typed: the
// header's language switch as well as the switch inside the form, with and without JavaScript,
// from English to Russian and back.
import { expect, test } from "@playwright/test";
import {
  bundledSurvey,
  type Locale,
  newRespondentPage,
  questionBox,
  questionOf,
  Respondent,
  tokenOf,
  UI,
} from "./respond-helpers";
import { axeViolations } from "./axe";

const survey = bundledSurvey("energy-needs-2026");
const orgType = questionOf(survey, "org_type");
const other: Record<Locale, Locale> = { en: "ru", ru: "en" };

for (const js of [false, true]) {
  for (const locale of ["en", "ru"] as const) {
    test(`the header's language switch keeps the answers typed (${locale} → ${other[locale]}, ${js ? "with" : "without"} JavaScript)`, async ({
      browser,
    }) => {
      test.setTimeout(120_000);
      const { context, page } = await newRespondentPage(browser, { js, locale });
      const r = new Respondent(page, survey, locale, js);
      await r.openLanding();
      await r.start();
      const token = tokenOf(page.url());
      const choice = orgType.options![2];
      await questionBox(page, "org_type")
        .getByRole("radio", { name: choice.label[locale], exact: true })
        .check();

      // The header's switch is a button of the page's form: it saves before switching.
      const header = page.getByRole("banner");
      const target = other[locale];
      await header.getByRole("button", { name: UI[target].languageName }).click();
      await expect(page).toHaveURL(new RegExp(`/r/${token}/p/profile\\?lang=${target}`));
      await expect(page.locator("html")).toHaveAttribute("lang", target);
      await expect(page.getByRole("button", { name: UI[target].next, exact: true })).toBeVisible();
      await expect(
        questionBox(page, "org_type").getByRole("radio", {
          name: choice.label[target],
          exact: true,
        }),
      ).toBeChecked();
      // axe runs in the page: with JavaScript (the markup is the same without).
      if (js)
        expect(await axeViolations(page, `page after the header's switch (${target})`)).toEqual([]);

      // And back with the switch inside the form: still kept.
      await page
        .locator("form .form-lang")
        .getByRole("button", { name: UI[locale].languageName })
        .click();
      await expect(page).toHaveURL(new RegExp(`\\?lang=${locale}`));
      await expect(
        questionBox(page, "org_type").getByRole("radio", {
          name: choice.label[locale],
          exact: true,
        }),
      ).toBeChecked();
      await context.close();
    });
  }
}
