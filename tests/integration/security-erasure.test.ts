/**
 * Backup and erasure (docs/operations.md):
 *
 * - erasing one respondent's response on request removes the response, its answers and the
 *   theme tags of its free-text answers, and nothing else, in one transaction written to the
 *   audit log (without the reference itself: its SHA-256 digest);
 * - `npm run response:erase` shows what it would erase, and erases only with --yes;
 * - the embedded database: copying DATA_DIR while the app is stopped, then starting on the copy,
 *   gives back every response (a retried submission finds the same reference) and takes new ones;
 *   `npm run response:erase` works on the copy (DATA_DIR);
 * - PostgreSQL (when TEST_DATABASE_URL is set): `pg_dump -Fc` and `pg_restore` into a new
 *   database give the same tables with the same rows.
 */
import { execFile, execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "#db/client";
import { migrateToLatest } from "#db/migrate";
import { action as apiAction } from "~/routes/api.surveys.$slug.responses";
import { eraseResponse, normalizeReference, referenceDigest } from "~/server/erasure.server";
import { tagAnswer } from "~/server/themes.server";
import { upsertWorkingGroups } from "~/server/working-groups.server";
import { everyType } from "~/survey/__fixtures__/every-type";
import { tableFingerprints } from "../reliability/backup";
import { postgresBinDir } from "../reliability/lib/postgres";
import { adminUrl, withDatabase } from "./database-urls";
import { createTestDatabase, type TestDatabase } from "./db";
import { accountWithSession } from "./manage-helpers";
import { testContext } from "./remix";
import { createSurvey } from "./respond-helpers";

const SURVEY = "erasure-survey";

const ANSWERS: Record<string, unknown> = {
  org_type: "university",
  instruments: { selected: ["joint_calls"], other: "Travel grants" },
  satisfaction: 7,
  barriers: { visas: 4, customs: 2 },
  priorities: { funding: 1, access: 3, data: 2 },
  budget: 50000,
  project_name: "ERA-Net",
  comments: "Visas take months",
  project_end: "2027-06-30",
  partner_country: "FR",
  needs: [
    {
      id: "n1",
      title: "Joint call",
      description: "Two stages",
      category: "funding",
      horizon: "short_term",
      urgency: 5,
      importance: 4,
    },
  ],
  competences: {
    proposal_writing: { importance: 5, current: 2 },
    ipr: { importance: 3, current: 3 },
  },
};

interface Submitted {
  body: string;
  id: string;
  reference: string;
}

/** Submits one complete response through the JSON API action, as a client would. */
async function submit(
  db: Db,
  body: string,
): Promise<{ status: number; id?: string; reference?: string; error?: string }> {
  const res = (await apiAction({
    request: new Request(`http://localhost/api/surveys/${SURVEY}/responses`, {
      method: "POST",
      body,
      headers: { "Content-Type": "application/json", Origin: "http://localhost" },
    }),
    params: { slug: SURVEY },
    context: testContext(db, { clientIp: "192.0.2.10" }),
  })) as Response;
  return {
    status: res.status,
    ...((await res.json()) as { id?: string; reference?: string; error?: string }),
  };
}

async function submitNew(db: Db, comments: string): Promise<Submitted> {
  const body = JSON.stringify({
    idempotencyKey: randomUUID(),
    locale: "en",
    answers: { ...ANSWERS, comments },
  });
  const r = await submit(db, body);
  if (r.status !== 201 || !r.id || !r.reference)
    throw new Error(`submission: ${r.status} ${r.error ?? ""}`);
  return { body, id: r.id, reference: r.reference };
}

async function counts(db: Db, responseId: string) {
  const responses = await db
    .selectFrom("responses")
    .select("id")
    .where("id", "=", responseId)
    .execute();
  const answers = await db
    .selectFrom("answers")
    .select("id")
    .where("response_id", "=", responseId)
    .execute();
  const tags = await db
    .selectFrom("answer_tags")
    .innerJoin("answers", "answers.id", "answer_tags.answer_id")
    .select("answer_tags.theme_id")
    .where("answers.response_id", "=", responseId)
    .execute();
  return { responses: responses.length, answers: answers.length, tags: tags.length };
}

/** Runs `npm run response:erase` (the script behind it) with the given environment. */
function eraseCommand(env: NodeJS.ProcessEnv, ...args: string[]) {
  return promisify(execFile)(
    path.resolve("node_modules/.bin/tsx"),
    ["scripts/response-erase.ts", ...args],
    { env },
  ).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      stdout: e.stdout,
      stderr: e.stderr,
    }),
  );
}

function commandEnv(dataDir: string, databaseUrl?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    LOG_LEVEL: "silent",
    NODE_ENV: "development",
  };
  delete env.DATABASE_URL;
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  return env;
}

async function prepare(db: Db) {
  await upsertWorkingGroups(db);
  await createSurvey(db, everyType, { slug: SURVEY });
}

describe("erasure of one respondent's response", () => {
  let t: TestDatabase;
  let staff: { id: number; email: string };
  const responses: Submitted[] = [];

  beforeAll(async () => {
    t = await createTestDatabase();
    await prepare(t.db);
    for (const comments of [
      "Erase me please",
      "Keep this one",
      "And this one",
      "Erase me by command",
    ]) {
      responses.push(await submitNew(t.db, comments));
    }
    const account = await accountWithSession(
      t.db,
      "erasure-coordinator@example.org",
      "coordinator",
      ["energy"],
    );
    staff = { id: account.id, email: "erasure-coordinator@example.org" };
    // A coordinator tagged the free-text answers of the first two responses with a theme.
    const group = await t.db
      .selectFrom("working_groups")
      .select("id")
      .where("slug", "=", "energy")
      .executeTakeFirstOrThrow();
    for (const r of responses.slice(0, 2)) {
      const answer = await t.db
        .selectFrom("answers")
        .select("id")
        .where("response_id", "=", r.id)
        .where("question_key", "=", "comments")
        .executeTakeFirstOrThrow();
      const tagged = await tagAnswer(
        t.db,
        group.id,
        answer.id,
        { name: "Visas" },
        { by: staff, ip: null },
      );
      expect(tagged.ok).toBe(true);
    }
  }, 120_000);
  afterAll(() => t?.close());

  it("removes the response, its answers and their theme tags, and nothing else; the audit log says so without the reference", async () => {
    const [target, kept] = responses;
    const before = await counts(t.db, target.id);
    expect(before).toMatchObject({ responses: 1, tags: 1 });
    expect(before.answers).toBeGreaterThan(10);
    const keptBefore = await counts(t.db, kept.id);
    const totalBefore = await t.db.selectFrom("responses").select("id").execute();

    // As the respondent may write it: lower case, spaces instead of dashes.
    const typed = target.reference.toLowerCase().replace(/-/g, " ");
    expect(normalizeReference(typed)).toBe(target.reference);
    const result = await eraseResponse(
      t.db,
      { reference: typed },
      { user: staff, ip: "192.0.2.55" },
    );
    expect(result).toEqual({
      ok: true,
      responseId: target.id,
      survey: SURVEY,
      status: "submitted",
      answers: before.answers,
      tags: 1,
    });

    expect(await counts(t.db, target.id)).toEqual({ responses: 0, answers: 0, tags: 0 });
    expect(await counts(t.db, kept.id)).toEqual(keptBefore);
    expect((await t.db.selectFrom("responses").select("id").execute()).length).toBe(
      totalBefore.length - 1,
    );
    // The theme itself stays: it belongs to the group and still tags other answers.
    expect(await t.db.selectFrom("themes").select("name").execute()).toEqual([{ name: "Visas" }]);

    const entries = await t.db
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "response.erased")
      .execute();
    expect(entries).toHaveLength(1);
    const entry = entries[0];
    expect(entry).toMatchObject({
      user_id: staff.id,
      actor: staff.email,
      target_type: "response",
      target_id: target.id,
      ip: "192.0.2.55",
    });
    expect(entry.details).toEqual({
      survey: SURVEY,
      status: "submitted",
      answers: before.answers,
      tags: 1,
      referenceSha256: referenceDigest(target.reference),
    });
    // The entry lets a later request be matched by its reference, but does not contain it.
    expect(JSON.stringify(entry)).not.toContain(target.reference);

    // A retried submission of the erased response is a new response, not a resurrection of the old one.
    expect(await eraseResponse(t.db, { reference: target.reference }, { user: staff })).toEqual({
      ok: false,
      reason: "not_found",
    });
  });

  it("refuses a malformed reference or response id and erases nothing", async () => {
    const before = (await t.db.selectFrom("responses").select("id").execute()).length;
    for (const reference of [
      "",
      "NM-",
      "NM-ABCD-EFG",
      "NM-ABCD-EFGI",
      "'; delete from responses; --",
      "NM-ABCD-EFGH-IJKL",
    ]) {
      expect(await eraseResponse(t.db, { reference }, { user: null, actor: "test" })).toEqual({
        ok: false,
        reason: "bad_reference",
      });
    }
    for (const responseId of ["", "not-a-uuid", randomUUID()]) {
      expect(await eraseResponse(t.db, { responseId }, { user: null, actor: "test" })).toEqual({
        ok: false,
        reason: "not_found",
      });
    }
    expect((await t.db.selectFrom("responses").select("id").execute()).length).toBe(before);
    expect(
      await t.db
        .selectFrom("audit_log")
        .select("id")
        .where("action", "=", "response.erased")
        .execute(),
    ).toHaveLength(1);
  });

  it.runIf(Boolean(process.env.TEST_DATABASE_URL))(
    "npm run response:erase shows the response without --yes and erases it with --yes (PostgreSQL)",
    async () => {
      const target = responses[3];
      const dir = mkdtempSync(path.join(tmpdir(), "needsmap-erase-"));
      try {
        const env = commandEnv(dir, t.url);
        const dry = await eraseCommand(env, "--reference", target.reference);
        expect(dry.code).toBe(0);
        expect(dry.stdout).toContain(
          `response ${target.id} (${target.reference}) of survey ${SURVEY}: submitted`,
        );
        expect(dry.stdout).toContain("nothing erased");
        expect((await counts(t.db, target.id)).responses).toBe(1);

        const done = await eraseCommand(env, "--reference", target.reference, "--yes");
        expect(done.code).toBe(0);
        expect(done.stdout).toMatch(
          /erased: \d+ answer rows, 0 theme tags; recorded in the audit log as response.erased/,
        );
        expect(await counts(t.db, target.id)).toEqual({ responses: 0, answers: 0, tags: 0 });
        const entry = await t.db
          .selectFrom("audit_log")
          .selectAll()
          .where("target_id", "=", target.id)
          .executeTakeFirstOrThrow();
        expect(entry).toMatchObject({ action: "response.erased", actor: "cli", user_id: null });

        const again = await eraseCommand(env, "--reference", target.reference, "--yes");
        expect(again.code).toBe(1);
        expect(again.stderr).toContain(`no response ${target.reference}`);
        const usage = await eraseCommand(env);
        expect(usage.code).toBe(1);
        expect(usage.stderr).toContain("give either --reference or --response-id");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    120_000,
  );
});

describe("backup and restore", () => {
  // With a Postgres server given, `npm test` runs this file a second time on PGlite
  // (scripts/lib/integration-files.mjs): the embedded database's backup is tested there, once.
  it.runIf(!process.env.TEST_DATABASE_URL)("embedded database: DATA_DIR copied while the app is stopped starts again with every response; erasure works on it", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "needsmap-backup-"));
    const dataDir = path.join(root, "data");
    const copyDir = path.join(root, "copy");
    try {
      // The app: embedded PGlite in DATA_DIR/pglite, as `npm start` runs it.
      let db = await createDb({ driver: "pglite", dataDir: path.join(dataDir, "pglite") });
      await migrateToLatest(db);
      await prepare(db);
      const submitted: Submitted[] = [];
      for (let i = 0; i < 5; i++) submitted.push(await submitNew(db, `Backup answer ${i}`));
      const rowsBefore = await db
        .selectFrom("answers")
        .select(["response_id", "question_key", "item", "value_text", "value_num"])
        .orderBy("id")
        .execute();
      // Stop the app (the database is closed), copy the directory, start on the copy.
      await db.destroy();
      cpSync(dataDir, copyDir, { recursive: true });
      rmSync(dataDir, { recursive: true, force: true });

      db = await createDb({ driver: "pglite", dataDir: path.join(copyDir, "pglite") });
      try {
        await migrateToLatest(db);
        const rowsAfter = await db
          .selectFrom("answers")
          .select(["response_id", "question_key", "item", "value_text", "value_num"])
          .orderBy("id")
          .execute();
        expect(rowsAfter).toEqual(rowsBefore);
        const stored = await db
          .selectFrom("responses")
          .select(["id", "reference", "status"])
          .orderBy("reference")
          .execute();
        expect(stored).toEqual(
          submitted
            .map((s) => ({ id: s.id, reference: s.reference, status: "submitted" }))
            .sort((a, b) => a.reference.localeCompare(b.reference)),
        );
        // A client retrying a submission that was made before the backup gets the same reference back.
        for (const s of submitted)
          expect(await submit(db, s.body)).toMatchObject({
            status: 200,
            id: s.id,
            reference: s.reference,
          });
        // The copy takes new submissions.
        submitted.push(await submitNew(db, "After the restore"));
      } finally {
        await db.destroy();
      }

      // `npm run response:erase` on the embedded database (with the app stopped).
      const target = submitted[2];
      const erased = await eraseCommand(
        commandEnv(copyDir),
        "--reference",
        target.reference,
        "--yes",
      );
      expect(erased.stderr).not.toMatch(/error/);
      expect(erased.code).toBe(0);
      expect(erased.stdout).toContain(`response ${target.id} (${target.reference})`);
      db = await createDb({ driver: "pglite", dataDir: path.join(copyDir, "pglite") });
      try {
        expect(await counts(db, target.id)).toEqual({ responses: 0, answers: 0, tags: 0 });
        expect((await db.selectFrom("responses").select("id").execute()).length).toBe(
          submitted.length - 1,
        );
        const entry = await db
          .selectFrom("audit_log")
          .selectAll()
          .where("action", "=", "response.erased")
          .executeTakeFirstOrThrow();
        expect(entry).toMatchObject({ actor: "cli", target_id: target.id });
        expect(entry.details).toMatchObject({
          survey: SURVEY,
          referenceSha256: referenceDigest(target.reference),
        });
      } finally {
        await db.destroy();
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 180_000);

  it.runIf(Boolean(process.env.TEST_DATABASE_URL))(
    "PostgreSQL: pg_dump -Fc and pg_restore into a new database give the same tables and rows",
    async () => {
      const t = await createTestDatabase();
      const restored = `needsmap_restored_${process.pid}_${Date.now().toString(36)}`;
      const dir = mkdtempSync(path.join(tmpdir(), "needsmap-dump-"));
      const admin = async (query: string) => {
        const c = new pg.Client({ connectionString: adminUrl(t.url!) });
        await c.connect();
        await c.query(query).finally(() => c.end());
      };
      try {
        await prepare(t.db);
        for (let i = 0; i < 3; i++) await submitNew(t.db, `Dumped answer ${i}`);
        const file = path.join(dir, "needsmap.dump");
        const bin = postgresBinDir();
        // While the app runs: pg_dump takes a consistent snapshot.
        execFileSync(path.join(bin, "pg_dump"), ["-Fc", "--no-owner", "-f", file, t.url!], {
          stdio: "pipe",
        });
        await admin(`create database ${restored}`);
        const restoredUrl = withDatabase(t.url!, restored);
        execFileSync(
          path.join(bin, "pg_restore"),
          ["--no-owner", "--exit-on-error", "-d", restoredUrl, file],
          { stdio: "pipe" },
        );
        const before = await tableFingerprints(t.url!);
        const after = await tableFingerprints(restoredUrl);
        expect(before.get("responses")).toMatch(/^3 rows/);
        expect(after).toEqual(before);
        // The restored database is one the app can use: it is at the latest migration.
        const db = await createDb({ driver: "pg", url: restoredUrl, poolSize: 1 });
        try {
          expect(await migrateToLatest(db)).toEqual([]);
        } finally {
          await db.destroy();
        }
      } finally {
        await t.close();
        await admin(`drop database if exists ${restored} with (force)`);
        rmSync(dir, { recursive: true, force: true });
      }
    },
    120_000,
  );
});
