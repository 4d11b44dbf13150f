import { describe, expect, it } from "vitest";
import {
  borichMwds,
  confidenceInterval95,
  estimateMean,
  isSuppressed,
  mean,
  median,
  needPriority,
  priorityScore,
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
    expect(estimateMean([3])).toEqual({ n: 1, mean: 3, sd: null, ci: null });
    expect(confidenceInterval95(1, 3, 0)).toBeNull();
  });
});

describe("t quantiles", () => {
  it("uses the table for small df", () => {
    expect(tCritical95(1)).toBe(12.7062);
    expect(tCritical95(7)).toBe(2.3646);
    expect(tCritical95(30)).toBe(2.0423);
  });

  it("interpolates in 1/df between table entries and towards 1.96", () => {
    // 1/35 lies 4/7 of the way from 1/30 to 1/40: 2.0423 − 0.0212 × 4/7
    expect(tCritical95(35)).toBeCloseTo(2.030186, 6);
    // 1/240 lies halfway between 1/120 and 0
    expect(tCritical95(240)).toBeCloseTo(1.96995, 6);
    expect(tCritical95(1e9)).toBeCloseTo(1.96, 6);
    for (let df = 1; df < 500; df++) expect(tCritical95(df + 1)).toBeLessThan(tCritical95(df));
  });

  it("rejects df below 1", () => {
    expect(() => tCritical95(0)).toThrow(RangeError);
  });
});

describe("confidence interval of a mean", () => {
  it("is mean ± t(0.975, n − 1) · s / √n", () => {
    const estimate = estimateMean(values);
    // half width = 2.3646 × 2.138090 / √8 = 1.787469
    expect(estimate.n).toBe(8);
    expect(estimate.mean).toBe(5);
    expect(estimate.ci?.halfWidth).toBeCloseTo(1.787469, 5);
    expect(estimate.ci?.lower).toBeCloseTo(3.212531, 5);
    expect(estimate.ci?.upper).toBeCloseTo(6.787469, 5);
    expect(confidenceInterval95(8, 5, 2.13809)?.halfWidth).toBeCloseTo(1.787469, 4);
  });
});

describe("need priority", () => {
  it("is urgency × importance / 25 × 100", () => {
    expect(needPriority(5, 5)).toBe(100);
    expect(needPriority(5, 4)).toBe(80);
    expect(needPriority(1, 1)).toBe(4);
  });

  it("averages the priorities of a group, with a CI", () => {
    // priorities 80, 36, 8: mean 124/3; Σ squared deviations 7904/3, s² = 3952/3
    const score = priorityScore([
      { urgency: 5, importance: 4 },
      { urgency: 3, importance: 3 },
      { urgency: 1, importance: 2 },
    ]);
    expect(score.mean).toBeCloseTo(41.333333, 5);
    expect(score.sd).toBeCloseTo(36.295087, 5);
    // 4.3027 × 36.295087 / √3 = 90.1629
    expect(score.ci?.halfWidth).toBeCloseTo(90.1629, 3);
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
