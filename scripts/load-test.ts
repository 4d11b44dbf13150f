/**
 * `npm run test:load [-- --quick]`: reliability under load, on a private PostgreSQL server.
 *
 *  1. builds when needed; starts a private Postgres (initdb in a temporary directory, its own
 *     port) and two production app processes on one database (scale-out);
 *  2. hardening and output safety over HTTP (tests/reliability/hardening.ts);
 *  3. load: N simulated respondents for S seconds (full: 200 for 60 s; --quick: 20 for 10 s)
 *     who start, save drafts, resume and submit through the pages, or submit in one request
 *     through the JSON API, spread over both instances; during the load the database server is
 *     stopped and started again once, and one app process is killed with SIGKILL and restarted;
 *     clients retry with the same idempotency key and exponential backoff;
 *  4. integrity: every acknowledged submission is in the database exactly once, submitted, with
 *     exactly the answers sent; no reply was a 5xx other than the clear 503 during the outage;
 *     /healthz said 503 during the outage and 200 after, without restarting the app;
 *  5. backup: pg_dump / pg_restore gives the same tables; the embedded data directory copied
 *     with the app stopped starts again with every response (full mode only: quick mode leaves
 *     it to tests/integration/security-erasure.test.ts, which also tests erasure).
 *
 * Exits non-zero on any violation. Options: --quick, --respondents N, --duration S,
 * --no-faults, --no-hardening, --no-backup, --no-build (use build/ as it is), --keep (leave the
 * private server's data directory).
 */
import { createDb, type Db } from "#db/client";
import { parseSurveyDefinition } from "~/survey/schema";
import { copyEmbeddedDataDir, dumpAndRestore, type BackupResult } from "../tests/reliability/backup";
import { type Check, runHardeningChecks } from "../tests/reliability/hardening";
import { type AppProcess, createApp, ensureBuild, snapshotBuild } from "../tests/reliability/lib/app";
import { Balancer, Client, pollHealth, Stats } from "../tests/reliability/lib/http";
import { createPrivatePostgres, type PrivatePostgres } from "../tests/reliability/lib/postgres";
import { type Ack, answerThroughApi, answerThroughPages, FlowError, type LoadSurvey } from "../tests/reliability/lib/respondents";
import { log, onCleanup, percentile, runCleanups, sleep, table } from "../tests/reliability/lib/util";
import { integrityViolations, verifyIntegrity } from "../tests/reliability/lib/verify";

interface Options {
  quick: boolean;
  respondents: number;
  durationSeconds: number;
  faults: boolean;
  hardening: boolean;
  backup: boolean;
  keep: boolean;
  build: boolean;
}

function parseOptions(argv: string[]): Options {
  const quick = argv.includes("--quick");
  const value = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? Number(argv[i + 1]) : undefined;
  };
  const o: Options = {
    quick,
    respondents: value("--respondents") ?? (quick ? 20 : 200),
    durationSeconds: value("--duration") ?? (quick ? 10 : 60),
    faults: !argv.includes("--no-faults"),
    hardening: !argv.includes("--no-hardening"),
    backup: !argv.includes("--no-backup"),
    keep: argv.includes("--keep"),
    build: !argv.includes("--no-build"),
  };
  if (!(o.respondents > 0) || !(o.durationSeconds > 0)) throw new Error("--respondents and --duration must be positive numbers");
  return o;
}

async function loadSurveys(db: Db): Promise<LoadSurvey[]> {
  const rows = await db
    .selectFrom("surveys")
    .innerJoin("survey_versions", "survey_versions.id", "surveys.current_version_id")
    .select(["surveys.id", "surveys.slug", "survey_versions.definition"])
    .where("surveys.status", "=", "open")
    .where("surveys.access_mode", "=", "open_link")
    .orderBy("surveys.id")
    .execute();
  return rows.map((r) => ({ id: r.id, slug: r.slug, def: parseSurveyDefinition(r.definition) }));
}

interface FaultLog {
  dbStop?: number;
  /** When the fast shutdown had finished (pg_ctl -w returned). */
  dbDown?: number;
  dbStart?: number;
  appKill?: number;
  appBack?: number;
  appRestartMs?: number;
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const runStarted = Date.now();
  log(`mode: ${options.quick ? "quick" : "full"}; ${options.respondents} respondents for ${options.durationSeconds} s; faults ${options.faults ? "on" : "off"}`);

  const built = options.build ? ensureBuild() : false;
  const appDir = snapshotBuild();
  const pgServer: PrivatePostgres = await createPrivatePostgres();
  onCleanup("private postgres", () => (options.keep ? pgServer.stop() : pgServer.destroy()));
  log(`private PostgreSQL on port ${pgServer.port} in ${pgServer.dir}`);
  const admin = new (await import("pg")).default.Client({ connectionString: pgServer.url("postgres") });
  await admin.connect();
  await admin.query("create database needsmap");
  await admin.end();
  const databaseUrl = pgServer.url("needsmap");

  const apps: AppProcess[] = [
    await createApp({ name: "app A", appDir, databaseUrl }),
    await createApp({ name: "app B", appDir, databaseUrl }),
  ];
  const startMs = [await apps[0].start(), await apps[1].start()];
  log(`both instances ready (${startMs.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(", ")})`);
  const db = await createDb({ driver: "pg", url: databaseUrl, poolSize: 4, applicationName: "load-test" });
  onCleanup("harness database connection", () => db.destroy());
  const surveys = await loadSurveys(db);
  if (surveys.length === 0) throw new Error("no open survey to answer");
  const health = surveys.find((s) => s.slug.startsWith("health")) ?? surveys[0];
  const groupRow = await db
    .selectFrom("surveys")
    .innerJoin("working_groups", "working_groups.id", "surveys.working_group_id")
    .select("working_groups.slug")
    .where("surveys.id", "=", health.id)
    .executeTakeFirstOrThrow();

  // ---- 2. hardening and output safety ----
  let checks: Check[] = [];
  if (options.hardening) {
    log("hardening and output safety checks over HTTP…");
    checks = await runHardeningChecks({
      origins: [apps[0].origin, apps[1].origin],
      db,
      surveys,
      group: groupRow.slug,
      survey: health,
      errorsOfA: () => apps[0].errors(),
      startApp: async (name, env) => {
        const extra = await createApp({ name, appDir, databaseUrl, env });
        await extra.start();
        return { origin: extra.origin, stop: () => extra.stop() };
      },
    });
  }

  // ---- 3. load with faults ----
  const stats = new Stats();
  const acks: Ack[] = [];
  const failures: string[] = [];
  const since = new Date(Date.now() - 1000);
  const t0 = Date.now();
  const durationMs = options.durationSeconds * 1000;
  const balancer = new Balancer(apps.map((a) => a.origin));
  const poller = pollHealth(apps.map((a) => a.origin), t0);
  const faults: FaultLog = {};
  const dbDownMs = options.quick ? 2_000 : 3_000;

  const faultTask = (async () => {
    if (!options.faults) return;
    await sleep(durationMs * 0.3);
    log("fault: stopping the database server (fast shutdown)");
    faults.dbStop = Date.now() - t0;
    pgServer.stop();
    faults.dbDown = Date.now() - t0;
    await sleep(dbDownMs);
    pgServer.start();
    faults.dbStart = Date.now() - t0;
    log(`fault: database server started again after ${((faults.dbStart - faults.dbStop) / 1000).toFixed(1)} s`);
    await sleep(Math.max(0, durationMs * 0.65 - (Date.now() - t0)));
    log("fault: kill -9 app B");
    faults.appKill = Date.now() - t0;
    apps[1].kill9();
    await sleep(300);
    faults.appRestartMs = await apps[1].start();
    faults.appBack = Date.now() - t0;
    log(`fault: app B restarted, ready after ${(faults.appRestartMs / 1000).toFixed(1)} s`);
  })();

  let seed = 1;
  const respondent = async (n: number) => {
    const client = () => new Client(balancer, stats, `198.19.${Math.floor(n / 250)}.${(n % 250) + 1}`, t0);
    while (Date.now() - t0 < durationMs) {
      const survey = surveys[(n + seed) % surveys.length];
      const mySeed = seed++;
      try {
        const ack = mySeed % 10 < 7 ? await answerThroughPages(client(), survey, mySeed, t0) : await answerThroughApi(client(), survey, mySeed, t0);
        acks.push(ack);
      } catch (e) {
        failures.push(e instanceof FlowError ? e.message : `${(e as Error).message}`);
        if (failures.length > 50) throw new Error(`too many failed flows:\n${failures.slice(0, 10).join("\n")}`);
      }
    }
  };
  log(`load: ${options.respondents} respondents on ${apps.length} instances…`);
  let running = options.respondents;
  const progress = setInterval(() => {
    log(`load: ${acks.length} acknowledged, ${stats.requests} requests, ${stats.retries} retries, ${running} respondents still answering`);
  }, 15_000);
  try {
    await Promise.all(Array.from({ length: options.respondents }, (_, n) => respondent(n).finally(() => running--)));
  } finally {
    clearInterval(progress);
  }
  const loadMs = Date.now() - t0;
  await faultTask;
  await sleep(1_000);
  await poller.stop();
  log(`load done in ${(loadMs / 1000).toFixed(1)} s: ${acks.length} acknowledged submissions`);

  // ---- 4. integrity ----
  const integrity = await verifyIntegrity(db, acks, surveys.map((s) => s.slug), since);
  const violations = integrityViolations(integrity);
  if (failures.length) violations.push(`${failures.length} respondent flows failed: ${failures.slice(0, 3).join(" | ")}`);
  if (stats.badReplies.length) {
    violations.push(`${stats.badReplies.length} replies were a 5xx other than the clear 503: ${stats.badReplies.slice(0, 3).map((b) => `${b.status} ${b.method} ${b.path} at ${b.at} ms: ${b.body.slice(0, 120)}`).join(" | ")}`);
  }
  if (stats.gaveUp) violations.push(`${stats.gaveUp} requests got no answer before the client's deadline`);

  // 503s belong to the database outage: the request was sent before the database was back plus a
  // grace of 5 s for the connections the restart broke (on a busy machine its reply may come later).
  const graceMs = 5_000;
  const inOutage = (r: { sent: number; at: number }) =>
    faults.dbStop !== undefined && faults.dbStart !== undefined && r.at >= faults.dbStop - 500 && r.sent <= faults.dbStart + graceMs;
  const outside503 = stats.clear503.filter((r) => !inOutage(r));
  const last503 = stats.clear503.filter(inOutage).reduce((m, r) => Math.max(m, r.at), 0);
  if (outside503.length) {
    violations.push(`${outside503.length} 503 replies outside the database outage (sent at ${outside503.slice(0, 5).map((r) => r.sent).join(", ")} ms)`);
  }

  // /healthz: 503 while the database is down, 200 after, on the instance that was never restarted.
  const healthSamples = poller.samples.filter((s) => s.origin === apps[0].origin);
  const healthStatuses = new Map<number, number>();
  for (const s of healthSamples) healthStatuses.set(s.status, (healthStatuses.get(s.status) ?? 0) + 1);
  log(`/healthz polls of app A: ${[...healthStatuses].map(([s, n]) => `${s || "no connection"}: ${n}`).join(", ")}`);
  let healthDuring = "-";
  let healthAfter = "-";
  let recoveredMs = 0;
  if (options.faults && faults.dbStop !== undefined && faults.dbStart !== undefined) {
    // Polls that got no answer within 3 s (a busy machine) say nothing either way. A poll counts
    // as "during" only when it was sent after the shutdown had finished and answered before the
    // restart: pg_ctl blocks this process while the server stops, so an answer computed before the
    // shutdown can arrive (be timestamped) well after it began.
    const answered = healthSamples.filter((s) => s.status !== 0);
    const downFrom = faults.dbDown ?? faults.dbStop;
    const during = answered.filter((s) => s.sent >= downFrom && s.at < faults.dbStart!);
    const down = during.filter((s) => s.status === 503 && /"db"/.test(s.body));
    healthDuring = `${down.length}/${during.length} answered polls 503`;
    if (during.length === 0 || down.length !== during.length) violations.push(`/healthz did not report the outage: ${healthDuring}`);
    const firstOk = answered.find((s) => s.at > faults.dbStart! && s.status === 200);
    recoveredMs = firstOk ? firstOk.at - faults.dbStart : -1;
    const after = answered.filter((s) => s.at > faults.dbStart! + graceMs);
    const ok = after.filter((s) => s.status === 200);
    healthAfter = `${ok.length}/${after.length} answered polls 200`;
    if (!firstOk || after.length === 0 || ok.length !== after.length) violations.push(`/healthz did not recover by itself: ${healthAfter}`);
  }
  const failedChecks = checks.filter((c) => !c.ok);
  for (const c of failedChecks) violations.push(`check failed: [${c.area}] ${c.name}: ${c.detail}`);
  const stackInReplies = stats.badReplies.filter((b) => /\n\s+at /.test(b.body)).length;

  // ---- 5. backup ----
  const backups: BackupResult[] = [];
  if (options.backup) {
    log("backup: pg_dump / pg_restore…");
    backups.push(await dumpAndRestore(pgServer, "needsmap"));
    if (!options.quick) {
      // Quick mode leaves this to tests/integration/security-erasure.test.ts (PGlite in-process).
      log("backup: embedded data directory copy…");
      backups.push(await copyEmbeddedDataDir(appDir, health));
    }
    for (const b of backups) if (!b.ok) violations.push(`backup: ${b.name}: ${b.detail}`);
  }

  // ---- summary ----
  const latencies = [...stats.latencies].sort((a, b) => a - b);
  const pages = acks.filter((a) => a.flow === "pages").length;
  const statusLine = [...stats.byStatus].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}: ${n}`).join(", ");
  console.log(`\n=== needsmap load test (${options.quick ? "quick" : "full"}) ===`);
  console.log(
    table([
      ["figure", "value"],
      ["build", built ? "built" : "up to date"],
      ["instances", `${apps.length} app processes, one private PostgreSQL ${pgServer.port}`],
      ["respondents × duration", `${options.respondents} × ${options.durationSeconds} s (load ran ${(loadMs / 1000).toFixed(1)} s)`],
      ["acknowledged submissions", `${acks.length} (${pages} through the pages, ${acks.length - pages} through the JSON API)`],
      ["requests", `${stats.requests} (${(stats.requests / (loadMs / 1000)).toFixed(0)}/s); statuses ${statusLine}`],
      ["latency p50 / p95 / p99", `${percentile(latencies, 50).toFixed(0)} / ${percentile(latencies, 95).toFixed(0)} / ${percentile(latencies, 99).toFixed(0)} ms`],
      ["connection errors / retries", `${stats.networkErrors} / ${stats.retries} (${[...stats.networkErrorKinds].map(([k, n]) => `${k}: ${n}`).join(", ")})`],
      ["503 (clear, during the outage)", `${stats.clear503.length - outside503.length} (${[...stats.clear503Kinds].map(([k, n]) => `${k}: ${n}`).join(", ") || "none"})`],
      ["503 outside the outage", `${outside503.length}`],
      ["other 5xx", `${stats.badReplies.length} (with a stack trace: ${stackInReplies})`],
      ["database outage", faults.dbStop !== undefined ? `${faults.dbStop} → ${faults.dbStart} ms after start; last 503 reply at ${last503} ms` : "none"],
      ["/healthz during / after", `${healthDuring} / ${healthAfter}; first 200 ${recoveredMs} ms after the database was back`],
      ["kill -9 app B", faults.appKill !== undefined ? `at ${faults.appKill} ms, ready again after ${((faults.appRestartMs ?? 0) / 1000).toFixed(1)} s` : "none"],
      ["found exactly once", `${integrity.found - integrity.duplicated.length}/${integrity.acknowledged}`],
      ["missing / duplicated / not submitted", `${integrity.missing.length} / ${integrity.duplicated.length} / ${integrity.notSubmitted.length}`],
      ["answers differ from those sent", `${integrity.wrongAnswers.length}`],
      ["draft rows in submitted responses", `${integrity.draftRowsInSubmitted}`],
      ["stored but never acknowledged", `${integrity.unacknowledgedSubmitted} (not lost: the client gave up or the reply was cut)`],
      ["hardening checks", options.hardening ? `${checks.length - failedChecks.length}/${checks.length} passed` : "skipped"],
      ...backups.map((b) => [`backup: ${b.name}`, `${b.ok ? "ok" : "FAILED"} — ${b.detail} (${b.seconds.toFixed(1)} s)`]),
      ["total time", `${((Date.now() - runStarted) / 1000).toFixed(0)} s`],
    ]),
  );
  if (options.hardening) {
    console.log("\nchecks:");
    for (const c of checks) console.log(`  ${c.ok ? "PASS" : "FAIL"}  [${c.area}] ${c.name}${c.ok || !c.detail ? "" : ` — ${c.detail}`}`);
  }
  if (violations.length) {
    console.log(`\nFAILED: ${violations.length} violation(s)`);
    for (const v of violations) console.log(`  - ${v}`);
    if (options.keep) console.log(`\nprivate server directory kept: ${pgServer.dir}`);
    for (const a of apps) {
      const errors = a.errors().slice(-40);
      if (errors.length) console.log(`\n${a.name} stderr (last 40 lines):\n${errors.join("\n")}`);
    }
    return 1;
  }
  console.log("\nPASSED: no acknowledged submission lost, duplicated or partial; no 5xx but the clear 503 during the outage.");
  return 0;
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    log(`${signal}: cleaning up…`);
    void runCleanups().finally(() => process.exit(130));
  });
}

main()
  .then(async (code) => {
    await runCleanups();
    process.exit(code);
  })
  .catch(async (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    await runCleanups();
    process.exit(1);
  });

