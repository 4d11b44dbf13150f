import { describe, expect, it } from "vitest";
import { everyType } from "~/survey/__fixtures__/every-type";
import { answersForConditions, definitionForBrowser } from "./respond-view.server";
import {
  accessCheck,
  answersFromStoredRows,
  DRAFT_ITEM,
  hashToken,
  isIdempotencyKey,
  newReference,
  pageProgress,
  REVIEW_MARK,
  resumeTarget,
  surveyAvailability,
} from "./responses";

const now = new Date("2026-06-01T12:00:00Z");
const day = 86_400_000;

describe("surveyAvailability", () => {
  const open = { status: "open" as const, opens_at: null, closes_at: null };
  it("accepts an open survey within its dates", () => {
    expect(surveyAvailability(open, now)).toBeNull();
    expect(
      surveyAvailability(
        {
          ...open,
          opens_at: new Date(now.getTime() - day),
          closes_at: new Date(now.getTime() + day),
        },
        now,
      ),
    ).toBeNull();
  });
  it("gives the reason and status of every other case", () => {
    expect(surveyAvailability(null, now)).toMatchObject({ reason: "unknown", status: 404 });
    expect(surveyAvailability({ ...open, status: "draft" }, now)).toMatchObject({
      reason: "draft",
      status: 404,
    });
    expect(surveyAvailability({ ...open, status: "closed" }, now)).toMatchObject({
      reason: "closed",
      status: 410,
    });
    expect(surveyAvailability({ ...open, closes_at: now }, now)).toMatchObject({
      reason: "closed",
      status: 410,
    });
    const later = new Date(now.getTime() + day);
    expect(surveyAvailability({ ...open, opens_at: later }, now)).toEqual({
      reason: "not_yet_open",
      status: 403,
      opensAt: later,
      closesAt: null,
    });
  });
});

describe("tokens and references", () => {
  it("hashes tokens with SHA-256 (hex)", () => {
    expect(hashToken("abc")).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
  });
  it("makes references like NM-7K3Q-9XD2 without I, L, O or U", () => {
    const refs = new Set(Array.from({ length: 500 }, newReference));
    expect(refs.size).toBe(500);
    for (const ref of refs) expect(ref).toMatch(/^NM-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
  });
  it("accepts idempotency keys of 8 to 100 safe characters", () => {
    expect(isIdempotencyKey("3f2b8a1c-6f0e-4d2a-9b9e-1f2a3b4c5d6e")).toBe(true);
    expect(isIdempotencyKey("short")).toBe(false);
    expect(isIdempotencyKey("has space in it")).toBe(false);
    expect(isIdempotencyKey(42)).toBe(false);
  });
});

describe("navigation", () => {
  const complete = {
    org_type: "university",
    barriers: { visas: 1, customs: 2 },
  };
  it("counts visible pages only", () => {
    expect(pageProgress(everyType, "details", complete)).toEqual({
      index: 2,
      total: 3,
      previous: "choices",
      next: "needs",
    });
    expect(pageProgress(everyType, "choices", {})).toMatchObject({ index: 1, previous: null });
    expect(pageProgress(everyType, "needs", complete)).toMatchObject({ index: 3, next: null });
  });

  it("resumes at the first incomplete page or the first one not yet passed", () => {
    expect(resumeTarget(everyType, {}, null, "en")).toEqual({ page: "choices" });
    expect(resumeTarget(everyType, complete, "details", "en")).toEqual({ page: "details" });
    expect(resumeTarget(everyType, complete, REVIEW_MARK, "en")).toEqual({ review: true });
    // a required answer missing on a page already passed
    expect(resumeTarget(everyType, { org_type: "university" }, REVIEW_MARK, "en")).toEqual({
      page: "choices",
    });
    // an invalid draft on a passed page
    expect(
      resumeTarget(everyType, { ...complete, project_name: "x".repeat(50) }, REVIEW_MARK, "en"),
    ).toEqual({
      page: "details",
    });
  });
});

describe("stored rows", () => {
  it("reads normal rows through the registry and a draft row as typed", () => {
    const rows = [
      {
        question_key: "org_type",
        item: null,
        option_code: "company",
        value_num: null,
        value_text: null,
        value_json: null,
      },
      {
        question_key: "budget",
        item: DRAFT_ITEM,
        option_code: null,
        value_num: null,
        value_text: null,
        value_json: "12 kEUR",
      },
      {
        question_key: "gone",
        item: null,
        option_code: "x",
        value_num: null,
        value_text: null,
        value_json: null,
      },
    ];
    expect(answersFromStoredRows(everyType, rows)).toEqual({
      org_type: "company",
      budget: "12 kEUR",
    });
  });
});

describe("what the browser gets", () => {
  it("keeps the texts of the page in one language and drops the others", () => {
    const def = definitionForBrowser(everyType, "ru", "details");
    const details = def.pages.find((p) => p.key === "details")!;
    expect(details.title).toEqual({ ru: "Подробности" });
    expect(details.questions[0].label).toEqual({ ru: "Бюджет" });
    const choices = def.pages.find((p) => p.key === "choices")!;
    expect(choices.title).toEqual({});
    expect(choices.questions[0]).toMatchObject({
      key: "org_type",
      type: "single_choice",
      required: true,
    });
    expect(JSON.stringify(def).length).toBeLessThan(JSON.stringify(everyType).length * 0.75);
    // structure needed by conditions and schemas survives
    expect(details.questions[0].showIf).toEqual({ question: "org_type", equals: "company" });
  });

  it("sends the answers that conditions of the survey look at, from other pages only", () => {
    expect(
      answersForConditions(
        everyType,
        { org_type: "company", budget: 5, satisfaction: 3 },
        "details",
      ),
    ).toEqual({
      org_type: "company",
    });
    expect(answersForConditions(everyType, { org_type: "company" }, "choices")).toEqual({});
  });
});

describe("accessCheck: the one check of starting and submitting", () => {
  const open = {
    status: "open" as const,
    opens_at: null,
    closes_at: null,
    access_mode: "open_link" as const,
  };
  const active = { status: "active" as const, submitted: false };
  const reason = (facts: Parameters<typeof accessCheck>[0]) =>
    accessCheck(facts, now)?.reason ?? null;
  it("lets an open survey through the open link, and an invitation through any survey", () => {
    expect(reason({ survey: open, invitation: null })).toBeNull();
    expect(
      reason({ survey: { ...open, access_mode: "invitation_only" }, invitation: active }),
    ).toBeNull();
  });
  it("refuses with one code per case, the person's own link before the survey's state", () => {
    const closed = { ...open, status: "closed" as const };
    expect(reason({ survey: null, invitation: null })).toBe("unknown");
    expect(reason({ survey: closed, invitation: null })).toBe("closed");
    expect(
      reason({ survey: { ...open, opens_at: new Date(now.getTime() + day) }, invitation: null }),
    ).toBe("not_yet_open");
    expect(reason({ survey: { ...open, access_mode: "invitation_only" }, invitation: null })).toBe(
      "invitation_only",
    );
    expect(reason({ survey: open, invitation: "unknown" })).toBe("invitation_unknown");
    expect(reason({ survey: closed, invitation: { ...active, status: "revoked" } })).toBe(
      "invitation_revoked",
    );
    expect(reason({ survey: closed, invitation: { ...active, submitted: true } })).toBe(
      "already_submitted",
    );
    expect(
      accessCheck({ survey: open, invitation: { ...active, submitted: true } }, now)?.status,
    ).toBe(409);
  });
});
