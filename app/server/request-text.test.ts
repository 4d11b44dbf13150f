import { describe, expect, it } from "vitest";
import { parseStrictJson } from "./request-text.server";

describe("parseStrictJson", () => {
  it("parses JSON whose strings can be stored as sent, with and without escapes", () => {
    expect(parseStrictJson('{"a":"Привет","b":[1,2.5,null,true],"c":{"d":"x\\"y"}}')).toEqual({
      a: "Привет",
      b: [1, 2.5, null, true],
      c: { d: 'x"y' },
    });
    expect(parseStrictJson('{"a":"\\u041f\\ud83d\\ude00"}')).toEqual({ a: "П😀" });
  });

  it("refuses a NUL character or an unpaired surrogate, escaped or written literally", () => {
    for (const text of [
      '{"a":"x\\u0000"}',
      '{"\\u0000":1}',
      '{"a":"\\ud800"}',
      '{"a":"\\udc00x"}',
      '{"a":"x\u0000"}',
      '{"a":"\ud800"}',
      '{"\udfff":1}',
    ]) {
      expect(() => parseStrictJson(text), text).toThrow(SyntaxError);
    }
  });
});
