import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "#db/client";
import { migrateAllDown, migrateToLatest, pendingMigrations } from "#db/migrate";
import { migrations } from "#db/migrations/index";
import { loader as healthz } from "~/routes/healthz";
import { createTestDatabase, type TestDatabase, unreachableDb } from "./db";
import { loaderArgs } from "./remix";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.close());

async function tables(): Promise<string[]> {
  const r = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = 'public' and table_name not like 'kysely_%' order by table_name`.execute(t.db);
  return r.rows.map((x) => x.table_name);
}

describe(`migrations (${process.env.TEST_DATABASE_URL ? "Postgres" : "PGlite"})`, () => {
  it("the template database is at the latest schema", async () => {
    expect(await pendingMigrations(t.db)).toEqual([]);
    expect(await tables()).toEqual(
      [
        "aggregate_queue", "aggregate_queue_answers", "answer_tags", "answers", "audit_log", "dashboard_aggregates", "delphi_answers", "delphi_participations", "delphi_rounds",
        "email_outbox", "email_templates", "invitations", "need_evidence", "need_groups", "need_programmes", "need_shared_categories",
        "need_status_events", "needs", "programmes", "rate_limits", "report_comments", "report_summaries", "responses", "sessions", "survey_versions", "surveys", "themes", "user_working_groups",
        "users", "working_groups",
      ].sort(),
    );
  });

  it("go down to an empty schema and up again", async () => {
    const down = await migrateAllDown(t.db);
    expect(down).toEqual(Object.keys(migrations).reverse().map((n) => `reverted ${n}`));
    expect(await tables()).toEqual([]);
    const up = await migrateToLatest(t.db);
    expect(up).toEqual(Object.keys(migrations).map((n) => `applied ${n}`));
    expect(await tables()).toContain("responses");
    expect(await migrateToLatest(t.db)).toEqual([]);
  });

  it("enforce the rules the application relies on", async () => {
    const group = await t.db
      .insertInto("working_groups")
      .values({ slug: "g", name: JSON.stringify({ en: "G", ru: "Г" }), description: "{}", sort_order: 0 })
      .returning("id")
      .executeTakeFirstOrThrow();
    await expect(
      t.db
        .insertInto("surveys")
        .values({ slug: "s", working_group_id: group.id, status: "bogus" as never, access_mode: "open_link" })
        .execute(),
    ).rejects.toThrow(/check constraint/);
  });
});

describe("client factory", () => {
  // With a Postgres server given, `npm test` runs this file a second time on PGlite
  // (scripts/lib/integration-files.mjs): the embedded database is tested there, once.
  it.runIf(!process.env.TEST_DATABASE_URL)("gives a working Kysely instance on embedded PGlite", async () => {
    const db = await createDb({ driver: "pglite", dataDir: null });
    const r = await sql<{ n: number }>`select 41 + 1 as n`.execute(db);
    expect(r.rows[0].n).toBe(42);
    const c = await sql<{ c: number }>`select count(*) as c from generate_series(1, 3)`.execute(db);
    expect(c.rows[0].c).toBe(3);
    await db.destroy();
  });

  it.runIf(process.env.TEST_DATABASE_URL)("gives a working Kysely instance on Postgres through pg", async () => {
    const db = await createDb({ driver: "pg", url: process.env.TEST_DATABASE_URL! });
    const r = await sql<{ n: number }>`select 41 + 1 as n`.execute(db);
    expect(r.rows[0].n).toBe(42);
    const c = await sql<{ c: number }>`select count(*) as c from generate_series(1, 3)`.execute(db);
    expect(c.rows[0].c).toBe(3);
    await db.destroy();
  });
});

describe("GET /healthz", () => {
  it("answers 200 when the database answers", async () => {
    const res = await healthz(loaderArgs("/healthz", t.db));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", db: "ok" });
  });

  it("answers 503 with the reason when the database does not", async () => {
    const db = unreachableDb();
    const res = await healthz(loaderArgs("/healthz", db));
    expect(res.status).toBe(503);
    const body = (await res.json()) as { status: string; db: string };
    expect(body.status).toBe("error");
    expect(body.db).toMatch(/ECONNREFUSED|connect/i);
    await db.destroy();
  });
});
