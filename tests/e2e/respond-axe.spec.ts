// Accessibility of the respondent pages: axe (WCAG 2.1 A and AA) on every page of every
// bundled survey — landing, each questionnaire page once its required questions are answered
// (so that the questions those answers open are checked too), the review and the receipt — in
// English, and in Russian for the energy survey. Axe needs JavaScript, so these are the
// enhanced pages; pages with validation errors, the "saved" page and the error pages are
// checked in respond.spec.ts.
import { expect, test } from "@playwright/test";
import { axeViolations } from "./axe";
import {
  bundledSurveys,
  type Locale,
  newRespondentPage,
  Respondent,
  visiblePages,
  waitForHydration,
} from "./respond-helpers";

test.describe.configure({ mode: "parallel" });

for (const survey of bundledSurveys()) {
  const locales: Locale[] = survey.slug === "energy-needs-2026" ? ["en", "ru"] : ["en"];
  for (const locale of locales) {
    test(`every page of ${survey.slug} has no axe violations (${locale})`, async ({ browser }) => {
      test.setTimeout(240_000);
      const { context, page } = await newRespondentPage(browser, { js: true, locale });
      const r = new Respondent(page, survey, locale, true);
      const violations: string[] = [];
      const check = async (label: string) => {
        violations.push(...(await axeViolations(page, `${survey.slug} ${locale} ${label}`)));
      };

      await r.openLanding();
      await waitForHydration(page);
      await check("landing");
      await r.start();
      let pages = 0;
      await r.completeAll({
        requiredOnly: true,
        afterFill: async (key) => {
          pages++;
          await check(`page ${key}`);
        },
      });
      expect(pages).toBe(visiblePages(survey, r.answers).length);
      await check("review");
      await r.submit();
      await check("receipt");
      expect(violations).toEqual([]);
      await context.close();
    });
  }
}
