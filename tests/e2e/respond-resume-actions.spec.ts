// Save and resume: the saved page has the resume link with a copy button (with JavaScript);
// back on the survey page, "Continue where you left off" is the primary action and "Start
// again" asks for a confirmation first. With and without JavaScript, in English and Russian.
// (Sending the link by e-mail needs SMTP_URL: tests/integration/resume-email.test.ts.)
import { expect, test } from "@playwright/test";
import {
  bundledSurvey,
  newRespondentPage,
  Respondent,
  tokenOf,
  UI,
  waitForHydration,
} from "./respond-helpers";
import { axeViolations } from "./axe";

const survey = bundledSurvey("energy-needs-2026");

const TEXT = {
  en: {
    copy: "Copy the link",
    copied: "The link is copied.",
    continue: "Continue where you left off",
    again: "Start again",
    confirmHeading: "Start again from the beginning?",
    confirm: "Yes, start again",
    cancel: "No, continue where I left off",
    emailHeading: "E-mail me this link",
  },
  ru: {
    copy: "Скопировать ссылку",
    copied: "Ссылка скопирована.",
    continue: "Продолжить с того места, где вы остановились",
    again: "Начать заново",
    confirmHeading: "Начать заполнение анкеты с начала?",
    confirm: "Да, начать заново",
    cancel: "Нет, продолжить с того же места",
    emailHeading: "Отправить ссылку мне на почту",
  },
} as const;

for (const js of [false, true]) {
  for (const locale of ["en", "ru"] as const) {
    const ui = UI[locale];
    const text = TEXT[locale];
    test(`save, copy the link, continue or start again (${locale}, ${js ? "with" : "without"} JavaScript)`, async ({
      browser,
    }) => {
      test.setTimeout(150_000);
      const { context, page } = await newRespondentPage(browser, { js, locale });
      if (js) await context.grantPermissions(["clipboard-read", "clipboard-write"]);
      const r = new Respondent(page, survey, locale, js);
      await r.openLanding();
      await r.start();
      const token = tokenOf(page.url());
      await page.getByRole("button", { name: ui.save, exact: true }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(ui.savedTitle);
      const link = page.locator("#resume-link a");
      await expect(link).toHaveText(new RegExp(`/r/${token}$`));
      // Without SMTP_URL there is no e-mail form.
      await expect(page.getByRole("heading", { name: text.emailHeading })).toHaveCount(0);
      if (js) {
        await waitForHydration(page);
        await page.getByRole("button", { name: text.copy, exact: true }).click();
        await expect(page.getByRole("status").filter({ hasText: text.copied })).toBeVisible();
        expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
          await link.textContent(),
        );
      } else {
        // The copy button needs JavaScript; the link is there to select.
        await expect(page.getByRole("button", { name: text.copy, exact: true })).toHaveCount(0);
      }
      // axe runs in the page: with JavaScript (the markup is the same without).
      if (js) expect(await axeViolations(page, `saved page (${locale})`)).toEqual([]);

      // Back on the survey page: Continue is the primary action.
      await r.openLanding();
      if (js) await waitForHydration(page);
      const cont = page.getByRole("link", { name: text.continue, exact: true });
      await expect(cont).toHaveClass(/button--large/);
      await expect(page.getByRole("link", { name: text.again, exact: true })).toHaveClass(
        /button--secondary/,
      );
      // axe runs in the page: with JavaScript (the markup is the same without).
      if (js) expect(await axeViolations(page, `resume prompt (${locale})`)).toEqual([]);

      // Start again asks first; "No" continues the same answers.
      await page.getByRole("link", { name: text.again, exact: true }).click();
      await expect(page.getByRole("heading", { name: text.confirmHeading })).toBeVisible();
      // axe runs in the page: with JavaScript (the markup is the same without).
      if (js) expect(await axeViolations(page, `start again confirmation (${locale})`)).toEqual([]);
      await page.getByRole("link", { name: text.cancel, exact: true }).click();
      await expect(page).toHaveURL(new RegExp(`/r/${token}/p/`));

      // "Yes" forgets them on this device: the Start form is back.
      await r.openLanding();
      await page.getByRole("link", { name: text.again, exact: true }).click();
      await page.getByRole("button", { name: text.confirm, exact: true }).click();
      await expect(page.getByRole("button", { name: ui.start, exact: true })).toBeVisible();
      await expect(page.getByRole("link", { name: text.continue, exact: true })).toHaveCount(0);
      await context.close();
    });
  }
}
