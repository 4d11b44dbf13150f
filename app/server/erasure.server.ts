import { createHash } from "node:crypto";
import { sql } from "kysely";
import type { Db } from "#db/client";
import { type AuditActor, audit } from "./audit.server";

/**
 * Erasure on request (right to erasure), each in one transaction:
 *
 * - one respondent's response (`eraseResponse`, `npm run response:erase`): the response, all of
 *   its answers and the themes coordinators tagged its free-text answers with; when the response
 *   came through a personal invitation, the invitee as below;
 * - one invitee (`eraseInvitee`, the invitations page): their response as above, their
 *   invitation (name, e-mail address, country, organisation, link), every message of the outbox
 *   addressed to them, and the personal fields of the audit entries about them, which keep the
 *   event with a pseudonym (`invitee-<invitation id>`) in place of the person.
 *
 * Each erasure is itself recorded in the audit log without personal data (ids, the survey,
 * counts, the pseudonym, and a hash of the reference by which a request can be matched later).
 */

export type EraseTarget = { reference: string } | { responseId: string };

export interface Eraser {
  /** The staff member who erased, or null for the command line. */
  user: AuditActor | null;
  /** Recorded when there is no user, e.g. `cli`. */
  actor?: string;
  ip?: string | null;
}

/** What erasing an invitee removed besides their response. */
export interface InviteeErasure {
  invitationId: number;
  /** What the audit log calls the invitee from now on. */
  pseudonym: string;
  /** Outbox messages deleted. */
  messages: number;
  /** Audit entries whose personal fields were replaced by the pseudonym. */
  auditEntries: number;
}

export type EraseResult =
  | {
      ok: true;
      responseId: string;
      survey: string;
      status: "in_progress" | "submitted";
      answers: number;
      tags: number;
      /** Present when the response came through a personal invitation, which is erased with it. */
      invitee?: InviteeErasure;
    }
  | { ok: false; reason: "not_found" | "bad_reference" };

const REFERENCE = /^NM-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A reference as a respondent may type it (any case, spaces, without the NM- prefix) in its stored form. */
export function normalizeReference(input: string): string {
  const compact = input.toUpperCase().replace(/[\s-]/g, "").replace(/^NM/, "");
  return compact.length === 8
    ? `NM-${compact.slice(0, 4)}-${compact.slice(4)}`
    : input.trim().toUpperCase();
}

/** SHA-256 of a reference (first 16 hex digits): what the audit log keeps instead of the reference. */
export function referenceDigest(reference: string): string {
  return createHash("sha256").update(reference).digest("hex").slice(0, 16);
}

/** The name the audit log gives an erased invitee. */
export function inviteePseudonym(invitationId: number): string {
  return `invitee-${invitationId}`;
}

/**
 * Deletes a response with its answers and their theme tags; returns the numbers removed. The
 * response row goes first and its answers and tags with it (foreign keys on delete cascade): the
 * trigger on `responses` still sees the answers of a submitted response and takes them out of the
 * dashboard aggregates in this transaction (decision 045).
 */
async function deleteResponse(
  trx: Db,
  responseId: string,
): Promise<{ answers: number; tags: number }> {
  const counts = await trx
    .selectFrom("answers as a")
    .leftJoin("answer_tags as t", "t.answer_id", "a.id")
    .select([
      sql<string>`count(distinct a.id)`.as("answers"),
      sql<string>`count(t.answer_id)`.as("tags"),
    ])
    .where("a.response_id", "=", responseId)
    .executeTakeFirstOrThrow();
  await trx.deleteFrom("responses").where("id", "=", responseId).execute();
  return { answers: Number(counts.answers), tags: Number(counts.tags) };
}

interface Invitee {
  id: number;
  name: string;
  email: string | null;
  country: string | null;
  organisation: string | null;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * A copy of an audit entry's details with the invitee's personal data replaced by the pseudonym:
 * the e-mail address wherever it appears in a text; and, in entries about the invitation itself,
 * every text that is the invitee's name, country or organisation.
 */
function pseudonymised(
  value: unknown,
  invitee: Invitee,
  about: boolean,
  pseudonym: string,
): unknown {
  if (typeof value === "string") {
    let text = value;
    if (invitee.email)
      text = text.replace(new RegExp(escapeRegExp(invitee.email), "gi"), pseudonym);
    if (about) {
      const same = (field: string | null) =>
        field != null &&
        field.trim() !== "" &&
        text.trim().toLowerCase() === field.trim().toLowerCase();
      if (same(invitee.name) || same(invitee.organisation) || same(invitee.country))
        text = pseudonym;
    }
    return text;
  }
  if (Array.isArray(value)) return value.map((v) => pseudonymised(v, invitee, about, pseudonym));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, pseudonymised(v, invitee, about, pseudonym)]),
    );
  }
  return value;
}

/**
 * Erases an invitation (locked by the caller) and what refers to the invitee: their outbox
 * messages, and their personal data in the audit log. Their response must be gone already.
 */
async function eraseInvitation(trx: Db, invitee: Invitee): Promise<InviteeErasure> {
  const pseudonym = inviteePseudonym(invitee.id);
  const messages = await trx
    .deleteFrom("email_outbox")
    .where("invitation_id", "=", invitee.id)
    .executeTakeFirst();
  const email = invitee.email?.toLowerCase() ?? null;
  const entries = await trx
    .selectFrom("audit_log")
    .select(["id", "target_type", "target_id", "details"])
    .where((eb) =>
      eb.or([
        eb.and([eb("target_type", "=", "invitation"), eb("target_id", "=", String(invitee.id))]),
        // The address elsewhere, except in entries about another invitation (of another survey),
        // which still exists with it.
        ...(email
          ? [
              eb.and([
                eb(sql`strpos(lower(details::text), ${email})`, ">", 0),
                eb.or([eb("target_type", "is", null), eb("target_type", "<>", "invitation")]),
              ]),
            ]
          : []),
      ]),
    )
    .execute();
  let auditEntries = 0;
  for (const entry of entries) {
    const about = entry.target_type === "invitation" && entry.target_id === String(invitee.id);
    const details = pseudonymised(entry.details, invitee, about, pseudonym);
    if (JSON.stringify(details) === JSON.stringify(entry.details)) continue;
    await trx
      .updateTable("audit_log")
      .set({ details: JSON.stringify(details) })
      .where("id", "=", entry.id)
      .execute();
    auditEntries++;
  }
  await trx.deleteFrom("invitations").where("id", "=", invitee.id).execute();
  return {
    invitationId: invitee.id,
    pseudonym,
    messages: Number(messages.numDeletedRows),
    auditEntries,
  };
}

async function lockInvitation(
  trx: Db,
  invitationId: number,
  surveyId?: number,
): Promise<Invitee | null> {
  let q = trx
    .selectFrom("invitations")
    .select(["id", "name", "email", "country", "organisation"])
    .where("id", "=", invitationId);
  if (surveyId != null) q = q.where("survey_id", "=", surveyId);
  return (await q.forUpdate().executeTakeFirst()) ?? null;
}

export async function eraseResponse(db: Db, target: EraseTarget, by: Eraser): Promise<EraseResult> {
  let reference: string | null = null;
  if ("reference" in target) {
    reference = normalizeReference(target.reference);
    if (!REFERENCE.test(reference)) return { ok: false, reason: "bad_reference" };
  } else if (!UUID.test(target.responseId)) {
    return { ok: false, reason: "not_found" };
  }
  return db.transaction().execute(async (trx) => {
    const response = await trx
      .selectFrom("responses")
      .innerJoin("surveys", "surveys.id", "responses.survey_id")
      .select([
        "responses.id",
        "responses.status",
        "responses.reference",
        "responses.invitation_id",
        "surveys.slug",
      ])
      .where(
        reference !== null ? "responses.reference" : "responses.id",
        "=",
        reference ?? (target as { responseId: string }).responseId,
      )
      .forUpdate("responses")
      .executeTakeFirst();
    if (!response) return { ok: false as const, reason: "not_found" as const };
    const invitation =
      response.invitation_id != null ? await lockInvitation(trx, response.invitation_id) : null;
    const removed = await deleteResponse(trx, response.id);
    const invitee = invitation ? await eraseInvitation(trx, invitation) : undefined;
    const result = {
      ok: true as const,
      responseId: response.id,
      survey: response.slug,
      status: response.status,
      answers: removed.answers,
      tags: removed.tags,
      ...(invitee ? { invitee } : {}),
    };
    await audit(trx, {
      user: by.user,
      actor: by.actor,
      ip: by.ip,
      action: "response.erased",
      targetType: "response",
      targetId: response.id,
      details: {
        survey: response.slug,
        status: response.status,
        answers: result.answers,
        tags: result.tags,
        ...(response.reference ? { referenceSha256: referenceDigest(response.reference) } : {}),
        ...(invitee
          ? {
              invitee: invitee.pseudonym,
              messages: invitee.messages,
              auditEntries: invitee.auditEntries,
            }
          : {}),
      },
    });
    return result;
  });
}

export type InviteeEraseResult =
  | (InviteeErasure & {
      ok: true;
      /** The status of the invitee's response, erased with them, or null if they had not started. */
      response: "in_progress" | "submitted" | null;
      answers: number;
      tags: number;
    })
  | { ok: false; reason: "not_found" };

/**
 * Erases one invitee of a survey: their response (answers, theme tags), their invitation, their
 * outbox messages, and their personal data in the audit log (replaced by a pseudonym). Recorded
 * as `invitation.erased` under the pseudonym.
 */
export async function eraseInvitee(
  db: Db,
  survey: { id: number; slug: string },
  invitationId: number,
  by: Eraser,
): Promise<InviteeEraseResult> {
  if (!Number.isSafeInteger(invitationId) || invitationId <= 0)
    return { ok: false, reason: "not_found" };
  return db.transaction().execute(async (trx) => {
    const invitation = await lockInvitation(trx, invitationId, survey.id);
    if (!invitation) return { ok: false as const, reason: "not_found" as const };
    const response = await trx
      .selectFrom("responses")
      .select(["id", "status"])
      .where("invitation_id", "=", invitationId)
      .forUpdate()
      .executeTakeFirst();
    const removed = response ? await deleteResponse(trx, response.id) : { answers: 0, tags: 0 };
    const erased = await eraseInvitation(trx, invitation);
    await audit(trx, {
      user: by.user,
      actor: by.actor,
      ip: by.ip,
      action: "invitation.erased",
      targetType: "invitation",
      targetId: invitationId,
      details: {
        survey: survey.slug,
        invitee: erased.pseudonym,
        response: response?.status ?? null,
        answers: removed.answers,
        tags: removed.tags,
        messages: erased.messages,
        auditEntries: erased.auditEntries,
      },
    });
    return {
      ok: true as const,
      ...erased,
      response: response?.status ?? null,
      answers: removed.answers,
      tags: removed.tags,
    };
  });
}
