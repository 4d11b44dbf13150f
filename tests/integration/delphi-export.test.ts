/**
 * The questionnaire's own exports carry the ratings of its Delphi rounds: `<item>__r<N>` and
 * `<item>__r<N>_reason` columns in the wide data (CSV, XLSX), a `round` column in the long data,
 * `rounds` in each JSON response, the columns in the codebook; and a round's median and
 * quartiles recomputed from the export are the consensus figures the coordinator is shown.
 */
import { randomUUID } from "node:crypto";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consensusView, roundForToken, saveRoundAnswers, startRound } from "~/server/delphi";
import type { ExportKind } from "~/server/exports.server";
import { createExport, loadExportPlan } from "~/server/exports.server";
import { hashToken } from "~/server/invitations.server";
import { createSurvey, type ManagedSurvey } from "~/server/survey-admin.server";
import { upsertWorkingGroups } from "~/server/working-groups.server";
import { packedValuesText } from "~/survey/storage";
import { createTestDatabase, type TestDatabase } from "./db";
import { accountWithSession } from "./manage-helpers";

const SLUG = "energy-delphi-export";
const YAML = `slug: ${SLUG}
workingGroup: energy
title: { en: Energy panel, ru: Энергетическая группа }
pages:
  - key: p1
    title: { en: Page, ru: Страница }
    questions:
      - key: priority
        type: scale
        min: 1
        max: 5
        label: { en: Priority, ru: Приоритет }
      - key: fit
        type: matrix
        label: { en: Fit, ru: Соответствие }
        rows:
          - { code: grants, label: { en: Grants, ru: Гранты } }
          - { code: mobility, label: { en: Mobility, ru: Мобильность } }
        scale: { min: 1, max: 5 }
`;

const round1 = [1, 2, 2, 3, 3, 3, 3, 4, 4, 5, 5, 2];
// Round 2: the last participant does not take part; the first gives a reason for a 1.
const round2 = [1, 2, 3, 3, 3, 3, 3, 3, 4, 4, 4, null];
const MIN_CELL = 5;

let t: TestDatabase;
let survey: ManagedSurvey;
const tokens: string[] = [];
const ids: string[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  await upsertWorkingGroups(t.db);
  const coordinator = await accountWithSession(t.db, "delphi-export@example.org", "coordinator", [
    "energy",
  ]);
  const actor = {
    user: { id: coordinator.id, email: "delphi-export@example.org" },
    ip: "127.0.0.1",
  };
  const energy = await t.db
    .selectFrom("working_groups")
    .select(["id", "slug", "name"])
    .where("slug", "=", "energy")
    .executeTakeFirstOrThrow();
  const created = await createSurvey(t.db, { group: energy, text: YAML, origin: "editor" }, actor);
  if (!created.ok) throw new Error(JSON.stringify(created));
  survey = created.survey;
  for (const [i, rating] of round1.entries()) {
    const token = randomUUID().replace(/-/g, "") + "x".repeat(11);
    const rows = [
      { questionKey: "priority", item: null, optionCode: null, valueNum: rating, valueText: null, valueJson: null },
      { questionKey: "fit", item: "grants", optionCode: null, valueNum: 6 - rating, valueText: null, valueJson: null },
    ];
    const r = await t.db
      .insertInto("responses")
      .values({
        survey_id: survey.id,
        survey_version_id: survey.currentVersionId!,
        invitation_id: null,
        locale: i % 3 === 0 ? "ru" : "en",
        status: "submitted",
        idempotency_key: randomUUID(),
        resume_token_hash: hashToken(token),
        submitted_at: new Date(Date.now() - (round1.length - i) * 1000),
        // As a submission stores them (storeSubmission): what the exports read.
        answer_values: packedValuesText(rows),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto("answers")
      .values(
        rows.map((row) => ({
          response_id: r.id,
          survey_id: survey.id,
          question_key: row.questionKey,
          item: row.item,
          option_code: row.optionCode,
          value_num: row.valueNum,
          value_text: row.valueText,
          value_json: null,
        })),
      )
      .execute();
    tokens.push(token);
    ids.push(r.id);
  }
  const started = await startRound(
    t.db,
    survey,
    {
      items: ["priority", "fit.grants"],
      opensAt: "",
      closesAt: "",
      participants: "previous",
      newcomers: false,
      reasons: "optional",
    },
    actor,
  );
  if (!started.ok) throw new Error(JSON.stringify(started));
  for (const [i, rating] of round2.entries()) {
    if (rating === null) continue;
    const access = await roundForToken(t.db, tokens[i], { minCell: MIN_CELL });
    if (!access.ok) throw new Error(access.reason);
    await saveRoundAnswers(
      t.db,
      access,
      [
        { item: "priority", value: rating, reason: i === 0 ? "Grants first, then the rest" : null },
        { item: "fit.grants", value: 6 - rating, reason: null },
      ],
      "en",
    );
  }
});
afterAll(async () => {
  await t?.close();
});

async function download(kind: ExportKind): Promise<Buffer> {
  const plan = (await loadExportPlan(t.db, "energy", SLUG))!;
  const file = await createExport(t.db, plan, kind, { filters: {}, minCell: MIN_CELL });
  return Buffer.from(await new Response(file.body).arrayBuffer());
}

async function csv(
  kind: ExportKind,
): Promise<{ header: string[]; rows: Record<string, string>[] }> {
  const text = (await download(kind)).toString("utf8");
  const records = parse(text, { bom: true }) as string[][];
  const [header, ...lines] = records;
  return { header, rows: lines.map((l) => Object.fromEntries(header.map((h, i) => [h, l[i]]))) };
}

/** Quantile with the interpolation of Postgres percentile_cont (docs/statistics.md). */
function quantile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = p * (sorted.length - 1);
  const lo = Math.floor(at);
  return sorted[lo] + (at - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? 0) - sorted[lo]);
}

async function shownFigures(item: string, round: number) {
  const view = await consensusView(
    t.db,
    { id: survey.id, currentVersionId: survey.currentVersionId },
    { minCell: MIN_CELL },
  );
  return view.items.find((i) => i.item.id === item)!.rounds.find((r) => r.round === round)!;
}

describe("Delphi rounds in the questionnaire's exports", () => {
  it("wide CSV: the round's columns after the questions; its median and quartiles are the figures shown", async () => {
    const { header, rows } = await csv("wide");
    expect(header.slice(-4)).toEqual([
      "priority__r2",
      "priority__r2_reason",
      "fit.grants__r2",
      "fit.grants__r2_reason",
    ]);
    expect(rows).toHaveLength(round1.length);
    for (const [item, column] of [
      ["priority", "priority__r2"],
      ["fit.grants", "fit.grants__r2"],
    ] as const) {
      const values = rows.filter((r) => r[column] !== "").map((r) => Number(r[column]));
      expect(values).toHaveLength(11);
      const shown = await shownFigures(item, 2);
      expect(shown.n).toBe(values.length);
      expect(shown.median).toBe(quantile(values, 0.5));
      expect(shown.q1).toBe(quantile(values, 0.25));
      expect(shown.q3).toBe(quantile(values, 0.75));
      // Round 1 is the question's own column, as before.
      const first = rows.map((r) => Number(r[item]));
      expect((await shownFigures(item, 1)).median).toBe(quantile(first, 0.5));
    }
    const byId = new Map(rows.map((r) => [r.response_id, r]));
    expect(byId.get(ids[0])).toMatchObject({
      priority: "1",
      priority__r2: "1",
      priority__r2_reason: "Grants first, then the rest",
    });
    // Who did not take part in round 2 has empty round columns.
    expect(byId.get(ids[11])).toMatchObject({
      priority: "2",
      priority__r2: "",
      priority__r2_reason: "",
    });
  });

  it("long CSV: every rating with its round; round 2 gives the same median", async () => {
    const { header, rows } = await csv("long");
    expect(header).toEqual(["response_id", "question_key", "item", "value", "round"]);
    expect(rows.filter((r) => r.round === "1" && r.question_key === "priority")).toHaveLength(12);
    const second = rows.filter((r) => r.round === "2");
    expect(second).toHaveLength(22);
    expect(second.find((r) => r.response_id === ids[2] && r.question_key === "fit")).toEqual({
      response_id: ids[2],
      question_key: "fit",
      item: "grants",
      value: "3",
      round: "2",
    });
    const values = second.filter((r) => r.question_key === "priority").map((r) => Number(r.value));
    expect((await shownFigures("priority", 2)).median).toBe(quantile(values, 0.5));
  });

  it("codebook, JSON and workbook carry the round's columns", async () => {
    const codebook = await csv("codebook");
    const row = codebook.rows.find((r) => r.column === "fit.grants__r2")!;
    expect(row).toMatchObject({
      table: "data",
      question_key: "fit",
      item: "grants",
      item_label_en: "Grants",
    });
    expect(row.values).toContain("Delphi round 2");
    expect(codebook.rows.some((r) => r.column === "priority__r2_reason")).toBe(true);
    expect(codebook.rows.some((r) => r.table === "long" && r.column === "round")).toBe(true);

    const json = JSON.parse((await download("json")).toString("utf8"));
    expect(json.survey.delphi_rounds).toEqual([{ round: 2, items: ["priority", "fit.grants"] }]);
    const first = json.responses.find((r: { response_id: string }) => r.response_id === ids[0]);
    expect(first.rounds).toEqual([
      {
        round: 2,
        ratings: { priority: 1, "fit.grants": 5 },
        reasons: { priority: "Grants first, then the rest" },
      },
    ]);
    const last = json.responses.find((r: { response_id: string }) => r.response_id === ids[11]);
    expect(last.rounds).toEqual([]);

    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await download("xlsx")) as unknown as ArrayBuffer);
    const sheet = book.getWorksheet("Data")!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const column = header.indexOf("priority__r2") + 1;
    expect(column).toBeGreaterThan(0);
    const values: number[] = [];
    sheet.eachRow((r, n) => {
      const v = r.getCell(column).value;
      if (n > 1 && typeof v === "number") values.push(v);
    });
    expect(values.sort()).toEqual(round2.filter((v): v is number => v !== null).sort());
  });
});
