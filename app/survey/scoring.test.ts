import { describe, expect, it } from "vitest";
import {
  borichMwds,
  compareNeedScores,
  confidenceInterval95,
  estimateMean,
  importancePerformanceQuadrant,
  isSuppressed,
  locusForFocusQuadrant,
  mean,
  median,
  needPriority,
  PRIORITY_RANGE,
  priorityScore,
  type ScoredCategory,
  standardDeviation,
  suppress,
  tCritical95,
} from "./scoring";

const values = [2, 4, 4, 4, 5, 5, 7, 9];

describe("descriptive statistics", () => {
  it("computes mean, median and sample standard deviation", () => {
    expect(mean(values)).toBe(5);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    // Σ(x − 5)² = 9 + 1 + 1 + 1 + 0 + 0 + 4 + 16 = 32; s = √(32 / 7)
    expect(standardDeviation(values)).toBeCloseTo(2.13809, 6);
  });

  it("has no value for too few observations", () => {
    expect(mean([])).toBeNull();
    expect(median([])).toBeNull();
    expect(standardDeviation([3])).toBeNull();
    expect(estimateMean([3])).toEqual({ n: 1, mean: 3, sd: null, ci: null, small: true });
    expect(confidenceInterval95(1, 3, 0)).toBeNull();
  });
});

describe("t quantiles", () => {
  it("are the exact Student quantiles t(0.975, df)", () => {
    // Reference values to 6 decimals (R: qt(0.975, df)).
    expect(tCritical95(1)).toBeCloseTo(12.706205, 6);
    expect(tCritical95(7)).toBeCloseTo(2.364624, 6);
    expect(tCritical95(30)).toBeCloseTo(2.042272, 6);
    expect(tCritical95(35)).toBeCloseTo(2.030108, 6);
    // A table interpolated in 1/df gave 1.99049 here.
    expect(tCritical95(79)).toBeCloseTo(1.99045, 6);
    expect(tCritical95(240)).toBeCloseTo(1.969898, 6);
    expect(tCritical95(1e9)).toBeCloseTo(1.959964, 6);
    for (let df = 1; df < 500; df++) expect(tCritical95(df + 1)).toBeLessThan(tCritical95(df));
  });

  it("rejects df below 1", () => {
    expect(() => tCritical95(0)).toThrow(RangeError);
  });
});

describe("confidence interval of a mean", () => {
  it("is mean ± t(0.975, n − 1) · s / √n", () => {
    const estimate = estimateMean(values);
    // half width = 2.364624 × 2.138090 / √8 = 1.787488
    expect(estimate.n).toBe(8);
    expect(estimate.mean).toBe(5);
    expect(estimate.small).toBe(true);
    expect(estimate.ci?.halfWidth).toBeCloseTo(1.787488, 5);
    expect(estimate.ci?.lower).toBeCloseTo(3.212512, 5);
    expect(estimate.ci?.upper).toBeCloseTo(6.787488, 5);
    expect(estimate.ci?.clamped).toBe(false);
    expect(confidenceInterval95(8, 5, 2.13809)?.halfWidth).toBeCloseTo(1.787488, 4);
    expect(estimateMean([...values, 5, 5]).small).toBe(false);
  });

  it("is cut to the possible range of the values", () => {
    // 1–5 scale, n = 3: 4 ± 4.302653 × 1 / √3 = 4 ± 2.484 would read 1.52 – 6.48.
    const scale = estimateMean([3, 4, 5], { min: 1, max: 5 });
    expect(scale.ci?.lower).toBeCloseTo(1.515862, 5);
    expect(scale.ci?.upper).toBe(5);
    expect(scale.ci?.clamped).toBe(true);
    // A rank near 1 does not go below 1; a priority score stays within 4–100.
    expect(confidenceInterval95(3, 1.333, 0.577, { min: 1, max: 3 })?.lower).toBe(1);
    const priority = confidenceInterval95(3, 67, 36, PRIORITY_RANGE)!;
    expect([priority.lower, priority.upper]).toEqual([4, 100]);
  });
});

describe("need priority", () => {
  it("is urgency × importance / 25 × 100", () => {
    expect(needPriority(5, 5)).toBe(100);
    expect(needPriority(5, 4)).toBe(80);
    expect(needPriority(1, 1)).toBe(4);
  });

  it("averages a respondent's entries first: the respondent is the unit", () => {
    // a: 80 and 36 → 58; b: 8; c: 100 → respondents' means 58, 8, 100: mean 166/3 = 55.333;
    // Σ squared deviations = 7.111 + 2240.444 + 1995.111 = 4242.667, s = √2121.333 = 46.058.
    const score = priorityScore([
      { respondent: "a", urgency: 5, importance: 4 },
      { respondent: "a", urgency: 3, importance: 3 },
      { respondent: "b", urgency: 1, importance: 2 },
      { respondent: "c", urgency: 5, importance: 5 },
    ]);
    expect(score.n).toBe(3);
    expect(score.mean).toBeCloseTo(55.333333, 5);
    expect(score.sd).toBeCloseTo(46.057935, 5);
    // 4.302653 × 46.057935 / √3 = 114.41: cut to 4–100.
    expect(score.ci?.lower).toBe(4);
    expect(score.ci?.upper).toBe(100);
    expect(score.small).toBe(true);
  });
});

/** A plain reference: sort by the score to 9 decimals, respondents, code. */
function referenceOrder(list: ScoredCategory[]): string[] {
  const key = (c: ScoredCategory) => [
    c.score === null ? -1 : Math.round(c.score * 1e9),
    c.respondents,
  ];
  return [...list]
    .sort((a, b) => {
      const [sa, ra] = key(a);
      const [sb, rb] = key(b);
      if (sa !== sb) return sb - sa;
      if (ra !== rb) return rb - ra;
      return a.category === b.category ? 0 : a.category < b.category ? -1 : 1;
    })
    .map((c) => c.category);
}

describe("ranking need categories", () => {
  it("orders by score, then respondents, then code; unscored last", () => {
    const list: ScoredCategory[] = [
      { category: "b", score: 60, respondents: 5 },
      { category: "a", score: 60, respondents: 5 },
      { category: "c", score: 60, respondents: 7 },
      { category: "d", score: null, respondents: 0 },
      { category: "e", score: 80, respondents: 5 },
      // The same score summed in another order.
      { category: "f", score: (0.7 + 0.1) * 75, respondents: 5 },
      { category: "A", score: 60, respondents: 5 },
    ];
    const ordered = [...list].sort(compareNeedScores).map((c) => c.category);
    expect(ordered).toEqual(["e", "c", "A", "a", "b", "f", "d"]);
    expect(ordered).toEqual(referenceOrder(list));
  });
});

describe("importance–performance grid and locus for focus", () => {
  it("splits at the means", () => {
    expect(importancePerformanceQuadrant(4, 2, 3, 3)).toBe("act_first");
    expect(importancePerformanceQuadrant(3, 3, 3, 3)).toBe("keep_up");
    expect(importancePerformanceQuadrant(2, 2, 3, 3)).toBe("low_priority");
    expect(importancePerformanceQuadrant(2, 4, 3, 3)).toBe("possible_overkill");
    expect(locusForFocusQuadrant(4, 2, 3, 1)).toBe("focus");
    expect(locusForFocusQuadrant(4, 0.5, 3, 1)).toBe("important_small_gap");
    expect(locusForFocusQuadrant(2, 2, 3, 1)).toBe("large_gap_less_important");
    expect(locusForFocusQuadrant(2, 0, 3, 1)).toBe("low");
  });
});

describe("Borich MWDS", () => {
  it("is mean(importance − current) × mean(importance)", () => {
    // gaps 3, 0, 2 (mean 5/3); importance mean 4
    expect(
      borichMwds([
        { importance: 5, current: 2 },
        { importance: 4, current: 4 },
        { importance: 3, current: 1 },
      ]),
    ).toBeCloseTo(20 / 3, 10);
    expect(borichMwds([{ importance: 2, current: 4 }])).toBe(-4);
    expect(borichMwds([])).toBeNull();
  });
});

describe("suppression", () => {
  it("hides counts from 1 to threshold − 1", () => {
    expect(suppress(3, 5)).toBeNull();
    expect(isSuppressed(3, 5)).toBe(true);
    expect(suppress(5, 5)).toBe(5);
    expect(suppress(0, 5)).toBe(0);
  });
});
