import { describe, expect, it } from "vitest";
import { redactPath } from "./security";

describe("redactPath", () => {
  it("hides the token of personal and response links", () => {
    expect(redactPath("/i/3q2-abcDEF_xyz")).toBe("/i/[token]");
    expect(redactPath("/r/3q2-abcDEF_xyz/p/needs")).toBe("/r/[token]/p/needs");
    expect(redactPath("/r/abc/review")).toBe("/r/[token]/review");
  });
  it("leaves other paths as they are", () => {
    expect(redactPath("/s/health-2026")).toBe("/s/health-2026");
    expect(redactPath("/staff/groups/energy")).toBe("/staff/groups/energy");
    expect(redactPath("/")).toBe("/");
  });
});
