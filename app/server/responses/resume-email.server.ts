import * as z from "zod";
import type { Db } from "#db/client";
import { hit } from "../rate-limit.server";
import type { Mailer } from "../email.server";

/**
 * "E-mail me this link" on the page shown after "Save and continue later" (anonymous responses,
 * when SMTP_URL is set): the resume link is sent at once to the address typed, which is used for
 * this one message and stored nowhere: not with the answers, not in the outbox, not in the audit
 * log or the request log (docs/decisions/034-resume-link-by-e-mail.md).
 */

/** Messages sent for one response within an hour, at most. */
export const RESUME_EMAILS_PER_HOUR = 3;

export const resumeEmailSchema = z
  .string({ message: "emailRequired" })
  .trim()
  .min(1, { message: "emailRequired" })
  .max(254, { message: "emailInvalid" })
  .pipe(z.email({ message: "emailInvalid" }));

export type ResumeEmailResult =
  | { ok: true; to: string }
  | { ok: false; error: "emailRequired" | "emailInvalid" | "tooMany" | "notSent" };

export interface ResumeEmail {
  /** The response whose link is sent (its id keys the hourly limit; nothing else is kept). */
  responseId: number | string;
  address: unknown;
  from: string;
  subject: string;
  /** The message's text with the link in it. */
  text: string;
}

/** Checks the address, counts the message against the response's hourly limit, and sends it. */
export async function sendResumeLink(
  db: Db,
  mailer: Mailer,
  mail: ResumeEmail,
): Promise<ResumeEmailResult> {
  const address = resumeEmailSchema.safeParse(mail.address);
  if (!address.success) {
    const message = address.error.issues[0]?.message;
    return { ok: false, error: message === "emailRequired" ? "emailRequired" : "emailInvalid" };
  }
  const limit = await hit(db, `resume-email:${mail.responseId}`, RESUME_EMAILS_PER_HOUR, 3600);
  if (!limit.allowed) return { ok: false, error: "tooMany" };
  try {
    await mailer.sendMail({ from: mail.from, to: address.data, subject: mail.subject, text: mail.text });
  } catch {
    return { ok: false, error: "notSent" };
  }
  return { ok: true, to: address.data };
}
