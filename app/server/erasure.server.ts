import { createHash } from "node:crypto";
import type { Db } from "#db/client";
import { type AuditActor, audit } from "./audit.server";

/**
 * Erasing one respondent's response on request (right to erasure): the response, all of its
 * answers and the themes coordinators tagged its free-text answers with, in one transaction,
 * recorded in the audit log without personal data (the response id, the survey, counts, and a
 * hash of the reference by which the request can be matched later).
 *
 * The invitation of a personally invited respondent is kept (revoke it or issue a new link in
 * survey management); its link then opens a fresh questionnaire.
 */

export type EraseTarget = { reference: string } | { responseId: string };

export interface Eraser {
  /** The staff member who erased, or null for the command line. */
  user: AuditActor | null;
  /** Recorded when there is no user, e.g. `cli`. */
  actor?: string;
  ip?: string | null;
}

export type EraseResult =
  | {
      ok: true;
      responseId: string;
      survey: string;
      status: "in_progress" | "submitted";
      answers: number;
      tags: number;
    }
  | { ok: false; reason: "not_found" | "bad_reference" };

const REFERENCE = /^NM-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A reference as a respondent may type it (any case, spaces, without the NM- prefix) in its stored form. */
export function normalizeReference(input: string): string {
  const compact = input.toUpperCase().replace(/[\s-]/g, "").replace(/^NM/, "");
  return compact.length === 8 ? `NM-${compact.slice(0, 4)}-${compact.slice(4)}` : input.trim().toUpperCase();
}

/** SHA-256 of a reference (first 16 hex digits): what the audit log keeps instead of the reference. */
export function referenceDigest(reference: string): string {
  return createHash("sha256").update(reference).digest("hex").slice(0, 16);
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
      .select(["responses.id", "responses.status", "responses.reference", "surveys.slug"])
      .where(reference !== null ? "responses.reference" : "responses.id", "=", reference ?? (target as { responseId: string }).responseId)
      .forUpdate("responses")
      .executeTakeFirst();
    if (!response) return { ok: false as const, reason: "not_found" as const };
    const tags = await trx
      .deleteFrom("answer_tags")
      .where("answer_id", "in", (eb) => eb.selectFrom("answers").select("id").where("response_id", "=", response.id))
      .executeTakeFirst();
    const answers = await trx.deleteFrom("answers").where("response_id", "=", response.id).executeTakeFirst();
    await trx.deleteFrom("responses").where("id", "=", response.id).execute();
    const result = {
      ok: true as const,
      responseId: response.id,
      survey: response.slug,
      status: response.status,
      answers: Number(answers.numDeletedRows),
      tags: Number(tags.numDeletedRows),
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
      },
    });
    return result;
  });
}
