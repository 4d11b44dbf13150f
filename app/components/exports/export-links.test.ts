import { describe, expect, it } from "vitest";
import { exportHref } from "./export-links";

describe("exportHref", () => {
  const survey = { group: "energy", slug: "energy-needs-2026" };

  it("is the stable URL of the file without filters", () => {
    expect(exportHref(survey, "export.csv")).toBe("/staff/groups/energy/surveys/energy-needs-2026/export.csv");
  });

  it("carries the dashboard filters under their query-string names, and the labels", () => {
    expect(
      exportHref(survey, "export.csv", { countryGroup: "ru", orgType: "sme", from: "2026-01-01", horizon: "short_term" }, "ru"),
    ).toBe(
      "/staff/groups/energy/surveys/energy-needs-2026/export.csv?country_group=ru&org_type=sme&from=2026-01-01&horizon=short_term&labels=ru",
    );
  });
});
