import { randomUUID } from "node:crypto";
import { parse } from "csv-parse/sync";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { up as packStoredResponses } from "#db/migrations/2026_12_08_0101_response_answer_values";
import { rng, sampleResponse } from "~/server/demo.server";
import { createExport, loadExportPlan } from "~/server/exports.server";
import { submitCompleteResponse } from "~/server/responses";
import { syncSurveyDirectory } from "~/server/surveys.server";
import { upsertWorkingGroups } from "~/server/working-groups.server";
import type { SurveyDefinition } from "~/survey/schema";
import { createTestDatabase, type TestDatabase } from "./db";

/*
 * Each submitted response carries its answer values packed into one JSON object
 * (`responses.answer_values`), which the exports read instead of the answer rows. These tests
 * hold the packed object to the rows it was made from: as a submission writes it, as the
 * migration writes it for the responses stored before the column, and as an export reads a
 * response that has none.
 */

const SURVEYS = ["health-needs-2026", "mobility-needs-2026"];
const PER_SURVEY = 12;

let t: TestDatabase;

/** Each submitted response's packed values, by id. */
async function packed(): Promise<Map<string, unknown>> {
  const rows = await t.db
    .selectFrom("responses")
    .select(["id", "answer_values"])
    .where("status", "=", "submitted")
    .execute();
  return new Map(rows.map((r) => [r.id, typeof r.answer_values === "string" ? JSON.parse(r.answer_values) : r.answer_values]));
}

beforeAll(async () => {
  t = await createTestDatabase();
  await upsertWorkingGroups(t.db);
  await syncSurveyDirectory(t.db, "surveys");
  for (const slug of SURVEYS) {
    const { definition } = await t.db
      .selectFrom("surveys")
      .innerJoin("survey_versions", "survey_versions.id", "surveys.current_version_id")
      .select("survey_versions.definition")
      .where("surveys.slug", "=", slug)
      .executeTakeFirstOrThrow();
    const r = rng(31);
    for (let n = 0; n < PER_SURVEY; n++) {
      // Every other response answers every optional question; the rest leave some out.
      const sampled = sampleResponse(definition as SurveyDefinition, r, { optionalRate: n % 2 === 0 ? 1 : 0.5 });
      const stored = await submitCompleteResponse(t.db, {
        surveySlug: slug,
        idempotencyKey: randomUUID(),
        locale: sampled.locale,
        answers: sampled.answers,
      });
      expect(stored.status).toBe(201);
    }
  }
}, 60_000);
afterAll(() => t?.close());

describe("packed answer values", () => {
  it("a submission stores the value of each of its answer rows but need entries, by row", async () => {
    const rows = await t.db
      .selectFrom("answers as a")
      .innerJoin("responses as r", "r.id", "a.response_id")
      .select(["a.response_id", "a.question_key", "a.item", "a.option_code", "a.value_num", "a.value_text", "a.value_json"])
      .where("r.status", "=", "submitted")
      .execute();
    const expected = new Map<string, Record<string, unknown>>();
    let needRows = 0;
    for (const a of rows) {
      if (a.value_json !== null) {
        needRows++;
        continue;
      }
      const key = a.item === null ? a.question_key : a.option_code === null ? `${a.question_key}|${a.item}` : `${a.question_key}|${a.item}|${a.option_code}`;
      const values = expected.get(a.response_id) ?? {};
      values[key] = a.value_num ?? a.value_text ?? a.option_code;
      expected.set(a.response_id, values);
    }
    const stored = await packed();
    expect(stored.size).toBe(SURVEYS.length * PER_SURVEY);
    // The data set holds need entries (left out) and rows of every kind of value.
    expect(needRows).toBeGreaterThan(0);
    const all = [...stored.values()].flatMap((v) => Object.values(v as object));
    expect(all.some((v) => typeof v === "number")).toBe(true);
    expect(all.some((v) => typeof v === "string" && /[а-я]/i.test(v))).toBe(true);
    for (const [id, values] of stored) expect(values, id).toEqual(expected.get(id) ?? null);
  });

  it("the migration packs the responses stored before it exactly as a submission does", async () => {
    const before = await packed();
    await sql`alter table responses drop column answer_values`.execute(t.db);
    await packStoredResponses(t.db);
    expect(await packed()).toEqual(before);
  });

  it("an export reads a response stored without packed values from its answer rows", async () => {
    const plan = (await loadExportPlan(t.db, "health", "health-needs-2026"))!;
    async function wide(): Promise<string[][]> {
      const file = await createExport(t.db, plan, "wide", { filters: {}, minCell: 5 });
      return parse(Buffer.from(await new Response(file.body).arrayBuffer()), { bom: true }) as string[][];
    }
    const packedFile = await wide();
    expect(packedFile).toHaveLength(PER_SURVEY + 1);
    await t.db
      .updateTable("responses")
      .set({ answer_values: null })
      .where("survey_id", "=", plan.survey.id)
      .execute();
    expect(await wide()).toEqual(packedFile);
  });
});
