import { sql } from "kysely";
import type { Db } from "#db/client";
import { audit } from "~/server/audit.server";
import { composeMessage, maskedLink, surveyMail } from "~/server/email.server";
import type { Actor } from "~/server/survey-admin.server";
import { roundEligibility } from "./participate.server";
import { type DelphiRound, listRounds } from "./rounds.server";

/**
 * E-mails of a Delphi round (docs/decisions/048-round-emails.md): each invited participant of
 * the round who has an e-mail address gets one message with their link to the round, through
 * the outbox (at least once, composed and given a new personal link when sent, decision 014),
 * in the language they answered in (else their invitation's). The messages of a round that
 * opens later wait in the outbox until it opens. Open-link participants get no e-mail: they
 * reach the round through the resume link on their receipt. Queueing again adds only those who
 * have no message of that round yet (a unique index makes it so under concurrent requests).
 */

export interface RoundMailResult {
  queued: number;
}

/** The invitees a round writes to: active, with an address, taking part in the round. */
async function roundRecipients(
  db: Db,
  round: DelphiRound,
): Promise<Array<{ id: number; name: string; email: string; locale: string }>> {
  const rows = await db
    .selectFrom("invitations as i")
    .leftJoin("responses as r", "r.invitation_id", "i.id")
    .select([
      "i.id",
      "i.name",
      "i.email",
      sql<string>`coalesce(r.locale, i.locale)`.as("locale"),
      sql<boolean>`coalesce(r.status = 'submitted', false)`.as("submitted"),
      (eb) =>
        eb
          .exists(
            eb
              .selectFrom("delphi_participations as p")
              .innerJoin("delphi_rounds as d", "d.id", "p.round_id")
              .select("p.id")
              .where("d.survey_id", "=", round.surveyId)
              .where("d.round", "=", round.round - 1)
              .where((w) =>
                w.or([
                  w("p.invitation_id", "=", w.ref("i.id")),
                  w("p.response_id", "=", w.ref("r.id")),
                ]),
              ),
          )
          .as("previous_round"),
    ])
    .where("i.survey_id", "=", round.surveyId)
    .where("i.status", "=", "active")
    .where("i.email", "is not", null)
    .orderBy("i.id")
    .execute();
  return rows
    .filter(
      (r) =>
        roundEligibility(round, {
          submittedPrevious: round.round === 2 ? r.submitted : Boolean(r.previous_round),
          invited: true,
        }) !== null,
    )
    .map((r) => ({ id: r.id, name: r.name, email: r.email!, locale: r.locale }));
}

/**
 * Queues the round's e-mail to every invited participant who has none yet, due when the round
 * opens. Nothing is queued for a round that has closed. Audit-logged when something is queued.
 */
export async function queueRoundEmails(
  db: Db,
  survey: { id: number; slug: string },
  roundNumber: number,
  options: { base: string; now?: Date },
  actor: Actor,
): Promise<RoundMailResult> {
  const now = options.now ?? new Date();
  const round = (await listRounds(db, survey.id)).find((r) => r.round === roundNumber);
  if (!round || (round.closesAt !== null && round.closesAt <= now)) return { queued: 0 };
  return db.transaction().execute(async (trx) => {
    const targets = await roundRecipients(trx as unknown as Db, round);
    if (targets.length === 0) return { queued: 0 };
    const mail = (await surveyMail(trx as unknown as Db, survey.id))!;
    const due = round.opensAt > now ? round.opensAt : now;
    const messages = targets.map((inv) => {
      const preview = composeMessage(
        mail,
        "round",
        inv.locale,
        inv.name,
        maskedLink(options.base, "round"),
        { round: round.round, closesAt: round.closesAt },
      );
      return {
        survey_id: survey.id,
        invitation_id: inv.id,
        delphi_round_id: round.id,
        kind: "round" as const,
        to_address: inv.email,
        locale: inv.locale,
        link_base: options.base,
        subject: preview.subject,
        body: preview.body,
        next_attempt_at: due,
      };
    });
    const inserted = await trx
      .insertInto("email_outbox")
      .values(messages)
      .onConflict((oc) =>
        oc.columns(["delphi_round_id", "invitation_id"]).where("kind", "=", "round").doNothing(),
      )
      .returning("id")
      .execute();
    if (inserted.length > 0) {
      await audit(trx, {
        user: actor.user,
        actor: actor.user ? undefined : "system",
        action: "email.queue",
        targetType: "survey",
        targetId: survey.id,
        details: { survey: survey.slug, kind: "round", round: round.round, count: inserted.length },
        ip: actor.ip ?? null,
      });
    }
    return { queued: inserted.length };
  });
}

/** How the round's messages stand in the outbox, for the consensus page. */
export async function roundMailCounts(
  db: Db,
  roundId: number,
): Promise<{ queued: number; sent: number; failed: number }> {
  const rows = await db
    .selectFrom("email_outbox")
    .select(["status", (eb) => eb.fn.countAll<number>().as("n")])
    .where("delphi_round_id", "=", roundId)
    .groupBy("status")
    .execute();
  const out = { queued: 0, sent: 0, failed: 0 };
  for (const r of rows) {
    if (r.status === "sent") out.sent += Number(r.n);
    else if (r.status === "failed") out.failed += Number(r.n);
    else out.queued += Number(r.n);
  }
  return out;
}
