import { describe, expect, it } from "vitest";
import { everyType } from "./__fixtures__/every-type";
import { buildPageSchema, buildSubmissionSchema } from "./answer-schema";
import { validationMessages } from "./messages";
import { answerSchemaOf, type Question, type QuestionOfType, type QuestionType } from "./registry";
import { findQuestion } from "./schema";

const en = validationMessages("en");

function question<T extends QuestionType>(key: string, type: T): QuestionOfType<T> {
  const found = findQuestion(everyType, key);
  if (found?.type !== type) throw new Error(`no ${type} question "${key}"`);
  return found as QuestionOfType<T>;
}

/** The parsed answer, or the issues as `path: message`. */
function validate(
  q: Question,
  value: unknown,
  locale = "en",
): { data: unknown } | { issues: string[] } {
  const result = answerSchemaOf(q, validationMessages(locale)).safeParse(value);
  return result.success
    ? { data: result.data }
    : { issues: result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) };
}

describe("single_choice answers", () => {
  const q = question("org_type", "single_choice");
  it("accepts an option code", () => expect(validate(q, "company")).toEqual({ data: "company" }));
  it("requires an answer when required", () => {
    expect(validate(q, undefined)).toEqual({ issues: [": Select one option."] });
    expect(validate(q, " ")).toEqual({ issues: [": Select one option."] });
  });
  it("rejects other values", () => {
    expect(validate(q, "school")).toEqual({ issues: [`: ${en.chooseOption}`] });
    expect(validate(q, 3)).toEqual({ issues: [`: ${en.chooseOption}`] });
  });
  it("is optional when not required", () => {
    expect(validate({ ...q, required: false }, undefined)).toEqual({ data: undefined });
  });
});

describe("multi_choice answers", () => {
  const q = question("instruments", "multi_choice");
  it("accepts codes, returning them in option order without repeats", () => {
    expect(validate(q, { selected: ["mobility", "joint_calls", "mobility"] })).toEqual({
      data: { selected: ["joint_calls", "mobility"] },
    });
    expect(validate(q, { selected: ["co_funding"], other: "  Travel grants " })).toEqual({
      data: { selected: ["co_funding"], other: "Travel grants" },
    });
  });
  it("treats nothing selected as unanswered", () => {
    expect(validate(q, { selected: [], other: " " })).toEqual({ data: undefined });
  });
  it("counts the other text as a selection", () => {
    expect(validate(q, { selected: ["joint_calls", "mobility"], other: "x" })).toEqual({
      issues: [`: ${en.chooseAtMost(2)}`],
    });
    expect(validate({ ...q, minSelections: 2 }, { selected: ["joint_calls"] })).toEqual({
      issues: [`: ${en.chooseAtLeast(2)}`],
    });
  });
  it("rejects unknown codes, long other text, and other text where there is no other", () => {
    expect(validate(q, { selected: ["grants"] })).toEqual({
      issues: [`selected.0: ${en.chooseOption}`],
    });
    expect(validate(q, { selected: [], other: "x".repeat(201) })).toEqual({
      issues: [`other: ${en.tooLong(200)}`],
    });
    expect(validate({ ...q, other: false }, { selected: [], other: "x" })).toEqual({
      issues: [`other: ${en.noOtherAnswer}`],
    });
    expect(validate(q, ["joint_calls"])).toEqual({ issues: [`: ${en.invalid}`] });
  });
});

describe("scale answers", () => {
  const q = question("satisfaction", "scale");
  it("accepts integers from min to max", () => {
    expect(validate(q, 0)).toEqual({ data: 0 });
    expect(validate(q, 10)).toEqual({ data: 10 });
  });
  it("rejects values outside the scale, fractions and text", () => {
    for (const value of [11, -1, 2.5, "5"]) {
      expect(validate(q, value)).toEqual({ issues: [`: ${en.scaleRange(0, 10)}`] });
    }
  });
});

describe("matrix answers", () => {
  const q = question("barriers", "matrix");
  it("accepts a point per row", () => {
    expect(validate(q, { visas: 1, customs: 5 })).toEqual({ data: { visas: 1, customs: 5 } });
  });
  it("needs every row when required, any rows otherwise", () => {
    expect(validate(q, { visas: 1 })).toEqual({
      issues: ["customs: Select a value for “Customs”."],
    });
    expect(validate(q, {})).toEqual({ issues: [": Select a value in every row."] });
    expect(validate({ ...q, required: false }, { visas: 2 })).toEqual({ data: { visas: 2 } });
  });
  it("rejects points outside the scale and unknown rows", () => {
    expect(validate(q, { visas: 6, customs: 1 })).toEqual({
      issues: [`visas: ${en.scaleRange(1, 5)}`],
    });
    expect(validate(q, { visas: 1, customs: 1, taxes: 1 })).toEqual({
      issues: [`: ${en.invalid}`],
    });
  });
});

describe("ranking answers", () => {
  const q = question("priorities", "ranking");
  it("accepts a full permutation", () => {
    expect(validate(q, { funding: 2, access: 1, data: 3 })).toEqual({
      data: { funding: 2, access: 1, data: 3 },
    });
  });
  it("rejects repeated ranks, missing items and ranks out of range", () => {
    expect(validate(q, { funding: 1, access: 1, data: 2 })).toEqual({
      issues: [`access: ${en.rankOnce}`],
    });
    expect(validate(q, { funding: 1 })).toEqual({ issues: [`: ${en.rankAll(3)}`] });
    expect(validate(q, { funding: 4, access: 1, data: 2 })).toEqual({
      issues: [`funding: ${en.rankAll(3)}`],
    });
  });
});

describe("number answers", () => {
  const q = question("budget", "number");
  it("accepts numbers in range", () => expect(validate(q, 12000)).toEqual({ data: 12000 }));
  it("rejects fractions for integers, values out of range and text", () => {
    expect(validate(q, 1.5)).toEqual({ issues: [`: ${en.integer}`] });
    expect(validate(q, -1)).toEqual({ issues: [": Enter a number between 0 and 1000000."] });
    expect(validate(q, 2_000_000)).toEqual({
      issues: [": Enter a number between 0 and 1000000."],
    });
    expect(validate(q, "12k")).toEqual({ issues: [`: ${en.number}`] });
  });
});

describe("text and long_text answers", () => {
  const text = question("project_name", "text");
  const long = question("comments", "long_text");
  it("trims text and limits its length", () => {
    expect(validate(text, "  ERA-Net  ")).toEqual({ data: "ERA-Net" });
    expect(validate(text, "x".repeat(21))).toEqual({ issues: [`: ${en.tooLong(20)}`] });
    expect(validate(text, "one\ntwo")).toEqual({ issues: [`: ${en.singleLine}`] });
  });
  it("keeps line breaks of long text, normalised", () => {
    expect(validate(long, "one\r\ntwo\r\n")).toEqual({ data: "one\ntwo" });
    expect(validate(long, "x".repeat(51))).toEqual({ issues: [`: ${en.tooLong(50)}`] });
  });
});

describe("date answers", () => {
  const q = question("project_end", "date");
  it("accepts calendar dates in range", () =>
    expect(validate(q, "2027-02-28")).toEqual({ data: "2027-02-28" }));
  it("rejects impossible dates, other formats and dates out of range", () => {
    expect(validate(q, "2027-02-30")).toEqual({ issues: [": Enter a real date, like 30 6 2027."] });
    expect(validate(q, "28.02.2027")).toEqual({ issues: [": Enter a real date, like 30 6 2027."] });
    const range = ": Enter a date between 1 January 2026 and 31 December 2030.";
    expect(validate(q, "2025-12-31")).toEqual({ issues: [range] });
    expect(validate(q, "2031-01-01")).toEqual({ issues: [range] });
    expect(validate({ ...q, max: undefined }, "2025-12-31")).toEqual({
      issues: [": Enter a date on or after 1 January 2026."],
    });
  });
});

describe("country answers", () => {
  const q = question("partner_country", "country");
  it("accepts ISO 3166-1 alpha-2 codes only", () => {
    expect(validate(q, "DE")).toEqual({ data: "DE" });
    expect(validate(q, "XX")).toEqual({ issues: [`: ${en.country}`] });
    expect(validate(q, "de")).toEqual({ issues: [`: ${en.country}`] });
  });
});

describe("need_list answers", () => {
  const q = question("needs", "need_list");
  const need = {
    id: "n1",
    title: " Joint call on hydrogen ",
    description: "Two-stage call\r\nwith co-funding",
    category: "funding",
    horizon: "short_term",
    urgency: 5,
    importance: 4,
  };
  it("accepts need entries", () => {
    expect(validate(q, [need, { ...need, id: "n2", description: "" }])).toEqual({
      data: [
        {
          ...need,
          title: "Joint call on hydrogen",
          description: "Two-stage call\nwith co-funding",
        },
        { ...need, id: "n2", title: "Joint call on hydrogen", description: undefined },
      ].map(({ description, ...rest }) => (description ? { ...rest, description } : rest)),
    });
  });
  it("checks every field of an entry", () => {
    const bad = {
      id: "n1",
      title: " ",
      description: "x".repeat(2001),
      category: "travel",
      horizon: "long_term",
      urgency: 6,
    };
    expect(validate(q, [bad])).toEqual({
      issues: [
        "0.title: Enter a short title for need 1.",
        `0.description: ${en.tooLong(2000)}`,
        "0.category: Select a category for need 1.",
        "0.horizon: Select a time horizon for need 1.",
        "0.urgency: Select a value from 1 to 5.",
        "0.importance: Rate the importance of need 1.",
      ],
    });
    expect(validate(q, [{ ...need, title: "x".repeat(201) }])).toEqual({
      issues: [`0.title: ${en.tooLong(200)}`],
    });
  });
  it("limits the number of entries and keeps ids unique", () => {
    const entries = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ ...need, id: `n${i + 1}` }));
    expect(validate(q, entries(4))).toEqual({ issues: [`: ${en.addAtMost(3)}`] });
    expect(validate({ ...q, minEntries: 2 }, entries(1))).toEqual({
      issues: [`: ${en.addAtLeast(2)}`],
    });
    expect(validate(q, [need, need])).toEqual({ issues: [`1.id: ${en.invalid}`] });
    expect(validate({ ...q, required: true }, [])).toEqual({
      issues: [": Describe at least one need."],
    });
    expect(validate(q, [need, { ...need, id: "n2", urgency: undefined }])).toEqual({
      issues: ["1.urgency: Rate the urgency of need 2."],
    });
  });
});

describe("borich answers", () => {
  const q = question("competences", "borich");
  it("accepts importance and current level per statement", () => {
    expect(validate(q, { ipr: { importance: 5, current: 2 } })).toEqual({
      data: { ipr: { importance: 5, current: 2 } },
    });
  });
  it("needs both ratings, on the 1–5 scale, and every statement when required", () => {
    expect(validate(q, { ipr: { importance: 3 } })).toEqual({
      issues: ["ipr.current: Rate your current level in “IPR”."],
    });
    expect(validate(q, { ipr: { importance: 0, current: 2 } })).toEqual({
      issues: ["ipr.importance: Select a value from 1 to 5."],
    });
    expect(validate({ ...q, required: true }, { ipr: { importance: 3, current: 3 } })).toEqual({
      issues: [
        "proposal_writing.importance: Rate the importance of “Proposal writing”.",
        "proposal_writing.current: Rate your current level in “Proposal writing”.",
      ],
    });
  });
});

describe("messages", () => {
  it("are in the respondent's language, with Russian plural forms", () => {
    const ru = validationMessages("ru");
    const q = question("org_type", "single_choice");
    expect(validate(q, undefined, "ru")).toEqual({ issues: [": Выберите один из вариантов."] });
    expect(ru.chooseAtMost(1)).toBe("Выберите не более 1 варианта.");
    expect(ru.chooseAtMost(3)).toBe("Выберите не более 3 вариантов.");
    expect(ru.chooseAtMost(5)).toBe("Выберите не более 5 вариантов.");
    expect(ru.chooseAtMost(21)).toBe("Выберите не более 21 варианта.");
    expect(en.chooseAtMost(1)).toBe("Select no more than 1 option.");
    expect(validationMessages("de")).toBe(en);
  });
});

describe("buildPageSchema", () => {
  const issues = (result: {
    success: boolean;
    error?: { issues: { path: PropertyKey[]; message: string }[] };
  }) => result.error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`);

  it("validates the visible questions of the page and returns their answers", () => {
    const schema = buildPageSchema(everyType, "choices", {}, "en");
    expect(
      schema.parse({ org_type: "company", barriers: { visas: 1, customs: 2 }, stray: 1 }),
    ).toEqual({
      org_type: "company",
      barriers: { visas: 1, customs: 2 },
    });
    expect(issues(schema.safeParse({ barriers: { visas: 1 } }))).toEqual([
      "org_type: Select one option.",
      "barriers.customs: Select a value for “Customs”.",
    ]);
  });

  it("skips questions hidden by earlier answers and drops their values", () => {
    const answers = { org_type: "university" };
    expect(buildPageSchema(everyType, "details", answers, "en").parse({ budget: -5 })).toEqual({});
    const visible = buildPageSchema(everyType, "details", { org_type: "company" }, "en");
    expect(issues(visible.safeParse({ budget: -5 }))).toEqual([
      "budget: Enter a number between 0 and 1000000.",
    ]);
  });

  it("decides visibility with the page's own values, overriding earlier answers", () => {
    const chainAnswers = { org_type: "company" };
    const schema = buildPageSchema(everyType, "choices", {}, "en");
    expect(schema.parse({ ...chainAnswers, barriers: { visas: 1, customs: 1 } })).toEqual({
      org_type: "company",
      barriers: { visas: 1, customs: 1 },
    });
    // The respondent changed org_type on this page: budget (on a later page) stays as it was,
    // but a page whose condition depends on it is evaluated with the new value.
    const details = buildPageSchema(everyType, "details", { org_type: "company" }, "en");
    expect(issues(details.safeParse({ budget: "abc" }))).toEqual([`budget: ${en.number}`]);
  });

  it("uses the respondent's language", () => {
    const schema = buildPageSchema(everyType, "choices", {}, "ru");
    expect(issues(schema.safeParse({ barriers: { visas: 1, customs: 2 } }))).toEqual([
      "org_type: Выберите один из вариантов.",
    ]);
  });

  it("throws for an unknown page", () => {
    expect(() => buildPageSchema(everyType, "nope", {}, "en")).toThrow('unknown page "nope"');
  });
});

describe("buildSubmissionSchema", () => {
  it("validates every visible question and drops hidden answers", () => {
    const schema = buildSubmissionSchema(everyType, "en");
    const answers = {
      org_type: "university",
      barriers: { visas: 3, customs: 4 },
      budget: 10,
      extra: "x",
    };
    expect(schema.parse(answers)).toEqual({
      org_type: "university",
      barriers: { visas: 3, customs: 4 },
    });
    const result = schema.safeParse({ org_type: "company", budget: 0.5, partner_country: "XX" });
    expect(result.error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`)).toEqual([
      "barriers: Select a value in every row.",
      "budget: Enter a whole number, like 12.",
      `partner_country: ${en.country}`,
    ]);
  });

  it("rejects something that is not an answer map", () => {
    expect(buildSubmissionSchema(everyType, "en").safeParse(["x"]).success).toBe(false);
  });
});
