import { describe, expect, it } from "vitest";
import { catalogs, en, translator } from "./catalog";
import { fromAcceptLanguage } from "./locale.server";

function leaves(node: unknown, prefix = ""): string[] {
  if (typeof node === "string") return [prefix];
  if (node && typeof node === "object" && "other" in node) return [prefix];
  return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

describe("message catalogs", () => {
  it("Russian has every English message, and no empty one", () => {
    expect(leaves(catalogs.ru).sort()).toEqual(leaves(en).sort());
    const t = translator("ru");
    for (const key of leaves(en)) expect(t(key as never, { count: 2 }).trim()).not.toBe("");
  });

  it("interpolates and picks Russian plural forms", () => {
    const t = translator("ru");
    expect(t("common.minutes", { count: 1 })).toBe("1 минута");
    expect(t("common.minutes", { count: 3 })).toBe("3 минуты");
    expect(t("common.minutes", { count: 25 })).toBe("25 минут");
    expect(translator("en")("common.minutes", { count: 1 })).toBe("1 minute");
  });
});

describe("Accept-Language", () => {
  it("picks the best supported language by quality", () => {
    expect(fromAcceptLanguage("ru-RU,ru;q=0.9,en;q=0.8")).toBe("ru");
    expect(fromAcceptLanguage("de-DE,de;q=0.9,en;q=0.5,ru;q=0.4")).toBe("en");
    expect(fromAcceptLanguage("fr")).toBeNull();
    expect(fromAcceptLanguage(null)).toBeNull();
  });
});
