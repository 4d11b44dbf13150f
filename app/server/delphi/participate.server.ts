import type { Db } from "#db/client";
import { hashToken } from "~/server/tokens.server";
import { isPlausibleToken } from "~/server/responses/tokens.server";
import { distribution, outsideIqr, roundFigures } from "~/survey/consensus";
import {
  consensusRuleOf,
  DELPHI_REASON_MAX_LENGTH,
  type DelphiItem,
  delphiField,
  ratingPoints,
} from "~/survey/delphi";
import { isSupportedLocale, type SupportedLocale } from "~/survey/locale";
import { isSuppressed } from "~/survey/scoring";
import { itemLabel, readDelphiData, roundsOfItem } from "./consensus.server";
import { participantKey } from "./ratings.server";
import { type DelphiRound, listRounds, openRound } from "./rounds.server";
import type { ItemFeedbackView } from "./view";

/**
 * Taking part in a Delphi round: who may, what they see beside each item (the panel's
 * previous-round result and their own previous rating, never anyone else's), and storing their
 * ratings and reasons. A participant opens the round with the token of their round-1 response:
 * the personal link of their invitation, or the resume link on their receipt.
 */

interface Holder {
  surveyId: number;
  responseId: string | null;
  responseSubmitted: boolean;
  invitationId: number | null;
  invited: boolean;
  locale: SupportedLocale;
}

async function holderOf(db: Db, token: string): Promise<Holder | null> {
  if (!isPlausibleToken(token)) return null;
  const hash = hashToken(token);
  const invitation = await db
    .selectFrom("invitations")
    .select(["id", "survey_id", "status", "locale"])
    .where("token_hash", "=", hash)
    .executeTakeFirst();
  const response = await db
    .selectFrom("responses")
    .select(["id", "survey_id", "status", "invitation_id", "locale"])
    .where((eb) =>
      invitation ? eb("invitation_id", "=", invitation.id) : eb("resume_token_hash", "=", hash),
    )
    .executeTakeFirst();
  if (!invitation && !response) return null;
  const locale = response?.locale ?? invitation?.locale ?? "en";
  return {
    surveyId: (response?.survey_id ?? invitation?.survey_id)!,
    responseId: response?.id ?? null,
    responseSubmitted: response?.status === "submitted",
    invitationId: invitation?.id ?? response?.invitation_id ?? null,
    invited: invitation?.status === "active",
    locale: isSupportedLocale(locale) ? locale : "en",
  };
}

/**
 * Whether a participant takes part in a round: a member (they submitted the previous round and
 * are among those the round asks), a newcomer (they did not, and the round lets them join), or
 * not at all.
 */
export function roundEligibility(
  round: Pick<DelphiRound, "participants" | "newcomers">,
  who: { submittedPrevious: boolean; invited: boolean },
): "member" | "newcomer" | null {
  if (round.participants === "invited" && !who.invited) return null;
  if (who.submittedPrevious) return "member";
  return round.newcomers ? "newcomer" : null;
}

export type RoundAccess =
  | { ok: false; reason: "unknown" | "no_round" | "not_eligible" }
  | {
      ok: true;
      round: DelphiRound;
      holder: Holder;
      who: string;
      newcomer: boolean;
      reasons: DelphiRound["reasons"];
      feedback: ItemFeedbackView[];
      saved: {
        submittedAt: Date;
        answers: Record<string, { value: number; reason: string | null }>;
      } | null;
    };

/** The round a token may answer now, with what the participant sees beside each item. */
export async function roundForToken(
  db: Db,
  token: string,
  { minCell, now = new Date() }: { minCell: number; now?: Date },
): Promise<RoundAccess> {
  const holder = await holderOf(db, token);
  if (!holder) return { ok: false, reason: "unknown" };
  const rounds = await listRounds(db, holder.surveyId);
  const round = openRound(rounds, now);
  if (!round) return { ok: false, reason: "no_round" };
  const participations = await db
    .selectFrom("delphi_participations as p")
    .innerJoin("delphi_rounds as d", "d.id", "p.round_id")
    .select(["p.id", "d.round", "p.submitted_at", "p.newcomer"])
    .where("d.survey_id", "=", holder.surveyId)
    .where((eb) =>
      holder.responseId
        ? eb("p.response_id", "=", holder.responseId)
        : eb.and([
            eb("p.response_id", "is", null),
            eb("p.invitation_id", "=", holder.invitationId),
          ]),
    )
    .execute();
  const own = participations.find((p) => p.round === round.round) ?? null;
  const submittedPrevious =
    round.round === 2
      ? holder.responseSubmitted
      : participations.some((p) => p.round === round.round - 1);
  const eligibility = own
    ? own.newcomer
      ? "newcomer"
      : "member"
    : roundEligibility(round, { submittedPrevious, invited: holder.invited });
  if (!eligibility) return { ok: false, reason: "not_eligible" };

  const survey = await db
    .selectFrom("surveys")
    .select(["id", "current_version_id"])
    .where("id", "=", holder.surveyId)
    .executeTakeFirstOrThrow();
  const data = (await readDelphiData(
    db,
    { id: survey.id, currentVersionId: survey.current_version_id },
    { upTo: round.round - 1, items: round.items },
  ))!;
  const who = participantKey(holder.responseId, holder.invitationId);
  const rule = consensusRuleOf(data.def);
  const byId = new Map(data.items.map((i) => [i.id, i] as const));
  const feedback: ItemFeedbackView[] = round.items
    .map((id) => byId.get(id))
    .filter((i): i is DelphiItem => i !== undefined)
    .map((item) => {
      const previousRound = roundsOfItem(data, item.id).at(-1)!;
      const ratings = data.ratings.get(previousRound)?.get(item.id) ?? new Map<string, number>();
      const values = [...ratings.values()];
      const hidden = values.length === 0 || isSuppressed(values.length, minCell);
      const figures = roundFigures(values, rule);
      return {
        item: itemLabel(item),
        previousRound,
        panel: hidden
          ? null
          : {
              n: figures.n,
              median: figures.median!,
              q1: figures.q1!,
              q3: figures.q3!,
              distribution: distribution(values, ratingPoints(item)),
            },
        fewerThan: hidden ? minCell : null,
        own: ratings.get(who) ?? null,
        min: item.min,
        max: item.max,
        minLabel: item.minLabel,
        maxLabel: item.maxLabel,
      };
    });
  let saved: Extract<RoundAccess, { ok: true }>["saved"] = null;
  if (own) {
    const rows = await db
      .selectFrom("delphi_answers")
      .select(["item", "value_num", "reason"])
      .where("participation_id", "=", own.id)
      .execute();
    saved = {
      submittedAt: own.submitted_at,
      answers: Object.fromEntries(
        rows.map((r) => [r.item, { value: r.value_num, reason: r.reason }]),
      ),
    };
  }
  return {
    ok: true,
    round,
    holder,
    who,
    newcomer: eligibility === "newcomer",
    reasons: round.reasons,
    feedback,
    saved,
  };
}

export type RoundFieldError = "rating" | "reason_required" | "reason_long";

export interface RoundFormValues {
  ratings: Record<string, string>;
  reasons: Record<string, string>;
}

/** The ratings and reasons of a round's form, and what is wrong with them. */
export function readRoundForm(
  form: { get(name: string): FormDataEntryValue | null },
  access: Extract<RoundAccess, { ok: true }>,
): {
  values: RoundFormValues;
  errors: Record<string, RoundFieldError>;
  answers: Array<{ item: string; value: number; reason: string | null }>;
} {
  const values: RoundFormValues = { ratings: {}, reasons: {} };
  const errors: Record<string, RoundFieldError> = {};
  const answers: Array<{ item: string; value: number; reason: string | null }> = [];
  for (const f of access.feedback) {
    const id = f.item.id;
    const rawRating = form.get(delphiField(id, "rating"));
    const rawReason = form.get(delphiField(id, "reason"));
    const rating = typeof rawRating === "string" ? rawRating.trim() : "";
    const reason = typeof rawReason === "string" ? rawReason.replace(/\r\n?/g, "\n").trim() : "";
    values.ratings[id] = rating.slice(0, 10);
    values.reasons[id] =
      typeof rawReason === "string" ? rawReason.slice(0, DELPHI_REASON_MAX_LENGTH * 2) : "";
    const value = /^-?\d{1,3}$/.test(rating) ? Number(rating) : NaN;
    if (!Number.isInteger(value) || value < f.min || value > f.max) {
      errors[id] = "rating";
      continue;
    }
    if (access.reasons !== "off" && reason.length > DELPHI_REASON_MAX_LENGTH) {
      errors[id] = "reason_long";
      continue;
    }
    const outside = f.panel !== null && outsideIqr(value, f.panel);
    if (access.reasons === "required" && outside && reason === "") {
      errors[id] = "reason_required";
      continue;
    }
    answers.push({
      item: id,
      value,
      reason: access.reasons === "off" || reason === "" ? null : reason,
    });
  }
  return { values, errors, answers };
}

/** Stores (or replaces, while the round is open) a participant's ratings of the round. */
export async function saveRoundAnswers(
  db: Db,
  access: Extract<RoundAccess, { ok: true }>,
  answers: ReadonlyArray<{ item: string; value: number; reason: string | null }>,
  locale: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const { holder, round } = access;
    const existing = await trx
      .selectFrom("delphi_participations")
      .select("id")
      .where("round_id", "=", round.id)
      .where((eb) =>
        holder.responseId
          ? eb("response_id", "=", holder.responseId)
          : eb.and([eb("response_id", "is", null), eb("invitation_id", "=", holder.invitationId)]),
      )
      .forUpdate()
      .executeTakeFirst();
    let id: number;
    if (existing) {
      id = existing.id;
      await trx
        .updateTable("delphi_participations")
        .set({ submitted_at: new Date(), locale })
        .where("id", "=", id)
        .execute();
      await trx.deleteFrom("delphi_answers").where("participation_id", "=", id).execute();
    } else {
      const inserted = await trx
        .insertInto("delphi_participations")
        .values({
          round_id: round.id,
          response_id: holder.responseId,
          invitation_id: holder.invitationId,
          newcomer: access.newcomer,
          locale,
        })
        .onConflict((oc) => oc.doNothing())
        .returning("id")
        .executeTakeFirst();
      if (!inserted) {
        // A second submission of the same form arrived at the same time: it stored the answers.
        return;
      }
      id = inserted.id;
    }
    if (answers.length > 0) {
      await trx
        .insertInto("delphi_answers")
        .values(
          answers.map((a) => ({
            participation_id: id,
            item: a.item,
            value_num: a.value,
            reason: a.reason,
          })),
        )
        .execute();
    }
  });
}

/**
 * The invitation to the open round that a receipt or an invitation page shows to a token that
 * may take part, in the reader's language; null when there is none.
 */
export async function roundInvitationFor(
  db: Db,
  token: string,
  {
    minCell,
    t,
    formatDate,
  }: {
    minCell: number;
    t: (
      key: "delphi.round.invite" | "delphi.round.inviteNoClose",
      vars: Record<string, string | number>,
    ) => string;
    formatDate: (d: Date) => string;
  },
): Promise<{ href: string; text: string } | null> {
  const access = await roundForToken(db, token, { minCell });
  if (!access.ok) return null;
  const { round } = access;
  return {
    href: `/r/${token}/round`,
    text: round.closesAt
      ? t("delphi.round.invite", { round: round.round, date: formatDate(round.closesAt) })
      : t("delphi.round.inviteNoClose", { round: round.round }),
  };
}
