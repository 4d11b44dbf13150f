import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { mkdtempSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import express from "express";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "#db/client";
import { loader as codebookLoader } from "~/routes/staff.groups.$group_.surveys.$survey.codebook[.csv]";
import { loader as longLoader } from "~/routes/staff.groups.$group_.surveys.$survey.export-long[.csv]";
import { loader as wideLoader } from "~/routes/staff.groups.$group_.surveys.$survey.export[.csv]";
import { loader as jsonLoader } from "~/routes/staff.groups.$group_.surveys.$survey.export[.json]";
import { loader as xlsxLoader } from "~/routes/staff.groups.$group_.surveys.$survey.export[.xlsx]";
import { loader as needsLoader } from "~/routes/staff.groups.$group_.surveys.$survey.needs[.csv]";
import { loader as tagsLoader } from "~/routes/staff.groups.$group_.surveys.$survey.tags[.csv]";
import { METADATA_COLUMNS } from "~/server/export-plan";
import { restoreFormulaText } from "~/server/spreadsheet.server";
import { exportSnapshotTime, responsePages } from "~/server/export-read.server";
import { needAnalysis, resolveDashboardSurvey } from "~/server/dashboards.server";
import { createExport, loadExportPlan, summaryRows } from "~/server/exports.server";
import { profileColumns } from "~/server/respondent-profile";
import { needTaxonomy } from "~/server/need-taxonomy.server";
import { sharedCategoryOf } from "~/survey/taxonomy";
import { rng, sampleResponse } from "~/server/demo.server";
import { addVersion, syncSurveyDirectory } from "~/server/surveys.server";
import { upsertWorkingGroups } from "~/server/working-groups.server";
import { buildSubmissionSchema } from "~/survey/answer-schema";
import { exportCells, exportColumns } from "~/survey/export";
import type { Answers } from "~/survey/registry";
import { allQuestions, parseSurveyDefinition, type Question, type SurveyDefinition } from "~/survey/schema";
import { answersToRows, packedValuesText } from "~/survey/storage";
import type { NeedEntry } from "~/survey/types/need-list";
import { sendResponse } from "../../server/remix-handler";
import { createTestDatabase, type TestDatabase } from "./db";
import { accountWithSession, statusOf } from "./manage-helpers";
import { loaderArgs } from "./remix";

const DRIVER = process.env.TEST_DATABASE_URL ? "Postgres" : "PGlite";
const GROUP = "energy";
const SLUG = "energy-needs-2026";

type Loader = (args: LoaderFunctionArgs) => Promise<Response>;
const ROUTES: Record<string, Loader> = {
  "export.csv": wideLoader,
  "export-long.csv": longLoader,
  "needs.csv": needsLoader,
  "tags.csv": tagsLoader,
  "codebook.csv": codebookLoader,
  "export.xlsx": xlsxLoader,
  "export.json": jsonLoader,
};

let t: TestDatabase;
let db: Db;
let surveyId: number;
let v1: { id: number; def: SurveyDefinition };
let v2: { id: number; def: SurveyDefinition };
const cookies = { coordinator: "", other: "", admin: "" };

interface Stored {
  id: string;
  version: 1 | 2;
  def: SurveyDefinition;
  answers: Answers;
  locale: "en" | "ru";
  submittedAt: string;
  invited: boolean;
  countryGroup: string;
}
const stored: Stored[] = [];

/** Validated answers to every question (as the demo generator makes them), as a start. */
function sampled(def: SurveyDefinition, seed: number, locale: "en" | "ru"): Answers {
  const raw = sampleResponse(def, rng(seed), { optionalRate: 1 }).answers;
  return buildSubmissionSchema(def, locale).parse(raw);
}

async function insertResponse(
  input: Omit<Stored, "id" | "countryGroup" | "invited"> & { status?: "submitted" | "in_progress"; invitationId?: number | null },
): Promise<string> {
  const id = crypto.randomUUID();
  const version = input.version === 1 ? v1 : v2;
  const profile = profileColumns(input.answers);
  const rows = answersToRows(input.def, input.answers);
  await db
    .insertInto("responses")
    .values({
      id,
      survey_id: surveyId,
      survey_version_id: version.id,
      invitation_id: input.invitationId ?? null,
      locale: input.locale,
      status: input.status ?? "submitted",
      idempotency_key: randomBytes(8).toString("hex"),
      started_at: new Date(Date.parse(input.submittedAt) - 600_000),
      submitted_at: input.status === "in_progress" ? null : input.submittedAt,
      // A submitted response's packed values, as a submission stores them (storeSubmission).
      ...(input.status === "in_progress" ? {} : { ...profile, answer_values: packedValuesText(rows) }),
    })
    .execute();
  if (rows.length > 0) {
    await db
      .insertInto("answers")
      .values(
        rows.map((row) => ({
          response_id: id,
          survey_id: surveyId,
          question_key: row.questionKey,
          item: row.item,
          option_code: row.optionCode,
          value_num: row.valueNum,
          value_text: row.valueText,
          value_json: row.valueJson == null ? null : JSON.stringify(row.valueJson),
        })),
      )
      .execute();
  }
  if (input.status !== "in_progress") {
    stored.push({
      ...input,
      id,
      invited: input.invitationId != null,
      countryGroup: profile.country_group ?? "",
    });
  }
  return id;
}

/** The second version: one question dropped, an option added, a type changed. */
function secondVersion(def: SurveyDefinition): SurveyDefinition {
  const copy = structuredClone(def) as unknown as { pages: { questions: Record<string, unknown>[] }[] };
  for (const page of copy.pages) {
    page.questions = page.questions
      .filter((q) => q.key !== "standards_priority_areas")
      .map((q) => {
        if (q.key === "cofunding_difficulties") {
          return {
            ...q,
            options: [...(q.options as object[]), { code: "new_rule", label: { en: "A new rule", ru: "Новое правило" } }],
          };
        }
        if (q.key === "additional_comments") return { key: q.key, type: "text", label: q.label, maxLength: 500 };
        return q;
      });
  }
  return parseSurveyDefinition({ ...def, pages: copy.pages });
}

function needs(answers: Answers): NeedEntry[] {
  return (answers.energy_needs as NeedEntry[] | undefined) ?? [];
}

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  await upsertWorkingGroups(db);
  await syncSurveyDirectory(db, "surveys");
  const survey = await db
    .selectFrom("surveys")
    .innerJoin("survey_versions", "survey_versions.id", "surveys.current_version_id")
    .select(["surveys.id", "survey_versions.id as version_id", "survey_versions.definition"])
    .where("surveys.slug", "=", SLUG)
    .executeTakeFirstOrThrow();
  surveyId = survey.id;
  v1 = { id: survey.version_id, def: survey.definition as SurveyDefinition };
  const def2 = secondVersion(v1.def);
  const added = await addVersion(db, surveyId, def2, "test-v2", "# edited", "editor", null);
  v2 = { id: added.id, def: def2 };

  const invitation = await db
    .insertInto("invitations")
    .values({ survey_id: surveyId, token_hash: randomBytes(16).toString("hex"), name: "Invitee", email: "i@example.org", locale: "ru" })
    .returning("id")
    .executeTakeFirstOrThrow();

  // R1: English, Germany, anonymous; values that a spreadsheet or a CSV reader could trip on.
  const a1 = sampled(v1.def, 1, "en");
  Object.assign(a1, {
    country: "DE",
    standards_priority_areas: "=SUM(A1)",
    follow_up_email: "@x",
    customs_difficulties: 'line 1\nline 2, with "quotes"\n-x',
    additional_comments: "+cmd|' /C calc'!A0",
    energy_team_size: -12.5,
    cofunding_difficulties: { selected: [], other: '=HYPERLINK("http://x")' },
    energy_needs: [
      { id: "n1", title: '@risk, "urgent"', description: "Описание\nс переносом, и запятой", category: firstCategory(v1.def), horizon: "short_term", urgency: 5, importance: 4 },
      { id: "n2", title: "-minus first", category: firstCategory(v1.def), horizon: "medium_term", urgency: 2, importance: 3 },
    ],
  });
  await insertResponse({ version: 1, def: v1.def, answers: a1, locale: "en", submittedAt: "2026-03-01T09:00:00Z" });

  // R2: Russian, Russia, invited; Cyrillic with commas, quotes and a CRLF.
  const a2 = sampled(v1.def, 2, "ru");
  Object.assign(a2, {
    country: "RU",
    standards_priority_areas: 'Привет, "мир"; данные',
    follow_up_email: "+7 (495) 123-45-67",
    customs_difficulties: 'Таможня:\r\nобразцы "задерживаются", -долго',
    additional_comments: "Обычный комментарий",
    energy_team_size: 1234567.25,
    energy_needs: [
      { id: "n1", title: "Совместные конкурсы", description: "Нужны, \"срочно\"", category: firstCategory(v1.def), horizon: "short_term", urgency: 3, importance: 5 },
    ],
  });
  await insertResponse({ version: 1, def: v1.def, answers: a2, locale: "ru", submittedAt: "2026-03-02T10:30:00.123456Z", invitationId: invitation.id });

  // R3: the second version, another country; a tab in front of a formula.
  const a3 = sampled(v2.def, 3, "en");
  Object.assign(a3, { country: "KZ", follow_up_email: "\t=tab", additional_comments: "=1+1" });
  delete a3.energy_needs;
  await insertResponse({ version: 2, def: v2.def, answers: a3, locale: "en", submittedAt: "2026-03-03T12:00:00Z" });

  // Not exported: a draft, and a response to another survey.
  await insertResponse({ version: 2, def: v2.def, answers: sampled(v2.def, 4, "en"), locale: "en", submittedAt: "2026-03-04T12:00:00Z", status: "in_progress" });

  // A theme tagged on R1's first need.
  const group = await db.selectFrom("working_groups").select("id").where("slug", "=", GROUP).executeTakeFirstOrThrow();
  const theme = await db.insertInto("themes").values({ working_group_id: group.id, name: "Visas, customs" }).returning("id").executeTakeFirstOrThrow();
  const answer = await db
    .selectFrom("answers")
    .select("id")
    .where("response_id", "=", stored[0].id)
    .where("question_key", "=", "energy_needs")
    .where("item", "=", "n1")
    .executeTakeFirstOrThrow();
  await db.insertInto("answer_tags").values({ answer_id: answer.id, theme_id: theme.id }).execute();

  cookies.coordinator = (await accountWithSession(db, "energy@example.org", "coordinator", [GROUP])).cookie;
  cookies.other = (await accountWithSession(db, "health@example.org", "coordinator", ["health"])).cookie;
  cookies.admin = (await accountWithSession(db, "admin@example.org", "admin", [])).cookie;
});
afterAll(() => t?.close());

function firstCategory(def: SurveyDefinition): string {
  const q = allQuestions(def).find((x) => x.key === "energy_needs");
  if (q?.type !== "need_list") throw new Error("energy_needs is not a need list");
  return q.categories[0].code;
}

async function download(file: string, query = "", cookie = cookies.coordinator, group = GROUP, survey = SLUG): Promise<Response> {
  const path = `/staff/groups/${group}/surveys/${survey}/${file}${query ? `?${query}` : ""}`;
  return ROUTES[file](loaderArgs(path, db, { params: { group, survey }, cookie }));
}

async function bytes(file: string, query = ""): Promise<Buffer> {
  const res = await download(file, query);
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

async function csv(file: string, query = ""): Promise<{ raw: Buffer; header: string[]; rows: Record<string, string>[] }> {
  const raw = await bytes(file, query);
  const records = parse(raw, { bom: true }) as string[][];
  const [header, ...rest] = records;
  return { raw, header, rows: rest.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]]))) };
}

/** Column names of a version's question in the export (the older type of a changed key is renamed). */
function exportedName(version: 1 | 2, key: string): string {
  return version === 1 && key === "additional_comments" ? "additional_comments_v1" : key;
}

function renameColumn(version: 1 | 2, column: string): string {
  const [key, ...rest] = column.split(".");
  return [exportedName(version, key), ...rest].join(".");
}

/** A CSV cell back to the value it holds: the formula apostrophe removed. */
function cellText(value: string): string {
  return restoreFormulaText(value);
}

describe(`exports (${DRIVER})`, () => {
  it("wide CSV: UTF-8 with BOM, CRLF, RFC 4180 quoting, formulas neutralised, every stored answer back", async () => {
    const { raw, header, rows } = await csv("export.csv");
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = raw.toString("utf8");
    expect(text.split("\r\n")[0]).toBe("\uFEFF" + header.join(","));
    expect(text).toContain(`"line 1\nline 2, with ""quotes""\n-x"`);
    expect(text).toContain(",'=SUM(A1),");
    expect(text).toContain(",-12.5,");
    expect(header.slice(0, METADATA_COLUMNS.length)).toEqual([...METADATA_COLUMNS]);
    // Current version's order first, then what only the older version has.
    expect(header.slice(-2)).toEqual(["standards_priority_areas", "additional_comments_v1"]);
    expect(header).toContain("cofunding_difficulties.new_rule");
    expect(new Set(header).size).toBe(header.length);

    expect(rows.map((r) => r.response_id)).toEqual(stored.map((s) => s.id));
    for (const s of stored) {
      const row = rows.find((r) => r.response_id === s.id)!;
      expect(row.survey_version).toBe(String(s.version));
      expect(row.locale).toBe(s.locale);
      expect(row.submitted_at).toBe(s.submittedAt.replace(/\.\d+Z$/, "Z"));
      expect(row.access).toBe(s.invited ? "invited" : "anonymous");
      expect(row.country_group).toBe(s.countryGroup);
      const columns = exportColumns(s.def).map((c) => renameColumn(s.version, c));
      const cells = exportCells(s.def, s.answers);
      const expected = new Map(columns.map((c, i) => [c, cells[i] === null ? "" : String(cells[i])]));
      for (const column of header.slice(METADATA_COLUMNS.length)) {
        expect([column, cellText(row[column])]).toEqual([column, expected.get(column) ?? ""]);
      }
    }
    const r1 = rows.find((r) => r.response_id === stored[0].id)!;
    expect(r1.standards_priority_areas).toBe("'=SUM(A1)");
    expect(r1.follow_up_email).toBe("'@x");
    expect(r1.additional_comments_v1).toBe("'+cmd|' /C calc'!A0");
    expect(r1.energy_team_size).toBe("-12.5");
    expect(r1["cofunding_difficulties.other"]).toBe(`'=HYPERLINK("http://x")`);
    const r2 = rows.find((r) => r.response_id === stored[1].id)!;
    expect(r2.customs_difficulties).toBe('Таможня:\r\nобразцы "задерживаются", -долго');
    expect(r2.follow_up_email).toBe("'+7 (495) 123-45-67");
    expect(r2.energy_team_size).toBe("1234567.25");
    const r3 = rows.find((r) => r.response_id === stored[2].id)!;
    expect(r3.follow_up_email).toBe("'\t=tab");
    expect(r3.standards_priority_areas).toBe("");
    // An option the respondent's version did not have is empty, not 0.
    expect(r1["cofunding_difficulties.new_rule"]).toBe("");
    expect(r1["cofunding_difficulties.other"]).not.toBe("");
  });

  it("long CSV: one row per atomic answer, which rebuild the stored answers", async () => {
    const { header, rows } = await csv("export-long.csv");
    expect(header).toEqual(["response_id", "question_key", "item", "value", "round"]);
    for (const s of stored) {
      const mine = rows.filter((r) => r.response_id === s.id);
      const rebuilt = answersFromLong(s.def, s.version, mine);
      expect(rebuilt).toEqual(s.answers);
    }
    expect(rows.filter((r) => r.response_id === stored[0].id && r.question_key === "standards_priority_areas")).toEqual([
      { response_id: stored[0].id, question_key: "standards_priority_areas", item: "", value: "'=SUM(A1)", round: "1" },
    ]);
  });

  it("needs CSV: one row per need entry, with the themes tagged on it", async () => {
    const { header, rows } = await csv("needs.csv");
    expect(header).toEqual([
      "response_id", "working_group", "question_key", "need_id", "category", "shared_category",
      "horizon", "urgency", "importance", "title", "description", "themes",
    ]);
    // The shared category of an entry: its category's parent in the need taxonomy.
    const sharedOf = (def: SurveyDefinition, code: string) => {
      const q = allQuestions(def).find((x) => x.type === "need_list") as Extract<Question, { type: "need_list" }>;
      return sharedCategoryOf(q.categories.find((c) => c.code === code)!, needTaxonomy());
    };
    const expected = stored.flatMap((s) => needs(s.answers).map((n) => ({ s, n })));
    expect(rows).toHaveLength(expected.length);
    for (const { s, n } of expected) {
      const row = rows.find((r) => r.response_id === s.id && r.need_id === n.id)!;
      expect(row).toEqual({
        response_id: s.id,
        working_group: GROUP,
        question_key: "energy_needs",
        need_id: n.id,
        category: n.category,
        shared_category: sharedOf(s.def, n.category),
        horizon: n.horizon,
        urgency: String(n.urgency),
        importance: String(n.importance),
        title: expect.any(String),
        description: n.description ?? "",
        themes: s === stored[0] && n.id === "n1" ? "Visas, customs" : "",
      });
      expect(cellText(row.title)).toBe(n.title);
    }
    expect(rows.find((r) => r.need_id === "n2")!.title).toBe("'-minus first");
  });

  it("codebook: every column of the data and needs tables, labels in both languages, versions", async () => {
    const wide = await csv("export.csv");
    const needsFile = await csv("needs.csv");
    const { header, rows } = await csv("codebook.csv");
    expect(header).toEqual([
      "table", "column", "question_key", "type", "label_en", "label_ru", "item", "item_label_en", "item_label_ru",
      "code", "code_label_en", "code_label_ru", "values", "versions",
    ]);
    const columnsOf = (table: string) => new Set(rows.filter((r) => r.table === table).map((r) => r.column));
    expect(columnsOf("data")).toEqual(new Set(wide.header));
    expect(columnsOf("needs")).toEqual(new Set(needsFile.header));
    expect(columnsOf("long")).toEqual(new Set(["response_id", "question_key", "item", "value", "round"]));
    for (const row of rows.filter((r) => r.table === "data" && r.code === "")) {
      expect(row.label_en, row.column).not.toBe("");
      expect(row.label_ru, row.column).not.toBe("");
      expect(row.values, row.column).not.toBe("");
    }
    const first = (column: string, code = "") => rows.find((r) => r.table === "data" && r.column === column && r.code === code)!;
    expect(first("standards_priority_areas").versions).toBe("1");
    expect(first("additional_comments_v1")).toMatchObject({ question_key: "additional_comments", type: "long_text", versions: "1" });
    expect(first("additional_comments")).toMatchObject({ type: "text", versions: "2" });
    expect(first("cofunding_difficulties.new_rule")).toMatchObject({ item: "new_rule", item_label_ru: "Новое правило", versions: "2" });
    expect(first("energy_team_size").versions).toBe("1;2");
    expect(first("org_type", "university")).toMatchObject({ code_label_en: "University", code_label_ru: "Университет" });
    expect(first("country_group", "ru").code_label_ru).toBe("Россия");
  });

  it("XLSX: sheets Data, Needs, Codebook and Summary with the expected values", async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await bytes("export.xlsx")) as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(["Data", "Needs", "Tags", "Codebook", "Summary"]);
    const data = book.getWorksheet("Data")!;
    const header = (data.getRow(1).values as unknown[]).slice(1);
    const wide = await csv("export.csv");
    expect(header).toEqual(wide.header);
    expect(data.rowCount).toBe(1 + stored.length);
    const col = (name: string) => header.indexOf(name) + 1;
    const r1 = data.getRow(2);
    expect(r1.getCell(col("response_id")).value).toBe(stored[0].id);
    expect(r1.getCell(col("standards_priority_areas")).value).toBe("'=SUM(A1)");
    expect(r1.getCell(col("energy_team_size")).value).toBe(-12.5);
    expect(r1.getCell(col("survey_version")).value).toBe(1);
    expect((r1.getCell(col("submitted_at")).value as Date).toISOString()).toBe("2026-03-01T09:00:00.000Z");
    // Line breaks in a workbook are LF, as Excel writes them.
    expect(data.getRow(3).getCell(col("customs_difficulties")).value).toBe('Таможня:\nобразцы "задерживаются", -долго');

    const needsSheet = book.getWorksheet("Needs")!;
    expect(needsSheet.rowCount).toBe(1 + stored.flatMap((s) => needs(s.answers)).length);
    expect(needsSheet.getRow(2).getCell(10).value).toBe(`'@risk, "urgent"`);
    expect(needsSheet.getRow(2).getCell(12).value).toBe("Visas, customs");

    const codebook = book.getWorksheet("Codebook")!;
    expect(codebook.getRow(1).getCell(2).value).toBe("column");
    expect(codebook.rowCount).toBeGreaterThan(wide.header.length);

    const summary = book.getWorksheet("Summary")!;
    const figures = new Map<string, unknown>();
    summary.eachRow((row) => figures.set(String(row.getCell(1).value), row.getCell(2).value));
    expect(figures.get("Submitted responses matching the filters")).toBe(3);
    expect(figures.get("Submitted responses (all)")).toBe(3);
    expect(figures.get("Responses started (all, including unfinished)")).toBe(4);
    expect(figures.get("Completion rate (submitted / started)")).toBe(0.75);
    expect(figures.get("Active personal invitations")).toBe(1);
    expect(figures.get("Submitted responses from personal invitations")).toBe(1);
    expect(figures.get("EU member state")).toBe(1);
    expect(figures.get("Russia")).toBe(1);
    expect(figures.get("Other country")).toBe(1);
    expect(figures.get("Short term (up to 2 years)")).toBeDefined();
    // Top needs as the dashboard ranks them: short term, entries (5, 4) and (3, 5): priorities
    // 80 and 60, mean 70; medium term (2, 3): 24.
    const needRows = new Map<string, unknown[]>();
    summary.eachRow((row) => {
      const values = (row.values as unknown[]).slice(1);
      if (typeof values[0] === "string" && / term /.test(values[0])) needRows.set(values[0], values);
    });
    // The last column is the number of respondents, the n of the means.
    expect(needRows.get("Short term (up to 2 years)")?.slice(2)).toEqual([2, 4, 4.5, 70, 2]);
    expect(needRows.get("Medium term (2–5 years)")?.slice(2)).toEqual([1, 2, 3, 24, 1]);
  });

  it("JSON: the same data for programs", async () => {
    const doc = JSON.parse((await bytes("export.json")).toString("utf8")) as {
      survey: { slug: string; versions: number[]; current_version: number };
      exportedAt: string;
      filters: Record<string, string>;
      codebook: { table: string; column: string }[];
      responses: { response_id: string; survey_version: number; access: string; answers: Record<string, unknown> }[];
      needs: { response_id: string; need_id: string; title: string; themes: string[] }[];
    };
    expect(doc.survey).toMatchObject({ slug: SLUG, versions: [1, 2], current_version: 2 });
    expect(doc.exportedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(doc.filters).toEqual({});
    expect(doc.codebook.filter((c) => c.table === "data").length).toBeGreaterThan(10);
    expect(doc.responses.map((r) => r.response_id)).toEqual(stored.map((s) => s.id));
    for (const s of stored) {
      const r = doc.responses.find((x) => x.response_id === s.id)!;
      const expected = Object.fromEntries(
        Object.entries(s.answers)
          .filter(([key]) => key !== "energy_needs")
          .map(([key, value]) => [exportedName(s.version, key), value]),
      );
      expect(r.answers).toEqual(expected);
      expect(r.survey_version).toBe(s.version);
    }
    expect(doc.needs).toHaveLength(3);
    expect(doc.needs.find((n) => n.response_id === stored[0].id && n.need_id === "n1")).toMatchObject({
      title: '@risk, "urgent"',
      themes: ["Visas, customs"],
    });
  });

  it("labels=ru writes Russian labels instead of codes; column names stay keys", async () => {
    const { header, rows } = await csv("export.csv", "labels=ru");
    expect(header).toEqual((await csv("export.csv")).header);
    const r1 = rows.find((r) => r.response_id === stored[0].id)!;
    const orgType = allQuestions(v1.def).find((q) => q.key === "org_type") as Extract<Question, { type: "single_choice" }>;
    expect(r1.org_type).toBe(orgType.options.find((o) => o.code === stored[0].answers.org_type)!.label.ru);
    expect(r1.country).toBe("Германия");
    const en = await csv("export.csv", "labels=en");
    expect(en.rows.find((r) => r.response_id === stored[1].id)!.country).toBe("Russia");
    const needsRu = await csv("needs.csv", "labels=ru");
    expect(needsRu.rows.find((r) => r.need_id === "n2")!.horizon).toBe("Среднесрочная (2–5 лет)");
    const labelled = needsRu.rows.find((r) => r.shared_category !== "")!.shared_category;
    expect(needTaxonomy().categories.map((c) => c.label.ru)).toContain(labelled);
    const res = await download("export.csv", "labels=ru");
    expect(res.headers.get("Content-Disposition")).toMatch(/^attachment; filename="energy-needs-2026_data-ru_\d{4}-\d{2}-\d{2}\.csv"$/);
  });

  it("honours the dashboard filters", async () => {
    const ru = stored.find((s) => s.countryGroup === "ru")!;
    expect((await csv("export.csv", "country_group=ru")).rows.map((r) => r.response_id)).toEqual([ru.id]);
    expect(new Set((await csv("export-long.csv", "country_group=ru")).rows.map((r) => r.response_id))).toEqual(new Set([ru.id]));
    expect((await csv("needs.csv", "country_group=ru")).rows.map((r) => r.response_id)).toEqual(needs(ru.answers).map(() => ru.id));
    expect((await csv("export.csv", "country=de")).rows.map((r) => r.response_id)).toEqual([stored[0].id]);
    expect((await csv("export.csv", "from=2026-03-02&to=2026-03-02")).rows.map((r) => r.response_id)).toEqual([stored[1].id]);
    const orgType = String(stored[2].answers.org_type);
    const byOrg = await csv("export.csv", `org_type=${orgType}`);
    expect(byOrg.rows.map((r) => r.response_id)).toEqual(stored.filter((s) => s.answers.org_type === orgType).map((s) => s.id));
    // The horizon applies to need entries, not to responses.
    const short = await csv("needs.csv", "horizon=short_term");
    expect(short.rows.map((r) => r.horizon)).toEqual(["short_term", "short_term"]);
    expect((await csv("export.csv", "horizon=short_term")).rows).toHaveLength(3);
    const longShort = await csv("export-long.csv", "horizon=short_term");
    expect(longShort.rows.some((r) => r.item.startsWith("n2."))).toBe(false);
    const doc = JSON.parse((await bytes("export.json", "country_group=eu")).toString("utf8")) as {
      filters: object;
      responses: unknown[];
      needs: unknown[];
    };
    expect(doc.filters).toEqual({ country_group: "eu" });
    expect(doc.responses).toHaveLength(1);
    expect(doc.needs).toHaveLength(2);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await bytes("export.xlsx", "country_group=other")) as unknown as ArrayBuffer);
    expect(book.getWorksheet("Data")!.rowCount).toBe(2);
  });

  it("refuses filters and labels it cannot apply", async () => {
    expect(await statusOf(download("export.csv", "country_group=mars"))).toBe(400);
    expect(await statusOf(download("export.csv", "from=2026-02-30"))).toBe(400);
    expect(await statusOf(download("export.csv", "from=2026-03-05&to=2026-03-01"))).toBe(400);
    expect(await statusOf(download("export.csv", "labels=de"))).toBe(400);
    expect(await statusOf(download("export.csv", "country_group=&labels="))).toBe(200);
  });

  it("headers: content type, file name, no caching", async () => {
    const cases: [string, RegExp, string][] = [
      ["export.csv", /^energy-needs-2026_data_\d{4}-\d{2}-\d{2}\.csv$/, "text/csv; charset=utf-8"],
      ["export-long.csv", /^energy-needs-2026_long_\d{4}-\d{2}-\d{2}\.csv$/, "text/csv; charset=utf-8"],
      ["needs.csv", /^energy-needs-2026_needs_\d{4}-\d{2}-\d{2}\.csv$/, "text/csv; charset=utf-8"],
      ["codebook.csv", /^energy-needs-2026_codebook_\d{4}-\d{2}-\d{2}\.csv$/, "text/csv; charset=utf-8"],
      ["export.xlsx", /^energy-needs-2026_data_\d{4}-\d{2}-\d{2}\.xlsx$/, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
      ["export.json", /^energy-needs-2026_data_\d{4}-\d{2}-\d{2}\.json$/, "application/json; charset=utf-8"],
    ];
    for (const [file, name, type] of cases) {
      const res = await download(file);
      expect(res.status).toBe(200);
      expect(res.headers.get("Content-Type")).toBe(type);
      expect(res.headers.get("Content-Disposition")).toMatch(/^attachment; filename="(.+)"$/);
      expect(res.headers.get("Content-Disposition")!.match(/filename="(.+)"/)![1]).toMatch(name);
      expect(res.headers.get("Cache-Control")).toContain("no-store");
      await res.arrayBuffer();
    }
  });

  it("writes every export to the audit log", async () => {
    const before = await db.selectFrom("audit_log").select(sql<number>`count(*)`.as("n")).where("action", "=", "export.downloaded").executeTakeFirstOrThrow();
    await (await download("needs.csv", "country_group=ru&labels=en")).arrayBuffer();
    const entries = await db
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "export.downloaded")
      .orderBy("id", "desc")
      .execute();
    expect(entries).toHaveLength(Number(before.n) + 1);
    expect(entries[0]).toMatchObject({ actor: "energy@example.org", target_type: "survey", target_id: String(surveyId) });
    expect(entries[0].details).toEqual({
      survey: SLUG,
      kind: "needs",
      filters: { country_group: "ru" },
      labels: "en",
      responses: 1,
    });
  });

  it("authorises every export URL: 401 anonymous, 403 another group, 200 coordinator and admin, 404 unknown", async () => {
    const health = await db.selectFrom("surveys").select("slug").where("slug", "like", "health%").executeTakeFirstOrThrow();
    for (const file of Object.keys(ROUTES)) {
      const anonymous = await download(file, "", "").catch((e: unknown) => e as Response);
      expect([file, anonymous.status]).toEqual([file, 401]);
      expect(anonymous.headers.get("Location")).toBeNull();
      expect([file, await statusOf(download(file, "", cookies.other))]).toEqual([file, 403]);
      for (const cookie of [cookies.coordinator, cookies.admin]) {
        const res = await download(file, "", cookie);
        expect([file, res.status]).toEqual([file, 200]);
        await res.arrayBuffer();
      }
      expect([file, await statusOf(download(file, "", cookies.coordinator, GROUP, "no-such-survey"))]).toEqual([file, 404]);
      // Another group's survey under this group's path.
      expect([file, await statusOf(download(file, "", cookies.coordinator, GROUP, health.slug))]).toEqual([file, 404]);
      expect([file, await statusOf(download(file, "", cookies.admin, "no-such-group", SLUG))]).toEqual([file, 404]);
    }
  });
});

describe(`a large export (${DRIVER})`, () => {
  const COUNT = 5000;
  let largeId: number;

  beforeAll(async () => {
    const survey = await db
      .selectFrom("surveys")
      .innerJoin("survey_versions", "survey_versions.id", "surveys.current_version_id")
      .select(["surveys.id", "survey_versions.id as version_id", "survey_versions.definition"])
      .where("surveys.slug", "=", "health-needs-2026")
      .executeTakeFirstOrThrow();
    largeId = survey.id;
    const def = survey.definition as SurveyDefinition;
    // A few answers per response are enough here: what is tested is the paging.
    const keep = new Set(allQuestions(def).slice(0, 8).map((q) => q.key));
    const answers = Object.fromEntries(Object.entries(sampled(def, 5, "en")).filter(([key]) => keep.has(key))) as Answers;
    const template = crypto.randomUUID();
    await db
      .insertInto("responses")
      .values({
        id: template,
        survey_id: survey.id,
        survey_version_id: survey.version_id,
        locale: "en",
        status: "in_progress",
        idempotency_key: "template",
      })
      .execute();
    await db
      .insertInto("answers")
      .values(
        answersToRows(def, answers).map((row) => ({
          response_id: template,
          survey_id: survey.id,
          question_key: row.questionKey,
          item: row.item,
          option_code: row.optionCode,
          value_num: row.valueNum,
          value_text: row.valueText,
          value_json: row.valueJson == null ? null : JSON.stringify(row.valueJson),
        })),
      )
      .execute();
    // Copies of the template, packed as a submission packs them; five share each submission
    // time, so that pages end inside ties.
    const packed = packedValuesText(answersToRows(def, answers));
    await sql`
      insert into responses (id, survey_id, survey_version_id, locale, status, idempotency_key, submitted_at, country, country_group, answer_values)
      select gen_random_uuid(), ${survey.id}, ${survey.version_id}, 'en', 'submitted', 'copy-' || n,
             timestamptz '2026-05-01 00:00:00+00' + make_interval(secs => (n / 5) * 1.000001), 'RU', 'ru', ${packed}::json
      from generate_series(1, ${COUNT}) as n`.execute(db);
    await sql`
      insert into answers (response_id, survey_id, question_key, item, option_code, value_num, value_text, value_json)
      select r.id, a.survey_id, a.question_key, a.item, a.option_code, a.value_num, a.value_text, a.value_json
      from responses r cross join answers a
      where r.survey_id = ${survey.id} and r.status = 'submitted' and a.response_id = ${template}`.execute(db);
  });

  it(`streams ${COUNT} responses page by page, each exactly once`, async () => {
    const plan = (await loadExportPlan(db, "health", "health-needs-2026"))!;
    const scope = { surveyId: largeId, filters: {}, until: await exportSnapshotTime(db) };
    const sizes: number[] = [];
    for await (const page of responsePages(db, plan, scope, { values: true, needs: false }, 700)) sizes.push(page.length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(COUNT);
    expect(sizes.length).toBe(Math.ceil(COUNT / 700));

    const res = await download("export.csv", "", cookies.admin, "health", "health-needs-2026");
    const reader = res.body!.getReader();
    let chunks = 0;
    const parts: Buffer[] = [];
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      chunks++;
      parts.push(Buffer.from(value));
    }
    expect(chunks).toBeGreaterThan(10);
    const records = parse(Buffer.concat(parts), { bom: true }) as string[][];
    expect(records).toHaveLength(COUNT + 1);
    expect(new Set(records.slice(1).map((r) => r[0])).size).toBe(COUNT);
    const times = records.slice(1).map((r) => r[3]);
    expect([...times].sort()).toEqual(times);
  });

  it.each(["long", "json", "xlsx"] as const)("holds the %s file back while the client pauses: the server writes no faster than the socket drains", async (kind) => {
    const plan = (await loadExportPlan(db, "health", "health-needs-2026"))!;
    // Bytes the export has produced, counted as the server's response pulls them.
    let produced = 0;
    const app = express();
    app.get("/file", (_req, res) => {
      void (async () => {
        const file = await createExport(db, plan, kind, { filters: {}, minCell: 5 });
        const counted = file.body.pipeThrough(
          new TransformStream<Uint8Array, Uint8Array>({
            transform(chunk, controller) {
              produced += chunk.length;
              controller.enqueue(chunk);
            },
          }),
        );
        await sendResponse(res, new Response(counted, { headers: { "Content-Type": file.contentType } }));
      })();
    });
    // A Unix socket: its buffers are small (about 200 kB), unlike loopback TCP's.
    const socketPath = path.join(mkdtempSync(path.join(tmpdir(), "needsmap-export-")), "s");
    const server = app.listen(socketPath);
    await once(server, "listening");
    try {
      const response = await new Promise<http.IncomingMessage>((resolve) => http.get({ socketPath, path: "/file" }, resolve));
      let received = 0;
      response.on("data", (chunk: Buffer) => {
        received += chunk.length;
      });
      await once(response, "data");
      response.pause();
      // The reader pauses; whatever the server had to buffer would pile up now.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const whilePaused = produced;
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(produced).toBe(whilePaused);
      response.resume();
      await once(response, "end");
      expect(received).toBe(produced);
      // Held back: the socket's and the streams' buffers (about 500 kB), far less than the
      // file. (The workbook of these short responses deflates to about 800 kB in all.)
      expect(whilePaused).toBeLessThan(1_500_000);
      expect(received).toBeGreaterThan(kind === "xlsx" ? whilePaused : whilePaused * 3);
    } finally {
      server.close();
    }
  });

  it("stops reading from the database when the client goes away", async () => {
    let queries = 0;
    const counting = db.withPlugin({
      transformQuery: (args) => {
        queries++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const plan = (await loadExportPlan(db, "health", "health-needs-2026"))!;
    const whole = await createExport(counting, plan, "long", { filters: {}, minCell: 5 });
    await new Response(whole.body).arrayBuffer();
    const all = queries;

    queries = 0;
    const partial = await createExport(counting, plan, "long", { filters: {}, minCell: 5 });
    const reader = partial.body.getReader();
    expect((await reader.read()).done).toBe(false);
    await reader.cancel();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const afterCancel = queries;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(queries).toBe(afterCancel);
    expect(afterCancel).toBeLessThan(all / 2);
  });
});

/** Answers rebuilt from the long rows of one response (the formula apostrophe removed). */
function answersFromLong(def: SurveyDefinition, version: 1 | 2, rows: Record<string, string>[]): Answers {
  const answers: Record<string, unknown> = {};
  for (const q of allQuestions(def)) {
    const mine = rows.filter((r) => r.question_key === exportedName(version, q.key));
    if (mine.length === 0) continue;
    const value = (r: Record<string, string>) => cellText(r.value);
    switch (q.type) {
      case "single_choice":
      case "country":
      case "text":
      case "long_text":
      case "date":
        answers[q.key] = value(mine[0]);
        break;
      case "scale":
      case "number":
        answers[q.key] = Number(mine[0].value);
        break;
      case "multi_choice": {
        const other = mine.find((r) => r.item === "other");
        const selected = q.options.map((o) => o.code).filter((code) => mine.some((r) => r.item === code && r.value === "1"));
        answers[q.key] = other ? { selected, other: value(other) } : { selected };
        break;
      }
      case "matrix":
      case "ranking":
        answers[q.key] = Object.fromEntries(mine.map((r) => [r.item, Number(r.value)]));
        break;
      case "borich": {
        const v: Record<string, Record<string, number>> = {};
        for (const r of mine) {
          const [statement, dimension] = r.item.split(".");
          (v[statement] ??= {})[dimension] = Number(r.value);
        }
        answers[q.key] = v;
        break;
      }
      case "need_list": {
        const entries = new Map<string, Record<string, unknown>>();
        for (const r of mine) {
          const [id, field] = r.item.split(".");
          const entry = entries.get(id) ?? { id };
          entry[field] = field === "urgency" || field === "importance" ? Number(r.value) : value(r);
          entries.set(id, entry);
        }
        answers[q.key] = [...entries.values()].map((e) => ({
          id: e.id,
          title: e.title,
          ...(e.description !== undefined ? { description: e.description } : {}),
          category: e.category,
          horizon: e.horizon,
          urgency: e.urgency,
          importance: e.importance,
        }));
        break;
      }
    }
  }
  return answers as Answers;
}

describe(`the ranking of the summary sheet (${DRIVER})`, () => {
  beforeAll(async () => {
    // Five respondents name one category (priority 36), one respondent another (priority 100).
    for (let i = 0; i < 6; i++) {
      const answers = sampled(v1.def, 20 + i, "en");
      answers.energy_needs = [
        i < 5
          ? { id: "n1", title: "Shared test rigs", category: "renewables_integration", horizon: "short_term", urgency: 3, importance: 3 }
          : { id: "n1", title: "One lab's need", category: "grids_storage", horizon: "short_term", urgency: 5, importance: 5 },
      ];
      await insertResponse({ version: 1, def: v1.def, answers, locale: "en", submittedAt: `2026-04-0${i + 1}T09:00:00Z` });
    }
  });

  it("ranks categories of fewer than MIN_CELL_SIZE respondents last, as the dashboard does", async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await bytes("export.xlsx")) as unknown as ArrayBuffer);
    const q = allQuestions(v1.def).find((x) => x.key === "energy_needs");
    if (q?.type !== "need_list") throw new Error("energy_needs is not a need list");
    const code = (label: unknown) => q.categories.find((c) => c.label.en === label)?.code ?? String(label);
    const shortTerm: string[] = [];
    book.getWorksheet("Summary")!.eachRow((row) => {
      const values = (row.values as unknown[]).slice(1);
      if (values[0] === "Short term (up to 2 years)") shortTerm.push(code(values[1]));
    });
    // The route passes MIN_CELL_SIZE (5): the category of one respondent comes after the one of five.
    expect(shortTerm.indexOf("renewables_integration")).toBeGreaterThanOrEqual(0);
    expect(shortTerm.indexOf("grids_storage")).toBeGreaterThan(shortTerm.indexOf("renewables_integration"));

    // The dashboard's order with the same minimum cell size.
    const survey = (await resolveDashboardSurvey(db, GROUP))!;
    const [analysis] = await needAnalysis(db, survey, {}, { minCell: 5 });
    const dashboard = analysis.ranked.short_term.map((r) => r.category).filter((c) => shortTerm.includes(c));
    expect(shortTerm).toEqual(dashboard);

    // With a minimum of 1 every category is shown, and the higher score ranks first.
    const plan = (await loadExportPlan(db, GROUP, SLUG))!;
    const scope = { surveyId, filters: {}, until: await exportSnapshotTime(db) };
    const all = (await summaryRows(db, plan, scope, "en", 1)).filter((r) => r[0] === "Short term (up to 2 years)").map((r) => code(r[1]));
    expect(all.indexOf("grids_storage")).toBeLessThan(all.indexOf("renewables_integration"));
  });
});
