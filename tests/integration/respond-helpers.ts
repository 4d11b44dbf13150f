import { randomUUID } from "node:crypto";
import type { Db } from "#db/client";
import type { SurveyStatus } from "#db/schema";
import { hashToken } from "~/server/responses";
import { addVersion } from "~/server/surveys.server";
import { definitionHash } from "~/survey/load";
import type { SurveyDefinition } from "~/survey/schema";

/** What a loader or action produced, returned or thrown: a Response (redirect) or data(). */
export interface Outcome {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the data of many loaders and actions
  data: any;
  headers: Headers;
  location: string | null;
}

function toOutcome(r: unknown): Outcome | null {
  if (r instanceof Response) {
    return {
      status: r.status,
      data: null,
      headers: r.headers,
      location: r.headers.get("Location"),
    };
  }
  const d = r as { type?: string; data: unknown; init?: ResponseInit | null } | null;
  if (d && typeof d === "object" && d.type === "DataWithResponseInit") {
    const headers = new Headers(d.init?.headers);
    return {
      status: d.init?.status ?? 200,
      data: d.data,
      headers,
      location: headers.get("Location"),
    };
  }
  return null;
}

/** Calls a loader or an action and describes the outcome, whether it returned or threw. */
export async function call(fn: () => Promise<unknown> | unknown): Promise<Outcome> {
  try {
    const r = await fn();
    return toOutcome(r) ?? { status: 200, data: r, headers: new Headers(), location: null };
  } catch (e) {
    const o = toOutcome(e);
    if (o) return o;
    throw e;
  }
}

/** The JSON body of a Response returned by a resource route. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON of several shapes
export async function json(r: unknown): Promise<{ status: number; body: any }> {
  if (!(r instanceof Response)) throw new Error("expected a Response");
  return { status: r.status, body: await r.json() };
}

/** Adds a survey made from a definition, with its status, access mode and dates. */
export async function createSurvey(
  db: Db,
  def: SurveyDefinition,
  options: {
    slug: string;
    status?: SurveyStatus;
    accessMode?: "open_link" | "invitation_only";
    opensAt?: Date | null;
    closesAt?: Date | null;
  },
): Promise<{ id: number; versionId: number; def: SurveyDefinition }> {
  const group = await db
    .selectFrom("working_groups")
    .select("id")
    .where("slug", "=", def.workingGroup)
    .executeTakeFirstOrThrow();
  const copy: SurveyDefinition = { ...def, slug: options.slug };
  const survey = await db
    .insertInto("surveys")
    .values({
      slug: options.slug,
      working_group_id: group.id,
      status: options.status ?? "open",
      access_mode: options.accessMode ?? "open_link",
      opens_at: options.opensAt ?? null,
      closes_at: options.closesAt ?? null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const version = await addVersion(db, survey.id, copy, definitionHash(copy), "", "file", null);
  return { id: survey.id, versionId: version.id, def: copy };
}

/** Adds an invitation with a fresh personal token, as survey management issues them. */
export async function createInvitation(
  db: Db,
  surveyId: number,
  name = "Anna Petrova",
): Promise<{ id: number; token: string }> {
  const token = randomUUID().replace(/-/g, "") + randomUUID().replace(/-/g, "").slice(0, 11);
  const row = await db
    .insertInto("invitations")
    .values({ survey_id: surveyId, token_hash: hashToken(token), name, email: null, locale: "en" })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { id: row.id, token };
}

/** The token and page of a questionnaire URL such as /r/<token>/p/<page>?lang=en. */
export function parseQuestionnaireUrl(location: string | null): {
  token: string;
  page: string | null;
} {
  const m = /^\/r\/([^/?]+)(?:\/p\/([^/?]+))?/.exec(location ?? "");
  if (!m) throw new Error(`not a questionnaire URL: ${location}`);
  return { token: m[1], page: m[2] ?? null };
}
