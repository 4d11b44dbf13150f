import { describe, expect, it } from "vitest";
import { everyType } from "./__fixtures__/every-type";
import { formatIsoDate } from "./locale";
import { validationMessages } from "./messages";
import { answerSchemaOf, type Question } from "./registry";
import { findQuestion } from "./schema";

/** The messages a question's answer gets, as `path: message`. */
function messagesFor(key: string, value: unknown, locale: string, change: Partial<Question> = {}) {
  const question = { ...findQuestion(everyType, key)!, ...change } as Question;
  const result = answerSchemaOf(question, validationMessages(locale)).safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}

describe("a required question left blank is told what to do, by its type", () => {
  const cases: Array<[string, Partial<Question>, string, string]> = [
    ["org_type", {}, "Select one option.", "Выберите один из вариантов."],
    [
      "instruments",
      { required: true },
      "Select at least one option.",
      "Выберите хотя бы один вариант.",
    ],
    [
      "satisfaction",
      { required: true },
      "Select a value from 0 to 10.",
      "Выберите значение от 0 до 10.",
    ],
    ["barriers", {}, "Select a value in every row.", "Выберите значение в каждой строке."],
    [
      "priorities",
      { required: true },
      "Put every item in order, from 1 to 3.",
      "Расставьте все пункты по порядку, от 1 до 3.",
    ],
    [
      "budget",
      { required: true },
      "Enter a number between 0 and 1000000.",
      "Введите число от 0 до 1000000.",
    ],
    ["project_name", { required: true }, "Enter your answer.", "Введите ответ."],
    ["project_end", { required: true }, "Enter a date.", "Введите дату."],
    ["partner_country", { required: true }, "Select a country.", "Выберите страну."],
    [
      "needs",
      { required: true },
      "Describe at least one need.",
      "Опишите хотя бы одну потребность.",
    ],
  ];
  for (const [key, change, en, ru] of cases) {
    it(key, () => {
      expect(messagesFor(key, undefined, "en", change)).toEqual([`: ${en}`]);
      expect(messagesFor(key, undefined, "ru", change)).toEqual([`: ${ru}`]);
    });
  }
});

describe("a message about a part of a question names the part", () => {
  const need = {
    id: "n1",
    title: "Joint call",
    category: "funding",
    horizon: "short_term",
    urgency: 4,
    importance: 5,
  };
  it("names the need entry and the field of a need list", () => {
    const second = { ...need, id: "n2", urgency: undefined, importance: undefined };
    expect(messagesFor("needs", [need, second], "en")).toEqual([
      "1.urgency: Rate the urgency of need 2.",
      "1.importance: Rate the importance of need 2.",
    ]);
    expect(messagesFor("needs", [need, second], "ru")).toEqual([
      "1.urgency: Оцените срочность потребности 2.",
      "1.importance: Оцените важность потребности 2.",
    ]);
    expect(messagesFor("needs", [{ ...need, title: "", category: undefined }], "ru")).toEqual([
      "0.title: Кратко назовите потребность 1.",
      "0.category: Выберите категорию для потребности 1.",
    ]);
  });
  it("names the statement of a Borich question and the rating missing", () => {
    expect(messagesFor("competences", { ipr: { importance: 4 } }, "en")).toEqual([
      "ipr.current: Rate your current level in “IPR”.",
    ]);
    expect(messagesFor("competences", { ipr: { current: 2 } }, "ru")).toEqual([
      "ipr.importance: Оцените важность пункта «ИС».",
    ]);
  });
  it("names the row of a matrix", () => {
    expect(messagesFor("barriers", { visas: 2 }, "ru")).toEqual([
      "customs: Выберите значение для строки «Таможня».",
    ]);
  });
});

describe("limits are said as a range when there are two ends", () => {
  it("numbers, with a decimal comma in Russian", () => {
    expect(messagesFor("budget", -1, "en")).toEqual([": Enter a number between 0 and 1000000."]);
    expect(messagesFor("budget", 7, "ru", { min: 0.5, max: 2.5, integer: false })).toEqual([
      ": Введите число от 0,5 до 2,5.",
    ]);
  });
  it("dates, written in the respondent's language", () => {
    expect(messagesFor("project_end", "2025-01-01", "ru")).toEqual([
      ": Введите дату в промежутке с 1 января 2026 г. по 31 декабря 2030 г.",
    ]);
    expect(formatIsoDate("2027-06-30", "en")).toBe("30 June 2027");
    expect(formatIsoDate("2027-06-30", "ru")).toBe("30 июня 2027 г.");
    expect(formatIsoDate("2027-02-30x", "ru")).toBe("2027-02-30x");
  });
});
