// The Borich question: two radio scales per statement, under column headers that say what the
// scale means, and a compact table on the review page (desktop and phone). With and without
// JavaScript, in English and Russian.
import { expect, test } from "@playwright/test";
import {
  bundledSurvey,
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
const borich = questionOf(survey, "energy_competences");

const ENDS = { en: "1 = low, 5 = high", ru: "1 — низкий, 5 — высокий" } as const;

for (const js of [false, true]) {
  for (const locale of ["en", "ru"] as const) {
    const ui = UI[locale];
    test(`Borich: radio scales, and a table on the review page (${locale}, ${js ? "with" : "without"} JavaScript)`, async ({
      browser,
    }) => {
      test.setTimeout(180_000);
      const { context, page } = await newRespondentPage(browser, { js, locale });
      const r = new Respondent(page, survey, locale, js);
      await r.openLanding();
      await r.start();
      const token = tokenOf(page.url());
      await page.goto(`/r/${token}/p/needs?lang=${locale}`);
      if (js) await waitForHydration(page);
      const box = questionBox(page, "energy_competences");

      // No drop-downs; the headers say what 1 and 5 mean.
      await expect(box.getByRole("combobox")).toHaveCount(0);
      await expect(box.locator(".borich-head")).toBeVisible();
      await expect(box.locator(".borich-head")).toContainText(ENDS[locale]);
      await r.answer(borich as never);
      const first = borich.statements![0].label[locale];
      await expect(
        box
          .getByRole("group", { name: first, exact: true })
          .getByRole("group", { name: new RegExp(`^${ui.borichImportance}`) })
          .getByRole("radio", { name: "5", exact: true }),
      ).toBeChecked();
      // axe runs in the page: with JavaScript (the markup is the same without).
      if (js) expect(await axeViolations(page, `Borich radios (${locale})`)).toEqual([]);

      // Saved with Back, shown on the review page as a table.
      await page.getByRole("button", { name: ui.back, exact: true }).click();
      await expect(page).not.toHaveURL(/\/p\/needs/);
      await page.goto(`/r/${token}/review?lang=${locale}`);
      const table = page.locator('[id="answer-energy_competences"] table.answer-table');
      await expect(table).toBeVisible();
      await expect(table.locator("tbody tr")).toHaveCount(borich.statements!.length);
      const row = table.locator("tbody tr").first();
      await expect(row.locator("th")).toHaveText(first);
      await expect(row.locator("td").nth(0)).toHaveText(/^5/);
      await expect(row.locator("td").nth(1)).toHaveText(/^1/);
      // The table takes the width of the question and answer columns, not a narrow column.
      const item = await page.locator('[id="answer-energy_competences"]').boundingBox();
      const wide = await table.boundingBox();
      expect(wide!.width).toBeGreaterThan(item!.width * 0.75);
      // axe runs in the page: with JavaScript (the markup is the same without).
      if (js)
        expect(await axeViolations(page, `review with the Borich table (${locale})`)).toEqual([]);

      // On a phone: the statement keeps whole lines, not a word per line.
      await page.setViewportSize({ width: 390, height: 844 });
      const cell = await row.locator("th").boundingBox();
      expect(cell!.width).toBeGreaterThan(120);
      await context.close();
    });
  }
}
