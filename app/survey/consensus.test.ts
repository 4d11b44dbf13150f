import { describe, expect, it } from "vitest";
import {
  consensusStatus,
  DEFAULT_CONSENSUS_RULE,
  distribution,
  EXACT_WILCOXON_MAX,
  midRanks,
  outsideIqr,
  quantile,
  roundFigures,
  stability,
  wilcoxonSignedRank,
} from "./consensus";
import { consensusRuleOf, delphiItems } from "./delphi";
import { everyType } from "./__fixtures__/every-type";

describe("quartiles and the interquartile range", () => {
  it("interpolates between order statistics as R's default quantile and Postgres percentile_cont do", () => {
    // R: quantile(1:10, c(.25, .5, .75)) gives 3.25, 5.5, 7.75.
    const values = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
    expect(quantile(values, 0.25)).toBeCloseTo(3.25, 12);
    expect(quantile(values, 0.5)).toBeCloseTo(5.5, 12);
    expect(quantile(values, 0.75)).toBeCloseTo(7.75, 12);
    expect(quantile([4], 0.75)).toBe(4);
    expect(quantile([], 0.5)).toBeNull();
  });

  it("gives median, IQR, share within ±1 and consensus by the default rule", () => {
    // 12 ratings: sorted 2 3 4 4 4 4 4 5 5 5 5 5; median 4; Q1 = 4 (h = 2.75), Q3 = 5 (h = 8.25).
    const ratings = [4, 5, 4, 3, 5, 4, 5, 2, 4, 5, 4, 5];
    const f = roundFigures(ratings, DEFAULT_CONSENSUS_RULE);
    expect(f).toMatchObject({ n: 12, median: 4, q1: 4, q3: 5, iqr: 1 });
    // Within 3..5: all but the 2 → 11/12.
    expect(f.within).toBeCloseTo(11 / 12, 12);
    expect(f.consensus).toBe(true);
  });

  it("finds no consensus when the ratings spread, or when too few lie near the median", () => {
    const spread = roundFigures([1, 2, 3, 4, 5, 1, 2, 3, 4, 5], DEFAULT_CONSENSUS_RULE);
    // Sorted 1 1 2 2 3 3 4 4 5 5: Q1 = 2 (h = 2.25), Q3 = 4 (h = 6.75).
    expect(spread.iqr).toBeCloseTo(2, 12);
    expect(spread.consensus).toBe(false);
    // IQR 0 but only 6 of 10 within ±1 of the median 3: the share rule fails.
    const split = roundFigures([1, 1, 3, 3, 3, 3, 3, 3, 5, 5], { maxIqr: 2, minWithin: 0.7 });
    expect(split.within).toBeCloseTo(0.6, 12);
    expect(split.consensus).toBe(false);
    expect(roundFigures([], DEFAULT_CONSENSUS_RULE)).toMatchObject({
      n: 0,
      median: null,
      consensus: false,
    });
  });

  it("tells whether a new rating lies outside the previous round's IQR", () => {
    expect(outsideIqr(2, { q1: 3, q3: 4 })).toBe(true);
    expect(outsideIqr(5, { q1: 3, q3: 4 })).toBe(true);
    expect(outsideIqr(3, { q1: 3, q3: 4 })).toBe(false);
    expect(outsideIqr(4, { q1: 3, q3: 4 })).toBe(false);
    expect(outsideIqr(1, { q1: null, q3: null })).toBe(false);
  });

  it("counts each rating point, a mean between points at the nearest one", () => {
    expect(distribution([1, 1, 3, 3.5, 4.4, 5], [1, 2, 3, 4, 5])).toEqual([
      { value: 1, count: 2 },
      { value: 2, count: 0 },
      { value: 3, count: 1 },
      { value: 4, count: 2 },
      { value: 5, count: 1 },
    ]);
  });
});

describe("Wilcoxon signed-rank test", () => {
  // Darwin's Zea mays differences (crossed − self-fertilised, eighths of an inch), as in
  // Fisher (1935) and SciPy's documentation of scipy.stats.wilcoxon: W = 24, exact two-sided
  // p = 0.041259765625; normal approximation with continuity correction p = 0.043772.
  const darwin = [6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75];
  const zeros = darwin.map(() => 0);

  it("gives the exact p-value of the published example", () => {
    const result = wilcoxonSignedRank(zeros, darwin);
    expect(result.method).toBe("exact");
    expect(result.n).toBe(15);
    expect(result.wMinus).toBe(24);
    expect(result.wPlus).toBe(96);
    expect(result.p).toBeCloseTo(0.041259765625, 12);
  });

  it("gives the same p-value when before and after are swapped (two-sided)", () => {
    expect(wilcoxonSignedRank(darwin, zeros).p).toBeCloseTo(0.041259765625, 12);
  });

  it("counts sign assignments of mid-ranks exactly when differences are tied", () => {
    // Differences 1, 1, 0, 2, 0, −1: zeros dropped; |d| 1,1,2,1 have ranks 2,2,4,2; W+ = 8,
    // W− = 2. Of the 16 sign assignments, 4 have W+ ≤ 2 ({}, and each single 2): p = 2·4/16.
    const result = wilcoxonSignedRank([1, 2, 3, 2, 4, 3], [2, 3, 3, 4, 4, 2]);
    expect(result).toMatchObject({ n: 4, wPlus: 8, wMinus: 2, method: "exact" });
    expect(result.p).toBeCloseTo(0.5, 12);
  });

  it("uses the normal approximation with continuity correction: the published example", () => {
    const result = wilcoxonSignedRank(zeros, darwin, { exactMax: 0 });
    expect(result.method).toBe("normal");
    expect(result.p).toBeCloseTo(0.043772323763041174, 9);
  });

  it("corrects the normal approximation for tied ranks", () => {
    // 40 pairs of 5-point ratings, 25 changed, many ties. Reference: SciPy 1.17
    // scipy.stats.wilcoxon(after, before, method="approx", correction=True) → p = 0.00046026751690834.
    const before = [
      3, 2, 4, 1, 1, 5, 1, 3, 5, 1, 5, 2, 1, 1, 4, 4, 1, 2, 1, 5, 4, 1, 5, 1, 2, 5, 1, 5, 5, 4, 1,
      2, 1, 5, 2, 3, 4, 2, 5, 1,
    ];
    const after = [
      5, 3, 5, 1, 1, 5, 3, 3, 5, 1, 5, 1, 3, 1, 5, 4, 2, 4, 2, 5, 5, 3, 5, 2, 3, 5, 1, 5, 4, 5, 2,
      4, 2, 5, 3, 4, 5, 1, 4, 3,
    ];
    const result = wilcoxonSignedRank(before, after, { exactMax: 0 });
    expect(result).toMatchObject({ n: 25, method: "normal" });
    expect(result.p).toBeCloseTo(0.00046026751690834, 12);
    // Up to EXACT_WILCOXON_MAX non-zero differences the exact distribution is used by default.
    expect(wilcoxonSignedRank(before, after).method).toBe(
      EXACT_WILCOXON_MAX >= 25 ? "exact" : "normal",
    );
  });

  it("has no p-value when nobody changed", () => {
    expect(wilcoxonSignedRank([3, 4], [3, 4])).toMatchObject({ n: 0, p: null, method: "none" });
  });

  it("gives mean ranks to ties", () => {
    expect(midRanks([1, 1, 2, 1])).toEqual([2, 2, 4, 2]);
  });
});

describe("stability and status between rounds", () => {
  it("reports the share changed and the change of IQR", () => {
    const s = stability(
      [
        [3, 4],
        [4, 4],
        [2, 3],
        [5, 5],
      ],
      { iqr: 0.5 },
      { iqr: 1.5 },
    );
    expect(s.pairs).toBe(4);
    expect(s.changed).toBe(0.5);
    expect(s.iqrChange).toBe(-1);
  });

  it("classifies items: consensus, converging, diverging, stable, first round", () => {
    const rule = DEFAULT_CONSENSUS_RULE;
    const wide = roundFigures([1, 2, 3, 4, 5, 1, 2, 3, 4, 5], rule);
    const narrower = roundFigures([1, 2, 3, 3, 3, 3, 4, 5, 2, 4], rule);
    const agreed = roundFigures([4, 4, 4, 4, 5, 5, 3, 4, 4, 4], rule);
    expect(consensusStatus(agreed, wide)).toBe("consensus");
    expect(consensusStatus(narrower, wide)).toBe("converging");
    expect(consensusStatus(wide, narrower)).toBe("diverging");
    expect(consensusStatus(wide, wide)).toBe("stable");
    expect(consensusStatus(wide, null)).toBe("first_round");
  });
});

describe("Delphi items of a questionnaire", () => {
  it("lists scale, matrix rows, Borich statements and need priorities by stable id", () => {
    const ids = delphiItems(everyType).map((item) => item.id);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/);
    expect(ids.some((id) => id.endsWith(".importance"))).toBe(true);
    expect(ids.some((id) => /\.short_term\.urgency$/.test(id))).toBe(true);
  });

  it("takes the consensus rule from the questionnaire, defaulting each part", () => {
    expect(consensusRuleOf({})).toEqual(DEFAULT_CONSENSUS_RULE);
    expect(consensusRuleOf({ delphi: { consensus: { maxIqr: 2 } } })).toEqual({
      maxIqr: 2,
      minWithin: 0.7,
    });
  });
});
