import countries from "i18n-iso-countries";
import { describe, expect, it } from "vitest";
import { COUNTRY_CODES, countryGroup, EU_MEMBER_STATES, isCountryCode } from "./countries";

describe("countries", () => {
  it("lists the 249 officially assigned ISO 3166-1 alpha-2 codes, once each", () => {
    expect(COUNTRY_CODES).toHaveLength(249);
    expect(new Set(COUNTRY_CODES).size).toBe(249);
    // The UI's country names come from i18n-iso-countries, which adds Kosovo's user-assigned XK.
    const named = Object.keys(countries.getAlpha2Codes()).filter((code) => code !== "XK");
    expect([...COUNTRY_CODES].sort()).toEqual(named.sort());
  });

  it("groups countries into EU, Russia and other", () => {
    expect(EU_MEMBER_STATES).toHaveLength(27);
    expect(countryGroup("DE")).toBe("eu");
    expect(countryGroup("HR")).toBe("eu");
    expect(countryGroup("RU")).toBe("ru");
    expect(countryGroup("GB")).toBe("other");
    expect(countryGroup("NO")).toBe("other");
  });

  it("recognises codes", () => {
    expect(isCountryCode("FR")).toBe(true);
    expect(isCountryCode("fr")).toBe(false);
    expect(isCountryCode("XK")).toBe(false);
    expect(isCountryCode(7)).toBe(false);
  });
});
