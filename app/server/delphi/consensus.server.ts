import type { Db } from "#db/client";
import { consensusStatus, type RoundFigures, roundFigures, stability } from "~/survey/consensus";
import { consensusRuleOf, type DelphiItem, delphiItems } from "~/survey/delphi";
import { isSuppressed } from "~/survey/scoring";
import { parseSurveyDefinition, type SurveyDefinition } from "~/survey/schema";
import {
  laterRoundAnswers,
  type LaterRoundAnswer,
  type Ratings,
  ratingsOf,
  roundOneRatings,
} from "./ratings.server";
import { type DelphiRound, listRounds, roundIsOpen } from "./rounds.server";
import type { ConsensusItemView, ConsensusView, ItemLabel, RoundFiguresView } from "./view";

/**
 * The consensus figures of a survey's Delphi rounds, per item and round (docs/statistics.md,
 * "Delphi rounds"), computed by app/survey/consensus.ts from the panel's ratings: the paired
 * test needs each participant's pair, and a panel is tens of people.
 */

export interface DelphiData {
  def: SurveyDefinition;
  rounds: DelphiRound[];
  items: DelphiItem[];
  /** Ratings by round number (1 = the questionnaire). */
  ratings: Map<number, Ratings>;
  answers: Map<number, LaterRoundAnswer[]>;
  /** Participants who submitted each round. */
  submitted: Map<number, number>;
  newcomers: Map<number, number>;
}

export function itemLabel(item: DelphiItem): ItemLabel {
  return {
    id: item.id,
    question: item.question,
    part: item.part?.label ?? null,
    dimension: item.dimension,
    horizon: item.horizon,
  };
}

/** Everything the figures are computed from: rounds, items and ratings, up to round `upTo`. */
export async function readDelphiData(
  db: Db,
  survey: { id: number; currentVersionId: number | null },
  { upTo, items: extra = [] }: { upTo?: number; items?: readonly string[] } = {},
): Promise<DelphiData | null> {
  if (survey.currentVersionId === null) return null;
  const version = await db
    .selectFrom("survey_versions")
    .select("definition")
    .where("id", "=", survey.currentVersionId)
    .executeTakeFirst();
  if (!version) return null;
  const def = parseSurveyDefinition(version.definition);
  const rounds = (await listRounds(db, survey.id)).filter(
    (r) => upTo === undefined || r.round <= upTo,
  );
  const wanted = new Set([...rounds.flatMap((r) => r.items), ...extra]);
  // Items of the current version, then any a round asked that the current version dropped.
  const known = new Map<string, DelphiItem>();
  for (const item of delphiItems(def)) known.set(item.id, item);
  for (const r of rounds)
    for (const item of delphiItems(r.def)) if (!known.has(item.id)) known.set(item.id, item);
  const items = [...known.values()].filter((i) => wanted.has(i.id));
  const ratings = new Map<number, Ratings>();
  const answers = new Map<number, LaterRoundAnswer[]>();
  const submitted = new Map<number, number>();
  const newcomers = new Map<number, number>();
  ratings.set(1, await roundOneRatings(db, survey.id, items));
  const first = await db
    .selectFrom("responses")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("survey_id", "=", survey.id)
    .where("status", "=", "submitted")
    .executeTakeFirst();
  submitted.set(1, Number(first?.n ?? 0));
  for (const r of rounds) {
    const list = await laterRoundAnswers(db, r.id);
    answers.set(r.round, list);
    ratings.set(r.round, ratingsOf(list));
    const counts = await db
      .selectFrom("delphi_participations")
      .select((eb) => [
        eb.fn.countAll<number>().as("n"),
        eb.fn.count<number>("id").filterWhere("newcomer", "=", true).as("newcomers"),
      ])
      .where("round_id", "=", r.id)
      .executeTakeFirst();
    submitted.set(r.round, Number(counts?.n ?? 0));
    newcomers.set(r.round, Number(counts?.newcomers ?? 0));
  }
  return { def, rounds, items, ratings, answers, submitted, newcomers };
}

/** The rounds in which an item was rated: 1, and every later round that asked it. */
export function roundsOfItem(data: Pick<DelphiData, "rounds">, itemId: string): number[] {
  return [1, ...data.rounds.filter((r) => r.items.includes(itemId)).map((r) => r.round)];
}

export interface ItemSeries {
  item: DelphiItem;
  rounds: Array<{
    round: number;
    figures: RoundFigures;
    stability: ReturnType<typeof stability> | null;
  }>;
}

/** The figures of one item in every round that rated it, with stability against the one before. */
export function itemSeries(data: DelphiData, item: DelphiItem): ItemSeries {
  const rule = consensusRuleOf(data.def);
  const series: ItemSeries["rounds"] = [];
  let previous: { ratings: Map<string, number>; figures: RoundFigures } | null = null;
  for (const round of roundsOfItem(data, item.id)) {
    const ratings = data.ratings.get(round)?.get(item.id) ?? new Map<string, number>();
    const figures = roundFigures([...ratings.values()], rule);
    let stable: ReturnType<typeof stability> | null = null;
    if (previous) {
      const pairs: Array<[number, number]> = [];
      for (const [who, value] of ratings) {
        const before = previous.ratings.get(who);
        if (before !== undefined) pairs.push([before, value]);
      }
      stable = stability(pairs, figures, previous.figures);
    }
    series.push({ round, figures, stability: stable });
    previous = { ratings, figures };
  }
  return { item, rounds: series };
}

/** The consensus section of a survey: rounds, items by status, figures, reasons. */
export async function consensusView(
  db: Db,
  survey: { id: number; currentVersionId: number | null },
  { minCell, now = new Date() }: { minCell: number; now?: Date },
): Promise<ConsensusView> {
  const data = await readDelphiData(db, survey);
  const rule = data ? consensusRuleOf(data.def) : { maxIqr: 1, minWithin: 0.7 };
  if (!data) return { minCell, rule, rounds: [], items: [], reasonsWithheld: false };
  const latest = data.rounds.at(-1);
  const reasonsWithheld = latest
    ? isSuppressed(data.submitted.get(latest.round) ?? 0, minCell)
    : false;
  const items: ConsensusItemView[] = data.items.map((item) => {
    const series = itemSeries(data, item);
    const last = series.rounds.at(-1)!;
    const before = series.rounds.at(-2) ?? null;
    const rounds: RoundFiguresView[] = series.rounds.map(({ round, figures, stability: s }) => {
      const shown = !isSuppressed(figures.n, minCell);
      return {
        round,
        n: figures.n,
        shown,
        median: shown ? figures.median : null,
        q1: shown ? figures.q1 : null,
        q3: shown ? figures.q3 : null,
        iqr: shown ? figures.iqr : null,
        within: shown ? figures.within : null,
        consensus: shown && figures.consensus,
        stability:
          s && shown && !isSuppressed(s.pairs, minCell)
            ? {
                pairs: s.pairs,
                changed: s.changed,
                iqrChange: s.iqrChange,
                wPlus: s.wilcoxon.wPlus,
                wMinus: s.wilcoxon.wMinus,
                p: s.wilcoxon.p,
                method: s.wilcoxon.method,
              }
            : null,
      };
    });
    const lastShown = rounds.at(-1)!.shown;
    const reasons =
      reasonsWithheld || last.round === 1
        ? []
        : (data.answers.get(last.round) ?? [])
            .filter((a) => a.item === item.id && a.reason)
            .map((a) => ({ round: last.round, text: a.reason!, newcomer: a.newcomer }));
    return {
      item: itemLabel(item),
      status: lastShown ? consensusStatus(last.figures, before?.figures ?? null) : "first_round",
      rounds,
      reasons,
    };
  });
  const roundOne = {
    round: 1,
    opensAt: "",
    closesAt: null,
    participants: "previous" as const,
    newcomers: false,
    reasons: "off" as const,
    items: data.items.length,
    submitted: data.submitted.get(1) ?? 0,
    newcomersJoined: 0,
    open: false,
  };
  return {
    minCell,
    rule,
    reasonsWithheld,
    rounds: [
      roundOne,
      ...data.rounds.map((r) => ({
        round: r.round,
        opensAt: r.opensAt.toISOString(),
        closesAt: r.closesAt?.toISOString() ?? null,
        participants: r.participants,
        newcomers: r.newcomers,
        reasons: r.reasons,
        items: r.items.length,
        submitted: data.submitted.get(r.round) ?? 0,
        newcomersJoined: data.newcomers.get(r.round) ?? 0,
        open: roundIsOpen(r, now),
      })),
    ],
    items,
  };
}

/** Columns of the consensus table export (one row per item and round). */
export const CONSENSUS_COLUMNS = [
  "item",
  "question_key",
  "round",
  "n",
  "median",
  "q1",
  "q3",
  "iqr",
  "within_1",
  "consensus",
  "status",
  "pairs",
  "changed",
  "iqr_change",
  "wilcoxon_w_plus",
  "wilcoxon_w_minus",
  "wilcoxon_p",
  "wilcoxon_method",
] as const;

/**
 * The consensus section of a survey for its working group's dashboard and report: null when
 * the survey has no round after the questionnaire.
 */
export async function surveyConsensusView(
  db: Db,
  surveyId: number,
  options: { minCell: number; now?: Date },
): Promise<ConsensusView | null> {
  // Without a later round there is no section, and nothing to read: the figures of round one
  // are every submitted response's ratings (at a million responses, a tenth of a second).
  const later = await db
    .selectFrom("delphi_rounds")
    .select("id")
    .where("survey_id", "=", surveyId)
    .limit(1)
    .executeTakeFirst();
  if (!later) return null;
  const survey = await db
    .selectFrom("surveys")
    .select("current_version_id")
    .where("id", "=", surveyId)
    .executeTakeFirst();
  if (!survey) return null;
  const view = await consensusView(
    db,
    { id: surveyId, currentVersionId: survey.current_version_id },
    options,
  );
  return view.rounds.length > 1 ? view : null;
}

/** The consensus table: the figures of the section, one row per item and round. */
export async function consensusRows(
  db: Db,
  survey: { id: number; currentVersionId: number | null },
  { minCell }: { minCell: number },
): Promise<Array<Array<string | number | null>>> {
  const view = await consensusView(db, survey, { minCell });
  const rows: Array<Array<string | number | null>> = [];
  for (const item of view.items) {
    item.rounds.forEach((r, index) => {
      const last = index === item.rounds.length - 1;
      rows.push([
        item.item.id,
        item.item.id.split(".")[0],
        r.round,
        r.n,
        r.median,
        r.q1,
        r.q3,
        r.iqr,
        r.within,
        r.shown ? (r.consensus ? 1 : 0) : null,
        last ? item.status : null,
        r.stability?.pairs ?? null,
        r.stability?.changed ?? null,
        r.stability?.iqrChange ?? null,
        r.stability?.wPlus ?? null,
        r.stability?.wMinus ?? null,
        r.stability?.p ?? null,
        r.stability?.method ?? null,
      ]);
    });
  }
  return rows;
}

/** Columns of the round answers export: every rating of a Delphi item, one row per round. */
export const ROUND_ANSWER_COLUMNS = [
  "participant",
  "round",
  "item",
  "question_key",
  "value",
  "reason",
  "newcomer",
] as const;

/**
 * The ratings of every item a round asked, in every round: round 1 from the questionnaire's
 * submitted answers (`participant` is the response_id of the data export), later rounds with
 * their reasons and whether the participant joined late.
 */
export async function roundAnswerRows(
  db: Db,
  survey: { id: number; currentVersionId: number | null },
): Promise<Array<Array<string | number | null>>> {
  const data = await readDelphiData(db, survey);
  if (!data) return [];
  const rows: Array<Array<string | number | null>> = [];
  for (const item of data.items) {
    for (const [who, value] of data.ratings.get(1)?.get(item.id) ?? []) {
      rows.push([who, 1, item.id, item.questionKey, value, null, 0]);
    }
  }
  for (const r of data.rounds) {
    for (const a of data.answers.get(r.round) ?? []) {
      const item = data.items.find((i) => i.id === a.item);
      rows.push([
        a.who,
        r.round,
        a.item,
        item?.questionKey ?? a.item.split(".")[0],
        a.value,
        a.reason,
        a.newcomer ? 1 : 0,
      ]);
    }
  }
  return rows;
}
