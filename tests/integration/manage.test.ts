import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loader as auditLoader } from "~/routes/staff.audit";
import { loader as diffLoader } from "~/routes/staff.groups.$group_.surveys.$survey.diff";
import {
  action as editAction,
  loader as editLoader,
} from "~/routes/staff.groups.$group_.surveys.$survey.edit";
import {
  action as emailsAction,
  loader as emailsLoader,
} from "~/routes/staff.groups.$group_.surveys.$survey.emails";
import {
  action as invitationsAction,
  loader as invitationsLoader,
} from "~/routes/staff.groups.$group_.surveys.$survey.invitations";
import { action as linksAction } from "~/routes/staff.groups.$group_.surveys.$survey.links[.csv]";
import { loader as previewLoader } from "~/routes/staff.groups.$group_.surveys.$survey.preview";
import { loader as versionLoader } from "~/routes/staff.groups.$group_.surveys.$survey.versions.$file";
import {
  action as overviewAction,
  loader as overviewLoader,
} from "~/routes/staff.groups.$group_.surveys.$survey._index";
import { loader as listLoader } from "~/routes/staff.groups.$group_.surveys._index";
import {
  action as newAction,
  loader as newLoader,
} from "~/routes/staff.groups.$group_.surveys.new";
import {
  changeStatus,
  createSurvey,
  diffSources,
  effectiveStatus,
  findSurvey,
  getVersion,
  listGroupSurveys,
  type ManagedGroup,
  type ManagedSurvey,
  parseDateField,
  removedQuestions,
  saveSurveyVersion,
  setAccessMode,
  setDates,
} from "~/server/survey-admin.server";
import { syncSurveyDirectory } from "~/server/surveys.server";
import { upsertWorkingGroups } from "~/server/working-groups.server";
import type { SurveyDefinition } from "~/survey/schema";
import { createTestDatabase, type TestDatabase } from "./db";
import { accountWithSession, multipartArgs, outcome, statusOf, thrown } from "./manage-helpers";
import { actionArgs, loaderArgs } from "./remix";

const DRIVER = process.env.TEST_DATABASE_URL ? "Postgres" : "PGlite";

function surveyYaml(
  options: {
    slug?: string;
    group?: string;
    title?: string;
    drop?: boolean;
    extra?: string;
    comment?: string;
  } = {},
): string {
  const {
    slug = "energy-test-2026",
    group = "energy",
    title = "Energy test",
    drop = true,
    extra = "",
    comment = "",
  } = options;
  return `${comment}slug: ${slug}
workingGroup: ${group}
accessMode: open_link
title: { en: ${title}, ru: Энергетика тест }
pages:
  - key: p1
    title: { en: First page, ru: Первая страница }
    questions:
      - key: q_keep
        type: text
        label: { en: Keep me, ru: Оставить }
${
  drop
    ? `      - key: q_drop
        type: single_choice
        label: { en: Drop me, ru: Удалить }
        options:
          - { code: a, label: { en: A, ru: А } }
          - { code: b, label: { en: B, ru: Б } }
`
    : ""
}${extra}`;
}

let t: TestDatabase;
let groups: Record<string, ManagedGroup>;
let users: Record<"admin" | "energy" | "health", { id: number; cookie: string }>;
const actorOf = (who: "admin" | "energy" | "health") => ({
  user: { id: users[who].id, email: `${who}@example.org` },
  ip: "127.0.0.1",
});

beforeAll(async () => {
  t = await createTestDatabase();
  await upsertWorkingGroups(t.db);
  const rows = await t.db.selectFrom("working_groups").select(["id", "slug", "name"]).execute();
  groups = Object.fromEntries(rows.map((g) => [g.slug, g]));
  users = {
    admin: await accountWithSession(t.db, "admin@example.org", "admin", []),
    energy: await accountWithSession(t.db, "energy@example.org", "coordinator", ["energy"]),
    health: await accountWithSession(t.db, "health@example.org", "coordinator", ["health"]),
  };
});
afterAll(() => t?.close());

async function reload(survey: ManagedSurvey): Promise<ManagedSurvey> {
  return (await findSurvey(t.db, survey.workingGroupId, survey.slug))!;
}

async function versionsOf(surveyId: number) {
  return t.db
    .selectFrom("survey_versions")
    .select(["id", "version", "origin", "content_hash"])
    .where("survey_id", "=", surveyId)
    .orderBy("version")
    .execute();
}

async function insertResponse(
  survey: ManagedSurvey,
  versionId: number,
  key: string,
  status: "in_progress" | "submitted" = "in_progress",
) {
  return t.db
    .insertInto("responses")
    .values({
      survey_id: survey.id,
      survey_version_id: versionId,
      locale: "en",
      idempotency_key: key,
      status,
      submitted_at: status === "submitted" ? new Date() : null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
}

describe(`survey versions (${DRIVER})`, () => {
  let survey: ManagedSurvey;

  it("creates a draft survey of the group from YAML, with version 1 and an audit entry", async () => {
    const r = await createSurvey(
      t.db,
      {
        group: groups.energy,
        text: "\uFEFF" + surveyYaml().replace(/\n/g, "\r\n"),
        origin: "editor",
      },
      actorOf("energy"),
    );
    if (!r.ok) throw new Error(JSON.stringify(r));
    survey = r.survey;
    expect(r.version).toBe(1);
    expect(survey.status).toBe("draft");
    expect(survey.accessMode).toBe("open_link");
    expect(survey.sourceFile).toBeNull();
    const versions = await versionsOf(survey.id);
    expect(versions).toMatchObject([{ version: 1, origin: "editor" }]);
    const stored = await getVersion(t.db, survey, null);
    expect(stored?.sourceYaml.startsWith("slug:")).toBe(true);
    expect(stored?.sourceYaml).not.toContain("\r");
    const entry = await t.db
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "survey.create")
      .executeTakeFirstOrThrow();
    expect(entry).toMatchObject({
      user_id: users.energy.id,
      actor: "energy@example.org",
      target_type: "survey",
      target_id: String(survey.id),
    });
    expect(entry.details).toMatchObject({ slug: "energy-test-2026", group: "energy", version: 1 });
  });

  it("refuses a file of another working group, with the line and path of workingGroup", async () => {
    const r = await createSurvey(
      t.db,
      { group: groups.health, text: surveyYaml({ slug: "other-slug" }), origin: "editor" },
      actorOf("health"),
    );
    expect(r).toMatchObject({ ok: false, kind: "problems" });
    if (r.ok || r.kind !== "problems") return;
    expect(r.problems).toEqual([
      expect.objectContaining({
        line: 2,
        path: "workingGroup",
        message: expect.stringContaining('must be "health"'),
      }),
    ]);
  });

  it("refuses a slug that is taken, saying whether by this group or another (slugs are global)", async () => {
    const same = await createSurvey(
      t.db,
      { group: groups.energy, text: surveyYaml(), origin: "editor" },
      actorOf("energy"),
    );
    expect(same).toEqual({
      ok: false,
      kind: "conflict",
      message: "slugTaken",
      slug: "energy-test-2026",
    });
    const other = await createSurvey(
      t.db,
      { group: groups.health, text: surveyYaml({ group: "health" }), origin: "upload" },
      actorOf("health"),
    );
    expect(other).toEqual({
      ok: false,
      kind: "conflict",
      message: "slugTakenOtherGroup",
      slug: "energy-test-2026",
    });
    expect((await findSurvey(t.db, groups.energy.id, "energy-test-2026"))?.workingGroupId).toBe(
      groups.energy.id,
    );
    expect(await versionsOf(survey.id)).toHaveLength(1);
  });

  it("reports problems with their line and path and stores nothing", async () => {
    const broken = surveyYaml().replace("type: text", "type: txt");
    const r = await saveSurveyVersion(
      t.db,
      { survey, text: broken, origin: "editor" },
      actorOf("energy"),
    );
    expect(r).toMatchObject({ ok: false, kind: "problems" });
    if (r.ok || r.kind !== "problems") return;
    const line = broken.split("\n").findIndex((l) => l.includes("type: txt")) + 1;
    expect(r.problems).toEqual([
      expect.objectContaining({
        line,
        path: "pages[0].questions[0].type",
        message: expect.stringContaining('unknown question type "txt"'),
      }),
    ]);
    expect(await versionsOf(survey.id)).toHaveLength(1);
  });

  it("refuses to change the slug or the working group of a survey", async () => {
    const r = await saveSurveyVersion(
      t.db,
      { survey, text: surveyYaml({ slug: "renamed" }), origin: "editor" },
      actorOf("energy"),
    );
    expect(r).toMatchObject({
      ok: false,
      kind: "problems",
      problems: [expect.objectContaining({ line: 1, path: "slug" })],
    });
  });

  it("makes no version when the text gives the same definition (formatting and comments aside)", async () => {
    const r = await saveSurveyVersion(
      t.db,
      {
        survey,
        text: surveyYaml({ comment: "# a comment\n\n" }),
        origin: "editor",
      },
      actorOf("energy"),
    );
    expect(r).toEqual({ ok: true, version: 1, created: false, draft: false });
    expect(await versionsOf(survey.id)).toHaveLength(1);
  });

  it("saves a changed text as a new version for new respondents; started responses stay on theirs", async () => {
    const v1 = (await getVersion(t.db, survey, 1))!;
    const started = await insertResponse(survey, v1.id, "pinned-1");
    const r = await saveSurveyVersion(
      t.db,
      {
        survey,
        text: surveyYaml({ title: "Energy test second edition" }),
        origin: "editor",
      },
      actorOf("energy"),
    );
    expect(r).toMatchObject({ ok: true, created: true, version: 2 });
    survey = await reload(survey);
    const current = (await getVersion(t.db, survey, null))!;
    expect(current.version).toBe(2);
    expect(current.definition.title.en).toBe("Energy test second edition");
    const pinned = await t.db
      .selectFrom("responses")
      .select("survey_version_id")
      .where("id", "=", started.id)
      .executeTakeFirstOrThrow();
    expect(pinned.survey_version_id).toBe(v1.id);
    const audit = await t.db
      .selectFrom("audit_log")
      .select("details")
      .where("action", "=", "survey.version")
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ version: 2, previous: 1, origin: "editor" });
  });

  it("asks for confirmation before removing a question that has answers, saying how many", async () => {
    const v2 = (await getVersion(t.db, survey, 2))!;
    for (const key of ["answer-1", "answer-2"]) {
      const resp = await insertResponse(survey, v2.id, key, "submitted");
      await t.db
        .insertInto("answers")
        .values([
          { response_id: resp.id, survey_id: survey.id, question_key: "q_drop", option_code: "a" },
          { response_id: resp.id, survey_id: survey.id, question_key: "q_keep", value_text: "x" },
        ])
        .execute();
    }
    const text = surveyYaml({ title: "Energy test second edition", drop: false });
    const first = await saveSurveyVersion(
      t.db,
      { survey, text, origin: "editor" },
      actorOf("energy"),
    );
    expect(first).toMatchObject({
      ok: false,
      kind: "confirm",
      confirmKeys: "q_drop",
      removed: [{ key: "q_drop", change: "removed", answers: 2 }],
    });
    const wrong = await saveSurveyVersion(
      t.db,
      { survey, text, origin: "editor", confirmKeys: "something_else" },
      actorOf("energy"),
    );
    expect(wrong).toMatchObject({ ok: false, kind: "confirm" });
    expect(await versionsOf(survey.id)).toHaveLength(2);

    const confirmed = await saveSurveyVersion(
      t.db,
      { survey, text, origin: "editor", confirmKeys: "q_drop" },
      actorOf("energy"),
    );
    expect(confirmed).toMatchObject({ ok: true, created: true, version: 3 });
    // Answers are kept: dashboards aggregate by question key across versions.
    const kept = await t.db
      .selectFrom("answers")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("question_key", "=", "q_drop")
      .executeTakeFirstOrThrow();
    expect(Number(kept.n)).toBe(2);
  });

  it("counts answers per removed or retyped key, and needs no confirmation for unanswered ones", async () => {
    const before = (await getVersion(t.db, survey, 2))!.definition as SurveyDefinition;
    const after = structuredClone(before);
    after.pages[0].questions[0] = {
      ...after.pages[0].questions[0],
      type: "long_text",
      maxLength: 2000,
    } as never;
    after.pages[0].questions.splice(1, 1);
    const removed = await removedQuestions(t.db, survey.id, before, after);
    expect(removed).toEqual([
      expect.objectContaining({ key: "q_keep", change: "type", answers: 2 }),
      expect.objectContaining({ key: "q_drop", change: "removed", answers: 2 }),
    ]);
    const unanswered = await removedQuestions(t.db, 999_999, before, after);
    expect(unanswered.every((r) => r.answers === 0)).toBe(true);
  });

  it("lists the group's surveys with status, version and counts", async () => {
    const list = await listGroupSurveys(t.db, groups.energy.id);
    const item = list.find((s) => s.slug === "energy-test-2026")!;
    expect(item).toMatchObject({
      status: "draft",
      effectiveStatus: "draft",
      currentVersion: 3,
      invited: 0,
      started: 3,
      submitted: 2,
    });
    expect(item.title?.en).toBe("Energy test second edition");
    expect(await listGroupSurveys(t.db, groups.health.id)).toEqual([]);
  });
});

describe(`files in surveys/ stay a source (${DRIVER})`, () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "needsmap-sync-"));
    mkdirSync(path.join(dir, "blocks"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("a browser edit is not overwritten by an unchanged file; a changed file makes a new version", async () => {
    const file = path.join(dir, "sync.yaml");
    writeFileSync(file, surveyYaml({ slug: "sync-test" }));
    expect((await syncSurveyDirectory(t.db, dir)).created).toEqual(["sync-test"]);
    let survey = (await findSurvey(t.db, groups.energy.id, "sync-test"))!;
    expect(survey.sourceFile).toContain("sync.yaml");

    const edited = await saveSurveyVersion(
      t.db,
      {
        survey,
        text: surveyYaml({ slug: "sync-test", title: "Edited in the browser" }),
        origin: "editor",
      },
      actorOf("energy"),
    );
    expect(edited).toMatchObject({ ok: true, created: true, version: 2 });

    const again = await syncSurveyDirectory(t.db, dir);
    expect(again.unchanged).toContain("sync-test");
    survey = await reload(survey);
    expect((await getVersion(t.db, survey, null))?.definition.title.en).toBe(
      "Edited in the browser",
    );
    expect((await versionsOf(survey.id)).map((v) => v.origin)).toEqual(["file", "editor"]);

    writeFileSync(file, surveyYaml({ slug: "sync-test", title: "Changed file" }));
    expect((await syncSurveyDirectory(t.db, dir)).newVersions).toEqual(["sync-test"]);
    survey = await reload(survey);
    const current = (await getVersion(t.db, survey, null))!;
    expect(current).toMatchObject({ version: 3, origin: "file" });
    expect(current.definition.title.en).toBe("Changed file");
  });
});

describe(`publication, access mode and dates (${DRIVER})`, () => {
  let survey: ManagedSurvey;
  beforeAll(async () => {
    const r = await createSurvey(
      t.db,
      { group: groups.energy, text: surveyYaml({ slug: "lifecycle" }), origin: "editor" },
      actorOf("energy"),
    );
    if (!r.ok) throw new Error("setup");
    survey = r.survey;
  });

  it("computes the effective status from status and dates at read time", () => {
    const now = new Date("2026-05-01T12:00:00Z");
    const base = { status: "open" as const, opensAt: null, closesAt: null };
    expect(effectiveStatus(base, now)).toBe("open");
    expect(effectiveStatus({ ...base, opensAt: new Date("2026-05-02T00:00:00Z") }, now)).toBe(
      "scheduled",
    );
    expect(effectiveStatus({ ...base, closesAt: new Date("2026-05-01T12:00:00Z") }, now)).toBe(
      "ended",
    );
    expect(
      effectiveStatus(
        { ...base, opensAt: "2026-04-01T00:00:00Z", closesAt: "2026-06-01T00:00:00Z" },
        now,
      ),
    ).toBe("open");
    expect(effectiveStatus({ ...base, status: "draft" }, now)).toBe("draft");
    expect(effectiveStatus({ ...base, status: "closed" }, now)).toBe("closed");
  });

  it("publishes, closes and reopens, refusing transitions from the wrong status", async () => {
    expect(await changeStatus(t.db, survey, "close", actorOf("energy"))).toEqual({
      ok: false,
      reason: "wrongStatus",
    });
    expect(await changeStatus(t.db, survey, "publish", actorOf("energy"))).toEqual({
      ok: true,
      status: "open",
    });
    survey = await reload(survey);
    expect(await changeStatus(t.db, survey, "publish", actorOf("energy"))).toEqual({
      ok: false,
      reason: "wrongStatus",
    });
    expect(await changeStatus(t.db, survey, "close", actorOf("energy"))).toEqual({
      ok: true,
      status: "closed",
    });
    survey = await reload(survey);
    expect(await changeStatus(t.db, survey, "reopen", actorOf("energy"))).toEqual({
      ok: true,
      status: "open",
    });
    survey = await reload(survey);
    const actions = await t.db
      .selectFrom("audit_log")
      .select("action")
      .where("target_id", "=", String(survey.id))
      .where("action", "like", "survey.%")
      .orderBy("id")
      .execute();
    expect(actions.map((a) => a.action)).toEqual([
      "survey.create",
      "survey.publish",
      "survey.close",
      "survey.reopen",
    ]);
  });

  it("validates dates (closing after opening) and lets them take effect by themselves", async () => {
    expect(parseDateField("2026-03-01T09:30")).toEqual(new Date("2026-03-01T09:30:00Z"));
    expect(parseDateField("2026-02-30")).toBe("invalid");
    expect(parseDateField("")).toBeNull();
    expect(
      await setDates(
        t.db,
        survey,
        { opensAt: "2026-03-02T00:00", closesAt: "2026-03-01T00:00" },
        actorOf("energy"),
      ),
    ).toEqual({
      ok: false,
      errors: { closesAt: "closesBeforeOpens" },
    });
    expect(
      await setDates(t.db, survey, { opensAt: "tomorrow", closesAt: "" }, actorOf("energy")),
    ).toEqual({
      ok: false,
      errors: { opensAt: "invalidDate" },
    });
    const past = new Date(Date.now() - 86_400_000).toISOString().slice(0, 16);
    expect(
      await setDates(t.db, survey, { opensAt: "", closesAt: past }, actorOf("energy")),
    ).toEqual({ ok: true });
    survey = await reload(survey);
    expect(effectiveStatus(survey)).toBe("ended");
    // Closing and reopening with a past closing date is refused until the date changes.
    await changeStatus(t.db, survey, "close", actorOf("energy"));
    survey = await reload(survey);
    expect(await changeStatus(t.db, survey, "reopen", actorOf("energy"))).toEqual({
      ok: false,
      reason: "closesInPast",
    });
    const future = new Date(Date.now() + 86_400_000).toISOString().slice(0, 16);
    await setDates(t.db, survey, { opensAt: "", closesAt: future }, actorOf("energy"));
    survey = await reload(survey);
    expect(await changeStatus(t.db, survey, "reopen", actorOf("energy"))).toEqual({
      ok: true,
      status: "open",
    });
    survey = await reload(survey);
    expect(effectiveStatus(survey)).toBe("open");
    const entry = await t.db
      .selectFrom("audit_log")
      .select("details")
      .where("action", "=", "survey.dates")
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    expect(entry.details).toMatchObject({ closesAt: new Date(`${future}:00Z`).toISOString() });
  });

  it("changes the access mode, with an audit entry", async () => {
    await setAccessMode(t.db, survey, "invitation_only", actorOf("energy"));
    survey = await reload(survey);
    expect(survey.accessMode).toBe("invitation_only");
    const entry = await t.db
      .selectFrom("audit_log")
      .select("details")
      .where("action", "=", "survey.access_mode")
      .executeTakeFirstOrThrow();
    expect(entry.details).toMatchObject({ from: "open_link", to: "invitation_only" });
  });
});

describe("version differences", () => {
  it("marks added and removed lines and folds long unchanged stretches", () => {
    const a = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join("\n") + "\n";
    const b = a.replace("line 10\n", "line ten\n").replace("line 20\n", "line 20\nline 21\n");
    const rows = diffSources(a, b, 2);
    expect(rows[0]).toEqual({ kind: "skip", count: 7 });
    expect(rows).toContainEqual({ kind: "removed", oldLine: 10, newLine: null, text: "line 10" });
    expect(rows).toContainEqual({ kind: "added", oldLine: null, newLine: 10, text: "line ten" });
    expect(rows).toContainEqual({ kind: "added", oldLine: null, newLine: 21, text: "line 21" });
    expect(rows.filter((r) => r.kind === "skip")).toEqual([
      { kind: "skip", count: 7 },
      { kind: "skip", count: 6 },
    ]);
    expect(diffSources(a, a).every((r) => r.kind === "skip" || r.kind === "same")).toBe(true);
  });
});

describe(`routes (${DRIVER})`, () => {
  const surveySlug = "route-test";
  const base = `/staff/groups/energy/surveys/${surveySlug}`;
  const params = { group: "energy", survey: surveySlug };

  beforeAll(async () => {
    const r = await createSurvey(
      t.db,
      { group: groups.energy, text: surveyYaml({ slug: surveySlug }), origin: "editor" },
      actorOf("energy"),
    );
    if (!r.ok) throw new Error("setup");
    await saveSurveyVersion(
      t.db,
      {
        survey: r.survey,
        text: surveyYaml({ slug: surveySlug, title: "Second" }),
        origin: "editor",
      },
      actorOf("energy"),
    );
  });

  type Call = { name: string; run: (cookie?: string) => Promise<unknown>; resource?: boolean };
  const get =
    (p: string, prm: Record<string, string> = params) =>
    (cookie?: string) => ({ ...loaderArgs(p, t.db, { params: prm, cookie }) });
  const post =
    (p: string, form: Record<string, string>, prm: Record<string, string> = params) =>
    (cookie?: string) =>
      actionArgs(p, t.db, form, { params: prm, cookie });
  const calls: Call[] = [
    {
      name: "list",
      run: (c) => listLoader(get("/staff/groups/energy/surveys", { group: "energy" })(c)),
    },
    {
      name: "new (GET)",
      run: (c) => newLoader(get("/staff/groups/energy/surveys/new", { group: "energy" })(c)),
    },
    {
      name: "new (POST)",
      run: (c) =>
        newAction(post("/staff/groups/energy/surveys/new", { source: "" }, { group: "energy" })(c)),
    },
    { name: "overview (GET)", run: (c) => overviewLoader(get(base)(c)) },
    { name: "overview (POST)", run: (c) => overviewAction(post(base, { intent: "nothing" })(c)) },
    { name: "edit (GET)", run: (c) => editLoader(get(`${base}/edit`)(c)) },
    { name: "edit (POST)", run: (c) => editAction(post(`${base}/edit`, { source: "" })(c)) },
    {
      name: "version download",
      run: (c) => versionLoader(get(`${base}/versions/1.yaml`, { ...params, file: "1.yaml" })(c)),
      resource: true,
    },
    { name: "diff", run: (c) => diffLoader(get(`${base}/diff?from=1&to=2`)(c)) },
    { name: "preview", run: (c) => previewLoader(get(`${base}/preview?version=1&lang=ru`)(c)) },
    { name: "invitations (GET)", run: (c) => invitationsLoader(get(`${base}/invitations`)(c)) },
    {
      name: "invitations (POST)",
      run: (c) => invitationsAction(post(`${base}/invitations`, { intent: "nothing" })(c)),
    },
    {
      name: "links download",
      run: (c) => linksAction(post(`${base}/links.csv`, { intent: "nothing" })(c)),
      resource: true,
    },
    { name: "emails (GET)", run: (c) => emailsLoader(get(`${base}/emails`)(c)) },
    {
      name: "emails (POST)",
      run: (c) => emailsAction(post(`${base}/emails`, { intent: "nothing" })(c)),
    },
  ];

  it.each(calls)(
    "$name: anonymous users are sent to sign in (401 for files)",
    async ({ run, resource }) => {
      const status = await statusOf(run());
      expect(status).toBe(resource ? 401 : 302);
    },
  );

  it.each(calls)("$name: a coordinator of another group gets 403", async ({ run }) => {
    expect(await statusOf(run(users.health.cookie))).toBe(403);
  });

  it.each(calls)("$name: the group's coordinator and an admin get through", async ({ run }) => {
    for (const who of ["energy", "admin"] as const) {
      const status = await statusOf(run(users[who].cookie));
      expect([200, 400], `${who}`).toContain(status);
    }
  });

  it("a survey of another group is not found under this group's address", async () => {
    const r = await thrown(
      overviewLoader(
        loaderArgs(`/staff/groups/health/surveys/${surveySlug}`, t.db, {
          params: { group: "health", survey: surveySlug },
          cookie: users.admin.cookie,
        }),
      ),
    );
    expect(r.status).toBe(404);
  });

  it("the audit log is for admins only, filtered by action, user and date", async () => {
    expect(await statusOf(auditLoader(loaderArgs("/staff/audit", t.db)))).toBe(302);
    expect(
      await statusOf(
        auditLoader(loaderArgs("/staff/audit", t.db, { cookie: users.energy.cookie })),
      ),
    ).toBe(403);
    const all = outcome(
      await auditLoader(loaderArgs("/staff/audit", t.db, { cookie: users.admin.cookie })),
    ).data;
    expect(all.total).toBeGreaterThan(5);
    expect(all.actions).toEqual(
      expect.arrayContaining(["survey.create", "survey.version", "survey.publish"]),
    );
    const today = new Date().toISOString().slice(0, 10);
    const filtered = outcome(
      await auditLoader(
        loaderArgs(`/staff/audit?action=survey.&user=energy@&from=${today}&to=${today}`, t.db, {
          cookie: users.admin.cookie,
        }),
      ),
    ).data;
    expect(filtered.rows.length).toBeGreaterThan(0);
    expect(
      filtered.rows.every(
        (r: { action: string; actor: string }) =>
          r.action.startsWith("survey.") && r.actor === "energy@example.org",
      ),
    ).toBe(true);
    const none = outcome(
      await auditLoader(
        loaderArgs("/staff/audit?from=2001-01-01&to=2001-01-02", t.db, {
          cookie: users.admin.cookie,
        }),
      ),
    ).data;
    expect(none.total).toBe(0);
  });

  it("creates a survey from an uploaded file, and keeps the file's text in the editor when it has problems", async () => {
    const bad = surveyYaml({ slug: "uploaded-2026" }).replace("type: text", "type: txt");
    const failed = outcome(
      await newAction(
        multipartArgs(
          "/staff/groups/energy/surveys/new",
          t.db,
          { source: "", file: { name: "uploaded.yaml", content: bad } },
          {
            params: { group: "energy" },
            cookie: users.energy.cookie,
          },
        ),
      ),
    );
    expect(failed.status).toBe(400);
    expect(failed.data.source).toBe(bad);
    expect(failed.data.fileName).toBe("uploaded.yaml");
    expect(failed.data.problems[0]).toMatchObject({
      path: "pages[0].questions[0].type",
      file: "uploaded.yaml",
    });

    const fixed = bad.replace("type: txt", "type: text");
    const created = await newAction(
      actionArgs(
        "/staff/groups/energy/surveys/new",
        t.db,
        { source: fixed },
        { params: { group: "energy" }, cookie: users.energy.cookie },
      ),
    );
    expect(created).toBeInstanceOf(Response);
    expect((created as Response).headers.get("Location")).toBe(
      "/staff/groups/energy/surveys/uploaded-2026?notice=created&version=1",
    );
  });

  it("answers 409 when another group's survey has the slug, and 413 for files over 1 MB", async () => {
    const taken = outcome(
      await newAction(
        actionArgs(
          "/staff/groups/health/surveys/new",
          t.db,
          { source: surveyYaml({ slug: surveySlug, group: "health" }) },
          {
            params: { group: "health" },
            cookie: users.health.cookie,
          },
        ),
      ),
    );
    expect(taken.status).toBe(409);
    expect(taken.data.formError).toBe("manage.errors.slugTakenOtherGroup");
    const big = outcome(
      await editAction(
        multipartArgs(
          `${base}/edit`,
          t.db,
          { file: { name: "big.yaml", content: "#".repeat(1_100_000) } },
          { params, cookie: users.energy.cookie },
        ),
      ),
    );
    expect(big.status).toBe(413);
  });

  it("the editor keeps the typed text on problems, reports an unchanged text, and saves versions", async () => {
    const typed = surveyYaml({ slug: surveySlug, title: "Third" }).replace(
      "key: q_keep",
      "key: Bad Key",
    );
    const failed = outcome(
      await editAction(
        actionArgs(
          `${base}/edit`,
          t.db,
          { source: typed },
          { params, cookie: users.energy.cookie },
        ),
      ),
    );
    expect(failed.status).toBe(400);
    expect(failed.data.source).toBe(typed);
    expect(failed.data.problems[0].path).toBe("pages[0].questions[0].key");

    const same = outcome(
      await editAction(
        actionArgs(
          `${base}/edit`,
          t.db,
          { source: surveyYaml({ slug: surveySlug, title: "Second" }) },
          { params, cookie: users.energy.cookie },
        ),
      ),
    );
    expect(same.data.unchanged).toBe(2);

    const saved = await editAction(
      multipartArgs(
        `${base}/edit`,
        t.db,
        {
          source: "",
          file: { name: "third.yml", content: surveyYaml({ slug: surveySlug, title: "Third" }) },
        },
        {
          params,
          cookie: users.energy.cookie,
        },
      ),
    );
    expect((saved as Response).headers.get("Location")).toBe(`${base}?notice=version&version=3`);
    const survey = (await findSurvey(t.db, groups.energy.id, surveySlug))!;
    expect((await versionsOf(survey.id)).map((v) => v.origin)).toEqual([
      "editor",
      "editor",
      "upload",
    ]);
  });

  it("downloads a version as a YAML file and shows the difference between two versions", async () => {
    const res = (await versionLoader(
      loaderArgs(`${base}/versions/1.yaml`, t.db, {
        params: { ...params, file: "1.yaml" },
        cookie: users.energy.cookie,
      }),
    )) as Response;
    expect(res.headers.get("Content-Type")).toContain("application/yaml");
    expect(res.headers.get("Content-Disposition")).toBe(
      `attachment; filename="${surveySlug}-v1.yaml"`,
    );
    expect(await res.text()).toBe(surveyYaml({ slug: surveySlug }));
    expect(
      (
        await thrown(
          versionLoader(
            loaderArgs(`${base}/versions/9.yaml`, t.db, {
              params: { ...params, file: "9.yaml" },
              cookie: users.energy.cookie,
            }),
          ),
        )
      ).status,
    ).toBe(404);

    const diff = outcome(
      await diffLoader(
        loaderArgs(`${base}/diff?from=1&to=2`, t.db, { params, cookie: users.energy.cookie }),
      ),
    ).data;
    expect(diff.rows).toContainEqual(
      expect.objectContaining({
        kind: "removed",
        text: "title: { en: Energy test, ru: Энергетика тест }",
      }),
    );
    expect(diff.rows).toContainEqual(
      expect.objectContaining({
        kind: "added",
        text: "title: { en: Second, ru: Энергетика тест }",
      }),
    );
  });

  it("previews a version in the chosen language without storing anything", async () => {
    const before = await t.db
      .selectFrom("responses")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    const data = outcome(
      await previewLoader(
        loaderArgs(`${base}/preview?version=1&lang=ru&page=1`, t.db, {
          params,
          cookie: users.energy.cookie,
        }),
      ),
    ).data;
    expect(data.lang).toBe("ru");
    expect(data.version.number).toBe(1);
    expect(data.version.definition.title.ru).toBe("Энергетика тест");
    const after = await t.db
      .selectFrom("responses")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it("publishes and closes through the overview's actions, and validates dates there", async () => {
    const published = await overviewAction(
      actionArgs(base, t.db, { intent: "publish" }, { params, cookie: users.energy.cookie }),
    );
    expect((published as Response).headers.get("Location")).toBe(`${base}?notice=publish`);
    const data = outcome(
      await overviewLoader(loaderArgs(base, t.db, { params, cookie: users.energy.cookie })),
    ).data;
    expect(data.status).toBe("open");
    expect(data.link).toBe(`http://localhost/s/${surveySlug}`);
    const bad = outcome(
      await overviewAction(
        actionArgs(
          base,
          t.db,
          { intent: "dates", opensAt: "2026-05-02T00:00", closesAt: "2026-05-01T00:00" },
          { params, cookie: users.energy.cookie },
        ),
      ),
    );
    expect(bad.status).toBe(400);
    expect(bad.data.errors.closesAt).toBe("manage.dates.errors.closesBeforeOpens");
    expect(bad.data.values.opensAt).toBe("2026-05-02T00:00");
  });
});
