import { describe, expect, it } from "vitest";
import { translator } from "~/i18n/catalog";
import { autosaveOutcome } from "./page-form";

describe("autosave replies the respondent is told about", () => {
  it("a draft over the total limit and a survey now open to invitations only are not reported as connection problems", () => {
    expect(autosaveOutcome(false, { error: "draft_too_large" })).toEqual({ state: "tooLarge" });
    expect(autosaveOutcome(false, { error: "invitation_only" })).toEqual({ state: "notAccepted" });
    expect(autosaveOutcome(false, { error: "answer_too_long" })).toEqual({ state: "tooLong" });
    expect(autosaveOutcome(false, null)).toEqual({ state: "failed" });
    expect(autosaveOutcome(true, { savedAt: "2026-12-05T08:00:00.000Z" })).toEqual({ state: "saved", at: new Date("2026-12-05T08:00:00.000Z") });
  });

  it("their messages exist in English and Russian and say what happened", () => {
    const en = translator("en");
    const ru = translator("ru");
    expect(en("respond.page.autosaveTooLarge")).toMatch(/larger than 1 MB/);
    expect(en("respond.page.autosaveNotAccepted")).toMatch(/only through personal invitations/);
    expect(ru("respond.page.autosaveTooLarge")).toMatch(/1 МБ/);
    expect(ru("respond.page.autosaveNotAccepted")).toMatch(/персональным приглашениям/);
  });
});
