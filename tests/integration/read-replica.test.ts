import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "#db/client";
import { migrateToLatest } from "#db/migrate";
import { createReadReplica, parseLsn, type ReadReplica } from "#db/replica";
import type { AppContext } from "~/context";
import { loader as healthLoader } from "~/routes/healthz";
import { action as reviewAction } from "~/routes/r.$token.review";
import { loader as doneLoader } from "~/routes/r.$token.done";
import { loader as exportLoader } from "~/routes/staff.groups.$group_.surveys.$survey.export[.csv]";
import { loader as dashboardLoader } from "~/routes/staff.groups.$group._index";
import { commitSession, createSession } from "~/server/auth.server";
import { loadResponse, savePage, startResponse } from "~/server/responses";
import { saveAccount } from "~/server/users.server";
import { upsertWorkingGroups } from "~/server/working-groups.server";
import type { SurveyDefinition } from "~/survey/schema";
import { parseSurveySource } from "~/survey/source";
import { findPgBinaries, type PrimaryAndReplica, startPrimaryAndReplica } from "./pg-cluster";
import { actionArgs, loaderArgs, testEnv } from "./remix";
import { call, createSurvey } from "./respond-helpers";

/**
 * A real streaming replica: a private primary cluster and a pg_basebackup -R copy of it. Proves
 * that dashboards and exports read the replica, that writes and a respondent's own receipt go to
 * the primary, and that a replica that lags or is down is left for the primary, once in the log.
 */

const bins = await findPgBinaries();
if ("missing" in bins) console.log(`read replica test skipped: ${bins.missing}`);

const SURVEY = parseSurveySource(
  `
slug: replica
workingGroup: energy
title: { en: Replica, ru: Реплика }
pages:
  - key: about
    title: { en: About you, ru: О вас }
    questions:
      - key: org_type
        type: single_choice
        required: true
        label: { en: Organisation, ru: Организация }
        options:
          - { code: university, label: { en: University, ru: Университет } }
          - { code: company, label: { en: Company, ru: Компания } }
`,
  "replica.yaml",
  () => null,
).definition as SurveyDefinition;

const MAX_LAG = 10;

describe.skipIf("missing" in bins)("read replica (streaming, on private clusters)", () => {
  let clusters: PrimaryAndReplica | undefined;
  let primary: Db;
  let replica: ReadReplica;
  /** A superuser connection to the replica, to pause and resume its replay. */
  let replicaAdmin: pg.Client | undefined;
  let clock = 1_000_000;
  const logged: Array<{ level: string; msg: string; fields?: Record<string, unknown> }> = [];
  let adminCookie = "";
  const slug = "replica";

  const context = (): Partial<AppContext> => ({ db: primary, readDb: replica.db, replica });
  const submitted = async (db: Db) =>
    (
      await sql<{
        n: number;
      }>`select count(*)::int as n from responses where status = 'submitted'`.execute(db)
    ).rows[0]!.n;
  const inRecovery = async (db: Db) =>
    (await sql<{ r: boolean }>`select pg_is_in_recovery() as r`.execute(db)).rows[0]!.r;
  const dashboardSubmitted = async () => {
    const r = await call(() =>
      dashboardLoader(
        loaderArgs(`/staff/groups/energy?survey=${slug}`, primary, {
          params: { group: "energy" },
          cookie: adminCookie,
          context: context(),
        }),
      ),
    );
    expect(r.status).toBe(200);
    return r.data.dashboard.participation.submitted as number;
  };
  /** Waits (up to 10 s) until the replica has replayed everything the primary has flushed. */
  const caughtUp = async () => {
    const target = parseLsn(
      (await sql<{ lsn: string }>`select pg_current_wal_flush_lsn()::text as lsn`.execute(primary))
        .rows[0]!.lsn,
    );
    for (let i = 0; i < 200; i++) {
      const r = await replicaAdmin!.query<{ lsn: string }>(
        "select pg_last_wal_replay_lsn()::text as lsn",
      );
      if (parseLsn(r.rows[0]!.lsn) >= target) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error("the replica did not catch up within 10 s");
  };
  /** Starts, answers and submits a response through the questionnaire's pages; its token and receipt cookie. */
  const respond = async () => {
    const started = await startResponse(primary, {
      surveySlug: slug,
      idempotencyKey: randomUUID(),
      locale: "en",
    });
    if (!started.ok) throw new Error(started.error);
    const token = started.token;
    const saved = await savePage(primary, (await loadResponse(primary, token))!, "about", {
      org_type: "company",
    });
    expect(saved.ok).toBe(true);
    const done = await call(() =>
      reviewAction(
        actionArgs(
          `/r/${token}/review`,
          primary,
          { intent: "submit" },
          { params: { token }, context: context() },
        ),
      ),
    );
    expect(done.location).toBe(`/r/${token}/done`);
    return { token, cookie: done.headers.get("Set-Cookie")!.split(";")[0]! };
  };

  beforeAll(async () => {
    if ("missing" in bins) return;
    clusters = await startPrimaryAndReplica(bins);
    await clusters.createDatabase("needsmap");
    primary = await createDb({ driver: "pg", url: clusters.primary.url("needsmap"), poolSize: 4 });
    await migrateToLatest(primary);
    await upsertWorkingGroups(primary);
    await createSurvey(primary, SURVEY, { slug });
    const admin = await saveAccount(
      primary,
      {
        email: "admin@example.org",
        password: "correct horse battery",
        role: "admin",
        groups: [],
        name: "",
      },
      { by: null, actor: "test" },
    );
    if (!admin.ok) throw new Error(JSON.stringify(admin.errors));
    adminCookie = (await commitSession(testEnv, await createSession(primary, admin.id))).split(
      ";",
    )[0]!;
    replica = createReadReplica(primary, {
      url: clusters.replica.url("needsmap"),
      maxLagSeconds: MAX_LAG,
      now: () => clock,
      log: {
        info: (msg, fields) => logged.push({ level: "info", msg, fields }),
        warn: (msg, fields) => logged.push({ level: "warn", msg, fields }),
      },
    });
    replicaAdmin = new pg.Client({ connectionString: clusters.replica.url("postgres") });
    replicaAdmin.on("error", () => {}); // the replica is stopped in the last test
    await replicaAdmin.connect();
    await caughtUp();
  }, 60_000);

  afterAll(async () => {
    await replicaAdmin?.end().catch(() => {});
    await replica?.destroy().catch(() => {});
    await primary?.destroy().catch(() => {});
    await clusters?.destroy();
  });

  it("reads dashboard figures from the replica once it is checked and current; writes go to the primary", async () => {
    // Before the first check nothing is known about the replica: reads go to the primary.
    expect(replica.state().status).toBe("unchecked");
    expect(await inRecovery(replica.db)).toBe(false);
    expect(await replica.check()).toMatchObject({ status: "ok", lagSeconds: 0 });
    expect(logged).toEqual([
      expect.objectContaining({ level: "info", msg: expect.stringMatching(/read replica in use/) }),
    ]);
    expect(await inRecovery(replica.db)).toBe(true);
    expect(await inRecovery(primary)).toBe(false);

    await respond();
    expect(await submitted(primary)).toBe(1);
    await caughtUp();
    expect(await dashboardSubmitted()).toBe(1);
  });

  it("while the replica has not replayed a new answer: the dashboard and exports miss it, the receipt shows it", async () => {
    await replicaAdmin!.query("select pg_wal_replay_pause()");
    const { token, cookie } = await respond();
    expect(await submitted(primary)).toBe(2);

    // The figures come from the replica, which has not replayed the second response yet.
    expect(await dashboardSubmitted()).toBe(1);
    const csv = (await exportLoader(
      loaderArgs(`/staff/groups/energy/surveys/${slug}/export.csv`, primary, {
        params: { group: "energy", survey: slug },
        cookie: adminCookie,
        context: context(),
      }),
    )) as Response;
    expect(csv.status).toBe(200);
    const lines = (await csv.text()).trim().split("\n");
    expect(lines).toHaveLength(1 + 1);
    // The download is audited on the primary (the replica is read-only).
    const audited = await primary
      .selectFrom("audit_log")
      .select("details")
      .where("action", "=", "export.downloaded")
      .executeTakeFirstOrThrow();
    expect(audited.details).toMatchObject({ survey: slug, kind: "wide", responses: 1 });

    // The respondent's own receipt reads the primary: it has the answer just submitted.
    const done = await call(() =>
      doneLoader(
        loaderArgs(`/r/${token}/done?lang=en`, primary, {
          params: { token },
          cookie,
          context: context(),
        }),
      ),
    );
    expect(done.status).toBe(200);
    expect(done.data.summary.answers).toEqual({ org_type: "company" });
  });

  it("leaves a replica that lags more than the bound for the primary, saying so once in the log, and returns to it", async () => {
    logged.length = 0;
    // The primary's position is sampled now; the replica has not replayed it.
    expect(await replica.check()).toMatchObject({ status: "ok", lagSeconds: 0 });
    clock += MAX_LAG * 1000;
    expect(await replica.check()).toMatchObject({ status: "ok", lagSeconds: MAX_LAG });
    clock += 1000;
    expect(await replica.check()).toMatchObject({ status: "lagging", lagSeconds: MAX_LAG + 1 });
    clock += 1000;
    expect(await replica.check()).toMatchObject({ status: "lagging", lagSeconds: MAX_LAG + 2 });
    expect(logged).toEqual([
      {
        level: "warn",
        msg: "read replica not used: dashboards, reports and exports read from the primary",
        fields: { replica: "lagging", lagSeconds: MAX_LAG + 1, maxLagSeconds: MAX_LAG },
      },
    ]);
    expect(await inRecovery(replica.db)).toBe(false);
    expect(await dashboardSubmitted()).toBe(2);
    const health = (await healthLoader(
      loaderArgs("/healthz", primary, { context: context() }),
    )) as Response;
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({
      status: "ok",
      db: "ok",
      replica: `lagging ${MAX_LAG + 2} s behind the primary: reads go to the primary`,
    });

    await replicaAdmin!.query("select pg_wal_replay_resume()");
    await caughtUp();
    expect(await replica.check()).toMatchObject({ status: "ok", lagSeconds: 0 });
    expect(logged.map((l) => `${l.level} ${l.fields?.replica}`)).toEqual([
      "warn lagging",
      "info ok",
    ]);
    expect(await inRecovery(replica.db)).toBe(true);
    expect(await dashboardSubmitted()).toBe(2);
  });

  it("when every replica connection is in use, a reader that waited too long reads the primary; the replica stays in use", async () => {
    const quiet: string[] = [];
    const small = createReadReplica(primary, {
      url: clusters!.replica.url("needsmap"),
      maxLagSeconds: MAX_LAG,
      poolSize: 1,
      timeoutMs: 300,
      log: { info: (msg) => quiet.push(msg), warn: (msg) => quiet.push(msg) },
    });
    try {
      expect(await small.check()).toMatchObject({ status: "ok" });
      const [held, other] = await small.db
        .transaction()
        .execute(async (trx) => [await inRecovery(trx), await inRecovery(small.db)]);
      expect([held, other]).toEqual([true, false]);
      expect(small.state().status).toBe("ok");
      expect(await inRecovery(small.db)).toBe(true);
      expect(quiet).toHaveLength(1);
    } finally {
      await small.destroy();
    }
  });

  it("falls back to the primary at once when the replica is down; /healthz stays 200 and names the replica's state", async () => {
    logged.length = 0;
    expect(replica.state().status).toBe("ok");
    await clusters!.replica.stop("fast");

    // The first read after the stop cannot get a replica connection: it reads the primary.
    expect(await inRecovery(replica.db)).toBe(false);
    expect(replica.state().status).toBe("down");
    expect(await dashboardSubmitted()).toBe(2);
    expect(await replica.check()).toMatchObject({ status: "down" });
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      level: "warn",
      msg: "read replica not used: dashboards, reports and exports read from the primary",
      fields: { replica: "down" },
    });

    const health = (await healthLoader(
      loaderArgs("/healthz", primary, { context: context() }),
    )) as Response;
    expect(health.status).toBe(200);
    const body = await health.json();
    expect(body).toMatchObject({ status: "ok", db: "ok" });
    expect(body.replica).toMatch(/^down \(.+\): reads go to the primary$/);
  });
});
