// Respondent-side safety: draft size limits, random resume links that nothing in the database
// recomputes, anonymous drafts of a survey that became invitation-only, and shared computers
// (the "continue these answers?" question and the option to keep nothing in cookies).
import { createHmac, randomUUID } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as resumeLinksMigration from "#db/migrations/2026_12_05_0008_resume_links_and_shared_devices";
import { translator } from "~/i18n/catalog";
import { action as invitationAction } from "~/routes/i.$token";
import { action as autosaveAction } from "~/routes/r.$token.autosave";
import { loader as doneLoader } from "~/routes/r.$token.done";
import { loader as resumeLoader } from "~/routes/r.$token._index";
import { action as pageAction, loader as pageLoader } from "~/routes/r.$token.p.$page";
import { action as reviewAction, loader as reviewLoader } from "~/routes/r.$token.review";
import { loader as savedLoader } from "~/routes/r.$token.saved";
import { action as landingAction, loader as landingLoader } from "~/routes/s.$slug";
import { loadResponse } from "~/server/responses";
import { setAccessMode } from "~/server/survey-admin.server";
import { syncSurveyDirectory } from "~/server/surveys.server";
import { hashToken, newToken } from "~/server/tokens.server";
import { upsertWorkingGroups } from "~/server/working-groups.server";
import { everyType } from "~/survey/__fixtures__/every-type";
import { DRAFT_MAX_BYTES } from "~/survey/draft-limits";
import { parseSurveyDefinition } from "~/survey/schema";
import { createTestDatabase, type TestDatabase } from "./db";
import { actionArgs, loaderArgs, testEnv } from "./remix";
import {
  call,
  createInvitation,
  createSurvey,
  json,
  parseQuestionnaireUrl,
} from "./respond-helpers";

let t: TestDatabase;
const OPEN = "safety-open";
const LIMITS = "safety-limits";
const BULK = "safety-bulk";
let openId: number;

const text = (en: string) => ({ en, ru: en });

/** One page with a long text of at most 3000 characters, a short text and a number. */
const limitsDef = parseSurveyDefinition({
  slug: LIMITS,
  workingGroup: "energy",
  title: text("Limits"),
  pages: [
    {
      key: "story",
      title: text("Story"),
      questions: [
        { key: "story", type: "long_text", label: text("Your story"), maxLength: 3000 },
        { key: "headline", type: "text", label: text("Headline"), maxLength: 100 },
        { key: "budget", type: "number", label: text("Budget") },
      ],
    },
  ],
});

/** Seven pages of eight long texts (10 000 characters each): more than a draft may hold in all. */
const bulkDef = parseSurveyDefinition({
  slug: BULK,
  workingGroup: "energy",
  title: text("Bulk"),
  pages: Array.from({ length: 7 }, (_, p) => ({
    key: `p${p}`,
    title: text(`Page ${p}`),
    questions: Array.from({ length: 8 }, (_, q) => ({
      key: `p${p}_q${q}`,
      type: "long_text",
      label: text(`Question ${q}`),
      maxLength: 10000,
    })),
  })),
});

beforeAll(async () => {
  t = await createTestDatabase();
  await upsertWorkingGroups(t.db);
  await syncSurveyDirectory(t.db, "surveys");
  openId = (await createSurvey(t.db, everyType, { slug: OPEN })).id;
  await createSurvey(t.db, limitsDef, { slug: LIMITS });
  await createSurvey(t.db, bulkDef, { slug: BULK });
}, 120_000);
afterAll(() => t?.close());

type Form = Record<string, string | string[]>;

/** Start as the landing page's form does: idempotency key and resume token made by the loader. */
async function start(
  slug: string,
  extra: Form = {},
  cookie?: string,
  key = randomUUID(),
  resumeToken = newToken().token,
) {
  const res = await call(() =>
    landingAction(
      actionArgs(
        `/s/${slug}`,
        t.db,
        { intent: "start", idempotencyKey: key, resumeToken, locale: "en", ...extra },
        { params: { slug }, cookie },
      ),
    ),
  );
  return {
    ...res,
    ...(res.location?.startsWith("/r/")
      ? parseQuestionnaireUrl(res.location)
      : { token: "", page: null }),
  };
}

function landing(slug: string, cookie?: string) {
  return call(() =>
    landingLoader(loaderArgs(`/s/${slug}?lang=en`, t.db, { params: { slug }, cookie })),
  );
}

function postPage(token: string, page: string, form: Form) {
  return call(() =>
    pageAction(actionArgs(`/r/${token}/p/${page}`, t.db, form, { params: { token, page } })),
  );
}

async function autosave(token: string, page: string, form: Form) {
  return json(
    await autosaveAction(
      actionArgs(
        `/r/${token}/autosave`,
        t.db,
        { page, intent: "autosave", ...form },
        {
          params: { token },
        },
      ),
    ),
  );
}

/** The `name=value` of a Set-Cookie header, and whether it deletes the cookie. */
function setCookie(headers: Headers): { pair: string; deletes: boolean } | null {
  const header = headers.get("Set-Cookie");
  if (!header) return null;
  return {
    pair: header.split(";")[0],
    deletes: /Max-Age=0/i.test(header) || /Expires=Thu, 01 Jan 1970/i.test(header),
  };
}

async function answerRowsOf(token: string) {
  const response = await loadResponse(t.db, token);
  return t.db
    .selectFrom("answers")
    .select(["question_key", "item", "value_text", "value_json"])
    .where("response_id", "=", response!.id)
    .execute();
}

/** Every text value of every row of every table, as the database holds it. */
async function everyStoredText(): Promise<string[]> {
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(t.db);
  const values: string[] = [];
  const collect = (value: unknown) => {
    if (typeof value === "string") values.push(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (value && typeof value === "object") Object.values(value).forEach(collect);
    else if (value !== null && value !== undefined) values.push(String(value));
  };
  for (const { table_name } of tables.rows) {
    const rows = await sql<{
      row: unknown;
    }>`select to_jsonb(x) as row from ${sql.table(table_name)} x`.execute(t.db);
    for (const { row } of rows.rows) collect(typeof row === "string" ? JSON.parse(row) : row);
  }
  return values;
}

// ---------------------------------------------------------------------------------------------

describe("drafts have the size limits of submissions", () => {
  it("refuses a background save of a text longer than its question accepts, storing nothing", async () => {
    const s = await start(LIMITS);
    expect(s.status).toBe(302);
    const huge = "x".repeat(1_000_002);
    const refused = await autosave(s.token, "story", { "q.story": huge });
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({
      error: "answer_too_long",
      fields: { "q.story": "Use at most 3000 characters." },
    });
    expect(await answerRowsOf(s.token)).toEqual([]);

    // exactly the limit is stored
    const fits = await autosave(s.token, "story", { "q.story": "y".repeat(3000) });
    expect(fits.status).toBe(200);
    expect((await loadResponse(t.db, s.token))!.answers.story).toBe("y".repeat(3000));
    // one more is refused, and the stored draft stays as it was
    const over = await autosave(s.token, "story", { "q.story": "z".repeat(3001) });
    expect(over.status).toBe(400);
    expect((await loadResponse(t.db, s.token))!.answers.story).toBe("y".repeat(3000));
  });

  it("refuses a text typed into a number field beyond the longest text any question accepts", async () => {
    const s = await start(LIMITS);
    const small = await autosave(s.token, "story", { "q.budget": "about ten thousand" });
    expect(small.status).toBe(200); // kept as typed, as drafts always were
    const refused = await autosave(s.token, "story", { "q.budget": "a".repeat(10_001) });
    expect(refused.status).toBe(400);
    expect(refused.body.fields["q.budget"]).toBe("Use at most 10000 characters.");
    expect((await loadResponse(t.db, s.token))!.answers.budget).toBe("about ten thousand");
  });

  it("answers Save, Back and Next on a page with the values as typed and the question's message", async () => {
    const s = await start(LIMITS);
    const long = "w".repeat(3001);
    for (const intent of ["save", "autosave", "next"]) {
      const r = await postPage(s.token, "story", { intent, "q.story": long, "q.headline": "Hi" });
      expect(r.status, intent).toBe(400);
      expect(r.data.values["q.story"]).toEqual([long]);
      expect(r.data.errors["q.story"]).toBe("Use at most 3000 characters.");
    }
    expect(await answerRowsOf(s.token)).toEqual([]);
    // in Russian, in the respondent's language
    await postPage(s.token, "story", { intent: "lang:ru" });
    const ru = await postPage(s.token, "story", { intent: "save", "q.story": long });
    expect(ru.data.errors["q.story"]).toBe("Используйте не более 3000 символов.");
  });

  it("applies the limits inside need entries", async () => {
    const s = await start(OPEN);
    const r = await autosave(s.token, "needs", {
      "q.needs.0.title": "t".repeat(201),
      "q.needs.0.category": "funding",
    });
    expect(r.status).toBe(400);
    expect(r.body.fields["q.needs.0.title"]).toBe("Use at most 200 characters.");
  });

  it(`keeps all the answers of one response within ${DRAFT_MAX_BYTES} bytes`, async () => {
    const s = await start(BULK);
    const long = "ж".repeat(10_000); // 20 000 bytes in UTF-8
    const fill = (p: number) =>
      Object.fromEntries(Array.from({ length: 8 }, (_, q) => [`q.p${p}_q${q}`, long]));
    for (let p = 0; p < 6; p++) {
      const r = await autosave(s.token, `p${p}`, fill(p));
      expect(r.status, `page ${p}`).toBe(200);
    }
    const over = await autosave(s.token, "p6", fill(6));
    expect(over.status).toBe(413);
    expect(over.body.error).toBe("draft_too_large");
    // Without JavaScript: the page comes back with every value as typed and a message above the
    // form, whichever button was pressed; nothing typed is lost.
    for (const intent of ["save", "next", "back"]) {
      const page = await postPage(s.token, "p6", { intent, ...fill(6) });
      expect(page.status, intent).toBe(413);
      expect(page.data.notice, intent).toBe("draftTooLarge");
      expect(page.data.values["q.p6_q0"], intent).toEqual([long]);
      expect(page.data.values["q.p6_q7"], intent).toEqual([long]);
    }
    expect(translator("en")("respond.errors.draftTooLarge")).toMatch(/too large to be saved \(the limit is 1 MB\)/);
    const answers = (await loadResponse(t.db, s.token))!.answers;
    expect(Object.keys(answers)).toHaveLength(48);
    expect(answers.p6_q0).toBeUndefined();
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------

describe("resume links are random and stored only as a hash", () => {
  it("nothing in the database recomputes a resume link, with or without the server's secret", async () => {
    const s = await start(OPEN);
    expect(s.status).toBe(302);
    expect(s.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await postPage(s.token, "details", { intent: "save", "q.project_name": "Kept" });
    const response = (await loadResponse(t.db, s.token))!;

    const stored = await everyStoredText();
    expect(stored.some((v) => v.includes(s.token))).toBe(false);
    expect(stored).toContain(hashToken(s.token));
    const secret = testEnv.SESSION_SECRET;
    const recomputed = (v: string) => [
      createHmac("sha256", secret).update(`resume:${response.survey.id}:${v}`).digest("base64url"),
      createHmac("sha256", secret).update(v).digest("base64url"),
    ];
    expect(stored.flatMap(recomputed)).not.toContain(s.token);

    // and the link still resumes
    const resumed = await call(() =>
      resumeLoader(loaderArgs(`/r/${s.token}`, t.db, { params: { token: s.token } })),
    );
    expect(resumed.status).toBe(302);
    expect(resumed.location).toMatch(new RegExp(`^/r/${s.token}/p/`));
    expect((await loadResponse(t.db, s.token))!.answers.project_name).toBe("Kept");
  });

  it("a double click on Start gives one response and one link; a reused key with another token is refused", async () => {
    const key = randomUUID();
    const token = newToken().token;
    const [a, b] = await Promise.all([
      start(OPEN, {}, undefined, key, token),
      start(OPEN, {}, undefined, key, token),
    ]);
    expect(a.token).toBe(token);
    expect(b.token).toBe(token);
    const other = await start(OPEN, {}, undefined, key, newToken().token);
    expect(other.status).toBe(409);
    expect(other.data.keyUsed).toBe(true);
    const count = await t.db
      .selectFrom("responses")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("idempotency_key", "=", key)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it("a Start form without a resume token (a page cached before) still starts with a random link", async () => {
    const r = await call(() =>
      landingAction(
        actionArgs(
          `/s/${OPEN}`,
          t.db,
          { intent: "start", idempotencyKey: randomUUID(), locale: "en" },
          {
            params: { slug: OPEN },
          },
        ),
      ),
    );
    const { token } = parseQuestionnaireUrl(r.location);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await loadResponse(t.db, token)).not.toBeNull();
  });

  it("links issued before keep working, and the upgrade removes what recomputed them", async () => {
    // A response started before: its link was an HMAC of the secret over its Start key.
    const key = randomUUID();
    const oldLink = createHmac("sha256", testEnv.SESSION_SECRET)
      .update(`resume:${openId}:${key}`)
      .digest("base64url");
    const version = await t.db
      .selectFrom("surveys")
      .select("current_version_id")
      .where("id", "=", openId)
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto("responses")
      .values({
        survey_id: openId,
        survey_version_id: version.current_version_id!,
        locale: "en",
        idempotency_key: key,
        resume_token_hash: hashToken(oldLink),
        current_page: "choices",
      })
      .execute();
    // An API response keeps its key (a retry must find it).
    const apiKey = `api-${randomUUID()}`;
    await t.db
      .insertInto("responses")
      .values({
        survey_id: openId,
        survey_version_id: version.current_version_id!,
        locale: "en",
        idempotency_key: apiKey,
        status: "submitted",
        reference: "NM-TEST-0001",
        submitted_at: new Date(),
      })
      .execute();

    await resumeLinksMigration.up(t.db);

    const keys = await t.db.selectFrom("responses").select("idempotency_key").execute();
    expect(keys.map((k) => k.idempotency_key)).not.toContain(key);
    expect(keys.map((k) => k.idempotency_key)).toContain(apiKey);
    const stored = await everyStoredText();
    expect(stored.some((v) => v.includes(oldLink))).toBe(false);
    const secret = testEnv.SESSION_SECRET;
    expect(
      stored.some(
        (v) =>
          createHmac("sha256", secret).update(`resume:${openId}:${v}`).digest("base64url") ===
          oldLink,
      ),
    ).toBe(false);
    const resumed = await call(() =>
      resumeLoader(loaderArgs(`/r/${oldLink}`, t.db, { params: { token: oldLink } })),
    );
    expect(resumed.location).toMatch(new RegExp(`^/r/${oldLink}/p/choices`));
  });
});

// ---------------------------------------------------------------------------------------------

describe("a survey that becomes invitation-only", () => {
  it("stops anonymous drafts started before (a clear 403 page, answers kept); invitations go on", async () => {
    const slug = "safety-switch";
    const survey = await createSurvey(t.db, everyType, { slug });
    const anon = await start(slug);
    expect(anon.status).toBe(302);
    await postPage(anon.token, "choices", {
      intent: "save",
      "q.org_type": "company",
    });
    const invitation = await createInvitation(t.db, survey.id);
    const invited = await call(() =>
      invitationAction(
        actionArgs(
          `/i/${invitation.token}`,
          t.db,
          { intent: "start", idempotencyKey: randomUUID(), locale: "en" },
          { params: { token: invitation.token } },
        ),
      ),
    );
    expect(invited.status).toBe(302);

    await setAccessMode(
      t.db,
      { id: survey.id, slug, accessMode: "open_link" } as Parameters<typeof setAccessMode>[1],
      "invitation_only",
      { user: null, ip: "127.0.0.1" },
    );

    const token = anon.token;
    const outcomes = {
      resume: await call(() =>
        resumeLoader(loaderArgs(`/r/${token}`, t.db, { params: { token } })),
      ),
      page: await call(() =>
        pageLoader(
          loaderArgs(`/r/${token}/p/choices?lang=en`, t.db, { params: { token, page: "choices" } }),
        ),
      ),
      save: await postPage(token, "choices", { intent: "save", "q.org_type": "university" }),
      review: await call(() =>
        reviewLoader(loaderArgs(`/r/${token}/review?lang=en`, t.db, { params: { token } })),
      ),
      submit: await call(() =>
        reviewAction(
          actionArgs(`/r/${token}/review`, t.db, { intent: "submit" }, { params: { token } }),
        ),
      ),
    };
    for (const [name, outcome] of Object.entries(outcomes)) {
      expect([name, outcome.status, outcome.data?.reason]).toEqual([name, 403, "invitation_only"]);
    }
    const auto = await autosave(token, "choices", { "q.org_type": "university" });
    expect([auto.status, auto.body.error]).toEqual([403, "invitation_only"]);
    // kept as it was, not submitted
    const kept = (await loadResponse(t.db, token))!;
    expect(kept.status).toBe("in_progress");
    expect(kept.answers.org_type).toBe("company");
    // the survey page offers no anonymous continuation
    const page = await landing(slug);
    expect(page.data.survey.invitationOnly).toBe(true);
    expect(page.data.resume).toBeNull();

    // the invitee goes on
    const invitedPage = await postPage(invitation.token, "choices", {
      intent: "save",
      "q.org_type": "university",
    });
    expect(invitedPage.location).toBe(`/r/${invitation.token}/saved`);
  });
});

// ---------------------------------------------------------------------------------------------

describe("shared computers", () => {
  it("asks before continuing the answers this browser started, with their date; Start afresh forgets them", async () => {
    const first = await start(OPEN);
    const cookie = setCookie(first.headers)!;
    expect(cookie.pair).toMatch(/^nm_resume=/);

    const asked = await landing(OPEN, cookie.pair);
    const response = (await loadResponse(t.db, first.token))!;
    expect(asked.data.resume).toEqual({
      href: `/r/${first.token}`,
      startedOn: expect.stringMatching(/\d{4}.*UTC$/),
    });
    expect(asked.data.resume.startedOn).toContain(String(response.startedAt.getUTCFullYear()));
    expect(asked.headers.get("Cache-Control")).toBe("private, no-store");

    const afresh = await call(() =>
      landingAction(
        actionArgs(
          `/s/${OPEN}`,
          t.db,
          { intent: "afresh" },
          {
            params: { slug: OPEN },
            cookie: cookie.pair,
          },
        ),
      ),
    );
    expect(afresh.status).toBe(302);
    expect(afresh.location).toBe(`/s/${OPEN}`);
    const forgotten = setCookie(afresh.headers)!;
    expect(forgotten.deletes).toBe(true);
    const after = await landing(OPEN, forgotten.pair);
    expect(after.data.resume).toBeNull();
    // the answers themselves are not touched: their own link still opens them
    expect((await loadResponse(t.db, first.token))!.status).toBe("in_progress");
  });

  it("a new start replaces what the browser remembered for the survey", async () => {
    const first = await start(OPEN);
    const second = await start(OPEN, {}, setCookie(first.headers)!.pair);
    const asked = await landing(OPEN, setCookie(second.headers)!.pair);
    expect(asked.data.resume.href).toBe(`/r/${second.token}`);
  });

  it("'this is a shared computer' keeps nothing in cookies, from Start to the receipt", async () => {
    const earlier = await start(OPEN);
    const earlierCookie = setCookie(earlier.headers)!.pair;

    const shared = await start(OPEN, { sharedDevice: "yes" });
    expect(shared.status).toBe(302);
    expect(shared.headers.get("Set-Cookie")).toBeNull();
    // started where the browser remembered an earlier response: that one is forgotten too
    const over = await start(OPEN, { sharedDevice: "yes" }, earlierCookie);
    expect(setCookie(over.headers)!.deletes).toBe(true);

    const token = shared.token;
    expect((await loadResponse(t.db, token))!.sharedDevice).toBe(true);
    const saved = await call(() =>
      savedLoader(loaderArgs(`/r/${token}/saved?lang=en`, t.db, { params: { token } })),
    );
    expect(saved.data.sharedDevice).toBe(true);
    expect(saved.data.link).toBe(`http://localhost/r/${token}`);

    const pages: Record<string, Form> = {
      choices: {
        "q.org_type": "company",
        "q.instruments": ["joint_calls"],
        "q.barriers.visas": "4",
        "q.barriers.customs": "2",
        "q.priorities.funding": "1",
        "q.priorities.access": "3",
        "q.priorities.data": "2",
      },
      details: { "q.budget": "50000", "q.project_name": "ERA-Net" },
      needs: {},
    };
    for (const [page, form] of Object.entries(pages)) {
      const r = await postPage(token, page, { intent: "next", ...form });
      expect(r.status, JSON.stringify(r.data)).toBe(302);
    }
    const submitted = await call(() =>
      reviewAction(
        actionArgs(`/r/${token}/review`, t.db, { intent: "submit" }, { params: { token } }),
      ),
    );
    expect(submitted.location).toBe(`/r/${token}/done`);
    expect(submitted.headers.get("Set-Cookie")).toBeNull();
    const done = await call(() =>
      doneLoader(loaderArgs(`/r/${token}/done?lang=en`, t.db, { params: { token } })),
    );
    expect(done.data.reference).toMatch(/^NM-/);
    expect(done.data.summary).toBeNull();
  });
});
