import { createTransport, type Transporter } from "nodemailer";
import { sql } from "kysely";
import { z } from "zod";
import type { Db } from "#db/client";
import type { LocalizedText } from "#db/schema";
import type { Env } from "~/env.server";
import { audit } from "./audit.server";
import { newToken, pendingInvitations, personalLink } from "./invitations.server";
import type { Logger } from "./logger.server";
import type { Actor, ManagedSurvey } from "./survey-admin.server";

/**
 * Invitation and reminder e-mails.
 *
 * Messages are queued in `email_outbox` and sent by `processOutbox`: in the request of a
 * "Send now" action, and every 30 seconds by the server when SMTP_URL is set. Rows are claimed
 * with `for update skip locked`, so several app instances never send one message twice. A
 * failure is retried with exponential backoff, at most MAX_ATTEMPTS times; "Retry failed" queues
 * failed messages again.
 *
 * Each message carries a fresh personal link, composed into it only when it is sent: a queued
 * message stores no link (its stored copy shows the link masked), the sender issues a new token
 * for the invitee, and only when the SMTP server has accepted the message does the new token
 * replace the invitee's earlier one. A failed send leaves the earlier link working and nothing
 * usable in the database. See docs/decisions/014-links-composed-when-sent.md.
 *
 * Messages of kind `round` carry an invited participant's link to a Delphi round
 * (`/r/<token>/round`), are queued by `queueRoundEmails` (app/server/delphi/round-mail.server.ts)
 * to be sent when the round opens, and are given up when the round has closed.
 */

export const EMAIL_KINDS = ["invitation", "reminder", "round"] as const;
export type EmailKind = (typeof EMAIL_KINDS)[number];
export const EMAIL_LOCALES = ["en", "ru"] as const;
export type EmailLocale = (typeof EMAIL_LOCALES)[number];
/** `{round}` is the round's number in a round message (empty in the others). */
export const PLACEHOLDERS = ["name", "link", "survey", "closes", "round"] as const;

export const MAX_ATTEMPTS = 5;
/** Backoff after the n-th failed attempt: 1, 2, 4, 8… minutes. */
export function backoffSeconds(attempts: number): number {
  return 60 * 2 ** Math.max(0, attempts - 1);
}
/** A message being sent is given this long before another sender may take it over. */
const SENDING_LEASE_SECONDS = 600;

export interface Template {
  subject: string;
  body: string;
}

export const DEFAULT_TEMPLATES: Record<EmailKind, Record<EmailLocale, Template>> = {
  invitation: {
    en: {
      subject: "Invitation: {survey}",
      body: `Dear {name},

You are invited to take part in the survey "{survey}" of the EU–Russia science and technology cooperation programme.

Your personal link:
{link}

The link is for you only: it lets you answer, save your answers and come back later. The survey is open until {closes}.

Thank you for your time.`,
    },
    ru: {
      subject: "Приглашение: {survey}",
      body: `Уважаемый(-ая) {name}!

Приглашаем вас принять участие в опросе «{survey}» программы научно-технического сотрудничества ЕС и России.

Ваша персональная ссылка:
{link}

Ссылка предназначена только для вас: по ней можно ответить на вопросы, сохранить ответы и вернуться позже. Опрос открыт до {closes}.

Благодарим вас за участие.`,
    },
  },
  reminder: {
    en: {
      subject: "Reminder: {survey}",
      body: `Dear {name},

This is a reminder about the survey "{survey}". If you have already started, your answers are saved and you can continue where you left off.

Your personal link:
{link}

This message contains your current link; links in earlier messages no longer work. The survey is open until {closes}.

Thank you.`,
    },
    ru: {
      subject: "Напоминание: {survey}",
      body: `Уважаемый(-ая) {name}!

Напоминаем об опросе «{survey}». Если вы уже начали отвечать, ваши ответы сохранены и вы можете продолжить с того места, где остановились.

Ваша персональная ссылка:
{link}

В этом письме — ваша действующая ссылка; ссылки из прежних писем больше не работают. Опрос открыт до {closes}.

Спасибо.`,
    },
  },
  round: {
    en: {
      subject: "Round {round}: {survey}",
      body: `Dear {name},

Round {round} of the survey "{survey}" is open. You will see the panel's anonymous result of the previous round beside each item, and your own previous answer: keep it or change it.

Your personal link to round {round}:
{link}

This message contains your current link; links in earlier messages no longer work. Round {round} is open until {closes}.

Thank you for taking part.`,
    },
    ru: {
      subject: "Раунд {round}: {survey}",
      body: `Уважаемый(-ая) {name}!

Открыт раунд {round} опроса «{survey}». Рядом с каждым пунктом вы увидите анонимный итог предыдущего раунда по всей группе и свой прежний ответ: его можно оставить или изменить.

Ваша персональная ссылка на раунд {round}:
{link}

В этом письме — ваша действующая ссылка; ссылки из прежних писем больше не работают. Раунд {round} открыт до {closes}.

Благодарим вас за участие.`,
    },
  },
};

export function renderTemplate(
  template: Template,
  vars: Record<Exclude<(typeof PLACEHOLDERS)[number], "round">, string> & { round?: string },
): Template {
  const fill = (text: string) =>
    text.replace(/\{(\w+)\}/g, (whole, name: string) =>
      Object.hasOwn(vars, name) ? (vars[name as keyof typeof vars] ?? whole) : whole,
    );
  return { subject: fill(template.subject).replace(/[\r\n]+/g, " "), body: fill(template.body) };
}

export interface StoredTemplate extends Template {
  kind: EmailKind;
  locale: EmailLocale;
  /** True when the survey has no template of its own and the default applies. */
  isDefault: boolean;
  updatedAt: Date | null;
}

export async function getTemplates(db: Db, surveyId: number): Promise<StoredTemplate[]> {
  const rows = await db
    .selectFrom("email_templates")
    .select(["kind", "locale", "subject", "body", "updated_at"])
    .where("survey_id", "=", surveyId)
    .execute();
  return EMAIL_KINDS.flatMap((kind) =>
    EMAIL_LOCALES.map((locale) => {
      const row = rows.find((r) => r.kind === kind && r.locale === locale);
      return row
        ? {
            kind,
            locale,
            subject: row.subject,
            body: row.body,
            isDefault: false,
            updatedAt: row.updated_at,
          }
        : { kind, locale, ...DEFAULT_TEMPLATES[kind][locale], isDefault: true, updatedAt: null };
    }),
  );
}

export const templateSchema = z.object({
  kind: z.enum(EMAIL_KINDS),
  locale: z.enum(EMAIL_LOCALES),
  subject: z
    .string()
    .trim()
    .min(1, { message: "subjectRequired" })
    .max(200, { message: "subjectTooLong" }),
  body: z
    .string()
    .trim()
    .min(1, { message: "bodyRequired" })
    .max(10_000, { message: "bodyTooLong" })
    .refine((b) => b.includes("{link}"), { message: "bodyNeedsLink" }),
});
export type TemplateErrorKey =
  "subjectRequired" | "subjectTooLong" | "bodyRequired" | "bodyTooLong" | "bodyNeedsLink";

export type SaveTemplateResult =
  { ok: true } | { ok: false; errors: Partial<Record<"subject" | "body", TemplateErrorKey>> };

/** Saves a survey's template of one kind and language; `reset` goes back to the default text. */
export async function saveTemplate(
  db: Db,
  survey: ManagedSurvey,
  raw: { kind: unknown; locale: unknown; subject: unknown; body: unknown; reset?: boolean },
  actor: Actor,
): Promise<SaveTemplateResult> {
  if (raw.reset) {
    const kind = z.enum(EMAIL_KINDS).parse(raw.kind);
    const locale = z.enum(EMAIL_LOCALES).parse(raw.locale);
    await db.transaction().execute(async (trx) => {
      await trx
        .deleteFrom("email_templates")
        .where("survey_id", "=", survey.id)
        .where("kind", "=", kind)
        .where("locale", "=", locale)
        .execute();
      await audit(trx, {
        user: actor.user,
        action: "email.template_reset",
        targetType: "survey",
        targetId: survey.id,
        details: { survey: survey.slug, kind, locale },
        ip: actor.ip,
      });
    });
    return { ok: true };
  }
  const parsed = templateSchema.safeParse(raw);
  if (!parsed.success) {
    const errors: Partial<Record<"subject" | "body", TemplateErrorKey>> = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      if (field === "subject" || field === "body")
        errors[field] ??= issue.message as TemplateErrorKey;
      else throw new Response("", { status: 400, statusText: "Bad Request" });
    }
    return { ok: false, errors };
  }
  const t = parsed.data;
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("email_templates")
      .values({
        survey_id: survey.id,
        kind: t.kind,
        locale: t.locale,
        subject: t.subject,
        body: t.body,
        updated_by: actor.user?.id ?? null,
      })
      .onConflict((oc) =>
        oc.columns(["survey_id", "kind", "locale"]).doUpdateSet({
          subject: t.subject,
          body: t.body,
          updated_by: actor.user?.id ?? null,
          updated_at: sql<Date>`now()`,
        }),
      )
      .execute();
    await audit(trx, {
      user: actor.user,
      action: "email.template",
      targetType: "survey",
      targetId: survey.id,
      details: { survey: survey.slug, kind: t.kind, locale: t.locale, subject: t.subject },
      ip: actor.ip,
    });
  });
  return { ok: true };
}

// ---------------------------------------------------------------------------------------------
// Queueing

const closesFormat: Record<EmailLocale, Intl.DateTimeFormat> = {
  en: new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "UTC" }),
  ru: new Intl.DateTimeFormat("ru-RU", { dateStyle: "long", timeZone: "UTC" }),
};
const NO_CLOSING_DATE: Record<EmailLocale, string> = {
  en: "further notice",
  ru: "особого объявления",
};

export interface QueueResult {
  queued: number;
}

/** What a survey's messages are composed from: its templates, title and closing date. */
export interface SurveyMail {
  slug: string;
  title: LocalizedText | null;
  closesAt: Date | null;
  templates: StoredTemplate[];
}

export async function surveyMail(db: Db, surveyId: number): Promise<SurveyMail | null> {
  const row = await db
    .selectFrom("surveys as s")
    .leftJoin("survey_versions as v", "v.id", "s.current_version_id")
    .select(["s.slug", "s.closes_at", "v.definition"])
    .where("s.id", "=", surveyId)
    .executeTakeFirst();
  if (!row) return null;
  const title = (row.definition as { title?: LocalizedText } | null)?.title ?? null;
  return {
    slug: row.slug,
    title,
    closesAt: row.closes_at,
    templates: await getTemplates(db, surveyId),
  };
}

/** The link as a stored copy of a message shows it: the token masked. */
export function maskedLink(base: string, kind: EmailKind = "invitation"): string {
  return kind === "round" ? `${base}/r/…/round` : `${base}/i/…`;
}

/** The link a message carries: the personal link, or for a round message the round's page. */
export function messageLink(base: string, kind: EmailKind, token: string): string {
  return kind === "round" ? `${base}/r/${token}/round` : personalLink(base, token);
}

/** The round a message of kind `round` is about: its number and closing date. */
export interface MailRound {
  round: number;
  closesAt: Date | null;
}

/**
 * A message of one kind for one invitee, in their language, carrying `link`; a round message
 * names its round and gives the round's closing date.
 */
export function composeMessage(
  mail: SurveyMail,
  kind: EmailKind,
  locale: string,
  name: string,
  link: string,
  round: MailRound | null = null,
): Template {
  const lang: EmailLocale = locale === "ru" ? "ru" : "en";
  const template = mail.templates.find((t) => t.kind === kind && t.locale === lang)!;
  const closesAt = round ? round.closesAt : mail.closesAt;
  return renderTemplate(template, {
    name,
    link,
    survey: mail.title?.[lang] ?? mail.title?.en ?? mail.slug,
    closes: closesAt ? closesFormat[lang].format(closesAt) : NO_CLOSING_DATE[lang],
    round: round ? String(round.round) : "",
  });
}

/**
 * Queues invitations (to active invitees with an e-mail address who have never been sent one
 * and have not submitted) or reminders (to every active invitee with an e-mail address who has
 * not submitted), in each invitee's language. No link is issued yet: each message gets a new
 * personal link when it is sent (`processOutbox`), and the invitee's current link keeps working
 * until then.
 */
export async function queueEmails(
  db: Db,
  survey: ManagedSurvey,
  kind: Exclude<EmailKind, "round">,
  options: { base: string },
  actor: Actor,
): Promise<QueueResult> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${"invitations:" + survey.id}))`.execute(trx);
    let targets = await pendingInvitations(trx, survey.id, { withEmail: true });
    if (kind === "invitation") {
      const already = await trx
        .selectFrom("invitations as i")
        .select("i.id")
        .where("i.survey_id", "=", survey.id)
        .where((eb) =>
          eb.or([
            eb("i.last_sent_at", "is not", null),
            eb.exists(
              eb
                .selectFrom("email_outbox as o")
                .select("o.id")
                .whereRef("o.invitation_id", "=", "i.id")
                .where("o.kind", "=", "invitation"),
            ),
          ]),
        )
        .execute();
      const skip = new Set(already.map((a) => a.id));
      targets = targets.filter((t) => !skip.has(t.id));
    } else {
      // A reminder replaces a reminder still waiting to be sent.
      await trx
        .deleteFrom("email_outbox")
        .where("survey_id", "=", survey.id)
        .where("kind", "=", "reminder")
        .where("status", "in", ["queued", "failed"])
        .execute();
    }
    if (targets.length === 0) return { queued: 0 };
    const mail = (await surveyMail(trx, survey.id))!;
    const messages = targets.map((inv) => {
      const preview = composeMessage(mail, kind, inv.locale, inv.name, maskedLink(options.base));
      return {
        survey_id: survey.id,
        invitation_id: inv.id,
        kind,
        to_address: inv.email!,
        locale: inv.locale,
        link_base: options.base,
        subject: preview.subject,
        body: preview.body,
      };
    });
    await trx.insertInto("email_outbox").values(messages).execute();
    await audit(trx, {
      user: actor.user,
      action: "email.queue",
      targetType: "survey",
      targetId: survey.id,
      details: { survey: survey.slug, kind, count: messages.length },
      ip: actor.ip,
    });
    return { queued: messages.length };
  });
}

// ---------------------------------------------------------------------------------------------
// Sending

/** The part of a nodemailer transport the sender uses (a test may pass its own). */
export interface Mailer {
  sendMail(message: { from: string; to: string; subject: string; text: string }): Promise<unknown>;
}

export function emailConfigured(env: Pick<Env, "SMTP_URL">): boolean {
  return Boolean(env.SMTP_URL);
}

/** The sender address: SMTP_FROM, else the user of SMTP_URL, else needsmap@<smtp host>. */
export function senderAddress(env: Pick<Env, "SMTP_URL" | "SMTP_FROM">): string {
  if (env.SMTP_FROM) return env.SMTP_FROM;
  const url = new URL(env.SMTP_URL!);
  const user = decodeURIComponent(url.username);
  return user.includes("@") ? user : `needsmap@${url.hostname}`;
}

const transports = new Map<string, Transporter>();

/** A nodemailer transport for SMTP_URL (one per URL, reused), or null when e-mail is not configured. */
export function mailerFor(env: Pick<Env, "SMTP_URL">): Transporter | null {
  if (!env.SMTP_URL) return null;
  let t = transports.get(env.SMTP_URL);
  if (!t) {
    t = createTransport(env.SMTP_URL);
    transports.set(env.SMTP_URL, t);
  }
  return t;
}

export interface ProcessResult {
  sent: number;
  failed: number;
}

/** Why a message was not attempted: there is no active invitation to carry a link for. */
const NO_INVITATION = "Not sent: the invitation no longer exists or has been revoked.";
/** Why a round message was not attempted: its round has closed. */
const ROUND_CLOSED = "Not sent: the round has closed.";

/**
 * Sends the messages that are due (queued, or failed with attempts left and their retry time
 * reached), optionally of one survey only. Safe to run in several processes at once.
 *
 * Each message is composed now, with a new personal link for its invitee. The new link replaces
 * the invitee's earlier one only once the SMTP server has accepted the message; after a failure
 * the token is forgotten and the earlier link keeps working. The stored copy of a sent message
 * shows the link masked.
 */
export async function processOutbox(
  db: Db,
  mailer: Mailer,
  options: { from: string; surveyId?: number; limit?: number; actor?: Actor },
): Promise<ProcessResult> {
  const limit = options.limit ?? 50;
  const claimed = await db
    .updateTable("email_outbox")
    .set((eb) => ({
      status: "sending",
      attempts: eb("attempts", "+", 1),
      next_attempt_at: sql<Date>`now() + make_interval(secs => ${SENDING_LEASE_SECONDS})`,
    }))
    .where("id", "in", (eb) => {
      let q = eb
        .selectFrom("email_outbox")
        .select("id")
        .where("next_attempt_at", "<=", sql<Date>`now()`)
        .where((w) =>
          w.or([
            w("status", "=", "queued"),
            w.and([w("status", "=", "failed"), w("attempts", "<", MAX_ATTEMPTS)]),
            // A sender that stopped while sending: its lease has run out.
            w.and([w("status", "=", "sending"), w("attempts", "<", MAX_ATTEMPTS)]),
          ]),
        )
        .orderBy("id")
        .limit(limit)
        .forUpdate()
        .skipLocked();
      if (options.surveyId != null) q = q.where("survey_id", "=", options.surveyId);
      return q;
    })
    .returning([
      "id",
      "survey_id",
      "invitation_id",
      "kind",
      "to_address",
      "locale",
      "link_base",
      "attempts",
      "delphi_round_id",
    ])
    .execute();

  const result: ProcessResult = { sent: 0, failed: 0 };
  if (claimed.length === 0) return result;
  const invitationIds = [
    ...new Set(claimed.map((m) => m.invitation_id).filter((id): id is number => id != null)),
  ];
  const invitations = new Map(
    (invitationIds.length
      ? await db
          .selectFrom("invitations")
          .select(["id", "name", "status"])
          .where("id", "in", invitationIds)
          .execute()
      : []
    ).map((i) => [i.id, i]),
  );
  const roundIds = [
    ...new Set(claimed.map((m) => m.delphi_round_id).filter((id): id is number => id != null)),
  ];
  const rounds = new Map(
    (roundIds.length
      ? await db
          .selectFrom("delphi_rounds")
          .select(["id", "round", "opens_at", "closes_at"])
          .where("id", "in", roundIds)
          .execute()
      : []
    ).map((r) => [r.id, { round: r.round, opensAt: r.opens_at, closesAt: r.closes_at }]),
  );
  const mails = new Map<number, SurveyMail | null>();
  const bySurvey = new Map<number, { sent: number[]; failed: number[] }>();
  for (const m of claimed.sort((a, b) => Number(a.id) - Number(b.id))) {
    const entry = bySurvey.get(m.survey_id) ?? { sent: [], failed: [] };
    bySurvey.set(m.survey_id, entry);
    if (!mails.has(m.survey_id)) mails.set(m.survey_id, await surveyMail(db, m.survey_id));
    const mail = mails.get(m.survey_id);
    const invitation = m.invitation_id != null ? invitations.get(m.invitation_id) : undefined;
    const round = m.delphi_round_id != null ? (rounds.get(m.delphi_round_id) ?? null) : null;
    const roundClosed =
      m.kind === "round" && (!round || (round.closesAt !== null && round.closesAt <= new Date()));
    if (round && round.opensAt > new Date()) {
      // Queued again by hand before its round opens: it waits for the opening, attempt unspent.
      await db
        .updateTable("email_outbox")
        .set((eb) => ({
          status: "queued",
          attempts: eb("attempts", "-", 1),
          next_attempt_at: round.opensAt,
        }))
        .where("id", "=", m.id)
        .execute();
      continue;
    }
    if (!mail || !invitation || invitation.status !== "active" || roundClosed) {
      // Nothing to send a link for: given up at once, no retry.
      await db
        .updateTable("email_outbox")
        .set({
          status: "failed",
          attempts: MAX_ATTEMPTS,
          last_error: roundClosed ? ROUND_CLOSED : NO_INVITATION,
        })
        .where("id", "=", m.id)
        .execute();
      result.failed++;
      entry.failed.push(Number(m.id));
      continue;
    }
    const { token, hash } = newToken();
    const message = composeMessage(
      mail,
      m.kind,
      m.locale,
      invitation.name,
      messageLink(m.link_base, m.kind, token),
      round,
    );
    try {
      await mailer.sendMail({
        from: options.from,
        to: m.to_address,
        subject: message.subject,
        text: message.body,
      });
    } catch (e) {
      const error = (e instanceof Error ? e.message : String(e)).slice(0, 500);
      await db
        .updateTable("email_outbox")
        .set({
          status: "failed",
          last_error: error,
          next_attempt_at: sql<Date>`now() + make_interval(secs => ${backoffSeconds(m.attempts)})`,
        })
        .where("id", "=", m.id)
        .execute();
      result.failed++;
      entry.failed.push(Number(m.id));
      continue;
    }
    // Delivered: the new link replaces the earlier one, and the stored copy shows it masked.
    const copy = composeMessage(
      mail,
      m.kind,
      m.locale,
      invitation.name,
      maskedLink(m.link_base, m.kind),
      round,
    );
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable("email_outbox")
        .set({
          status: "sent",
          sent_at: sql<Date>`now()`,
          last_error: null,
          subject: copy.subject,
          body: copy.body,
        })
        .where("id", "=", m.id)
        .execute();
      await trx
        .updateTable("invitations")
        .set({ token_hash: hash, last_sent_at: sql<Date>`now()` })
        .where("id", "=", invitation.id)
        .where("status", "=", "active")
        .execute();
    });
    result.sent++;
    entry.sent.push(Number(m.id));
  }
  for (const [surveyId, entry] of bySurvey) {
    await audit(db, {
      user: options.actor?.user ?? null,
      actor: options.actor?.user ? undefined : "email-sender",
      action: "email.send",
      targetType: "survey",
      targetId: surveyId,
      details: {
        sent: entry.sent.length,
        failed: entry.failed.length,
        messages: [...entry.sent, ...entry.failed],
      },
      ip: options.actor?.ip ?? null,
    });
  }
  return result;
}

/** Queues a survey's failed messages again, attempts left or not. */
export async function retryFailed(db: Db, survey: ManagedSurvey, actor: Actor): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .updateTable("email_outbox")
      .set({
        status: "queued",
        next_attempt_at: sql<Date>`now()`,
        attempts: sql<number>`least(attempts, ${MAX_ATTEMPTS - 1})`,
      })
      .where("survey_id", "=", survey.id)
      .where("status", "=", "failed")
      .returning("id")
      .execute();
    if (rows.length) {
      await audit(trx, {
        user: actor.user,
        action: "email.retry",
        targetType: "survey",
        targetId: survey.id,
        details: { survey: survey.slug, count: rows.length },
        ip: actor.ip,
      });
    }
    return rows.length;
  });
}

export interface OutboxRow {
  id: number;
  kind: EmailKind;
  to: string;
  name: string | null;
  subject: string;
  status: "queued" | "sending" | "sent" | "failed";
  attempts: number;
  lastError: string | null;
  nextAttemptAt: Date;
  createdAt: Date;
  sentAt: Date | null;
  /** Failed with no automatic retry left. */
  givenUp: boolean;
}

export async function listOutbox(db: Db, surveyId: number, limit = 200): Promise<OutboxRow[]> {
  const rows = await db
    .selectFrom("email_outbox as o")
    .leftJoin("invitations as i", "i.id", "o.invitation_id")
    .select([
      "o.id",
      "o.kind",
      "o.to_address",
      "i.name",
      "o.subject",
      "o.status",
      "o.attempts",
      "o.last_error",
      "o.next_attempt_at",
      "o.created_at",
      "o.sent_at",
    ])
    .where("o.survey_id", "=", surveyId)
    .orderBy("o.id", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    kind: r.kind,
    to: r.to_address,
    name: r.name,
    subject: r.subject,
    status: r.status,
    attempts: r.attempts,
    lastError: r.last_error,
    nextAttemptAt: r.next_attempt_at,
    createdAt: r.created_at,
    sentAt: r.sent_at,
    givenUp: r.status === "failed" && r.attempts >= MAX_ATTEMPTS,
  }));
}

export async function outboxCounts(
  db: Db,
  surveyId: number,
): Promise<Record<OutboxRow["status"], number>> {
  const rows = await db
    .selectFrom("email_outbox")
    .select(["status", (eb) => eb.fn.countAll<number>().as("n")])
    .where("survey_id", "=", surveyId)
    .groupBy("status")
    .execute();
  const out = { queued: 0, sending: 0, sent: 0, failed: 0 };
  for (const r of rows) out[r.status] = Number(r.n);
  return out;
}

/**
 * Sends due messages every `intervalMs` while the server runs (only when SMTP_URL is set).
 * Returns a function that stops it.
 */
export function startEmailSender(
  db: Db,
  env: Pick<Env, "SMTP_URL" | "SMTP_FROM">,
  logger: Logger,
  intervalMs = 30_000,
): () => void {
  const mailer = mailerFor(env);
  if (!mailer) return () => {};
  const from = senderAddress(env);
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const r = await processOutbox(db, mailer, { from });
      if (r.sent || r.failed) logger.info("e-mails processed", { sent: r.sent, failed: r.failed });
    } catch (e) {
      logger.warn("e-mail sender failed", { error: e instanceof Error ? e.message : String(e) });
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
