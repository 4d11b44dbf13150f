import { describe, expect, it } from "vitest";
import {
  heavilyOverlapping,
  niceRange,
  niceTicks,
  tiedWithNeighbour,
  wrapLabel,
} from "./chart-scale";

describe("niceTicks", () => {
  it("steps by 1, 2 or 5 times a power of ten from 0 to at least the maximum", () => {
    expect(niceTicks(100)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(5)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(niceTicks(37)).toEqual([0, 10, 20, 30, 40]);
    expect(niceTicks(187)).toEqual([0, 50, 100, 150, 200]);
  });

  it("never gives a tick such as 37.5", () => {
    for (const max of [3, 7, 15, 37.5, 75, 150, 0.37, 0.9, 1234]) {
      const ticks = niceTicks(max);
      const step = ticks[1];
      expect([1, 2, 5, 10]).toContain(
        Number((step / 10 ** Math.floor(Math.log10(step))).toFixed(6)),
      );
      expect(ticks[ticks.length - 1]).toBeGreaterThanOrEqual(max);
      expect(ticks.length).toBeLessThanOrEqual(7);
    }
  });

  it("keeps whole steps for counts", () => {
    expect(niceTicks(3, 5, true)).toEqual([0, 1, 2, 3]);
    expect(niceTicks(2, 5, false)).toEqual([0, 0.5, 1, 1.5, 2]);
  });

  it("gives an axis for nothing to show", () => {
    expect(niceTicks(0)).toEqual([0, 1]);
    expect(niceTicks(Number.NaN)).toEqual([0, 1]);
  });
});

describe("niceRange", () => {
  it("covers negative values with the same round step", () => {
    expect(niceRange(-3, 12)).toEqual([-5, 0, 5, 10, 15]);
    expect(niceRange(-8, -2)).toEqual([-8, -6, -4, -2, 0]);
  });

  it("is niceTicks when nothing is below 0", () => {
    expect(niceRange(0, 100)).toEqual(niceTicks(100));
  });
});

describe("wrapLabel", () => {
  it("keeps a short label on one line", () => {
    expect(wrapLabel("Mobility grants", 34)).toEqual(["Mobility grants"]);
  });

  it("breaks a long label at spaces and keeps every word", () => {
    const label =
      "Access to research infrastructures and large-scale facilities in the partner country";
    const lines = wrapLabel(label, 30);
    expect(lines.every((l) => l.length <= 30)).toBe(true);
    expect(lines.join(" ")).toBe(label);
    expect(lines).toEqual([
      "Access to research",
      "infrastructures and",
      "large-scale facilities in the",
      "partner country",
    ]);
  });

  it("cuts a word longer than a line into pieces", () => {
    expect(wrapLabel("Nanotechnologiesandnewmaterials", 12)).toEqual([
      "Nanotechnol-",
      "ogiesandnew-",
      "materials",
    ]);
  });

  it("ends in an ellipsis only what does not fit in the lines allowed", () => {
    const lines = wrapLabel("one two three four five six seven eight", 9, 2);
    expect(lines).toEqual(["one two", "three…"]);
  });
});

describe("ties", () => {
  const est = (mean: number, lower: number, upper: number) => ({ mean, lower, upper });

  it("are heavy overlaps: each mean inside the other's interval", () => {
    expect(heavilyOverlapping(est(60, 50, 70), est(58, 49, 67))).toBe(true);
    // Intervals overlap, but one mean lies outside the other's interval.
    expect(heavilyOverlapping(est(60, 55, 65), est(52, 45, 59))).toBe(false);
    expect(heavilyOverlapping(est(60, null as never, 70), est(58, 49, 67))).toBe(false);
  });

  it("mark both neighbours of a tie in ranked order, and no one else", () => {
    expect(
      tiedWithNeighbour([est(80, 75, 85), est(62, 55, 70), est(60, 52, 68), est(40, 35, 45), null]),
    ).toEqual([false, true, true, false, false]);
  });

  it("are not drawn through a missing estimate", () => {
    expect(tiedWithNeighbour([est(60, 50, 70), null, est(60, 50, 70)])).toEqual([
      false,
      false,
      false,
    ]);
  });
});
