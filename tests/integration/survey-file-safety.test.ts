import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSurveysSync } from "../../scripts/surveys-sync";
import { loader as healthLoader } from "~/routes/healthz";
import { action as editAction } from "~/routes/staff.groups.$group_.surveys.$survey.edit";
import { createSurvey, type ManagedGroup, type ManagedSurvey } from "~/server/survey-admin.server";
import { CHECKER_BUSY, checkSourceOffThread, MAX_QUEUED_CHECKS } from "~/server/survey-check.server";
import {
  addVersion,
  syncSurveyDirectory,
  WorkingGroupChangeRefused,
} from "~/server/surveys.server";
import { upsertWorkingGroups } from "~/server/working-groups.server";
import { definitionHash } from "~/survey/load";
import type { SurveyDefinition } from "~/survey/schema";
import { MAX_YAML_NESTING } from "~/survey/source";
import { createTestDatabase, type TestDatabase } from "./db";
import { accountWithSession, multipartArgs, outcome } from "./manage-helpers";
import { actionArgs, loaderArgs } from "./remix";

const DRIVER = process.env.TEST_DATABASE_URL ? "Postgres" : "PGlite";

/** The slug a coordinator of another group might take before the health file uses it. */
const SLUG = "health-needs-2027";

function surveyYaml(slug: string, group: string, title = "Needs 2027"): string {
  return `slug: ${slug}
workingGroup: ${group}
title: { en: ${title}, ru: Потребности 2027 }
pages:
  - key: p1
    title: { en: First page, ru: Первая страница }
    questions:
      - key: main_need
        type: long_text
        label: { en: What do you need?, ru: Что вам нужно? }
`;
}

/** A valid questionnaire of `size` characters: slow to parse, but legitimate. */
function largeSurveyYaml(slug: string, group: string, size: number): string {
  let text = `slug: ${slug}\nworkingGroup: ${group}\ntitle: { en: Large, ru: Большая }\npages:\n`;
  for (let p = 0; text.length < size; p++) {
    text += `  - key: p${p}\n    title: { en: Page ${p}, ru: Страница ${p} }\n    questions:\n`;
    for (let q = 0; q < 10; q++) {
      text += `      - key: q${p}_${q}\n        type: single_choice\n        label: { en: Question ${q}, ru: Вопрос ${q} }\n        options:\n`;
      for (let o = 0; o < 8; o++)
        text += `          - { code: o${o}, label: { en: Option ${o}, ru: Вариант ${o} } }\n`;
    }
  }
  return text;
}

/** 400 kB of lists nested inside each other, as in `pages: [[[[…]]]]`. */
const DEEP_LISTS = `slug: deep\nworkingGroup: energy\npages: ${"[".repeat(200_000)}${"]".repeat(200_000)}\n`;

let t: TestDatabase;
let dir: string;
let groups: Record<string, ManagedGroup>;
let energy: { id: number; cookie: string };
const actor = () => ({ user: { id: energy.id, email: "energy@example.org" }, ip: "127.0.0.1" });

beforeAll(async () => {
  t = await createTestDatabase();
  await upsertWorkingGroups(t.db);
  const rows = await t.db.selectFrom("working_groups").select(["id", "slug", "name"]).execute();
  groups = Object.fromEntries(rows.map((g) => [g.slug, g]));
  energy = await accountWithSession(t.db, "energy@example.org", "coordinator", ["energy"]);
  dir = mkdtempSync(path.join(tmpdir(), "needsmap-file-safety-"));
  cpSync("surveys", dir, { recursive: true });
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function surveyRow(slug: string) {
  return t.db
    .selectFrom("surveys")
    .innerJoin("working_groups", "working_groups.id", "surveys.working_group_id")
    .select([
      "surveys.id",
      "surveys.source_hash",
      "surveys.source_file",
      "surveys.current_version_id",
      "working_groups.slug as group",
    ])
    .where("surveys.slug", "=", slug)
    .executeTakeFirstOrThrow();
}

async function versionCount(surveyId: number): Promise<number> {
  const rows = await t.db
    .selectFrom("survey_versions")
    .select("id")
    .where("survey_id", "=", surveyId)
    .execute();
  return rows.length;
}

async function createEnergySurvey(slug: string): Promise<ManagedSurvey> {
  const r = await createSurvey(
    t.db,
    { group: groups.energy, text: surveyYaml(slug, "energy"), origin: "editor" },
    actor(),
  );
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.survey;
}

describe(`a survey's working group never changes (${DRIVER})`, () => {
  it("surveys:sync refuses a file naming another group than the stored survey's, and syncs the other files", async () => {
    // A coordinator of energy takes the slug that the health group's file will use.
    const taken = await createEnergySurvey(SLUG);
    const file = path.join(dir, "health-2027.yaml");
    writeFileSync(
      file,
      `# The health group's next round\n${surveyYaml(SLUG, "health", "Health 2027")}`,
    );

    const run = await runSurveysSync(t.db, dir);
    expect(run.status).toBe(1);
    const refusal = run.problems.find((line) => line.includes("health-2027.yaml"));
    expect(refusal).toBeDefined();
    expect(refusal).toContain(":3: workingGroup: ");
    expect(refusal).toContain(`survey "${SLUG}" belongs to working group "energy"`);
    expect(refusal).toContain('the file says workingGroup "health"');
    expect(run.summary).toContain(`refused: ${SLUG}`);
    // The bundled files are synchronised all the same.
    expect(run.summary).toContain("energy-needs-2026");
    expect(run.summary).toContain("health-needs-2026");

    // Nothing of the refused file was stored: no version, no source hash, still energy's.
    const row = await surveyRow(SLUG);
    expect(row).toMatchObject({
      group: "energy",
      source_hash: null,
      source_file: null,
      current_version_id: taken.currentVersionId,
    });
    expect(await versionCount(row.id)).toBe(1);

    // The start-up synchronisation and db:seed run the same function: refused again.
    const again = await syncSurveyDirectory(t.db, dir);
    expect(again.refused).toEqual([SLUG]);
    expect(again.problems).toEqual([
      expect.objectContaining({
        file,
        line: 3,
        path: "workingGroup",
        message: expect.stringContaining("nothing of this file was synchronised"),
      }),
    ]);
    expect(again.unchanged).toHaveLength(5);
    expect(await versionCount(row.id)).toBe(1);
    rmSync(file);
  });

  it("a file of the survey's own group still becomes a new version", async () => {
    const own = await createEnergySurvey("energy-extra-2027");
    const file = path.join(dir, "energy-extra.yaml");
    writeFileSync(file, surveyYaml("energy-extra-2027", "energy", "From the file"));
    const report = await syncSurveyDirectory(t.db, dir);
    expect(report.refused).toEqual([]);
    expect(report.newVersions).toEqual(["energy-extra-2027"]);
    expect(await versionCount(own.id)).toBe(2);
    rmSync(file);
  });

  it("the editor and uploads refuse a version naming another group, with a clear problem", async () => {
    const survey = await createEnergySurvey("energy-moved-2027");
    const params = { group: "energy", survey: survey.slug };
    const base = `/staff/groups/energy/surveys/${survey.slug}/edit`;
    const upload = outcome(
      await editAction(
        multipartArgs(
          base,
          t.db,
          { file: { name: "moved.yaml", content: surveyYaml(survey.slug, "health") } },
          { params, cookie: energy.cookie },
        ),
      ),
    );
    const typed = outcome(
      await editAction(
        actionArgs(
          base,
          t.db,
          { source: surveyYaml(survey.slug, "health") },
          {
            params,
            cookie: energy.cookie,
          },
        ),
      ),
    );
    for (const reply of [upload, typed]) {
      expect(reply.status).toBe(400);
      expect(reply.data.problems).toEqual([
        expect.objectContaining({
          line: 2,
          path: "workingGroup",
          message: expect.stringMatching(
            /^must stay "energy": survey "energy-moved-2027" belongs to working group "energy".*"health"/,
          ),
        }),
      ]);
    }
    expect(await versionCount(survey.id)).toBe(1);
  });

  it("the function that adds versions refuses such a definition whoever calls it", async () => {
    const survey = await createEnergySurvey("energy-api-2027");
    const def = {
      ...(await currentDefinition(survey.id)),
      workingGroup: "health",
    } as SurveyDefinition;
    const attempt = t.db
      .transaction()
      .execute((trx) => addVersion(trx, survey.id, def, definitionHash(def), "", "editor", null));
    await expect(attempt).rejects.toBeInstanceOf(WorkingGroupChangeRefused);
    await expect(attempt).rejects.toThrow(
      'survey "energy-api-2027" belongs to working group "energy": a version naming working group "health" is refused',
    );
    expect(await versionCount(survey.id)).toBe(1);
  });
});

async function currentDefinition(surveyId: number): Promise<SurveyDefinition> {
  const row = await t.db
    .selectFrom("surveys")
    .innerJoin("survey_versions", "survey_versions.id", "surveys.current_version_id")
    .select("survey_versions.definition")
    .where("surveys.id", "=", surveyId)
    .executeTakeFirstOrThrow();
  return row.definition as SurveyDefinition;
}

describe(`questionnaire text is checked off the main thread (${DRIVER})`, () => {
  it("deep nesting is refused with the line, and quickly", async () => {
    const survey = await createEnergySurvey("energy-deep-2027");
    const reply = outcome(
      await editAction(
        multipartArgs(
          `/staff/groups/energy/surveys/${survey.slug}/edit`,
          t.db,
          { file: { name: "deep.yaml", content: DEEP_LISTS } },
          { params: { group: "energy", survey: survey.slug }, cookie: energy.cookie },
        ),
      ),
    );
    expect(reply.status).toBe(400);
    expect(reply.data.problems).toEqual([
      {
        file: `${survey.slug}.yaml`,
        line: 3,
        path: "",
        message: `YAML: lists and mappings are nested more than ${MAX_YAML_NESTING} levels deep here (line 3); a questionnaire needs about 10 levels`,
      },
    ]);
    expect(await versionCount(survey.id)).toBe(1);
  });

  it("/healthz keeps answering while a large questionnaire is posted and parsed", async () => {
    const survey = await createEnergySurvey("energy-large-2027");
    // The worker is started (and warm) before the measurement.
    await checkSourceOffThread(surveyYaml("warm-up", "energy"), "warm-up.yaml");
    // A wrong slug: the whole text is parsed and checked, then refused without any writes.
    const text = largeSurveyYaml("another-slug", "energy", 400_000);

    let settled = false;
    const started = performance.now();
    const posting = editAction(
      actionArgs(
        `/staff/groups/energy/surveys/${survey.slug}/edit`,
        t.db,
        { source: text },
        {
          params: { group: "energy", survey: survey.slug },
          cookie: energy.cookie,
        },
      ),
    ).finally(() => (settled = true));

    const latencies: number[] = [];
    while (!settled) {
      // Requests reach a server as I/O events: let the event loop turn between them.
      await new Promise((resolve) => setImmediate(resolve));
      const asked = performance.now();
      const health = (await healthLoader(loaderArgs("/healthz", t.db))) as Response;
      expect(health.status).toBe(200);
      if (!settled) latencies.push(performance.now() - asked);
    }
    const reply = outcome(await posting);
    const duration = performance.now() - started;

    expect(reply.status).toBe(400);
    expect(reply.data.problems).toEqual([expect.objectContaining({ path: "slug" })]);
    // Answered again and again while the text was being parsed, each answer taking a small
    // part of the time the post took (a parse in the request's thread would hold one
    // answer back for about the whole post).
    expect(latencies.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...latencies)).toBeLessThan(duration / 3);
  });

  it(`at most ${MAX_QUEUED_CHECKS} checks wait while one runs; a further one is refused at once as busy; an abandoned waiting check leaves the queue`, async () => {
    const text = surveyYaml("queued", "energy");
    // The first check is taken by the worker at once; the next ones wait.
    const running = checkSourceOffThread(text, "running.yaml");
    const abandon = new AbortController();
    const waiting = [
      checkSourceOffThread(text, "w1.yaml", { signal: abandon.signal }),
      ...Array.from({ length: MAX_QUEUED_CHECKS - 1 }, (_, i) => checkSourceOffThread(text, `w${i + 2}.yaml`)),
    ];
    const busy = await checkSourceOffThread(text, "busy.yaml");
    expect(busy).toEqual({ definition: null, hash: null, problems: [{ file: "busy.yaml", line: 1, path: "", message: CHECKER_BUSY }] });
    expect(CHECKER_BUSY).toBe("The checker is busy, try again in a minute.");
    // The abandoned check leaves the queue, which makes room for one more.
    abandon.abort();
    expect((await waiting[0]).problems).toEqual([expect.objectContaining({ message: "the check was cancelled" })]);
    const late = checkSourceOffThread(text, "late.yaml");
    for (const r of await Promise.all([running, ...waiting.slice(1), late])) expect(r.problems).toEqual([]);
  });

  it("a check that passes its time limit is stopped and refused; the next check works", async () => {
    const stopped = await checkSourceOffThread(
      largeSurveyYaml("x", "energy", 400_000),
      "large.yaml",
      {
        timeLimitMs: 0,
      },
    );
    expect(stopped).toMatchObject({ definition: null, hash: null });
    expect(stopped.problems).toEqual([
      expect.objectContaining({
        file: "large.yaml",
        message: expect.stringMatching(/^checking the file took longer than .* and was stopped/),
      }),
    ]);
    const next = await checkSourceOffThread(
      readFileSync(path.join(dir, "energy.yaml"), "utf8"),
      "energy.yaml",
    );
    expect(next.problems).toEqual([]);
    expect(next.definition?.slug).toBe("energy-needs-2026");
  });
});
