import { describe, expect, it } from "vitest";
import { formatters } from "~/components/dashboard/format";
import { translator } from "~/i18n/catalog";
import { countBar, rankPoints, shareBar } from "./bar-charts";

const en = formatters("en", translator("en"), 5);
const ru = formatters("ru", translator("ru"), 5);

describe("bars of hidden cells", () => {
  it("carry the table's wording and, for a suppressed count, its threshold", () => {
    expect(countBar("Russia", 12, en)).toEqual({ label: "Russia", value: 12 });
    expect(countBar("Other", "suppressed", en)).toEqual({
      label: "Other",
      value: null,
      hidden: "fewer than 5",
      upper: 5,
    });
    expect(countBar("EU", "withheld", ru)).toMatchObject({ value: null, hidden: "скрыто" });
    expect(countBar("EU", "withheld", ru).upper).toBeUndefined();
  });

  it("hide a share whose count is hidden, and keep a zero share a zero", () => {
    expect(shareBar("A", null, "suppressed", en)).toMatchObject({
      value: null,
      hidden: "fewer than 5",
    });
    expect(shareBar("B", 0, 0, en)).toEqual({ label: "B", value: 0 });
  });
});

describe("rankPoints", () => {
  it("gives the item ranked first the longest bar", () => {
    expect(rankPoints(1, 6)).toBe(6);
    expect(rankPoints(6, 6)).toBe(1);
    expect(rankPoints(1.5, 6)).toBeGreaterThan(rankPoints(2.34, 6));
  });
});
