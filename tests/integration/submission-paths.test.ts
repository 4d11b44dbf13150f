import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { action as apiAction } from "~/routes/api.surveys.$slug.responses";
import {
  loadResponse,
  savePage,
  startResponse,
  type StartResult,
  submitResponse,
  type SubmitResult,
} from "~/server/responses";
import { upsertWorkingGroups } from "~/server/working-groups.server";
import { validationMessages } from "~/survey/messages";
import { parseSurveySource } from "~/survey/source";
import type { SurveyDefinition } from "~/survey/schema";
import { createTestDatabase, type TestDatabase } from "./db";
import { createInvitation, createSurvey, json } from "./respond-helpers";
import { loaderArgs } from "./remix";

/**
 * The two ways a response is submitted — the questionnaire's forms (Start, then Submit on the
 * review page) and the JSON API — refuse the same cases with the same code, and the API says
 * why in the requester's language.
 */

const SMALL = parseSurveySource(
  `
slug: small
workingGroup: energy
title: { en: Small, ru: Малый }
pages:
  - key: about
    title: { en: About you, ru: О вас }
    questions:
      - key: org_type
        type: single_choice
        required: true
        label: { en: Organisation, ru: Организация }
        options:
          - { code: university, label: { en: University, ru: Университет } }
          - { code: company, label: { en: Company, ru: Компания } }
`,
  "small.yaml",
  () => null,
).definition as SurveyDefinition;

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await upsertWorkingGroups(t.db);
});
afterAll(() => t?.close());

const ANSWERS = { org_type: "company" };

async function postApi(slug: string, body: Record<string, unknown>, language?: string) {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (language) headers["Accept-Language"] = language;
  return json(
    await apiAction({
      request: new Request(`http://localhost/api/surveys/${slug}/responses`, {
        method: "POST",
        headers,
        body: JSON.stringify(body),
      }),
      params: { slug },
      context: loaderArgs("/", t.db).context,
    }),
  );
}

/** The API's outcome as one code: stored, repeated, or the refusal's code. */
async function apiOutcome(slug: string, body: Record<string, unknown>): Promise<string> {
  const r = await postApi(slug, { locale: "en", answers: ANSWERS, ...body });
  if (r.status === 201) return "stored";
  if (r.status === 200) return "repeated";
  return r.body.code;
}

function formOutcome(r: StartResult | SubmitResult): string {
  if (r.ok) return "repeated" in r ? (r.repeated ? "repeated" : "stored") : "started";
  if (r.error === "unavailable") return r.unavailable.reason;
  if (r.error === "invitation_required") return "invitation_only";
  return r.error;
}

/** Starts a response through the survey's Start form and answers its page. */
async function startAndAnswer(slug: string, invitationToken?: string) {
  const started = await startResponse(t.db, {
    surveySlug: slug,
    idempotencyKey: randomUUID(),
    locale: "en",
    invitationToken,
  });
  if (!started.ok) throw new Error(`could not start: ${started.error}`);
  const loaded = (await loadResponse(t.db, started.token))!;
  const saved = await savePage(t.db, loaded, "about", ANSWERS);
  expect(saved.ok).toBe(true);
  return started.token;
}

async function submitForm(token: string) {
  return submitResponse(t.db, (await loadResponse(t.db, token))!);
}

let n = 0;
const slugOf = () => `small-${++n}`;

interface Case {
  name: string;
  code: string;
  /** What happens through the forms; returns the outcome of the last step. */
  form: () => Promise<string>;
  /** The same through the API. */
  api: () => Promise<string>;
}

const cases: Case[] = [
  {
    name: "a closed survey",
    code: "closed",
    async form() {
      const slug = slugOf();
      const { id } = await createSurvey(t.db, SMALL, { slug });
      const token = await startAndAnswer(slug);
      await t.db.updateTable("surveys").set({ status: "closed" }).where("id", "=", id).execute();
      return formOutcome(await submitForm(token));
    },
    async api() {
      const slug = slugOf();
      await createSurvey(t.db, SMALL, { slug, status: "closed" });
      return apiOutcome(slug, { idempotencyKey: randomUUID() });
    },
  },
  {
    name: "a survey that is not open yet",
    code: "not_yet_open",
    async form() {
      const slug = slugOf();
      const { id } = await createSurvey(t.db, SMALL, { slug });
      const token = await startAndAnswer(slug);
      await t.db
        .updateTable("surveys")
        .set({ opens_at: new Date(Date.now() + 86_400_000) })
        .where("id", "=", id)
        .execute();
      return formOutcome(await submitForm(token));
    },
    async api() {
      const slug = slugOf();
      await createSurvey(t.db, SMALL, { slug, opensAt: new Date(Date.now() + 86_400_000) });
      return apiOutcome(slug, { idempotencyKey: randomUUID() });
    },
  },
  {
    name: "an invitation-only survey without an invitation",
    code: "invitation_only",
    async form() {
      const slug = slugOf();
      const { id } = await createSurvey(t.db, SMALL, { slug });
      const token = await startAndAnswer(slug);
      await t.db
        .updateTable("surveys")
        .set({ access_mode: "invitation_only" })
        .where("id", "=", id)
        .execute();
      return formOutcome(await submitForm(token));
    },
    async api() {
      const slug = slugOf();
      await createSurvey(t.db, SMALL, { slug, accessMode: "invitation_only" });
      return apiOutcome(slug, { idempotencyKey: randomUUID() });
    },
  },
  {
    name: "an invitation that was used already",
    code: "already_submitted",
    async form() {
      const slug = slugOf();
      const { id } = await createSurvey(t.db, SMALL, { slug, accessMode: "invitation_only" });
      const invitation = await createInvitation(t.db, id);
      expect(formOutcome(await submitForm(await startAndAnswer(slug, invitation.token)))).toBe(
        "stored",
      );
      // The invitation's Start button again, after submitting.
      return formOutcome(
        await startResponse(t.db, {
          surveySlug: slug,
          idempotencyKey: randomUUID(),
          locale: "en",
          invitationToken: invitation.token,
        }),
      );
    },
    async api() {
      const slug = slugOf();
      const { id } = await createSurvey(t.db, SMALL, { slug, accessMode: "invitation_only" });
      const invitation = await createInvitation(t.db, id);
      const body = { invitationToken: invitation.token };
      expect(await apiOutcome(slug, { ...body, idempotencyKey: randomUUID() })).toBe("stored");
      return apiOutcome(slug, { ...body, idempotencyKey: randomUUID() });
    },
  },
  {
    name: "a double submit",
    code: "repeated",
    async form() {
      const slug = slugOf();
      await createSurvey(t.db, SMALL, { slug });
      const token = await startAndAnswer(slug);
      expect(formOutcome(await submitForm(token))).toBe("stored");
      return formOutcome(await submitForm(token));
    },
    async api() {
      const slug = slugOf();
      await createSurvey(t.db, SMALL, { slug });
      const key = randomUUID();
      expect(await apiOutcome(slug, { idempotencyKey: key })).toBe("stored");
      return apiOutcome(slug, { idempotencyKey: key });
    },
  },
];

describe("the forms and the JSON API refuse the same cases with the same code", () => {
  it.each(cases)("$name: $code", async ({ code, form, api }) => {
    expect({ form: await form(), api: await api() }).toEqual({ form: code, api: code });
  });

  it("store nothing when they refuse", async () => {
    const slug = slugOf();
    const { id } = await createSurvey(t.db, SMALL, { slug, status: "closed" });
    await apiOutcome(slug, { idempotencyKey: randomUUID() });
    const stored = await t.db
      .selectFrom("responses")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("survey_id", "=", id)
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(0);
  });
});

describe("the JSON API answers in the requester's language", () => {
  it("says why a survey refuses in Russian with Accept-Language: ru, in English without", async () => {
    const closed = slugOf();
    await createSurvey(t.db, SMALL, { slug: closed, status: "closed" });
    const body = { idempotencyKey: randomUUID(), locale: "en", answers: ANSWERS };
    expect(await postApi(closed, body, "ru-RU,ru;q=0.9,en;q=0.5")).toEqual({
      status: 410,
      body: { code: "closed", error: "Этот опрос закрыт и больше не принимает ответы." },
    });
    expect((await postApi(closed, body)).body.error).toBe(
      "This survey is closed and no longer accepts answers.",
    );

    const invited = slugOf();
    await createSurvey(t.db, SMALL, { slug: invited, accessMode: "invitation_only" });
    expect(await postApi(invited, body, "ru")).toEqual({
      status: 409,
      body: {
        code: "invitation_only",
        error: "Этот опрос принимает ответы только по персональному приглашению.",
      },
    });
  });

  it("gives the messages of invalid answers and of an invalid request in Russian", async () => {
    const slug = slugOf();
    await createSurvey(t.db, SMALL, { slug });
    const ru = validationMessages("ru");
    const invalid = await postApi(
      slug,
      { idempotencyKey: randomUUID(), locale: "en", answers: { org_type: "spaceship" } },
      "ru",
    );
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({
      code: "invalid_answers",
      error: "Некоторые ответы неверны.",
      issues: [{ path: "org_type", message: ru.chooseOption }],
    });
    expect(ru.chooseOption).not.toBe(validationMessages("en").chooseOption);

    const request = await postApi(slug, { idempotencyKey: "k", locale: "xx", answers: [] }, "ru");
    expect(request.status).toBe(400);
    expect(request.body.error).toBe("Запрос составлен неверно.");
    expect(request.body.issues.map((i: { path: string }) => i.path)).toEqual([
      "idempotencyKey",
      "locale",
      "answers",
    ]);
    expect(request.body.issues[1].message).toBe('должен быть "en" или "ru"');

    const notJson = await json(
      await apiAction({
        request: new Request(`http://localhost/api/surveys/${slug}/responses`, {
          method: "POST",
          headers: { "Content-Type": "application/json", "Accept-Language": "ru" },
          body: "{not json",
        }),
        params: { slug },
        context: loaderArgs("/", t.db).context,
      }),
    );
    expect(notJson).toEqual({
      status: 400,
      body: { error: "Тело запроса не является корректным JSON.", issues: [] },
    });
  });

  it("without Accept-Language, speaks the response's own language", async () => {
    const slug = slugOf();
    await createSurvey(t.db, SMALL, { slug });
    const invalid = await postApi(slug, {
      idempotencyKey: randomUUID(),
      locale: "ru",
      answers: { org_type: "spaceship" },
    });
    expect(invalid.body.issues).toEqual([
      { path: "org_type", message: validationMessages("ru").chooseOption },
    ]);
  });
});
