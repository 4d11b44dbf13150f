import { sql } from "kysely";
import type { Db } from "#db/client";
import type { DelphiItem } from "~/survey/delphi";

/**
 * The ratings of Delphi items, per round, by participant. A participant is named by their
 * round-1 response id, or `invitation:<id>` when they joined a later round without one.
 *
 * Round 1 is the questionnaire: the submitted responses' answers (a need priority is the
 * respondent's mean over their needs of that category and horizon, docs/statistics.md). A later
 * round is its `delphi_answers`.
 */

export type Ratings = Map<string, Map<string, number>>;

export function participantKey(responseId: string | null, invitationId: number | null): string {
  return responseId ?? `invitation:${invitationId}`;
}

function put(ratings: Ratings, item: string, who: string, value: number) {
  let byWho = ratings.get(item);
  if (!byWho) ratings.set(item, (byWho = new Map()));
  byWho.set(who, value);
}

/** Round-1 ratings of the items, read in two queries (plain ratings, need priorities). */
export async function roundOneRatings(
  db: Db,
  surveyId: number,
  items: readonly DelphiItem[],
): Promise<Ratings> {
  const ratings: Ratings = new Map();
  const plain = items.filter((i) => i.kind !== "need");
  const needs = items.filter((i) => i.kind === "need");
  if (plain.length > 0) {
    const keys = [...new Set(plain.map((i) => i.questionKey))];
    const wanted = new Set(plain.map((i) => i.id));
    const rows = await db
      .selectFrom("answers as a")
      .innerJoin("responses as r", "r.id", "a.response_id")
      .select(["r.id", "a.question_key", "a.item", "a.option_code", "a.value_num"])
      .where("r.survey_id", "=", surveyId)
      .where("r.status", "=", "submitted")
      .where("a.question_key", "in", keys)
      .where("a.value_num", "is not", null)
      .execute();
    for (const row of rows) {
      const id = [row.question_key, row.item, row.option_code].filter((p) => p != null).join(".");
      if (wanted.has(id)) put(ratings, id, row.id, Number(row.value_num));
    }
  }
  if (needs.length > 0) {
    const keys = [...new Set(needs.map((i) => i.questionKey))];
    const wanted = new Set(needs.map((i) => i.id));
    const rows = await db
      .selectFrom("answers as a")
      .innerJoin("responses as r", "r.id", "a.response_id")
      .select([
        "r.id",
        "a.question_key",
        "a.option_code",
        sql<string>`a.value_json ->> 'horizon'`.as("horizon"),
        sql<number>`avg((a.value_json ->> 'urgency')::numeric)::float8`.as("urgency"),
        sql<number>`avg((a.value_json ->> 'importance')::numeric)::float8`.as("importance"),
      ])
      .where("r.survey_id", "=", surveyId)
      .where("r.status", "=", "submitted")
      .where("a.question_key", "in", keys)
      .where(sql<boolean>`jsonb_typeof(a.value_json -> 'urgency') = 'number'`)
      .where(sql<boolean>`jsonb_typeof(a.value_json -> 'importance') = 'number'`)
      .groupBy(["r.id", "a.question_key", "a.option_code", sql`a.value_json ->> 'horizon'`])
      .execute();
    for (const row of rows) {
      for (const dimension of ["urgency", "importance"] as const) {
        const id = `${row.question_key}.${row.option_code}.${row.horizon}.${dimension}`;
        if (wanted.has(id)) put(ratings, id, row.id, Number(row[dimension]));
      }
    }
  }
  return ratings;
}

export interface LaterRoundAnswer {
  who: string;
  item: string;
  value: number;
  reason: string | null;
  newcomer: boolean;
}

/** Every answer of a later round (2, 3, …). */
export async function laterRoundAnswers(db: Db, roundId: number): Promise<LaterRoundAnswer[]> {
  const rows = await db
    .selectFrom("delphi_answers as a")
    .innerJoin("delphi_participations as p", "p.id", "a.participation_id")
    .select(["p.response_id", "p.invitation_id", "p.newcomer", "a.item", "a.value_num", "a.reason"])
    .where("p.round_id", "=", roundId)
    .orderBy("p.id")
    .orderBy("a.item")
    .execute();
  return rows.map((r) => ({
    who: participantKey(r.response_id, r.invitation_id),
    item: r.item,
    value: r.value_num,
    reason: r.reason,
    newcomer: r.newcomer,
  }));
}

export function ratingsOf(answers: readonly LaterRoundAnswer[]): Ratings {
  const ratings: Ratings = new Map();
  for (const a of answers) put(ratings, a.item, a.who, a.value);
  return ratings;
}
