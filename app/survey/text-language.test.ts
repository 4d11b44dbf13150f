import { describe, expect, it } from "vitest";
import { textLanguage } from "./locale";

describe("textLanguage", () => {
  it("reads the language from the script of the text, whatever the survey's language", () => {
    expect(textLanguage("Нужны совместные конкурсы", "en")).toBe("ru");
    expect(textLanguage("Joint calls are needed", "ru")).toBe("en");
  });

  it("keeps the response's language when the script does not decide", () => {
    // Too few letters, only digits, or a mix of both scripts.
    expect(textLanguage("5G", "ru")).toBe("ru");
    expect(textLanguage("2027 – 2030", "en")).toBe("en");
    expect(textLanguage("Программа Horizon Europe и ERA", "en")).toBe("en");
    expect(textLanguage("Программа Horizon Europe и ERA", "ru")).toBe("ru");
  });

  it("counts a few foreign words in a longer text as the text's language", () => {
    expect(textLanguage("Визы для участников проектов Horizon", "en")).toBe("ru");
  });
});
