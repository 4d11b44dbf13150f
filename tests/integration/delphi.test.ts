import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "#db/client";
import {
  consensusRows,
  consensusView,
  readRoundForm,
  roundAnswerRows,
  surveyConsensusView,
  roundForToken,
  saveRoundAnswers,
  startDeclaredRounds,
  startRound,
} from "~/server/delphi";
import { hashToken } from "~/server/responses";
import { upsertWorkingGroups } from "~/server/working-groups.server";
import { everyType } from "~/survey/__fixtures__/every-type";
import { roundFigures, DEFAULT_CONSENSUS_RULE, wilcoxonSignedRank } from "~/survey/consensus";
import { delphiField } from "~/survey/delphi";
import { parseSurveyDefinition } from "~/survey/schema";
import { createTestDatabase, type TestDatabase } from "./db";
import { createInvitation, createSurvey } from "./respond-helpers";

const MIN_CELL = 5;
let t: TestDatabase;
let db: Db;

/** A submitted round-1 response with a satisfaction rating, a matrix row and need entries. */
async function submitted(
  surveyId: number,
  versionId: number,
  rating: number,
  options: { invitationId?: number; needs?: Array<{ urgency: number; importance: number }> } = {},
): Promise<{ id: string; token: string }> {
  const token = randomUUID().replace(/-/g, "") + "x".repeat(11);
  const r = await db
    .insertInto("responses")
    .values({
      survey_id: surveyId,
      survey_version_id: versionId,
      invitation_id: options.invitationId ?? null,
      locale: "en",
      status: "submitted",
      idempotency_key: randomUUID(),
      resume_token_hash: options.invitationId ? null : hashToken(token),
      submitted_at: new Date(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("answers")
    .values([
      {
        response_id: r.id,
        survey_id: surveyId,
        question_key: "satisfaction",
        item: null,
        option_code: null,
        value_num: rating,
        value_text: null,
        value_json: null,
      },
      ...(options.needs ?? []).map((n, i) => ({
        response_id: r.id,
        survey_id: surveyId,
        question_key: "needs",
        item: `n${i}`,
        option_code: "funding",
        value_num: i + 1,
        value_text: null,
        value_json: JSON.stringify({
          id: `n${i}`,
          title: "x",
          category: "funding",
          horizon: "short_term",
          ...n,
        }),
      })),
    ])
    .execute();
  return { id: r.id, token };
}

const ratings1 = [1, 2, 2, 3, 3, 3, 3, 4, 4, 5, 5, 2];
const ratings2 = [2, 2, 3, 3, 3, 3, 3, 3, 4, 4, 4, 3];

let survey: { id: number; versionId: number };
const tokens: string[] = [];
let invitedLate: string;
let newcomerToken: string;

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  await upsertWorkingGroups(db);
  survey = await createSurvey(db, everyType, { slug: "delphi-panel" });
  for (let i = 0; i < ratings1.length; i++) {
    // Half through personal invitations, half through the open link.
    const invitation = i % 2 === 0 ? await createInvitation(db, survey.id, `Expert ${i}`) : null;
    const needs =
      i === 0
        ? [
            { urgency: 2, importance: 4 },
            { urgency: 5, importance: 4 },
          ]
        : [{ urgency: 3, importance: 3 }];
    const r = await submitted(survey.id, survey.versionId, ratings1[i], {
      invitationId: invitation?.id,
      needs,
    });
    tokens.push(invitation ? invitation.token : r.token);
  }
  invitedLate = (await createInvitation(db, survey.id, "Late Expert")).token;
  newcomerToken = invitedLate;
});

afterAll(async () => {
  await t?.close();
});

const actor = { user: null, ip: "127.0.0.1" };
const ref = () => ({ id: survey.id, slug: "delphi-panel", currentVersionId: survey.versionId });

describe("Delphi rounds", () => {
  it("refuses a round without items, or that closes before it opens, saying which field", async () => {
    const empty = await startRound(
      db,
      ref(),
      {
        items: [],
        opensAt: "",
        closesAt: "",
        participants: "previous",
        newcomers: false,
        reasons: "required",
      },
      actor,
    );
    expect(empty).toEqual({ ok: false, errors: { items: "items" } });
    const dates = await startRound(
      db,
      ref(),
      {
        items: ["satisfaction"],
        opensAt: "2026-01-02",
        closesAt: "2026-01-01",
        participants: "previous",
        newcomers: false,
        reasons: "required",
      },
      actor,
    );
    expect(dates).toEqual({ ok: false, errors: { closesAt: "dates" } });
    const unknown = await startRound(
      db,
      ref(),
      {
        items: ["nothing.here"],
        opensAt: "",
        closesAt: "",
        participants: "previous",
        newcomers: false,
        reasons: "required",
      },
      actor,
    );
    expect(unknown).toEqual({ ok: false, errors: { items: "unknown_item" } });
    expect(await db.selectFrom("delphi_rounds").selectAll().execute()).toHaveLength(0);
  });

  it("starts round 2 as a survey version marked as a round, and audit-logs it", async () => {
    const started = await startRound(
      db,
      ref(),
      {
        items: ["satisfaction", "needs.funding.short_term.urgency"],
        opensAt: "",
        closesAt: "2099-01-01",
        participants: "previous",
        newcomers: true,
        reasons: "required",
      },
      actor,
    );
    expect(started).toEqual({ ok: true, round: 2 });
    const version = await db
      .selectFrom("survey_versions")
      .select(["delphi_round", "version"])
      .where("delphi_round", "=", 2)
      .executeTakeFirstOrThrow();
    expect(version.version).toBe(2);
    const current = await db
      .selectFrom("surveys")
      .select("current_version_id")
      .where("id", "=", survey.id)
      .executeTakeFirstOrThrow();
    expect(current.current_version_id).toBe(survey.versionId);
    const logged = await db
      .selectFrom("audit_log")
      .select("details")
      .where("action", "=", "delphi.round_started")
      .execute();
    expect(logged).toHaveLength(1);
    expect(logged[0].details).toMatchObject({ round: 2, items: 2, newcomers: true });
  });

  it("shows a participant the panel's round-1 result and their own answer, nothing individual of others", async () => {
    const access = await roundForToken(db, tokens[0], { minCell: MIN_CELL });
    if (!access.ok) throw new Error(access.reason);
    expect(access.newcomer).toBe(false);
    const [satisfaction, urgency] = access.feedback;
    const expected = roundFigures(ratings1, DEFAULT_CONSENSUS_RULE);
    expect(satisfaction.item.id).toBe("satisfaction");
    expect(satisfaction.own).toBe(1);
    expect(satisfaction.panel).toMatchObject({
      n: 12,
      median: expected.median,
      q1: expected.q1,
      q3: expected.q3,
    });
    // The fixture's scale runs from 0 to 10.
    expect(satisfaction.panel!.distribution.map((d) => d.count)).toEqual([
      0, 1, 3, 4, 2, 2, 0, 0, 0, 0, 0,
    ]);
    // The need priority of round 1 is the respondent's mean over their needs: (2 + 5) / 2.
    expect(urgency.own).toBe(3.5);
    expect(urgency.panel!.n).toBe(12);
  });

  it("lets someone who skipped round 1 join, marked as a newcomer", async () => {
    const access = await roundForToken(db, newcomerToken, { minCell: MIN_CELL });
    if (!access.ok) throw new Error(access.reason);
    expect(access.newcomer).toBe(true);
    expect(access.feedback[0].own).toBeNull();
  });

  it("asks for a reason when a new rating lies outside the panel's IQR, keeping what was typed", async () => {
    const access = await roundForToken(db, tokens[0], { minCell: MIN_CELL });
    if (!access.ok) throw new Error(access.reason);
    const form = new FormData();
    form.set(delphiField("satisfaction", "rating"), "1");
    form.set(delphiField("needs.funding.short_term.urgency", "rating"), "9");
    form.set(delphiField("needs.funding.short_term.urgency", "reason"), "typed text");
    const { errors, values } = readRoundForm(form, access);
    expect(errors).toEqual({
      satisfaction: "reason_required",
      "needs.funding.short_term.urgency": "rating",
    });
    expect(values.reasons["needs.funding.short_term.urgency"]).toBe("typed text");
  });

  it("computes round-2 consensus and stability from the stored answers", async () => {
    for (let i = 0; i < tokens.length; i++) {
      const access = await roundForToken(db, tokens[i], { minCell: MIN_CELL });
      if (!access.ok) throw new Error(access.reason);
      const form = new FormData();
      form.set(delphiField("satisfaction", "rating"), String(ratings2[i]));
      form.set(delphiField("satisfaction", "reason"), i === 0 ? "I see the risk differently" : "");
      form.set(delphiField("needs.funding.short_term.urgency", "rating"), "3");
      const { errors, answers } = readRoundForm(form, access);
      expect(errors).toEqual({});
      await saveRoundAnswers(db, access, answers, "en");
    }
    // A second submission replaces the first.
    const again = await roundForToken(db, tokens[1], { minCell: MIN_CELL });
    if (!again.ok) throw new Error(again.reason);
    expect(again.saved?.answers.satisfaction.value).toBe(ratings2[1]);

    const view = await consensusView(
      db,
      { id: survey.id, currentVersionId: survey.versionId },
      { minCell: MIN_CELL },
    );
    const item = view.items.find((i) => i.item.id === "satisfaction")!;
    const r2 = roundFigures(ratings2, DEFAULT_CONSENSUS_RULE);
    expect(item.rounds.map((r) => r.round)).toEqual([1, 2]);
    expect(item.rounds[1]).toMatchObject({
      n: 12,
      median: r2.median,
      iqr: r2.iqr,
      consensus: r2.consensus,
    });
    const w = wilcoxonSignedRank(ratings1, ratings2);
    expect(item.rounds[1].stability).toMatchObject({
      pairs: 12,
      wPlus: w.wPlus,
      p: w.p,
      method: "exact",
    });
    expect(item.rounds[1].stability!.changed).toBeCloseTo(
      ratings1.filter((v, i) => v !== ratings2[i]).length / 12,
      12,
    );
    expect(item.status).toBe(r2.consensus ? "consensus" : "converging");
    expect(item.reasons.map((r) => r.text)).toEqual(["I see the risk differently"]);
    expect(view.rounds.map((r) => [r.round, r.submitted])).toEqual([
      [1, 12],
      [2, 12],
    ]);

    const table = await consensusRows(
      db,
      { id: survey.id, currentVersionId: survey.versionId },
      { minCell: MIN_CELL },
    );
    expect(
      table.filter((row) => row[0] === "satisfaction").map((row) => [row[2], row[3], row[4]]),
    ).toEqual([
      [1, 12, roundFigures(ratings1, DEFAULT_CONSENSUS_RULE).median],
      [2, 12, r2.median],
    ]);
    const answers = await roundAnswerRows(db, {
      id: survey.id,
      currentVersionId: survey.versionId,
    });
    const round2 = answers
      .filter((row) => row[1] === 2 && row[2] === "satisfaction")
      .map((row) => row[4]);
    expect(round2.sort()).toEqual([...ratings2].sort());
  });

  it("withholds figures and reasons of fewer than MIN_CELL_SIZE participants", async () => {
    const view = await consensusView(
      db,
      { id: survey.id, currentVersionId: survey.versionId },
      { minCell: 13 },
    );
    const item = view.items.find((i) => i.item.id === "satisfaction")!;
    expect(item.rounds[1]).toMatchObject({ shown: false, median: null, iqr: null });
    expect(item.reasons).toEqual([]);
    expect(view.reasonsWithheld).toBe(true);
    const access = await roundForToken(db, tokens[0], { minCell: 13 });
    if (!access.ok) throw new Error(access.reason);
    expect(access.feedback[0].panel).toBeNull();
    expect(access.feedback[0].fewerThan).toBe(13);
  });

  it("gives the dashboard a consensus section only for a survey with a later round", async () => {
    const plain = await createSurvey(db, everyType, { slug: "delphi-none" });
    expect(await surveyConsensusView(db, plain.id, { minCell: MIN_CELL })).toBeNull();
    const view = await surveyConsensusView(db, survey.id, { minCell: MIN_CELL });
    expect(view?.rounds.map((r) => r.round)).toEqual([1, 2]);
    expect(view?.items.find((i) => i.item.id === "satisfaction")?.rounds[1].n).toBe(12);
  });

  it("starts rounds declared in the questionnaire file once, in order", async () => {
    const def = parseSurveyDefinition({
      ...everyType,
      delphi: {
        rounds: [
          {
            round: 3,
            items: ["barriers.visas"],
            opensAt: "2026-01-01",
            participants: "previous",
            newcomers: false,
          },
        ],
      },
    });
    expect(
      await startDeclaredRounds(
        db,
        { id: survey.id, slug: "delphi-panel" },
        { id: survey.versionId },
        def,
      ),
    ).toEqual([3]);
    expect(
      await startDeclaredRounds(
        db,
        { id: survey.id, slug: "delphi-panel" },
        { id: survey.versionId },
        def,
      ),
    ).toEqual([]);
    // Round 3 asks those who submitted round 2: the newcomer who never answered round 2 is not asked.
    const late = await roundForToken(db, newcomerToken, { minCell: MIN_CELL });
    expect(late).toMatchObject({ ok: false, reason: "not_eligible" });
  });
});
