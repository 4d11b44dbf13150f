import { describe, expect, it } from "vitest";
import { everyType } from "./__fixtures__/every-type";
import { draftBytes, draftLimitIssues } from "./draft-limits";
import { validationMessages } from "./messages";
import { allQuestions } from "./schema";

const question = (key: string) => allQuestions(everyType).find((q) => q.key === key)!;
const en = validationMessages("en");

describe("draft limits", () => {
  it("take a text's limit from its question, and let anything within it through", () => {
    // comments: long_text with maxLength 50
    expect(draftLimitIssues(question("comments"), "x".repeat(50), en)).toEqual([]);
    expect(draftLimitIssues(question("comments"), "x".repeat(51), en)).toEqual([
      { path: ["comments"], message: "Use at most 50 characters." },
    ]);
  });

  it("find texts inside need entries and 'other' answers, by their path", () => {
    const issues = draftLimitIssues(
      question("needs"),
      [{ id: "n1", title: "t".repeat(201), description: "ok", category: "funding" }],
      en,
    );
    expect(issues).toEqual([
      { path: ["needs", 0, "title"], message: "Use at most 200 characters." },
    ]);
    expect(
      draftLimitIssues(
        question("instruments"),
        { selected: ["joint_calls"], other: "o".repeat(201) },
        en,
      ),
    ).toEqual([{ path: ["instruments", "other"], message: "Use at most 200 characters." }]);
  });

  it("limit any other text of a draft to the longest answer a question accepts", () => {
    expect(draftLimitIssues(question("budget"), "a".repeat(10_000), en)).toEqual([]);
    expect(draftLimitIssues(question("budget"), "a".repeat(10_001), en)).toEqual([
      { path: ["budget"], message: "Use at most 10000 characters." },
    ]);
    // required or invalid answers are not size problems
    expect(draftLimitIssues(question("org_type"), "nonsense", en)).toEqual([]);
  });

  it("measure a draft in UTF-8 bytes of its JSON", () => {
    expect(draftBytes({ a: "ж" })).toBe('{"a":""}'.length + 2);
  });
});
