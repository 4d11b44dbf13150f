import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { action as apiAction, loader as apiLoader } from "~/routes/api.surveys.$slug.responses";
import { action as invitationAction, loader as invitationLoader } from "~/routes/i.$token";
import { action as autosaveAction } from "~/routes/r.$token.autosave";
import { loader as doneLoader } from "~/routes/r.$token.done";
import { loader as resumeLoader } from "~/routes/r.$token._index";
import { action as pageAction, loader as pageLoader } from "~/routes/r.$token.p.$page";
import { action as reviewAction, loader as reviewLoader } from "~/routes/r.$token.review";
import { loader as savedLoader } from "~/routes/r.$token.saved";
import { action as landingAction, loader as landingLoader } from "~/routes/s.$slug";
import {
  answersFromStoredRows,
  DRAFT_ITEM,
  hashToken,
  loadResponse,
  REVIEW_MARK,
  startResponse,
  submitCompleteResponse,
  submitResponse,
} from "~/server/responses";
import { addVersion, syncSurveyDirectory } from "~/server/surveys.server";
import { newToken } from "~/server/tokens.server";
import { upsertWorkingGroups } from "~/server/working-groups.server";
import { everyType } from "~/survey/__fixtures__/every-type";
import { buildSubmissionSchema } from "~/survey/answer-schema";
import { definitionHash } from "~/survey/load";
import { answersFromRows } from "~/survey/storage";
import { createTestDatabase, type TestDatabase } from "./db";
import { actionArgs, loaderArgs } from "./remix";
import {
  call,
  createInvitation,
  createSurvey,
  json,
  parseQuestionnaireUrl,
} from "./respond-helpers";

let t: TestDatabase;
let inviteOnlyId: number;
const SLUG = "every-type-open";

beforeAll(async () => {
  t = await createTestDatabase();
  await upsertWorkingGroups(t.db);
  await syncSurveyDirectory(t.db, "surveys");
  await createSurvey(t.db, everyType, { slug: SLUG });
  // Surveys that accept no answers, and one by invitation only.
  await createSurvey(t.db, everyType, { slug: "et-draft", status: "draft" });
  await createSurvey(t.db, everyType, {
    slug: "et-later",
    opensAt: new Date(Date.now() + 86_400_000 * 10),
  });
  await createSurvey(t.db, everyType, { slug: "et-closed", status: "closed" });
  await createSurvey(t.db, everyType, {
    slug: "et-past",
    closesAt: new Date(Date.now() - 86_400_000),
  });
  inviteOnlyId = (
    await createSurvey(t.db, everyType, { slug: "et-invite", accessMode: "invitation_only" })
  ).id;
});
afterAll(() => t?.close());

type Form = Record<string, string | string[]>;

/** The fields of the three pages of the every-type survey, as a browser posts them. */
const pages: Record<string, Form> = {
  choices: {
    "q.org_type": "company",
    "q.instruments": ["joint_calls"],
    "q.instruments.other": "Travel grants",
    "q.satisfaction": "0",
    "q.barriers.visas": "4",
    "q.barriers.customs": "2",
    "q.priorities.funding": "1",
    "q.priorities.access": "3",
    "q.priorities.data": "2",
  },
  details: {
    "q.budget": "50 000",
    "q.project_name": "ERA-Net",
    "q.comments": "Line one\r\nline two",
    "q.project_end": "2027-06-30",
    "q.partner_country": "fr",
  },
  needs: {
    "q.needs.0.title": "Joint call",
    "q.needs.0.description": "Two stages",
    "q.needs.0.category": "funding",
    "q.needs.0.horizon": "short_term",
    "q.needs.0.urgency": "5",
    "q.needs.0.importance": "4",
    "q.competences.proposal_writing.importance": "5",
    "q.competences.proposal_writing.current": "2",
    "q.competences.ipr.importance": "3",
    "q.competences.ipr.current": "3",
  },
};

/** The answers those fields mean, validated as a submission. */
const expectedAnswers = () =>
  buildSubmissionSchema(everyType, "en").parse({
    org_type: "company",
    instruments: { selected: ["joint_calls"], other: "Travel grants" },
    satisfaction: 0,
    barriers: { visas: 4, customs: 2 },
    priorities: { funding: 1, access: 3, data: 2 },
    budget: 50000,
    project_name: "ERA-Net",
    comments: "Line one\nline two",
    project_end: "2027-06-30",
    partner_country: "FR",
    needs: [
      {
        id: "n1",
        title: "Joint call",
        description: "Two stages",
        category: "funding",
        horizon: "short_term",
        urgency: 5,
        importance: 4,
      },
    ],
    competences: {
      proposal_writing: { importance: 5, current: 2 },
      ipr: { importance: 3, current: 3 },
    },
  });

/** The resume token the landing page made for the Start form carrying `key`. */
const formTokens = new Map<string, string>();

async function start(slug = SLUG, locale = "en", key = randomUUID()) {
  if (!formTokens.has(key)) formTokens.set(key, newToken().token);
  const resumeToken = formTokens.get(key)!;
  const res = await call(() =>
    landingAction(
      actionArgs(
        `/s/${slug}`,
        t.db,
        { intent: "start", idempotencyKey: key, resumeToken, locale },
        { params: { slug } },
      ),
    ),
  );
  return {
    ...res,
    ...(res.location?.startsWith("/r/")
      ? parseQuestionnaireUrl(res.location)
      : { token: "", page: null }),
    key,
  };
}

function postPage(token: string, page: string, form: Form, headers?: Record<string, string>) {
  return call(() =>
    pageAction(
      actionArgs(`/r/${token}/p/${page}`, t.db, form, { params: { token, page }, headers }),
    ),
  );
}

function getPage(token: string, page: string, query = "?lang=en", cookie?: string) {
  return call(() =>
    pageLoader(
      loaderArgs(`/r/${token}/p/${page}${query}`, t.db, { params: { token, page }, cookie }),
    ),
  );
}

async function storedRows(responseId: string) {
  return t.db
    .selectFrom("answers")
    .select([
      "question_key",
      "item",
      "option_code",
      "value_num",
      "value_text",
      "value_json",
      "survey_id",
    ])
    .where("response_id", "=", responseId)
    .orderBy("id")
    .execute();
}

async function responseRow(token: string) {
  return t.db
    .selectFrom("responses")
    .selectAll()
    .where((eb) =>
      eb.or([
        eb("resume_token_hash", "=", hashToken(token)),
        eb(
          "invitation_id",
          "=",
          eb
            .selectFrom("invitations as inv")
            .select("inv.id")
            .where("inv.token_hash", "=", hashToken(token)),
        ),
      ]),
    )
    .executeTakeFirstOrThrow();
}

/** Fills every page with Next and returns the token (the response is then complete, not submitted). */
async function completeAll(slug = SLUG) {
  const s = await start(slug);
  for (const page of ["choices", "details", "needs"]) {
    const r = await postPage(s.token, page, { intent: "next", ...pages[page] });
    expect(r.status, JSON.stringify(r.data)).toBe(302);
  }
  return s.token;
}

describe("landing page", () => {
  it("shows an open survey with a fresh idempotency key for Start", async () => {
    const r = await call(() =>
      landingLoader(loaderArgs(`/s/${SLUG}`, t.db, { params: { slug: SLUG } })),
    );
    expect(r.status).toBe(200);
    expect(r.data.survey.title).toBe("Every type");
    expect(r.data.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.data.survey.anonymous).toBe(true);
  });

  it("explains unknown, draft, not yet open and closed surveys with their statuses", async () => {
    const status = async (slug: string) => {
      const r = await call(() =>
        landingLoader(loaderArgs(`/s/${slug}`, t.db, { params: { slug } })),
      );
      return [r.status, r.data?.reason];
    };
    expect(await status("no-such-survey")).toEqual([404, "unknown"]);
    expect(await status("et-draft")).toEqual([404, "draft"]);
    expect(await status("et-later")).toEqual([403, "not_yet_open"]);
    expect(await status("et-closed")).toEqual([410, "closed"]);
    expect(await status("et-past")).toEqual([410, "closed"]);
    const later = await call(() =>
      landingLoader(loaderArgs(`/s/et-later`, t.db, { params: { slug: "et-later" } })),
    );
    expect(later.data.date).toMatch(/\d{4}/);
    // and none of them accepts a start
    for (const slug of ["et-draft", "et-later", "et-closed", "et-past"]) {
      const r = await start(slug);
      expect([403, 404, 410]).toContain(r.status);
    }
  });
});

describe("starting", () => {
  it("starts a response pinned to the current version, with a resume token stored only as a hash", async () => {
    const s = await start();
    expect(s.status).toBe(302);
    expect(s.location).toBe(`/r/${s.token}/p/choices?lang=en`);
    expect(s.token.length).toBeGreaterThanOrEqual(22);
    const row = await responseRow(s.token);
    const survey = await t.db
      .selectFrom("surveys")
      .select(["current_version_id"])
      .where("slug", "=", SLUG)
      .executeTakeFirstOrThrow();
    expect(row.survey_version_id).toBe(survey.current_version_id);
    expect(row.resume_token_hash).toBe(hashToken(s.token));
    expect(JSON.stringify(row)).not.toContain(s.token);
    expect(row.status).toBe("in_progress");
    expect(s.headers.get("Set-Cookie")).toMatch(/^nm_resume=/);
    // back on the landing page in the same browser: an offer to continue
    const cookie = s.headers.get("Set-Cookie")!.split(";")[0];
    const landing = await call(() =>
      landingLoader(loaderArgs(`/s/${SLUG}`, t.db, { params: { slug: SLUG }, cookie })),
    );
    expect(landing.data.resume.href).toBe(`/r/${s.token}`);
    const fresh = await call(() =>
      landingLoader(loaderArgs(`/s/${SLUG}`, t.db, { params: { slug: SLUG } })),
    );
    expect(fresh.data.resume).toBeNull();
  });

  it("makes one response of a double click on Start (same idempotency key)", async () => {
    const key = randomUUID();
    const [a, b] = await Promise.all([start(SLUG, "en", key), start(SLUG, "en", key)]);
    expect(a.token).toBe(b.token);
    const count = await t.db
      .selectFrom("responses")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("idempotency_key", "=", key)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it("rejects a missing or malformed idempotency key and an unknown intent", async () => {
    const bad = await call(() =>
      landingAction(
        actionArgs(
          `/s/${SLUG}`,
          t.db,
          { intent: "start", idempotencyKey: "x", locale: "en" },
          { params: { slug: SLUG } },
        ),
      ),
    );
    expect(bad.status).toBe(400);
    const intent = await call(() =>
      landingAction(actionArgs(`/s/${SLUG}`, t.db, { intent: "hack" }, { params: { slug: SLUG } })),
    );
    expect(intent.status).toBe(400);
  });
});

describe("pages, drafts and resume", () => {
  it("re-renders a page with the values exactly as typed and messages by field, in the respondent's language", async () => {
    const s = await start(SLUG, "ru");
    const typed: Form = {
      intent: "next",
      "q.org_type": "",
      "q.instruments": ["joint_calls", "co_funding", "mobility"],
      "q.satisfaction": "11",
      "q.barriers.visas": "4",
      "q.priorities.funding": "1",
      "q.priorities.access": "1",
      "q.priorities.data": "abc",
    };
    const r = await postPage(s.token, "choices", typed);
    expect(r.status).toBe(400);
    const { intent: _, ...fields } = typed;
    expect(r.data.values).toEqual(
      Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, Array.isArray(v) ? v : [v]])),
    );
    expect(r.data.errors).toMatchObject({
      "q.org_type": "Выберите один из вариантов.",
      "q.instruments": "Выберите не более 2 вариантов.",
      "q.satisfaction": "Выберите значение от 0 до 10.",
      "q.barriers.customs": "Выберите значение для строки «Таможня».",
    });
    expect(Object.keys(r.data.errors).some((k) => k.startsWith("q.priorities"))).toBe(true);
    // What was typed is saved as a draft too, so nothing is lost.
    const loaded = await loadResponse(t.db, s.token);
    expect(loaded!.answers.satisfaction).toBe(11);
    expect(loaded!.answers.instruments).toEqual({
      selected: ["joint_calls", "co_funding", "mobility"],
    });
    const rows = await storedRows(loaded!.id);
    expect(
      rows
        .filter((x) => x.item === DRAFT_ITEM)
        .map((x) => x.question_key)
        .sort(),
    ).toEqual(["barriers", "instruments", "priorities", "satisfaction"].sort());
  });

  it("saves each page on Next and resumes on another device at the first unanswered page, answers in place", async () => {
    const s = await start();
    expect(
      (await postPage(s.token, "choices", { intent: "next", ...pages.choices })).location,
    ).toBe(`/r/${s.token}/p/details`);
    // another device: no cookies, only the link
    const resume = await call(() =>
      resumeLoader(loaderArgs(`/r/${s.token}`, t.db, { params: { token: s.token } })),
    );
    expect(resume.status).toBe(302);
    expect(resume.location).toBe(`/r/${s.token}/p/details?lang=en`);
    const back = await getPage(s.token, "choices");
    expect(back.status).toBe(200);
    expect(back.data.fields).toEqual(
      Object.fromEntries(
        Object.entries(pages.choices).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]),
      ),
    );
    expect(back.data.progress).toEqual({ index: 1, total: 3, previous: null, next: "details" });
    // an answer that became invalid sends the resume back to its page
    await postPage(s.token, "details", { intent: "back", ...pages.details, "q.budget": "-5" });
    const again = await call(() =>
      resumeLoader(loaderArgs(`/r/${s.token}`, t.db, { params: { token: s.token } })),
    );
    expect(again.location).toBe(`/r/${s.token}/p/details?lang=en`);
    const details = await getPage(s.token, "details");
    expect(details.data.fields["q.budget"]).toEqual(["-5"]);
    expect(details.data.fields["q.comments"]).toEqual(["Line one\nline two"]);
  });

  it("saves without validating on Back, Save and autosave", async () => {
    const s = await start();
    const save = await postPage(s.token, "choices", {
      intent: "save",
      "q.satisfaction": "99",
      "q.org_type": "university",
    });
    expect(save.location).toBe(`/r/${s.token}/saved`);
    const saved = await call(() =>
      savedLoader(loaderArgs(`/r/${s.token}/saved?lang=en`, t.db, { params: { token: s.token } })),
    );
    expect(saved.data.link).toBe(`http://localhost/r/${s.token}`);
    const back = await postPage(s.token, "details", { intent: "back", "q.project_name": "Draft" });
    expect(back.location).toBe(`/r/${s.token}/p/choices`);
    const auto = await json(
      await autosaveAction(
        actionArgs(
          `/r/${s.token}/autosave`,
          t.db,
          { page: "details", intent: "autosave", "q.project_name": "Typed" },
          { params: { token: s.token } },
        ),
      ),
    );
    expect(auto.status).toBe(200);
    expect(new Date(auto.body.savedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    const inPage = await postPage(s.token, "details", {
      intent: "autosave",
      "q.project_name": "Typed again",
    });
    expect(inPage.status).toBe(200);
    const loaded = await loadResponse(t.db, s.token);
    expect(loaded!.answers).toMatchObject({
      satisfaction: 99,
      org_type: "university",
      project_name: "Typed again",
    });
  });

  it("ignores a background save that arrives after a later save from the same page view", async () => {
    const s = await start();
    const autosave = (fields: Record<string, string>) =>
      autosaveAction(
        actionArgs(
          `/r/${s.token}/autosave`,
          t.db,
          { page: "details", intent: "autosave", ...fields },
          { params: { token: s.token } },
        ),
      );
    const view = { draft_client: "view-one-abc123" };
    // Next (revision 3) reaches the server before the background save numbered 2.
    const next = await postPage(s.token, "details", {
      intent: "back",
      ...view,
      draft_revision: "3",
      "q.project_name": "What Next saved",
    });
    expect(next.location).toBe(`/r/${s.token}/p/choices`);
    const late = await json(
      await autosave({ ...view, draft_revision: "2", "q.project_name": "Older text" }),
    );
    expect(late.status).toBe(200);
    expect((await loadResponse(t.db, s.token))!.answers.project_name).toBe("What Next saved");
    // A later save of the same view, and any save of another view (another device), apply.
    await autosave({ ...view, draft_revision: "4", "q.project_name": "Newer text" });
    expect((await loadResponse(t.db, s.token))!.answers.project_name).toBe("Newer text");
    await autosave({
      draft_client: "other-device-99",
      draft_revision: "1",
      "q.project_name": "From the phone",
    });
    expect((await loadResponse(t.db, s.token))!.answers.project_name).toBe("From the phone");
    // Without JavaScript no revision is sent, and the save applies as it always did.
    await postPage(s.token, "details", { intent: "save", "q.project_name": "Plain form" });
    expect((await loadResponse(t.db, s.token))!.answers.project_name).toBe("Plain form");
  });

  it("drops the answer of a question that a later change hides", async () => {
    const s = await start();
    await postPage(s.token, "choices", { intent: "next", ...pages.choices });
    await postPage(s.token, "details", { intent: "next", ...pages.details });
    let loaded = await loadResponse(t.db, s.token);
    expect(loaded!.answers.budget).toBe(50000);
    // budget is shown only for companies
    await postPage(s.token, "choices", {
      intent: "next",
      ...pages.choices,
      "q.org_type": "university",
    });
    loaded = await loadResponse(t.db, s.token);
    expect(loaded!.answers.budget).toBeUndefined();
    expect((await storedRows(loaded!.id)).some((r) => r.question_key === "budget")).toBe(false);
    // and a hidden question's value posted anyway is not stored
    await postPage(s.token, "details", { intent: "next", ...pages.details });
    loaded = await loadResponse(t.db, s.token);
    expect(loaded!.answers.budget).toBeUndefined();
  });

  it("stays on the page when an answer reveals a question the respondent has not seen", async () => {
    const s = await start("mobility-needs-2026");
    const page = s.page!;
    const first = await getPage(s.token, page);
    expect(first.status).toBe(200);
    const r = await postPage(s.token, page, {
      intent: "next",
      shown: "country org_type sector role prior_programmes",
      "q.country": "DE",
      "q.org_type": "university",
      "q.sector": "higher_education",
      "q.prior_programmes": "horizon_europe",
    });
    expect(r.status).toBe(200);
    expect(r.data.notice).toBe("moreQuestions");
    const next = await postPage(s.token, page, {
      intent: "next",
      shown: "country org_type sector role prior_programmes prior_programmes_coordinator",
      "q.country": "DE",
      "q.org_type": "university",
      "q.sector": "higher_education",
      "q.prior_programmes": "horizon_europe",
    });
    expect(next.status).toBe(302);
  });

  it("shows a required question that an answer opened with a notice, never with an error", async () => {
    const s = await start("energy-needs-2026");
    const base = {
      intent: "next",
      shown: "energy_topics fusion_iter_link trl_range cooperation_status energy_team_size",
      "q.energy_topics": "hydrogen",
      "q.trl_range": "trl_4_6",
      "q.cooperation_status": "past_cooperation",
    };
    // Only the question just opened is unanswered: a notice, no error.
    const opened = await postPage(s.token, "research_profile", { ...base, "q.energy_team_size": "12" });
    expect(opened.status).toBe(200);
    expect(opened.data.notice).toBe("moreQuestions");
    expect(opened.data.errors).toEqual({});
    // Another question has a mistake: its error is shown, the opened question still has none.
    const mistake = await postPage(s.token, "research_profile", { ...base, "q.energy_team_size": "0" });
    expect(mistake.status).toBe(400);
    expect(mistake.data.notice).toBe("moreQuestions");
    expect(mistake.data.errors).toEqual({
      "q.energy_team_size": "Enter a number between 1 and 1000.",
    });
    // Once seen, the opened question is checked like any other.
    const seen = await postPage(s.token, "research_profile", {
      ...base,
      shown: `${base.shown} main_partner_country`,
      "q.energy_team_size": "12",
    });
    expect(seen.status).toBe(400);
    expect(seen.data.errors).toEqual({ "q.main_partner_country": "Select a country." });
    expect(seen.data.notice).toBeUndefined();
  });

  it("adds and removes need entries and moves ranking items without JavaScript", async () => {
    const s = await start();
    const add = await postPage(s.token, "needs", { intent: "need:add:needs", ...pages.needs });
    expect(add.status).toBe(200);
    expect(add.data.blankNeedSlots).toEqual({ needs: 1 });
    const two = {
      ...pages.needs,
      "q.needs.1.title": "Second",
      "q.needs.1.category": "infrastructure",
      "q.needs.1.horizon": "medium_term",
      "q.needs.1.urgency": "2",
      "q.needs.1.importance": "3",
    };
    const removed = await postPage(s.token, "needs", { intent: "need:remove:needs:0", ...two });
    expect(removed.status).toBe(200);
    expect(removed.data.values["q.needs.0.title"]).toEqual(["Second"]);
    expect(removed.data.values["q.needs.1.title"]).toBeUndefined();
    let loaded = await loadResponse(t.db, s.token);
    expect((loaded!.answers.needs as Array<{ title: string }>).map((n) => n.title)).toEqual([
      "Second",
    ]);

    // funding 1, data 2, access 3: moving data up puts it first
    const moved = await postPage(s.token, "choices", {
      intent: "rank:up:priorities:data",
      ...pages.choices,
    });
    expect(moved.data.values).toMatchObject({
      "q.priorities.data": ["1"],
      "q.priorities.funding": ["2"],
      "q.priorities.access": ["3"],
    });
    loaded = await loadResponse(t.db, s.token);
    expect(loaded!.answers.priorities).toEqual({ funding: 2, data: 1, access: 3 });
    // On an unranked list a move places the two items it swaps, and leaves the third unranked.
    const unranked = await postPage(s.token, "choices", { intent: "rank:down:priorities:funding" });
    expect(unranked.data.values).toMatchObject({
      "q.priorities.access": ["1"],
      "q.priorities.funding": ["2"],
      "q.priorities.data": [""],
    });
  });

  it("keeps every answer when the language changes in the middle of a page", async () => {
    const s = await start();
    const typed = {
      "q.project_name": "Half-typed",
      "q.comments": "Über\r\nзаметки",
      "q.project_end.day": "1",
      "q.project_end.month": "1",
      "q.project_end.year": "1999",
    };
    const r = await postPage(s.token, "details", { intent: "lang:ru", ...typed });
    expect(r.location).toBe(`/r/${s.token}/p/details?lang=ru`);
    const row = await responseRow(s.token);
    expect(row.locale).toBe("ru");
    const page = await getPage(s.token, "details", "?lang=ru");
    expect(page.data.locale).toBe("ru");
    expect(page.data.fields).toEqual({
      "q.project_name": ["Half-typed"],
      "q.comments": ["Über\nзаметки"],
      "q.project_end.day": ["1"],
      "q.project_end.month": ["1"],
      "q.project_end.year": ["1999"],
    });
    expect(page.data.pageTitle).toBe("Подробности");
    // a request in another language is sent to the response's language
    const other = await getPage(s.token, "details", "", "lang=en");
    expect(other.location).toBe(`/r/${s.token}/p/details?lang=ru`);
    // and the header's switch (?lang=en) changes the response's language
    await getPage(s.token, "details", "?lang=en");
    expect((await responseRow(s.token)).locale).toBe("en");
  });

  it("answers 4xx with a reason for anything a client could send", async () => {
    const s = await start();
    expect((await postPage(s.token, "choices", { intent: "explode" })).status).toBe(400);
    expect((await postPage(s.token, "choices", { intent: "need:add:org_type" })).status).toBe(400);
    expect((await postPage(s.token, "choices", { intent: "lang:xx" })).status).toBe(400);
    expect((await postPage(s.token, "nowhere", { intent: "next" })).status).toBe(404);
    expect((await getPage(s.token, "nowhere")).status).toBe(404);
    expect((await postPage("A".repeat(43), "choices", { intent: "next" })).status).toBe(404);
    expect((await getPage("../../etc", "choices")).status).toBe(404);
    // forged names of other pages' questions are ignored
    const forged = await postPage(s.token, "choices", {
      intent: "save",
      "q.budget": "1",
      "q.x.y": "z",
      "q.org_type": "other",
    });
    expect(forged.status).toBe(302);
    const loaded = await loadResponse(t.db, s.token);
    expect(loaded!.answers).toEqual({ org_type: "other" });
    // a body over 1 MB
    const big = await postPage(s.token, "choices", {
      intent: "save",
      "q.org_type": "x".repeat(1024 * 1024 + 10),
    });
    expect(big.status).toBe(413);
    const declared = await postPage(
      s.token,
      "choices",
      { intent: "save" },
      { "Content-Length": String(5 * 1024 * 1024) },
    );
    expect(declared.status).toBe(413);
    const bigAutosave = await json(
      await autosaveAction(
        actionArgs(
          `/r/${s.token}/autosave`,
          t.db,
          { page: "choices", "q.org_type": "y".repeat(1024 * 1024 + 10) },
          { params: { token: s.token } },
        ),
      ),
    );
    expect(bigAutosave).toEqual({ status: 413, body: { error: "too_large" } });
    const unknownPage = await json(
      await autosaveAction(
        actionArgs(
          `/r/${s.token}/autosave`,
          t.db,
          { page: "nowhere" },
          { params: { token: s.token } },
        ),
      ),
    );
    expect(unknownPage.status).toBe(404);
    const unknownToken = await json(
      await autosaveAction(
        actionArgs(
          `/r/${"Z".repeat(43)}/autosave`,
          t.db,
          { page: "choices" },
          { params: { token: "Z".repeat(43) } },
        ),
      ),
    );
    expect(unknownToken.status).toBe(404);
  });
});

describe("submitting", () => {
  it("stores exactly the validated answers, with reference, time and profile, once", async () => {
    const token = await completeAll();
    const review = await call(() =>
      reviewLoader(loaderArgs(`/r/${token}/review?lang=en`, t.db, { params: { token } })),
    );
    expect(review.status).toBe(200);
    expect(review.data.problems).toEqual({});
    const args = () =>
      actionArgs(`/r/${token}/review`, t.db, { intent: "submit" }, { params: { token } });
    const [a, b] = await Promise.all([
      call(() => reviewAction(args())),
      call(() => reviewAction(args())),
    ]);
    expect(a.location).toBe(`/r/${token}/done`);
    expect(b.location).toBe(`/r/${token}/done`);
    const row = await responseRow(token);
    expect(row.status).toBe("submitted");
    expect(row.reference).toMatch(/^NM-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(row.submitted_at).toBeInstanceOf(Date);
    expect(row.current_page).toBe(REVIEW_MARK);
    const rows = await storedRows(row.id);
    expect(rows.every((r) => r.survey_id === row.survey_id)).toBe(true);
    expect(rows.some((r) => r.item === DRAFT_ITEM)).toBe(false);
    const stored = answersFromRows(
      everyType,
      rows.map((r) => ({
        questionKey: r.question_key,
        item: r.item,
        optionCode: r.option_code,
        valueNum: r.value_num,
        valueText: r.value_text,
        valueJson: r.value_json,
      })),
    );
    expect(stored).toEqual(expectedAnswers());
    // a third submit (retry, back button) changes nothing
    const again = await submitResponse(t.db, (await loadResponse(t.db, token))!);
    expect(again).toMatchObject({ ok: true, repeated: true, reference: row.reference });
    expect((await storedRows(row.id)).length).toBe(rows.length);
  });

  it("marks the browser for the receipt when its second submit arrives after the first was stored, not a link opened later", async () => {
    const token = await completeAll();
    const review = await call(() =>
      reviewLoader(loaderArgs(`/r/${token}/review?lang=en`, t.db, { params: { token } })),
    );
    const proof = review.data.proof as string;
    // A double click without JavaScript: the first submit is stored, and the browser may drop
    // its reply (with the receipt cookie) for the second one's.
    await call(() =>
      reviewAction(actionArgs(`/r/${token}/review`, t.db, { intent: "submit", proof }, { params: { token } })),
    );
    const repeat = await call(() =>
      reviewAction(actionArgs(`/r/${token}/review`, t.db, { intent: "submit", proof }, { params: { token } })),
    );
    expect(repeat.location).toBe(`/r/${token}/done`);
    const cookie = repeat.headers.get("Set-Cookie")?.split(";")[0];
    expect(cookie).toMatch(/^nm_receipt=/);
    const done = await call(() =>
      doneLoader(loaderArgs(`/r/${token}/done?lang=en`, t.db, { params: { token }, cookie })),
    );
    expect(done.data.summary.answers).toEqual(expectedAnswers());
    // Someone with the link but not the review page's form gets the receipt without answers.
    const others: Array<Record<string, string>> = [
      { intent: "submit" },
      { intent: "submit", proof: `${proof.slice(1)}x` },
    ];
    for (const other of others) {
      const later = await call(() =>
        reviewAction(actionArgs(`/r/${token}/review`, t.db, other, { params: { token } })),
      );
      expect(later.location).toBe(`/r/${token}/done`);
      expect(later.headers.get("Set-Cookie")).toBeNull();
    }
  });

  it("shows the receipt with every answer in the browser that submitted, without it elsewhere", async () => {
    const token = await completeAll();
    const submitted = await call(() =>
      reviewAction(
        actionArgs(`/r/${token}/review`, t.db, { intent: "submit" }, { params: { token } }),
      ),
    );
    const cookie = submitted.headers.get("Set-Cookie")!.split(";")[0];
    const done = await call(() =>
      doneLoader(loaderArgs(`/r/${token}/done?lang=en`, t.db, { params: { token }, cookie })),
    );
    expect(done.data.reference).toBe((await responseRow(token)).reference);
    expect(done.data.submittedAt).toMatch(/UTC$/);
    expect(done.data.summary.answers).toEqual(expectedAnswers());
    expect(done.data.summary.countries).toEqual([["FR", "France"]]);
    const elsewhere = await call(() =>
      doneLoader(loaderArgs(`/r/${token}/done?lang=en`, t.db, { params: { token } })),
    );
    expect(elsewhere.data.summary).toBeNull();
    // pages of a submitted response lead to the receipt and accept nothing
    expect((await getPage(token, "choices")).location).toBe(`/r/${token}/done`);
    expect((await postPage(token, "choices", { intent: "next", ...pages.choices })).location).toBe(
      `/r/${token}/done`,
    );
    const auto = await json(
      await autosaveAction(
        actionArgs(
          `/r/${token}/autosave`,
          t.db,
          { page: "choices", intent: "autosave" },
          { params: { token } },
        ),
      ),
    );
    expect(auto.status).toBe(409);
  });

  it("refuses an incomplete response and lists what needs attention", async () => {
    const s = await start();
    await postPage(s.token, "choices", { intent: "save", "q.satisfaction": "3" });
    const r = await call(() =>
      reviewAction(
        actionArgs(
          `/r/${s.token}/review`,
          t.db,
          { intent: "submit" },
          { params: { token: s.token } },
        ),
      ),
    );
    expect(r.status).toBe(400);
    expect(r.data.problems).toMatchObject({
      org_type: "Select one option.",
      barriers: expect.any(String),
    });
    expect((await responseRow(s.token)).status).toBe("in_progress");
  });

  it("keeps a response on its version after a new version is added", async () => {
    const { id: surveyId } = await createSurvey(t.db, everyType, { slug: "et-versions" });
    const s = await start("et-versions");
    await postPage(s.token, "choices", { intent: "next", ...pages.choices });
    const first = await responseRow(s.token);
    const changed = {
      ...everyType,
      slug: "et-versions",
      pages: everyType.pages.map((p) =>
        p.key === "details"
          ? { ...p, questions: p.questions.filter((q) => q.key !== "project_name") }
          : p,
      ),
    };
    const v2 = await addVersion(
      t.db,
      surveyId,
      changed,
      definitionHash(changed),
      "",
      "editor",
      null,
    );
    await postPage(s.token, "details", { intent: "next", ...pages.details });
    await postPage(s.token, "needs", { intent: "next", ...pages.needs });
    const loaded = await loadResponse(t.db, s.token);
    expect(loaded!.versionId).toBe(first.survey_version_id);
    expect(loaded!.answers.project_name).toBe("ERA-Net");
    const result = await submitResponse(t.db, loaded!);
    expect(result.ok).toBe(true);
    expect((await responseRow(s.token)).survey_version_id).toBe(first.survey_version_id);
    const newcomer = await start("et-versions");
    expect((await responseRow(newcomer.token)).survey_version_id).toBe(v2.id);
  });

  it("refuses answers and submission once the survey has closed, keeping the answers", async () => {
    const { id } = await createSurvey(t.db, everyType, { slug: "et-closing" });
    const token = await completeAll("et-closing");
    await t.db.updateTable("surveys").set({ status: "closed" }).where("id", "=", id).execute();
    const page = await getPage(token, "choices");
    expect([page.status, page.data.reason]).toEqual([410, "closed_in_progress"]);
    const post = await postPage(token, "choices", { intent: "next", ...pages.choices });
    expect(post.status).toBe(410);
    const submit = await call(() =>
      reviewAction(
        actionArgs(`/r/${token}/review`, t.db, { intent: "submit" }, { params: { token } }),
      ),
    );
    expect(submit.status).toBe(410);
    const loaded = await loadResponse(t.db, token);
    expect(loaded!.status).toBe("in_progress");
    expect(loaded!.answers.project_name).toBe("ERA-Net");
    // a closing date in the past has the same effect
    await t.db
      .updateTable("surveys")
      .set({ status: "open", closes_at: new Date(Date.now() - 1000) })
      .where("id", "=", id)
      .execute();
    expect((await getPage(token, "choices")).status).toBe(410);
  });
});

describe("invitations", () => {
  it("one response per invitation; the personal link resumes it; submitted, revoked and unknown links get a clear state", async () => {
    const surveyId = inviteOnlyId;
    const inv = await createInvitation(t.db, surveyId, "Anna Petrova");
    const landing = await call(() =>
      invitationLoader(loaderArgs(`/i/${inv.token}`, t.db, { params: { token: inv.token } })),
    );
    expect(landing.data).toMatchObject({ state: "ready", name: "Anna Petrova" });
    // without the invitation, the survey accepts nobody
    const open = await start("et-invite");
    expect([open.status, open.data?.reason]).toEqual([403, "invitation_required"]);

    const startInv = (key = randomUUID()) =>
      call(() =>
        invitationAction(
          actionArgs(
            `/i/${inv.token}`,
            t.db,
            { intent: "start", idempotencyKey: key, locale: "en" },
            { params: { token: inv.token } },
          ),
        ),
      );
    const first = await startInv();
    expect(first.location).toBe(`/r/${inv.token}/p/choices?lang=en`);
    const second = await startInv();
    expect(second.location).toBe(`/r/${inv.token}`);
    const count = await t.db
      .selectFrom("responses")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("invitation_id", "=", inv.id)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
    const row = await responseRow(inv.token);
    expect(row.resume_token_hash).toBeNull();

    for (const page of ["choices", "details", "needs"]) {
      expect((await postPage(inv.token, page, { intent: "next", ...pages[page] })).status).toBe(
        302,
      );
    }
    expect(
      (
        await invitationLoader(
          loaderArgs(`/i/${inv.token}`, t.db, { params: { token: inv.token } }),
        )
      ).state,
    ).toBe("in_progress");
    await call(() =>
      reviewAction(
        actionArgs(
          `/r/${inv.token}/review`,
          t.db,
          { intent: "submit" },
          { params: { token: inv.token } },
        ),
      ),
    );
    const submitted = await call(() =>
      invitationLoader(
        loaderArgs(`/i/${inv.token}?lang=en`, t.db, { params: { token: inv.token } }),
      ),
    );
    expect(submitted.status).toBe(200);
    expect(submitted.data.state).toBe("submitted");
    expect(submitted.data.reference).toBe((await responseRow(inv.token)).reference);
    expect(JSON.stringify(submitted.data)).not.toContain("ERA-Net");
    expect((await startInv()).location).toBe(`/i/${inv.token}`);

    const unknown = await call(() =>
      invitationLoader(
        loaderArgs(`/i/${"b".repeat(43)}`, t.db, { params: { token: "b".repeat(43) } }),
      ),
    );
    expect([unknown.status, unknown.data.reason]).toEqual([404, "invitation_unknown"]);
    const revoked = await createInvitation(t.db, surveyId, "Revoked Person");
    await t.db
      .updateTable("invitations")
      .set({ status: "revoked", revoked_at: new Date() })
      .where("id", "=", revoked.id)
      .execute();
    const gone = await call(() =>
      invitationLoader(
        loaderArgs(`/i/${revoked.token}`, t.db, { params: { token: revoked.token } }),
      ),
    );
    expect([gone.status, gone.data.reason]).toEqual([410, "invitation_revoked"]);
  });

  it("stops a started invitation whose link is withdrawn", async () => {
    const { id: surveyId } = await createSurvey(t.db, everyType, {
      slug: "et-invite-2",
      accessMode: "invitation_only",
    });
    const inv = await createInvitation(t.db, surveyId);
    const started = await startResponse(t.db, {
      surveySlug: "et-invite-2",
      idempotencyKey: randomUUID(),
      locale: "en",
      invitationToken: inv.token,
    });
    expect(started.ok).toBe(true);
    await t.db
      .updateTable("invitations")
      .set({ status: "revoked" })
      .where("id", "=", inv.id)
      .execute();
    const page = await getPage(inv.token, "choices");
    expect([page.status, page.data.reason]).toEqual([410, "invitation_revoked"]);
  });
});

describe("JSON API: POST /api/surveys/:slug/responses", () => {
  const post = (slug: string, body: unknown, raw?: string) =>
    apiAction({
      request: new Request(`http://localhost/api/surveys/${slug}/responses`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: raw ?? JSON.stringify(body),
      }),
      params: { slug },
      context: loaderArgs("/", t.db).context,
    }).then(json);
  const answers = () => JSON.parse(JSON.stringify(expectedAnswers()));

  it("stores a complete response (201), and a repeat gives the same reference (200)", async () => {
    const key = randomUUID();
    const a = await post(SLUG, { idempotencyKey: key, locale: "en", answers: answers() });
    expect(a.status).toBe(201);
    expect(a.body.reference).toMatch(/^NM-/);
    const b = await post(SLUG, { idempotencyKey: key, locale: "en", answers: answers() });
    expect(b).toEqual({ status: 200, body: a.body });
    const row = await t.db
      .selectFrom("responses")
      .selectAll()
      .where("id", "=", a.body.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      status: "submitted",
      reference: a.body.reference,
      country: null,
      org_type: "company",
    });
    const rows = await storedRows(a.body.id);
    const stored = answersFromStoredRows(everyType, rows);
    expect(stored).toEqual(expectedAnswers());
    const c = await Promise.all(
      [1, 2, 3].map(() =>
        post(SLUG, { idempotencyKey: "same-key-123", locale: "ru", answers: answers() }),
      ),
    );
    expect(new Set(c.map((x) => x.body.reference)).size).toBe(1);
    expect(c.map((x) => x.status).sort()).toEqual([200, 200, 201]);
  });

  it("copies the respondent profile onto the response of a bundled survey", async () => {
    const r = await submitCompleteResponse(t.db, {
      surveySlug: "energy-needs-2026",
      idempotencyKey: randomUUID(),
      locale: "en",
      answers: { country: "DE", org_type: "university", sector: "higher_education" },
    });
    // the energy survey has more required questions
    expect(r.status).toBe(400);
    if (r.status === 400) expect(r.issues.length).toBeGreaterThan(0);
  });

  it("answers 400 with issues, 404, 409, 410 and 413 with a clear error", async () => {
    const invalid = await post(SLUG, {
      idempotencyKey: randomUUID(),
      locale: "en",
      answers: { org_type: "spaceship" },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.issues).toContainEqual({
      path: "org_type",
      message: "Select one of the options.",
    });
    expect(invalid.body.issues.some((i: { path: string }) => i.path === "barriers")).toBe(true);
    expect(
      (await post(SLUG, { idempotencyKey: "k", locale: "xx", answers: [] })).body.issues.map(
        (i: { path: string }) => i.path,
      ),
    ).toEqual(["idempotencyKey", "locale", "answers"]);
    expect((await post(SLUG, null, "{not json")).status).toBe(400);
    expect(
      (await post("no-such-survey", { idempotencyKey: randomUUID(), locale: "en", answers: {} }))
        .status,
    ).toBe(404);
    expect(
      (await post("et-draft", { idempotencyKey: randomUUID(), locale: "en", answers: {} })).status,
    ).toBe(404);
    expect(
      (await post("et-later", { idempotencyKey: randomUUID(), locale: "en", answers: {} })).status,
    ).toBe(403);
    const closed = await post("et-closed", {
      idempotencyKey: randomUUID(),
      locale: "en",
      answers: answers(),
    });
    expect(closed.status).toBe(410);
    expect(closed.body.error).toMatch(/closed/);
    const invite = await post("et-invite", {
      idempotencyKey: randomUUID(),
      locale: "en",
      answers: answers(),
    });
    expect(invite.status).toBe(409);
    const huge = await post(
      SLUG,
      null,
      JSON.stringify({
        idempotencyKey: randomUUID(),
        locale: "en",
        answers: { comments: "x".repeat(1_100_000) },
      }),
    );
    expect(huge.status).toBe(413);
    const wrongMethod = await json(await apiLoader());
    expect(wrongMethod.status).toBe(405);
  });
});
