/**
 * Simulated respondents. Each one answers a bundled questionnaire either through the pages, as
 * a browser without JavaScript does (start, save a draft of each page, resume through the
 * personal resume link, go on page by page, review, submit, read the receipt), or in one
 * request through the JSON API. Every request is retried with the same idempotency key until
 * it gets an answer. What the server acknowledged is recorded for the integrity check.
 */
import { randomUUID } from "node:crypto";
import { rng, sampleResponse } from "~/server/demo.server";
import { buildSubmissionSchema } from "~/survey/answer-schema";
import { answersToFormFields, fieldsGetAll, pageAnswersFromFormData } from "~/survey/form-data";
import type { Answers } from "~/survey/registry";
import type { SurveyDefinition } from "~/survey/schema";
import { visiblePages, visibleQuestionsOnPage } from "~/survey/visibility";
import type { Client, Reply } from "./http";

export interface LoadSurvey {
  id: number;
  slug: string;
  def: SurveyDefinition;
}

export interface Ack {
  flow: "pages" | "api";
  survey: string;
  idempotencyKey: string;
  reference: string;
  /** The answers sent, as the submission schema reads them. */
  answers: Answers;
  at: number;
}

export class FlowError extends Error {}

const REFERENCE = /NM-[0-9A-Z]{4}-[0-9A-Z]{4}/;

function expectStatus(reply: Reply, ok: (s: number) => boolean, what: string) {
  if (!ok(reply.status)) {
    throw new FlowError(`${what}: unexpected ${reply.status}${reply.location ? ` → ${reply.location}` : ""} ${reply.text.slice(0, 200)}`);
  }
}

/** A plausible complete response and what the server will make of it. */
export function drawResponse(def: SurveyDefinition, seed: number) {
  const sampled = sampleResponse(def, rng(seed));
  const answers = buildSubmissionSchema(def, sampled.locale).parse(sampled.answers);
  return { locale: sampled.locale, raw: sampled.answers, answers };
}

function formOf(fields: Record<string, string[]>, extra: Record<string, string>): URLSearchParams {
  const body = new URLSearchParams();
  for (const [name, values] of Object.entries(fields)) for (const v of values) body.append(name, v);
  for (const [k, v] of Object.entries(extra)) body.append(k, v);
  return body;
}

const FORM = "application/x-www-form-urlencoded";

/** The page flow. Returns the acknowledgement, or throws FlowError. */
export async function answerThroughPages(client: Client, survey: LoadSurvey, seed: number, t0: number): Promise<Ack> {
  const { def } = survey;
  const { locale, answers } = drawResponse(def, seed);
  const key = randomUUID();

  const landing = await client.request("GET", `/s/${survey.slug}`);
  expectStatus(landing, (s) => s === 200, "landing");
  const start = await client.request("POST", `/s/${survey.slug}`, {
    body: formOf({}, { intent: "start", idempotencyKey: key, locale }),
    contentType: FORM,
  });
  expectStatus(start, (s) => s === 302 || s === 303, "start");
  const m = /^\/r\/([^/?]+)/.exec(start.location ?? "");
  if (!m) throw new FlowError(`start: no questionnaire address in ${start.location}`);
  const token = m[1];

  const pages = visiblePages(def, answers);
  let sent: Record<string, unknown> = {};
  for (const [i, page] of pages.entries()) {
    const visible = visibleQuestionsOnPage(def, page.key, answers);
    const fields = answersToFormFields(visible, answers);
    sent = { ...sent, ...pageAnswersFromFormData(def, page.key, fieldsGetAll(fields)) };
    // As a browser posts the page: to its own address, which carries the response's language.
    const path = `/r/${token}/p/${page.key}?lang=${locale}`;
    // A draft first (what autosave and "Save and continue later" do)…
    const draft = await client.request("POST", path, { body: formOf(fields, { intent: "autosave" }), contentType: FORM });
    expectStatus(draft, (s) => s === 200, `draft ${page.key}`);
    // …sometimes leaving and coming back through the resume link…
    if ((seed + i) % 3 === 0) {
      const resume = await client.request("GET", `/r/${token}?lang=${locale}`);
      expectStatus(resume, (s) => s === 302 || s === 303, "resume");
    }
    // …then on to the next page (or the review after the last).
    const next = await client.request("POST", path, {
      body: formOf(fields, { intent: i === pages.length - 1 ? "review" : "next" }),
      contentType: FORM,
    });
    expectStatus(next, (s) => s === 302 || s === 303, `next ${page.key}`);
  }
  const review = await client.request("GET", `/r/${token}/review?lang=${locale}`);
  expectStatus(review, (s) => s === 200, "review");
  const submit = await client.request("POST", `/r/${token}/review`, { body: formOf({}, { intent: "submit" }), contentType: FORM });
  expectStatus(submit, (s) => (s === 302 || s === 303) && (submit.location ?? "").endsWith("/done"), "submit");
  const done = await client.request("GET", `/r/${token}/done?lang=${locale}`);
  expectStatus(done, (s) => s === 200, "receipt");
  const reference = REFERENCE.exec(done.text)?.[0];
  if (!reference) throw new FlowError("receipt: no reference on the page");
  const expected = buildSubmissionSchema(def, locale).parse(sent);
  return { flow: "pages", survey: survey.slug, idempotencyKey: key, reference, answers: expected, at: Date.now() - t0 };
}

/** One request through the JSON API. */
export async function answerThroughApi(client: Client, survey: LoadSurvey, seed: number, t0: number): Promise<Ack> {
  const { locale, raw, answers } = drawResponse(survey.def, seed);
  const key = randomUUID();
  const reply = await client.request("POST", `/api/surveys/${survey.slug}/responses`, {
    body: JSON.stringify({ idempotencyKey: key, locale, answers: raw }),
    contentType: "application/json",
    accept: "application/json",
  });
  expectStatus(reply, (s) => s === 201 || s === 200, "API submit");
  const body = JSON.parse(reply.text) as { reference?: string };
  if (!body.reference || !REFERENCE.test(body.reference)) throw new FlowError(`API: no reference in ${reply.text}`);
  return { flow: "api", survey: survey.slug, idempotencyKey: key, reference: body.reference, answers, at: Date.now() - t0 };
}
