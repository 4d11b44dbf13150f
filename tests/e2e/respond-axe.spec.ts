// Accessibility of the respondent pages: axe (WCAG 2.1 A and AA) on every page of every
// bundled survey — landing, each questionnaire page once its answers are given (so that the
// questions those answers open are checked too), the review and the receipt — in English, and
// in Russian for the energy survey. Axe needs JavaScript, so these are the enhanced pages. The
// energy, food and nano surveys in English are checked on the walks of respond.spec.ts that
// already go through every page with JavaScript (the energy survey completed, the food survey
// resumed in another browser, the nano survey submitted twice); the others are walked here.
// Pages with validation errors, the "saved" page and the error pages are checked in
// respond.spec.ts too.
import { expect, test } from "@playwright/test";
import {
  AxeWalk,
  bundledSurvey,
  bundledSurveys,
  type Locale,
  newRespondentPage,
  Respondent,
  waitForHydration,
} from "./respond-helpers";

test.describe.configure({ mode: "parallel" });

const WALKED_HERE: Array<[slug: string, locale: Locale]> = [
  ["energy-needs-2026", "ru"],
  ["health-needs-2026", "en"],
  ["mobility-needs-2026", "en"],
];

/** The English walks of respond.spec.ts that check every page with axe. */
const WALKED_IN_RESPOND_SPEC = [
  "energy-needs-2026",
  "food-agri-bio-needs-2026",
  "nano-materials-needs-2026",
];

test("every bundled survey is checked with axe in English", () => {
  const english = [
    ...WALKED_IN_RESPOND_SPEC,
    ...WALKED_HERE.filter(([, l]) => l === "en").map(([s]) => s),
  ];
  expect(english.sort()).toEqual(
    bundledSurveys()
      .map((s) => s.slug)
      .sort(),
  );
});

for (const [slug, locale] of WALKED_HERE) {
  const survey = bundledSurvey(slug);
  test(`every page of ${slug} has no axe violations (${locale})`, async ({ browser }) => {
    test.setTimeout(240_000);
    const { context, page } = await newRespondentPage(browser, { js: true, locale });
    const r = new Respondent(page, survey, locale, true);
    const axe = new AxeWalk(() => r, `${slug} ${locale}`);

    await r.openLanding();
    await waitForHydration(page);
    await axe.check("landing");
    await r.start();
    await r.completeAll({ requiredOnly: true, afterFill: axe.afterFill });
    await axe.check("review");
    await r.submit();
    await axe.check("receipt");
    axe.expectClean();
    await context.close();
  });
}
