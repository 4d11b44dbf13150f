import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalogs } from "~/i18n/catalog";
import { action as apiAction } from "~/routes/api.surveys.$slug.responses";
import { loader as codebookLoader } from "~/routes/staff.groups.$group_.surveys.$survey.codebook[.csv]";
import { action as editAction } from "~/routes/staff.groups.$group_.surveys.$survey.edit";
import { loader as longLoader } from "~/routes/staff.groups.$group_.surveys.$survey.export-long[.csv]";
import { loader as wideLoader } from "~/routes/staff.groups.$group_.surveys.$survey.export[.csv]";
import { loader as xlsxLoader } from "~/routes/staff.groups.$group_.surveys.$survey.export[.xlsx]";
import { action as invitationsAction } from "~/routes/staff.groups.$group_.surveys.$survey.invitations";
import { action as linksAction } from "~/routes/staff.groups.$group_.surveys.$survey.links[.csv]";
import { loader as needsLoader } from "~/routes/staff.groups.$group_.surveys.$survey.needs[.csv]";
import { action as newSurveyAction } from "~/routes/staff.groups.$group_.surveys.new";
import { restoreFormulaText } from "~/server/spreadsheet.server";
import { changeStatus, createSurvey, type ManagedGroup, type ManagedSurvey } from "~/server/survey-admin.server";
import { createTheme, tagAnswer } from "~/server/themes.server";
import { upsertWorkingGroups } from "~/server/working-groups.server";
import { createTestDatabase, type TestDatabase } from "./db";
import { accountWithSession, multipartArgs, outcome } from "./manage-helpers";
import { actionArgs, loaderArgs, testContext } from "./remix";
import { formulaCells } from "./spreadsheet-helpers";

/**
 * Files written for spreadsheets (every export and the personal-links file) cannot run
 * formulas, in comma and in semicolon locales; uploaded CSV and YAML files that are not UTF-8
 * are refused with a message instead of being read with replacement characters.
 */

const DRIVER = process.env.TEST_DATABASE_URL ? "Postgres" : "PGlite";
const GROUP = "energy";
const SLUG = "sheet-safety";

/** Labels (codebook, label exports, summary) that look like formulas too. */
const YAML = `slug: ${SLUG}
workingGroup: ${GROUP}
accessMode: open_link
title: { en: "=Safety; -check", ru: "@Безопасность,=таблиц" }
pages:
  - key: p1
    title: { en: Page, ru: Страница }
    questions:
      - key: note
        type: text
        label: { en: "+Note, =1", ru: "Заметка;-1" }
      - key: comment
        type: long_text
        label: { en: Comment, ru: Комментарий }
      - key: balance
        type: number
        min: -100
        max: 100
        label: { en: Balance, ru: Баланс }
      - key: pick
        type: single_choice
        label: { en: Pick, ru: Выбор }
        options:
          - { code: a, label: { en: "=A; -b", ru: "@a,=b" } }
          - { code: b, label: { en: "B,-c", ru: "Б;+в" } }
      - key: many
        type: multi_choice
        label: { en: Many, ru: Много }
        options:
          - { code: x, label: { en: X, ru: Икс } }
        other: true
      - key: needs
        type: need_list
        label: { en: Needs, ru: Потребности }
        categories:
          - { code: funding, label: { en: "-Funding;=2", ru: Финансы } }
`;

/** What respondents typed: each one a formula in a comma or a semicolon spreadsheet. */
const ANSWERS = [
  {
    note: "x;=cmd|' /C calc'!A0",
    comment: 'a,-2+3\r\n+line; @SUM(1)\n"=quoted"',
    balance: -3,
    pick: "a",
    many: { selected: ["x"], other: "=1,=2;@3" },
    needs: [
      {
        id: "n1",
        title: '"=quoted" title',
        description: "ok;+1,-2",
        category: "funding",
        horizon: "short_term",
        urgency: 5,
        importance: 4,
      },
    ],
  },
  { note: '"=1"', comment: "Первая строка\nвторая строка", balance: -0.5, pick: "b", many: { selected: [], other: "-x" } },
  { note: "@SUM(1);＝2", balance: 42 },
];

let t: TestDatabase;
let group: ManagedGroup;
let survey: ManagedSurvey;
let cookie: string;
let actorUser: { id: number; email: string };

beforeAll(async () => {
  t = await createTestDatabase();
  await upsertWorkingGroups(t.db);
  group = await t.db
    .selectFrom("working_groups")
    .select(["id", "slug", "name"])
    .where("slug", "=", GROUP)
    .executeTakeFirstOrThrow();
  const account = await accountWithSession(t.db, "coord@example.org", "coordinator", [GROUP]);
  cookie = account.cookie;
  actorUser = { id: account.id, email: "coord@example.org" };
  const actor = { user: actorUser, ip: "127.0.0.1" };
  const created = await createSurvey(t.db, { group, text: YAML, origin: "editor" }, actor);
  if (!created.ok) throw new Error(JSON.stringify(created));
  survey = created.survey;
  expect(await changeStatus(t.db, survey, "publish", actor)).toMatchObject({ ok: true });

  // Respondents answer through the JSON API.
  for (const [i, answers] of ANSWERS.entries()) {
    const response = (await apiAction({
      request: new Request(`http://localhost/api/surveys/${SLUG}/responses`, {
        method: "POST",
        body: JSON.stringify({ idempotencyKey: `sheet-safety-${i}`, locale: i === 1 ? "ru" : "en", answers }),
        headers: { "Content-Type": "application/json", Origin: "http://localhost" },
      }),
      params: { slug: SLUG },
      context: testContext(t.db),
    } as ActionFunctionArgs)) as Response;
    expect([response.status, await response.text()]).toEqual([201, expect.any(String)]);
  }

  // A coordinator's theme that looks like a formula, tagged on the need.
  const theme = await createTheme(t.db, group.id, "=evil,@x", { by: actorUser });
  if (!theme.ok) throw new Error(JSON.stringify(theme));
  const need = await t.db
    .selectFrom("answers")
    .select("id")
    .where("question_key", "=", "needs")
    .where("item", "=", "n1")
    .executeTakeFirstOrThrow();
  expect(await tagAnswer(t.db, group.id, need.id, { id: theme.id }, { by: actorUser })).toMatchObject({ ok: true });
});
afterAll(() => t?.close());

type Loader = (args: LoaderFunctionArgs) => Promise<Response>;
const CSV_EXPORTS: Record<string, Loader> = {
  "export.csv": wideLoader,
  "export-long.csv": longLoader,
  "needs.csv": needsLoader,
  "codebook.csv": codebookLoader,
};

async function download(file: string, loader: Loader, query = ""): Promise<Response> {
  const path = `/staff/groups/${GROUP}/surveys/${SLUG}/${file}${query}`;
  const response = await loader(loaderArgs(path, t.db, { params: { group: GROUP, survey: SLUG }, cookie }));
  expect(response.status).toBe(200);
  return response;
}

const invitationsPath = `/staff/groups/${GROUP}/surveys/${SLUG}/invitations`;
const params = () => ({ group: GROUP, survey: SLUG });

describe(`exports in comma and semicolon spreadsheets (${DRIVER})`, () => {
  for (const [file, loader] of Object.entries(CSV_EXPORTS)) {
    for (const query of ["", "?labels=en", "?labels=ru"]) {
      if (file === "codebook.csv" && query) continue;
      it(`${file}${query}: no cell starts a formula when lines are split on , or on ;`, async () => {
        const text = await (await download(file, loader, query)).text();
        expect(formulaCells(text)).toEqual([]);
        // Read as CSV, the answers come back as typed once the apostrophes are removed.
        const cells = (parse(text, { bom: true }) as string[][]).flat().map(restoreFormulaText);
        if (file === "export.csv" || file === "export-long.csv") {
          expect(cells).toContain("x;=cmd|' /C calc'!A0");
          expect(cells).toContain('"=1"');
          expect(cells).toContain("@SUM(1);＝2");
          expect(cells).toContain("=1,=2;@3");
        }
        if (file === "needs.csv") {
          expect(cells).toContain('"=quoted" title');
          expect(cells).toContain("ok;+1,-2");
          expect(cells).toContain("=evil,@x");
        }
        if (file === "codebook.csv") expect(cells).toContain("=A; -b");
      });
    }
  }

  it("export.csv: a field with a semicolon or a line break is quoted, its formula starts neutralised; negative numbers stay plain numbers", async () => {
    const text = await (await download("export.csv", wideLoader)).text();
    expect(text).toContain(`,"x;'=cmd|' /C calc'!A0",`);
    expect(text).toContain(`,"'@SUM(1);'＝2",`);
    const [header, ...rows] = parse(text, { bom: true }) as string[][];
    const balance = header.indexOf("balance");
    expect(rows.map((r) => r[balance])).toEqual(["-3", "-0.5", "42"]);
    // A line break alone (no comma, no quote) is quoted too, so that it does not end the row.
    expect(rows.map((r) => r[header.indexOf("comment")])[1]).toBe("Первая строка\nвторая строка");
    expect(text).toContain(`,"Первая строка\nвторая строка",`);
    expect(text).toMatch(/,-3,/);
    expect(text).toMatch(/,-0\.5,/);
  });

  it("export.xlsx: every text cell of every sheet is neutralised; numbers are numbers", async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await (await download("export.xlsx", xlsxLoader, "?labels=en")).arrayBuffer()) as never);
    const texts: string[] = [];
    const numbers: number[] = [];
    for (const sheet of book.worksheets) {
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
          if (typeof cell.value === "string") texts.push(cell.value);
          if (typeof cell.value === "number") numbers.push(cell.value);
        }),
      );
    }
    for (const text of texts) {
      for (const piece of text.split(/[,;]/)) expect([text, /^"*[=+\-@\t\r＝＋－＠]/.test(piece)]).toEqual([text, false]);
    }
    expect(texts).toContain("x;'=cmd|' /C calc'!A0");
    expect(texts).toContain("'=Safety; -check");
    expect(texts).toContain("'=evil,'@x");
    expect(numbers).toEqual(expect.arrayContaining([-3, -0.5, 42]));
  });
});

describe(`the personal-links file (${DRIVER})`, () => {
  it("neutralises names and organisations that look like formulas, in comma and semicolon spreadsheets", async () => {
    const imported = outcome(
      await invitationsAction(
        multipartArgs(
          invitationsPath,
          t.db,
          {
            intent: "import",
            file: {
              name: "list.csv",
              content:
                'name;email;organisation\n"=HYPERLINK(""http://x"",""click"")";h@example.org;"+Inst, =2"\nИван;ivan@example.ru;"Институт;-1"\n',
            },
          },
          { params: params(), cookie },
        ),
      ),
    );
    expect(imported.status).toBe(200);
    const added = outcome(
      await invitationsAction(
        actionArgs(
          invitationsPath,
          t.db,
          { intent: "add", name: "@evil", email: "evil@example.org", organisation: "-Org;=1", country: "", language: "en" },
          { params: params(), cookie },
        ),
      ),
    );
    expect(added.status).toBe(200);
    const tokens = [...imported.data.issued.links, ...added.data.issued.links].map((l: { token: string }) => l.token);
    expect(tokens).toHaveLength(3);

    const response = (await linksAction(
      actionArgs(`/staff/groups/${GROUP}/surveys/${SLUG}/links.csv`, t.db, { intent: "download", token: tokens }, { params: params(), cookie }),
    )) as Response;
    expect(response.status).toBe(200);
    const text = Buffer.from(await response.arrayBuffer()).toString("utf8");
    expect(text.startsWith("\uFEFFname,email,country,organisation,language,link\r\n")).toBe(true);
    expect(formulaCells(text)).toEqual([]);
    const [, ...rows] = parse(text, { bom: true }) as string[][];
    expect(rows.map((r) => [r[0], r[3]])).toEqual(
      expect.arrayContaining([
        [`'=HYPERLINK("http://x","click")`, "'+Inst, =2"],
        ["Иван", "Институт;'-1"],
        ["'@evil", "'-Org;'=1"],
      ]),
    );
    expect(rows.map((r) => restoreFormulaText(r[0]))).toEqual(
      expect.arrayContaining(['=HYPERLINK("http://x","click")', "Иван", "@evil"]),
    );
  });
});

/** "José Müller" and "Zoë" in Latin-1 (Windows-1252), as Excel saves "CSV (Comma delimited)". */
const LATIN1_CSV = Buffer.from("name,email\nJosé Müller,jose@example.org\nZoë Brontë,zoe@example.org\n", "latin1");

describe(`uploads that are not UTF-8 (${DRIVER})`, () => {
  it("an invitee CSV in Latin-1 is refused with a message saying how to save it as UTF-8; pasted text is kept", async () => {
    const invitees = async () => (await t.db.selectFrom("invitations").select("name").execute()).map((r) => r.name).sort();
    const before = await invitees();
    const pasted = "name,email\nTyped Person,typed@example.org\n";
    const refused = outcome(
      await invitationsAction(
        multipartArgs(
          invitationsPath,
          t.db,
          { intent: "import", file: { name: "list.csv", content: LATIN1_CSV, type: "text/csv" }, csv: pasted },
          { params: params(), cookie },
        ),
      ),
    );
    expect(refused.status).toBe(400);
    expect(refused.data).toMatchObject({ kind: "import", report: null, problem: "manage.import.fileProblems.notUtf8" });
    // (Forms send line breaks as CRLF.)
    expect(refused.data.csv.replace(/\r\n/g, "\n")).toBe(pasted);
    expect(await invitees()).toEqual(before);
    const en = catalogs.en.manage.import.fileProblems.notUtf8;
    const ru = catalogs.ru.manage.import.fileProblems.notUtf8;
    expect(en).toMatch(/not UTF-8.*CSV UTF-8/s);
    expect(ru).toMatch(/не в кодировке UTF-8.*CSV UTF-8/s);

    // UTF-16 (Excel's "Unicode text") is refused too; the same names in UTF-8 are imported.
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("name,email\nZoë,zoe16@example.org\n", "utf16le")]);
    const utf16Refused = outcome(
      await invitationsAction(
        multipartArgs(invitationsPath, t.db, { intent: "import", file: { name: "list.csv", content: utf16 } }, { params: params(), cookie }),
      ),
    );
    expect(utf16Refused.data.problem).toBe("manage.import.fileProblems.notUtf8");
    const utf8 = outcome(
      await invitationsAction(
        multipartArgs(
          invitationsPath,
          t.db,
          { intent: "import", file: { name: "list.csv", content: Buffer.from("\uFEFF" + LATIN1_CSV.toString("latin1"), "utf8") } },
          { params: params(), cookie },
        ),
      ),
    );
    expect(utf8.status).toBe(200);
    const names = await invitees();
    expect(names).toEqual(expect.arrayContaining(["José Müller", "Zoë Brontë"]));
    expect(names.some((n) => n.includes("\uFFFD"))).toBe(false);
  });

  it("a questionnaire YAML file in Latin-1 is refused when creating a survey; the editor text is kept", async () => {
    const typed = YAML.replace(SLUG, "typed-survey");
    const file = Buffer.from(YAML.replace(SLUG, "latin1-survey").replace("Page", "Página"), "latin1");
    const refused = outcome(
      await newSurveyAction(
        multipartArgs(
          `/staff/groups/${GROUP}/surveys/new`,
          t.db,
          { source: typed, file: { name: "survey-latin1.yaml", content: file } },
          { params: { group: GROUP }, cookie },
        ),
      ),
    );
    expect(refused.status).toBe(400);
    expect(refused.data).toMatchObject({ formError: "manage.errors.notUtf8", formVars: { file: "survey-latin1.yaml" } });
    expect(refused.data.source.replace(/\r\n/g, "\n")).toBe(typed);
    expect(await t.db.selectFrom("surveys").select("slug").where("slug", "in", ["latin1-survey", "typed-survey"]).execute()).toEqual([]);
    expect(catalogs.en.manage.errors.notUtf8).toContain("{file} is not UTF-8");
    expect(catalogs.ru.manage.errors.notUtf8).toContain("{file} не в кодировке UTF-8");
  });

  it("a questionnaire YAML file in Latin-1 is refused when saving a new version; no version is made", async () => {
    const versions = async () =>
      (await t.db.selectFrom("survey_versions").select("id").where("survey_id", "=", survey.id).execute()).length;
    const before = await versions();
    const typed = YAML.replace("Page", "Edited page");
    const refused = outcome(
      await editAction(
        multipartArgs(
          `/staff/groups/${GROUP}/surveys/${SLUG}/edit`,
          t.db,
          { source: typed, file: { name: `${SLUG}.yaml`, content: Buffer.from(YAML.replace("Page", "Página"), "latin1") } },
          { params: params(), cookie },
        ),
      ),
    );
    expect(refused.status).toBe(400);
    expect(refused.data).toMatchObject({ formError: "manage.errors.notUtf8" });
    expect(refused.data.source.replace(/\r\n/g, "\n")).toBe(typed);
    expect(await versions()).toBe(before);
  });
});
