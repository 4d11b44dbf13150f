import type { LoaderFunctionArgs } from "@remix-run/node";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "#db/client";
import { loader as codebookLoader } from "~/routes/staff.groups.$group_.surveys.$survey.codebook[.csv]";
import { loader as jsonLoader } from "~/routes/staff.groups.$group_.surveys.$survey.export[.json]";
import { loader as xlsxLoader } from "~/routes/staff.groups.$group_.surveys.$survey.export[.xlsx]";
import { loader as tagsLoader } from "~/routes/staff.groups.$group_.surveys.$survey.tags[.csv]";
import {
  clearDashboardCache,
  groupDashboard,
  resolveDashboardSurvey,
  themeCounts,
} from "~/server/dashboards.server";
import { type ResponseFilters, filtersToSearchParams } from "~/server/filters.server";
import { addDemoResponses } from "~/server/demo.server";
import { TAGS_COLUMNS } from "~/server/export-plan";
import { SURVEYS_DIR } from "~/server/startup.server";
import { syncSurveyDirectory } from "~/server/surveys.server";
import { createTheme, tagAnswer } from "~/server/themes.server";
import { upsertWorkingGroups } from "~/server/working-groups.server";
import { createTestDatabase, type TestDatabase } from "./db";
import { accountWithSession } from "./manage-helpers";
import { loaderArgs } from "./remix";

/*
 * Every theme figure of the dashboard must be recomputable from the exports: themes are tagged
 * on long-text answers, "other" answers and need entries (of both horizons, by respondents of
 * several country groups), then the tags table (CSV, XLSX sheet, JSON) is downloaded and the
 * dashboard's counts are recomputed from it.
 */

const GROUP = "energy";
const SLUG = "energy-needs-2026";
let t: TestDatabase;
let db: Db;
let cookie: string;
let groupId: number;

type Loader = (args: LoaderFunctionArgs) => Promise<Response>;
async function download(loader: Loader, file: string, query: string): Promise<Buffer> {
  const path = `/staff/groups/${GROUP}/surveys/${SLUG}/${file}${query ? `?${query}` : ""}`;
  const res = await loader(
    loaderArgs(path, db, { params: { group: GROUP, survey: SLUG }, cookie }),
  );
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

async function tagsCsv(query: string): Promise<Record<string, string>[]> {
  const [header, ...rows] = parse(await download(tagsLoader, "tags.csv", query), {
    bom: true,
  }) as string[][];
  expect(header).toEqual([...TAGS_COLUMNS]);
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

/** The theme counts as the dashboard defines them, from the rows of the tags table. */
function recount(
  rows: Record<string, string>[],
): Map<number, { answers: number; respondents: number }> {
  const by = new Map<number, { answers: number; ids: Set<string> }>();
  for (const r of rows) {
    const id = Number(r.theme_id);
    const entry = by.get(id) ?? { answers: 0, ids: new Set<string>() };
    entry.answers++;
    entry.ids.add(r.response_id);
    by.set(id, entry);
  }
  return new Map([...by].map(([id, e]) => [id, { answers: e.answers, respondents: e.ids.size }]));
}

beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
  await upsertWorkingGroups(db);
  await syncSurveyDirectory(db, SURVEYS_DIR);
  const survey = await db
    .selectFrom("surveys")
    .select(["id", "working_group_id"])
    .where("slug", "=", SLUG)
    .executeTakeFirstOrThrow();
  groupId = survey.working_group_id;
  // Demo answers for the energy survey only (the others are closed for this test).
  await db.updateTable("surveys").set({ status: "closed" }).where("slug", "<>", SLUG).execute();
  await addDemoResponses(db, { perSurvey: 60, seed: 11 });
  const account = await accountWithSession(db, "energy@example.org", "coordinator", [GROUP]);
  cookie = account.cookie;
  const by = { by: { id: account.id, email: "energy@example.org" }, ip: "127.0.0.1" };

  const themes: number[] = [];
  for (const name of ["Funding", "Visas", "Infrastructure"]) {
    const created = await createTheme(db, groupId, name, by);
    if (!created.ok) throw new Error(created.error);
    themes.push(created.id);
  }
  const answers = await db
    .selectFrom("answers as a")
    .innerJoin("responses as r", "r.id", "a.response_id")
    .select([
      "a.id",
      "a.question_key",
      "a.item",
      sql<string | null>`a.value_json ->> 'horizon'`.as("horizon"),
    ])
    .where("a.survey_id", "=", survey.id)
    .where((eb) =>
      eb.or([
        eb("a.question_key", "in", ["customs_difficulties", "additional_comments"]),
        eb("a.item", "=", "_other"),
        eb("a.question_key", "=", "energy_needs"),
      ]),
    )
    .orderBy("a.id")
    .execute();
  const kinds = {
    text: answers.filter((a) => a.item === null),
    other: answers.filter((a) => a.item === "_other"),
    short: answers.filter((a) => a.question_key === "energy_needs" && a.horizon === "short_term"),
    medium: answers.filter((a) => a.question_key === "energy_needs" && a.horizon === "medium_term"),
  };
  for (const [kind, list] of Object.entries(kinds)) {
    if (list.length < 6) throw new Error(`the demo data has too few answers of kind ${kind}`);
  }
  // Several answers per theme, some respondents with two tagged answers, answers with two themes.
  const tag = async (answerId: string, theme: number) => {
    const r = await tagAnswer(db, groupId, answerId, { id: theme }, by);
    if (!r.ok) throw new Error(r.error);
  };
  for (const [k, list] of Object.values(kinds).entries()) {
    for (let i = 0; i < 6; i++) await tag(list[i].id, themes[(i + k) % 3]);
    await tag(list[0].id, themes[(k + 1) % 3]);
  }
});
afterAll(() => t?.close());

const VIEWS: ResponseFilters[] = [
  {},
  { countryGroup: "eu" },
  { horizon: "short_term" },
  { countryGroup: "ru", horizon: "medium_term" },
];

describe("theme counts recomputed from the tags export", () => {
  it("tags.csv has every tag, with the part of the answer it is on", async () => {
    const rows = await tagsCsv("");
    const total = await db
      .selectFrom("answer_tags")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(rows).toHaveLength(Number(total.n));
    expect(new Set(rows.map((r) => r.answer_part))).toEqual(new Set(["text", "other", "need"]));
    for (const r of rows) {
      if (r.answer_part === "text") expect(r.item).toBe("");
      if (r.answer_part === "other") expect(r.item).toBe("_other");
      if (r.answer_part === "need") expect(r.question_key).toBe("energy_needs");
    }
    expect(new Set(rows.map((r) => r.theme_name))).toEqual(
      new Set(["Funding", "Visas", "Infrastructure"]),
    );
  });

  it("every theme figure of the dashboard equals the count from tags.csv, in every view", async () => {
    const survey = (await resolveDashboardSurvey(db, GROUP))!;
    for (const filters of VIEWS) {
      const counted = recount(await tagsCsv(filtersToSearchParams(filters).toString()));
      const exact = await themeCounts(db, survey, filters, { minCell: 1 });
      expect(exact.length).toBe(3);
      for (const theme of exact) {
        const mine = counted.get(theme.id) ?? { answers: 0, respondents: 0 };
        expect([filters, theme.name, theme.answers, theme.respondents]).toEqual([
          filters,
          theme.name,
          mine.answers,
          mine.respondents,
        ]);
      }
      // The dashboard as shown (small counts protected): every shown figure matches too.
      clearDashboardCache(db);
      const shown = await groupDashboard(db, survey, filters, { minCell: 5 });
      for (const theme of shown.themes) {
        const mine = counted.get(theme.id) ?? { answers: 0, respondents: 0 };
        if (typeof theme.respondents === "number") expect(theme.respondents).toBe(mine.respondents);
        if (typeof theme.answers === "number") expect(theme.answers).toBe(mine.answers);
      }
    }
  });

  it("the XLSX workbook and the JSON document carry the same tags", async () => {
    const rows = await tagsCsv("country_group=eu");
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(
      (await download(xlsxLoader, "export.xlsx", "country_group=eu")) as unknown as ArrayBuffer,
    );
    const sheet = book.getWorksheet("Tags")!;
    const values: string[][] = [];
    sheet.eachRow((row) =>
      values.push(
        TAGS_COLUMNS.map((_, i) => {
          const v = row.getCell(i + 1).value;
          return v == null ? "" : String(v);
        }),
      ),
    );
    expect(values[0]).toEqual([...TAGS_COLUMNS]);
    expect(values.slice(1)).toEqual(rows.map((r) => TAGS_COLUMNS.map((c) => r[c])));

    const json = JSON.parse(
      (await download(jsonLoader, "export.json", "country_group=eu")).toString("utf8"),
    ) as {
      tags: Array<Record<string, string | number | null>>;
    };
    expect(
      json.tags.map((tag) => TAGS_COLUMNS.map((c) => (tag[c] == null ? "" : String(tag[c])))),
    ).toEqual(rows.map((r) => TAGS_COLUMNS.map((c) => r[c])));
  });

  it("the codebook describes the tags table", async () => {
    const [header, ...rows] = parse(await download(codebookLoader, "codebook.csv", ""), {
      bom: true,
    }) as string[][];
    const tags = rows.filter((r) => r[header.indexOf("table")] === "tags");
    expect(new Set(tags.map((r) => r[header.indexOf("column")]))).toEqual(new Set(TAGS_COLUMNS));
    const parts = tags.filter(
      (r) => r[header.indexOf("column")] === "answer_part" && r[header.indexOf("code")],
    );
    expect(
      parts.map((r) => [r[header.indexOf("code")], r[header.indexOf("code_label_ru")]]),
    ).toEqual([
      ["text", "Развёрнутый ответ"],
      ["other", "Ответ «Другое (укажите)»"],
      ["need", "Потребность"],
    ]);
  });
});
