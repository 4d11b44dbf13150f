import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { catalogs, en, translator } from "./catalog";
import { messagesOf, messagesOfParts, RESPOND_NAMESPACES } from "./catalogs.server";
import { pageMessageParts } from "./page-messages";
import { fromAcceptLanguage } from "./locale.server";
import { interpolate, LANGUAGE_NAMES, LOCALES, SWITCH_TO, translator as translatorOf } from "./translate";

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

describe("texts in browser code", () => {
  it("language names and switch labels are those of the catalogs", () => {
    for (const l of LOCALES) {
      expect(LANGUAGE_NAMES[l]).toBe(catalogs[l].common.languageNames[l]);
      expect(SWITCH_TO[l]).toBe(catalogs[l].common.switchTo);
      expect(interpolate(SWITCH_TO[l], { language: LANGUAGE_NAMES[l] })).toBe(
        translator(l)("common.switchTo", { language: LANGUAGE_NAMES[l] }),
      );
    }
  });

  it("a loader's namespaces translate like the whole catalog; other keys stay keys", () => {
    const t = translatorOf("ru", messagesOf("ru", RESPOND_NAMESPACES));
    expect(t("respond.page.next")).toBe(translator("ru")("respond.page.next"));
    expect(t("common.minutes", { count: 3 })).toBe("3 минуты");
    expect(t("manage.nav.audit")).toBe("manage.nav.audit");
    expect(translatorOf("ru", {}, en)("manage.nav.audit")).toBe(en.manage.nav.audit);
  });

  it("browser modules import no catalog data (they get their texts from loader data)", () => {
    const app = path.resolve(__dirname, "..");
    const files = (readdirSync(app, { recursive: true }) as string[])
      .filter((f) => /\.tsx?$/.test(f) && !/\.(server|test)\.tsx?$/.test(f))
      .filter((f) => !f.startsWith(`server${path.sep}`) && !f.startsWith(`i18n${path.sep}catalog`));
    const offenders = files.filter((f) => {
      const text = readFileSync(path.join(app, f), "utf8");
      return /^import\s+(?!type\b)[^;]*from\s+["'](~\/i18n|\.{1,2}(\/\.\.)*\/i18n|\.)\/catalog["']/m.test(text);
    });
    expect(files.length).toBeGreaterThan(50);
    expect(offenders).toEqual([]);
  });
});

describe("a page's own list of messages", () => {
  const parts = pageMessageParts("/staff/groups/health");

  it("the working-group dashboard lists its texts; other staff pages get every namespace", () => {
    expect(parts).not.toBeNull();
    expect(pageMessageParts("/staff/groups/health/texts")).toBeNull();
    expect(pageMessageParts("/staff/overview")).toBeNull();
  });

  it("gives the texts of the parts, in both languages, and none of the others", () => {
    for (const locale of LOCALES) {
      const messages = messagesOfParts(locale, parts!);
      const t = translatorOf(locale, messages);
      const full = translator(locale);
      for (const key of [
        "common.signIn",
        "auth.nav.signOut",
        "manage.nav.surveys",
        "dashboard.onDemand.show",
        "dashboard.texts.kinds.otherAnswer",
        "delphi.consensus.title",
        "exports.links.xlsx",
        "register.figures.add",
        "respond.page.next",
      ] as const)
        expect([key, t(key, { section: "S" })]).toEqual([key, full(key, { section: "S" })]);
      expect(Object.keys(messages).sort()).toEqual(
        ["auth", "common", "dashboard", "delphi", "exports", "manage", "register", "respond"].sort(),
      );
      expect(messages.manage).toEqual({ nav: catalogs[locale].manage.nav });
      expect(messages.dashboard).not.toHaveProperty("report");
    }
  });

  it("refuses a part that is not in the catalog", () => {
    expect(() => messagesOfParts("en", ["dashboard.nowhere"])).toThrow(/dashboard\.nowhere/);
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
