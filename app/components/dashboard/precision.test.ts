import { describe, expect, it } from "vitest";
import { formatters } from "./format";
import { needsAsShown, roundTo, SHOWN_DIGITS } from "~/server/dashboards/precision";
import type { MeanStat, NeedQuestionAnalysis, NeedRank } from "~/server/dashboards/views";

const t = ((key: string) => key) as Parameters<typeof formatters>[1];

describe("roundTo", () => {
  it("rounds as the pages' number formats do, ties away from zero", () => {
    expect(roundTo(0.125, 2)).toBe(0.13);
    expect(roundTo(-0.125, 2)).toBe(-0.13);
    expect(roundTo(45.25, 1)).toBe(45.3);
    expect(roundTo(1 / 3, 3)).toBe(0.333);
    expect(roundTo(2, 1)).toBe(2);
  });

  it("gives the text the page shows for the unrounded value, in English and Russian", () => {
    const values = [1 / 3, 2 / 3, 0.005, 12.345, 99.95, -1.005, 61.249999, 3.14159, 0.1235];
    for (const locale of ["en", "ru"]) {
      const f = formatters(locale, t, 5);
      for (const v of values) {
        expect(f.num(roundTo(v, SHOWN_DIGITS.priority), SHOWN_DIGITS.priority)).toBe(
          f.num(v, SHOWN_DIGITS.priority),
        );
        expect(f.num(roundTo(v, SHOWN_DIGITS.mean))).toBe(f.num(v));
        expect(f.share(roundTo(v / 100, SHOWN_DIGITS.share))).toBe(f.share(v / 100));
      }
    }
  });
});

describe("needsAsShown", () => {
  const stat = (mean: number): MeanStat => ({
    n: 12,
    mean,
    sd: 0.912345,
    ciLower: mean - 0.4567891,
    ciUpper: mean + 0.4567891,
    small: false,
  });
  const rank = (category: string, priority: number): NeedRank => ({
    category,
    label: { en: category },
    respondents: 12,
    entries: "suppressed",
    urgency: stat(3.456789),
    importance: stat(4.012345),
    priority: stat(priority),
  });
  const analysis: NeedQuestionAnalysis = {
    key: "needs",
    label: { en: "Needs" },
    answered: 40,
    matrix: [
      {
        category: "funding",
        label: { en: "Funding" },
        cells: {
          short_term: { respondents: 12, entries: 14, share: 0.3 },
          medium_term: { respondents: 7, entries: 9, share: 0.175 },
          all: { respondents: 15, entries: 23, share: 0.374999 },
        },
      },
    ],
    ranked: {
      short_term: [rank("funding", 61.28888), rank("mobility", 58.04999)],
      medium_term: [rank("mobility", 70.95)],
      all: [],
    },
    byCountryGroup: {
      short_term: [
        {
          category: "funding",
          label: { en: "Funding" },
          groups: {
            eu: { respondents: 6, priority: stat(63.333333) },
            ru: { respondents: "suppressed", priority: null },
            other: { respondents: 0, priority: null },
          },
        },
      ],
      medium_term: [],
      all: [],
    },
  };

  it("keeps order and counts, and rounds every figure to the digits it is shown with", () => {
    const shown = needsAsShown(analysis);
    expect(shown.ranked.short_term.map((r) => [r.category, r.priority?.mean])).toEqual([
      ["funding", 61.3],
      ["mobility", 58],
    ]);
    expect(shown.ranked.medium_term[0]!.priority).toMatchObject({
      mean: 71,
      ciLower: 70.5,
      ciUpper: 71.4,
      n: 12,
      small: false,
    });
    expect(shown.ranked.short_term[0]!.urgency).toMatchObject({ mean: 3.46, sd: 0.91 });
    expect(shown.ranked.short_term[0]!.entries).toBe("suppressed");
    expect(shown.matrix[0]!.cells.all).toEqual({ respondents: 15, entries: 23, share: 0.375 });
    expect(shown.byCountryGroup.short_term[0]!.groups.eu.priority?.mean).toBe(63.3);
    expect(shown.byCountryGroup.short_term[0]!.groups.ru).toEqual({
      respondents: "suppressed",
      priority: null,
    });
  });

  it("keeps the comparison by country group that a page shows: its horizons, its top needs", () => {
    const shown = needsAsShown(
      {
        ...analysis,
        byCountryGroup: {
          ...analysis.byCountryGroup,
          short_term: [
            ...analysis.byCountryGroup.short_term,
            { ...analysis.byCountryGroup.short_term[0]!, category: "not_ranked" },
          ],
          medium_term: analysis.byCountryGroup.short_term,
        },
      },
      { horizons: ["short_term"] },
    );
    expect(shown.byCountryGroup.short_term.map((r) => r.category)).toEqual(["funding"]);
    expect(shown.byCountryGroup.medium_term).toEqual([]);
    expect(shown.byCountryGroup.all).toEqual([]);
    expect(shown.ranked.medium_term).toHaveLength(1);
  });
});
