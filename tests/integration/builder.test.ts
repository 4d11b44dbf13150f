import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  action as builderAction,
  loader as builderLoader,
} from "~/routes/staff.groups.$group_.surveys.$survey.builder";
import { action as checkAction } from "~/routes/staff.groups.$group_.surveys.$survey.check";
import { loader as diffLoader } from "~/routes/staff.groups.$group_.surveys.$survey.diff";
import {
  action as overviewAction,
  loader as overviewLoader,
} from "~/routes/staff.groups.$group_.surveys.$survey._index";
import { action as newAction } from "~/routes/staff.groups.$group_.surveys.new";
import { startRound } from "~/server/delphi/rounds.server";
import { findSurvey, getVersion, type ManagedSurvey } from "~/server/survey-admin.server";
import { syncSurveyDirectory } from "~/server/surveys.server";
import { upsertWorkingGroups } from "~/server/working-groups.server";
import { type Data, questionFormFields, type SurveyData, surveyFormFields } from "~/survey/builder";
import { createTestDatabase, type TestDatabase } from "./db";
import { accountWithSession, outcome, statusOf } from "./manage-helpers";
import { actionArgs, loaderArgs } from "./remix";

const DRIVER = process.env.TEST_DATABASE_URL ? "Postgres" : "PGlite";

let t: TestDatabase;
let admin: { id: number; cookie: string };
let energy: { id: number; cookie: string };
let health: { id: number; cookie: string };
let bundled: Array<{ slug: string; group: string }>;

beforeAll(async () => {
  t = await createTestDatabase();
  await upsertWorkingGroups(t.db);
  const report = await syncSurveyDirectory(t.db, "surveys");
  expect(report.problems).toEqual([]);
  bundled = await t.db
    .selectFrom("surveys as s")
    .innerJoin("working_groups as g", "g.id", "s.working_group_id")
    .select(["s.slug", "g.slug as group"])
    .orderBy("s.slug")
    .execute();
  admin = await accountWithSession(t.db, "admin@example.org", "admin", []);
  energy = await accountWithSession(t.db, "energy@example.org", "coordinator", ["energy"]);
  health = await accountWithSession(t.db, "health@example.org", "coordinator", ["health"]);
});
afterAll(() => t?.close());

const base = (group: string, slug: string) => `/staff/groups/${group}/surveys/${slug}`;

async function surveyOf(group: string, slug: string): Promise<ManagedSurvey> {
  const g = await t.db
    .selectFrom("working_groups")
    .select("id")
    .where("slug", "=", group)
    .executeTakeFirstOrThrow();
  return (await findSurvey(t.db, g.id, slug))!;
}

async function openBuilder(group: string, slug: string, cookie = admin.cookie) {
  return outcome(
    await builderLoader(
      loaderArgs(`${base(group, slug)}/builder`, t.db, { params: { group, survey: slug }, cookie }),
    ),
  ).data as { initial: { state: { survey: SurveyData } } };
}

async function openOverview(group: string, slug: string, cookie: string) {
  return outcome(
    await overviewLoader(
      loaderArgs(base(group, slug), t.db, { params: { group, survey: slug }, cookie }),
    ),
  ).data;
}

function post(
  group: string,
  slug: string,
  form: Record<string, string | string[]>,
  cookie = admin.cookie,
) {
  return builderAction(
    actionArgs(`${base(group, slug)}/builder`, t.db, form, {
      params: { group, survey: slug },
      cookie,
    }),
  );
}

describe(`survey builder (${DRIVER})`, () => {
  it("opens every bundled survey and saves it unchanged: the same definition, no new version", async () => {
    expect(bundled.length).toBeGreaterThanOrEqual(5);
    for (const { slug, group } of bundled) {
      const before = await surveyOf(group, slug);
      const { survey } = (await openBuilder(group, slug)).initial.state;
      // The survey and page forms, and the editor of the first question, as the page posts them.
      const page = survey.pages.findIndex((p) => Array.isArray(p.questions));
      const question = (survey.pages[page].questions as Data[])[0];
      const saved = outcome(
        await post(group, slug, {
          state: JSON.stringify(survey),
          open: `${page}:0`,
          ...surveyFormFields(survey),
          ...questionFormFields(question),
          intent: "save",
        }),
      );
      expect(saved.status, slug).toBe(200);
      expect(saved.data.problems, slug).toEqual([]);
      expect(saved.data.unchanged, slug).toBe((await getVersion(t.db, before, null))!.version);
      const after = await surveyOf(group, slug);
      expect(after.currentVersionId).toBe(before.currentVersionId);
    }
  });

  it("saves a change to an open survey as a draft that respondents get only once it is published", async () => {
    const group = "energy";
    const slug = bundled.find((b) => b.group === group)!.slug;
    const before = await surveyOf(group, slug);
    expect(before.status).toBe("open");
    const { survey } = (await openBuilder(group, slug, energy.cookie)).initial.state;
    const p = survey.pages.findIndex((x) => Array.isArray(x.questions));
    const question = (survey.pages[p].questions as Data[])[0];
    const fields = questionFormFields(question);
    fields["q.label.en"] = `${String(fields["q.label.en"])} (revised)`;
    const saved = await post(
      group,
      slug,
      { state: JSON.stringify(survey), open: `${p}:0`, ...fields, intent: "save" },
      energy.cookie,
    );
    expect(saved).toBeInstanceOf(Response);
    const location = (saved as Response).headers.get("Location")!;
    expect(location).toMatch(/\?notice=draft&version=\d+$/);
    const draftVersion = Number(/version=(\d+)/.exec(location)![1]);
    // Respondents still get the published version.
    expect((await surveyOf(group, slug)).currentVersionId).toBe(before.currentVersionId);

    const overview = await openOverview(group, slug, energy.cookie);
    expect(overview.draft.version).toBe(draftVersion);
    expect(overview.draft.changes).toEqual([
      expect.objectContaining({
        kind: "questionText",
        key: question.key,
        field: "label",
        locales: ["en"],
      }),
    ]);
    // The Russian label was not changed with the English one: it is now a stale translation.
    expect(overview.stale).toEqual([
      expect.objectContaining({
        target: "ru",
        source: "en",
        id: expect.stringContaining(`${String(question.key)}.label`),
      }),
    ]);

    const diff = outcome(
      await diffLoader(
        loaderArgs(`${base(group, slug)}/diff?to=${draftVersion}`, t.db, {
          params: { group, survey: slug },
          cookie: energy.cookie,
        }),
      ),
    ).data;
    expect(diff.changes).toEqual(overview.draft.changes);

    const published = await overviewAction(
      actionArgs(
        base(group, slug),
        t.db,
        { intent: "publishVersion", version: String(draftVersion) },
        {
          params: { group, survey: slug },
          cookie: energy.cookie,
        },
      ),
    );
    expect((published as Response).headers.get("Location")).toContain(
      `notice=published&version=${draftVersion}`,
    );
    const current = await getVersion(t.db, await surveyOf(group, slug), null);
    expect(current!.version).toBe(draftVersion);
    const entry = await t.db
      .selectFrom("audit_log")
      .select("details")
      .where("action", "=", "survey.version_publish")
      .executeTakeFirstOrThrow();
    expect(entry.details).toMatchObject({ slug, version: draftVersion });
    // Publishing again finds no draft.
    expect(
      await statusOf(
        overviewAction(
          actionArgs(
            base(group, slug),
            t.db,
            { intent: "publishVersion", version: String(draftVersion) },
            {
              params: { group, survey: slug },
              cookie: energy.cookie,
            },
          ),
        ),
      ),
    ).toBe(409);
  });

  it("asks to confirm before publishing a draft that removes a question with answers", async () => {
    const group = "health";
    const slug = bundled.find((b) => b.group === group)!.slug;
    const s = await surveyOf(group, slug);
    const { survey } = (await openBuilder(group, slug, health.cookie)).initial.state;
    // The last question: no condition can refer to it.
    const p = survey.pages.findLastIndex((x) => Array.isArray(x.questions));
    const last = (survey.pages[p].questions as Data[]).length - 1;
    const removed = (survey.pages[p].questions as Data[])[last];
    const response = await t.db
      .insertInto("responses")
      .values({
        survey_id: s.id,
        survey_version_id: s.currentVersionId!,
        locale: "en",
        idempotency_key: "builder-1",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto("answers")
      .values({
        response_id: response.id,
        survey_id: s.id,
        question_key: String(removed.key),
        value_text: "x",
      })
      .execute();
    const saved = await post(
      group,
      slug,
      { state: JSON.stringify(survey), intent: `deleteQuestion:${p}:${last}` },
      health.cookie,
    );
    const state = outcome(saved).data.state;
    const draft = await post(
      group,
      slug,
      { state: JSON.stringify(state.survey), intent: "save" },
      health.cookie,
    );
    const version = Number(/version=(\d+)/.exec((draft as Response).headers.get("Location")!)![1]);
    const args = (form: Record<string, string>) =>
      actionArgs(
        base(group, slug),
        t.db,
        { intent: "publishVersion", version: String(version), ...form },
        {
          params: { group, survey: slug },
          cookie: health.cookie,
        },
      );
    const asked = outcome(await overviewAction(args({})));
    expect(asked.status).toBe(409);
    expect(asked.data.confirm.removed).toEqual([
      expect.objectContaining({ key: removed.key, answers: 1 }),
    ]);
    expect((await surveyOf(group, slug)).currentVersionId).toBe(s.currentVersionId);
    const done = await overviewAction(
      args({ confirmRemoval: "yes", confirmKeys: asked.data.confirm.keys }),
    );
    expect((done as Response).headers.get("Location")).toContain("notice=published");
  });

  it("does not take a Delphi round's version for a draft: nothing to publish, and an unchanged save is unchanged", async () => {
    const group = "mobility";
    const slug = bundled.find((b) => b.group === group)!.slug;
    const before = await surveyOf(group, slug);
    const current = (await getVersion(t.db, before, null))!;
    const scale = current.definition.pages
      .flatMap((p) => p.questions)
      .find((q) => q.type === "scale")!;
    const started = await startRound(
      t.db,
      before,
      {
        items: [scale.key],
        opensAt: "",
        closesAt: "2099-01-01",
        participants: "previous",
        newcomers: false,
        reasons: "optional",
      },
      { user: null, ip: "127.0.0.1" },
    );
    expect(started).toEqual({ ok: true, round: 2 });
    const roundVersion = current.version + 1;

    const overview = await openOverview(group, slug, admin.cookie);
    expect(overview.draft).toBeNull();
    expect(overview.currentVersion).toBe(current.version);
    expect(
      await statusOf(
        overviewAction(
          actionArgs(
            base(group, slug),
            t.db,
            { intent: "publishVersion", version: String(roundVersion) },
            { params: { group, survey: slug }, cookie: admin.cookie },
          ),
        ),
      ),
    ).toBe(409);

    // The builder edits the current version, and saving it unchanged makes no version.
    const { survey } = (await openBuilder(group, slug)).initial.state;
    const saved = outcome(
      await post(group, slug, {
        state: JSON.stringify(survey),
        ...surveyFormFields(survey),
        intent: "save",
      }),
    );
    expect(saved.data.problems).toEqual([]);
    expect(saved.data.unchanged).toBe(current.version);
    expect((await surveyOf(group, slug)).currentVersionId).toBe(before.currentVersionId);
  });

  it("creates a survey without YAML and keeps what was typed when the address is refused", async () => {
    const refused = outcome(
      await newAction(
        actionArgs(
          "/staff/groups/energy/surveys/new",
          t.db,
          { intent: "builder", slug: "Bad Slug", titleEn: "Needs", titleRu: "" },
          {
            params: { group: "energy" },
            cookie: energy.cookie,
          },
        ),
      ),
    );
    expect(refused.status).toBe(400);
    expect(refused.data.builder).toEqual({
      errors: { slug: "builder.start.slugInvalid", titleRu: "builder.start.titleMissing" },
      values: { slug: "Bad Slug", titleEn: "Needs", titleRu: "" },
    });
    const created = await newAction(
      actionArgs(
        "/staff/groups/energy/surveys/new",
        t.db,
        { intent: "builder", slug: "energy-built", titleEn: "Needs: 2027", titleRu: "Потребности" },
        {
          params: { group: "energy" },
          cookie: energy.cookie,
        },
      ),
    );
    expect((created as Response).headers.get("Location")).toBe(
      "/staff/groups/energy/surveys/energy-built/builder",
    );
    const built = (await openBuilder("energy", "energy-built", energy.cookie)).initial.state.survey;
    expect(built.title).toEqual({ en: "Needs: 2027", ru: "Потребности" });
  });

  it("lets coordinators build only their own group's surveys", async () => {
    const slug = bundled.find((b) => b.group === "energy")!.slug;
    expect(
      await statusOf(
        builderLoader(
          loaderArgs(`${base("energy", slug)}/builder`, t.db, {
            params: { group: "energy", survey: slug },
            cookie: health.cookie,
          }),
        ),
      ),
    ).toBe(403);
    expect(
      await statusOf(post("energy", slug, { state: "{}", intent: "save" }, health.cookie)),
    ).toBe(403);
  });

  it("checks typed YAML off the request thread and reports a syntax slip alone", async () => {
    const slug = bundled.find((b) => b.group === "energy")!.slug;
    const res = (await checkAction(
      actionArgs(
        `${base("energy", slug)}/check`,
        t.db,
        { source: "slug: x\ntitle:\n  en: A\n ru: B\n" },
        {
          params: { group: "energy", survey: slug },
          cookie: energy.cookie,
        },
      ),
    )) as Response;
    const body = (await res.json()) as {
      problems: Array<{ line: number; column?: number; message: string }>;
    };
    expect(body.problems).toHaveLength(1);
    expect(body.problems[0]).toMatchObject({ line: 4, column: 2 });
    expect(body.problems[0].message).toMatch(
      /^YAML syntax error at line 4, column 2: .*; expected /,
    );
  });
});
