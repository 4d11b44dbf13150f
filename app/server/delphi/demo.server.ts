import type { Db } from "#db/client";
import { rng } from "~/server/demo.server";
import { roundFigures } from "~/survey/consensus";
import { consensusRuleOf, delphiItems } from "~/survey/delphi";
import { parseSurveyDefinition } from "~/survey/schema";
import { roundOneRatings } from "./ratings.server";
import { startRound } from "./rounds.server";

/** The working group whose survey gets a demo Delphi round. */
export const DEMO_DELPHI_GROUP = "health";

const DEMO_REASONS = {
  en: [
    "Our institute sees this differently: the need is already covered by national funds.",
    "Recent calls showed that this matters more than we first thought.",
  ],
  ru: [
    "В нашем институте это видят иначе: потребность уже покрыта национальными фондами.",
    "Последние конкурсы показали, что это важнее, чем казалось.",
  ],
} as const;

/**
 * A two-round Delphi on one working group's survey, for `npm start`: round 2 re-rates a few
 * items; about three quarters of the round-1 respondents answer it, most moving towards the
 * panel's median, some giving reasons. Deterministic; does nothing when the survey already has
 * rounds or no responses.
 */
export async function addDemoDelphi(db: Db, { seed = 1 }: { seed?: number } = {}): Promise<number> {
  const survey = await db
    .selectFrom("surveys as s")
    .innerJoin("working_groups as g", "g.id", "s.working_group_id")
    .innerJoin("survey_versions as v", "v.id", "s.current_version_id")
    .select(["s.id", "s.slug", "s.current_version_id", "v.definition"])
    .where("g.slug", "=", DEMO_DELPHI_GROUP)
    .orderBy("s.id")
    .executeTakeFirst();
  if (!survey) return 0;
  const existing = await db
    .selectFrom("delphi_rounds")
    .select("id")
    .where("survey_id", "=", survey.id)
    .executeTakeFirst();
  if (existing) return 0;
  const def = parseSurveyDefinition(survey.definition);
  const all = delphiItems(def);
  const items = [
    ...all.filter((i) => i.kind === "borich" && i.dimension === "importance").slice(0, 3),
    ...all.filter((i) => i.kind === "matrix" || i.kind === "scale").slice(0, 2),
    ...all
      .filter((i) => i.kind === "need" && i.horizon === "short_term" && i.dimension === "urgency")
      .slice(0, 2),
  ];
  if (items.length === 0) return 0;
  const ratings = await roundOneRatings(db, survey.id, items);
  const day = 86_400_000;
  const started = await startRound(
    db,
    { id: survey.id, slug: survey.slug, currentVersionId: survey.current_version_id },
    {
      items: items.map((i) => i.id),
      opensAt: new Date(Date.now() - 10 * day).toISOString().slice(0, 16),
      closesAt: new Date(Date.now() + 20 * day).toISOString().slice(0, 16),
      participants: "previous",
      newcomers: false,
      reasons: "optional",
    },
    { user: null },
  );
  if (!started.ok) return 0;
  const round = await db
    .selectFrom("delphi_rounds")
    .select("id")
    .where("survey_id", "=", survey.id)
    .where("round", "=", started.round)
    .executeTakeFirstOrThrow();
  const r = rng(seed * 104_729 + survey.id);
  const rule = consensusRuleOf(def);
  const figures = new Map(
    items.map((i) => [i.id, roundFigures([...(ratings.get(i.id)?.values() ?? [])], rule)] as const),
  );
  const respondents = await db
    .selectFrom("responses")
    .select(["id", "locale"])
    .where("survey_id", "=", survey.id)
    .where("status", "=", "submitted")
    .orderBy("id")
    .execute();
  let count = 0;
  for (const respondent of respondents) {
    if (!r.chance(0.75)) continue;
    const answers: Array<{ item: string; value: number; reason: string | null }> = [];
    for (const item of items) {
      const before = ratings.get(item.id)?.get(respondent.id);
      const f = figures.get(item.id)!;
      let value = before === undefined ? r.int(item.min, item.max) : Math.round(before);
      if (f.median !== null && r.chance(0.6)) value += Math.sign(Math.round(f.median) - value);
      value = Math.min(item.max, Math.max(item.min, value));
      const outside = f.q1 !== null && f.q3 !== null && (value < f.q1 || value > f.q3);
      const locale = respondent.locale === "ru" ? "ru" : "en";
      answers.push({
        item: item.id,
        value,
        reason: outside && r.chance(0.5) ? r.pick(DEMO_REASONS[locale]) : null,
      });
    }
    const p = await db
      .insertInto("delphi_participations")
      .values({
        round_id: round.id,
        response_id: respondent.id,
        invitation_id: null,
        locale: respondent.locale,
        submitted_at: new Date(Date.now() - r.int(0, 9) * day),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db
      .insertInto("delphi_answers")
      .values(
        answers.map((a) => ({
          participation_id: p.id,
          item: a.item,
          value_num: a.value,
          reason: a.reason,
        })),
      )
      .execute();
    count++;
  }
  return count;
}
