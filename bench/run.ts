/**
 * `npm run bench`: submission throughput, dashboard latency, export speed and page weight,
 * measured against a real PostgreSQL server. See bench/README.md.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { addResponsesToSurvey } from "~/server/demo.server";
import { type BaselineResult, runBaseline } from "./lib/baseline";
import {
  backendCpuMs,
  type BenchDatabase,
  clearResponses,
  createBenchDatabase,
  recordSeededStage,
  seededStage,
  serverUrlFromEnv,
  SetupError,
  waitForQuiet,
} from "./lib/database";
import {
  adminCookie,
  type DashboardSize,
  measureDashboards,
  type PageTiming,
} from "./lib/dashboards";
import { startBalancer } from "./lib/balancer";
import { EXPORT_FORMATS, type ExportRun, exportPath, measureExport } from "./lib/exports";
import {
  BENCH_SECTIONS,
  type BenchOptions,
  type BenchSection,
  parseOptions,
  USAGE,
  UsageError,
} from "./lib/options";
import { measurePageWeight, type PageWeight } from "./lib/page-weight";
import {
  ANSWERED_QUESTIONS,
  BENCH_SURVEY,
  type BenchSurvey,
  completeResponses,
  loadSurveys,
  naturalResponses,
} from "./lib/payload";
import { type Cell, kb, table } from "./lib/report";
import {
  poolSize,
  type SeedResult,
  seedResponses,
  rebuildAggregates,
  vacuumAnalyze,
  withoutAnswerIndexes,
} from "./lib/seed";
import { ensureBuild, type RunningServer, snapshotBuild, startServer } from "./lib/server";
import {
  runSubmissions,
  type SubmissionRun,
  checkEndpoint,
  submissionPath,
} from "./lib/submission";
import { log, round, runCleanups } from "./lib/util";

interface Target {
  name: string;
  goal: string;
  measured: string;
  met: boolean | null;
}

interface Results {
  date: string;
  machine: {
    cores: number;
    cpu: string;
    memoryGb: number;
    node: string;
    postgres: string;
    loadAverageAtStart: number[];
    loadAverageAtEnd: number[];
  };
  options: BenchOptions;
  survey: { slug: string; answeredQuestions: number; answerRowsPerResponse: number };
  durationSeconds: number;
  build: { built: boolean; seconds: number };
  baseline: BaselineResult | null;
  submission: { endpoint: string; runs: SubmissionRun[] } | null;
  seeding: Array<
    SeedResult & {
      survey: string;
      stage: string;
      indexRebuildSeconds: number;
      vacuumAnalyzeSeconds: number;
      /** npm run db:reaggregate after the load, the aggregates' rows and size on disk (all surveys). */
      reaggregateSeconds?: number;
      aggregateRows?: number;
      aggregateBytes?: number;
      totalSeconds: number;
      /** Seeded by an earlier run into the kept database (--keep-database): its date and load. */
      seededAt?: string;
      loadAverageWhenSeeded?: number[];
    }
  >;
  dashboards: { group: string; sizes: DashboardSize[] } | null;
  export: { survey: string; runs: ExportRun[] } | null;
  instances: InstancesResult | null;
  pageWeight: PageWeight | null;
  targets: Target[];
  errors: Array<{ section: string; message: string }>;
}

/** Seeding this many responses at once drops and rebuilds the secondary indexes of `answers`. */
const BULK_LOAD = 20_000;
/** An export taking longer than this is stopped and reported as not finished. */
const EXPORT_TIMEOUT_MS = 600_000;

const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM"];
for (const signal of signals) {
  process.once(signal, () => {
    log(
      `${signal}: stopping the server, then closing a kept benchmark database or dropping its own…`,
    );
    void runCleanups().finally(() => process.exit(130));
  });
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function main(): Promise<number> {
  let options: BenchOptions;
  try {
    const parsed = parseOptions(process.argv.slice(2));
    if (parsed === "help") {
      console.log(USAGE);
      return 0;
    }
    options = parsed;
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  const serverUrl = serverUrlFromEnv();
  const started = performance.now();
  const loadAverageAtStart = os.loadavg().map((x) => round(x, 2));
  const build = ensureBuild();
  const buildRoot = snapshotBuild();

  const results: Results = {
    date: new Date().toISOString(),
    machine: {
      cores: os.cpus().length,
      cpu: os.cpus()[0]?.model ?? "unknown",
      memoryGb: round(os.totalmem() / 1024 ** 3, 1),
      node: process.version,
      postgres: "",
      loadAverageAtStart,
      loadAverageAtEnd: [],
    },
    options,
    survey: { slug: BENCH_SURVEY, answeredQuestions: ANSWERED_QUESTIONS, answerRowsPerResponse: 0 },
    durationSeconds: 0,
    build,
    baseline: null,
    submission: null,
    seeding: [],
    dashboards: null,
    export: null,
    instances: null,
    pageWeight: null,
    targets: [],
    errors: [],
  };

  const section = async <T>(name: string, f: () => Promise<T>): Promise<T | null> => {
    log(`${name}…`);
    try {
      return await f();
    } catch (e) {
      log(`${name} failed: ${message(e)}`);
      results.errors.push({ section: name, message: message(e) });
      return null;
    }
  };

  const bench: BenchDatabase = await createBenchDatabase(serverUrl, options.keepDatabase);
  results.machine.postgres = bench.postgresVersion;
  const surveys = await loadSurveys(bench.db);
  const main = surveys.find((s) => s.slug === BENCH_SURVEY);
  if (!main) throw new SetupError(`the bundled survey ${BENCH_SURVEY} is missing from surveys/`);
  const payloads = completeResponses(main.def, options.quick ? 100 : 400);
  results.survey.answerRowsPerResponse = round(
    payloads.reduce((s, p) => s + p.rows.length, 0) / payloads.length,
    1,
  );

  const runs = (name: BenchSection) => options.only.includes(name);

  // 1. Baseline
  if (runs("baseline")) {
    results.baseline = await section("baseline", () =>
      runBaseline(bench.url, main, payloads, {
        connections: options.baselineConnections,
        seconds: options.baselineSeconds,
        dbCpu: () => backendCpuMs(bench.db),
      }),
    );
    await clearResponses(bench.url);
  }

  // 2. Submission through the production server
  const seeding = runs("dashboards") || runs("export");
  let server: RunningServer | null =
    runs("submission") || seeding
      ? await section("server start", () => startServer(buildRoot, bench.url, profileArgs(options)))
      : null;
  if (server && runs("submission")) {
    const srv = server;
    const submissionRuns = await section("submission", async () => {
      await checkEndpoint(srv.origin, main.slug, payloads[0]);
      return runSubmissions(
        srv.origin,
        main.slug,
        payloads,
        {
          connections: options.submissionConnections,
          seconds: options.submissionSeconds,
          warmupSeconds: options.submissionWarmupSeconds,
          baselineRps: results.baseline?.best.responsesPerSecond ?? Number.NaN,
          serverPid: srv.pid,
          dbCpu: () => backendCpuMs(bench.db),
        },
        async (prefix) => {
          const row = await bench.db
            .selectFrom("responses")
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .where("idempotency_key", "like", `${prefix}-%`)
            .where("status", "=", "submitted")
            .executeTakeFirstOrThrow();
          return Number(row.n);
        },
      );
    });
    if (submissionRuns) {
      results.submission = { endpoint: `POST ${submissionPath(main.slug)}`, runs: submissionRuns };
    }
    await waitForQuiet(bench.db);
    await clearResponses(bench.url);
  }

  // 2b. Submission through a round-robin balancer to 1…N app instances on the one database
  if (runs("instances")) {
    results.instances = await section("instances", () =>
      measureInstances(
        buildRoot,
        bench,
        main.slug,
        payloads,
        options,
        results.baseline?.best.responsesPerSecond ?? Number.NaN,
      ),
    );
    await clearResponses(bench.url);
  }

  // 3. Dashboards at two sizes (the other groups get a few responses each for the overview)
  const others = surveys.filter((s) => s.id !== main.id);
  const pool = (s: BenchSurvey, n: number) =>
    naturalResponses(s.def, Math.min(n, options.quick ? 150 : poolSize(n)), 11 + s.id);
  const sizes: DashboardSize[] = [];
  let cookie: string | null = null;
  if (server && seeding) {
    const srv = server;
    const mainPool = pool(main, options.responses);
    for (const [stage, target] of [
      ["small", options.smallResponses],
      ["large", options.responses],
    ] as const) {
      const ok = await section(`seeding (${stage})`, async () => {
        type Seeded = Results["seeding"][number];
        if (options.keepDatabase) {
          const earlier = await seededStage<Seeded>(bench.db, stage, target, main.id);
          if (earlier) {
            for (const r of earlier.records)
              results.seeding.push({
                ...r,
                seededAt: earlier.seededAt,
                loadAverageWhenSeeded: earlier.loadAverage,
              });
            log(
              `the ${stage} data set (${target} responses) is the one seeded on ${earlier.seededAt}`,
            );
            // A larger data set seeded since (the next stage) holds this one: not measured.
            if (earlier.responses > target * 1.1) {
              log(
                `the kept database holds ${earlier.responses} responses: the ${stage} size is not measured`,
              );
              return "larger";
            }
            return true;
          }
        }
        const recorded = results.seeding.length;
        const loadAverage = os.loadavg().map((x) => round(x, 2));
        if (stage === "small") {
          for (const s of others) {
            const r = await seedResponses(bench.url, s, options.otherResponses, {
              pool: pool(s, options.otherResponses),
            });
            results.seeding.push({
              survey: s.slug,
              stage,
              ...r,
              indexRebuildSeconds: 0,
              vacuumAnalyzeSeconds: 0,
              totalSeconds: r.seconds,
            });
          }
        }
        const already = stage === "small" ? 0 : options.smallResponses;
        const count = target - already;
        const seed = () =>
          seedResponses(bench.url, main, count, { offset: already, pool: mainPool });
        const t0 = performance.now();
        const { result, rebuildSeconds } =
          count >= BULK_LOAD
            ? await withoutAnswerIndexes(bench.url, seed)
            : { result: await seed(), rebuildSeconds: 0 };
        const vacuumSeconds = await vacuumAnalyze(bench.url);
        const aggregates = await rebuildAggregates(bench.db);
        const seconds = (performance.now() - t0) / 1000;
        results.seeding.push({
          survey: main.slug,
          stage,
          ...result,
          indexRebuildSeconds: rebuildSeconds,
          vacuumAnalyzeSeconds: vacuumSeconds,
          reaggregateSeconds: aggregates.seconds,
          aggregateRows: aggregates.rows,
          aggregateBytes: aggregates.bytes,
          totalSeconds: round(seconds, 2),
        });
        if (options.keepDatabase)
          await recordSeededStage(
            bench.db,
            stage,
            target,
            results.seeding.slice(recorded),
            loadAverage,
          );
        log(
          `seeded ${result.responses} responses (${result.answerRows} answer rows) in ${round(seconds, 1)} s (index rebuild ${rebuildSeconds} s, vacuum analyze ${vacuumSeconds} s, aggregates rebuilt in ${aggregates.seconds} s: ${aggregates.rows} rows, ${round(aggregates.bytes / 1024 ** 2, 1)} MB)`,
        );
        return true;
      });
      if (!ok) break;
      if (!runs("dashboards") || ok === "larger") continue;
      const size = await section(`dashboards (${target} responses)`, async () => {
        cookie ??= await adminCookie(bench.db);
        let submitted = 0;
        return measureDashboards(
          bench.db,
          srv.origin,
          cookie,
          main.groupSlug,
          target,
          {
            warmups: options.dashboardWarmups,
            requests: options.dashboardRequests,
            computedRuns: stage === "small" ? 5 : 3,
            computedBudgetMs: options.quick ? 5_000 : 90_000,
          },
          async () => {
            await addResponsesToSurvey(bench.db, main.id, main.versionId, main.def, {
              perSurvey: 1,
              seed: 500 + submitted++,
            });
          },
        );
      });
      if (size) sizes.push(size);
    }
    if (sizes.length > 0) results.dashboards = { group: main.groupSlug, sizes };
  }

  // 4. Exports of the large survey, on a freshly started server (a known memory baseline)
  const seededLarge = results.seeding.some((s) => s.stage === "large" && s.survey === main.slug);
  if (server && seededLarge && runs("export")) {
    await server.stop();
    server = await section("server restart", () => startServer(buildRoot, bench.url));
    if (server) {
      const srv = server;
      const exportRuns: ExportRun[] = [];
      cookie ??= await adminCookie(bench.db);
      const c = cookie;
      const stored = await bench.db
        .selectFrom("responses")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("survey_id", "=", main.id)
        .where("status", "=", "submitted")
        .executeTakeFirstOrThrow();
      for (const format of EXPORT_FORMATS) {
        const run = await section(`export ${format}`, () =>
          measureExport(
            srv.origin,
            c,
            srv.pid,
            exportPath(main.groupSlug, main.slug, format),
            format,
            Number(stored.n),
            EXPORT_TIMEOUT_MS,
          ),
        );
        if (run) {
          exportRuns.push(run);
          log(`export ${format}: ${run.rowsPerSecond} rows/s, peak RSS ${run.rssPeakMb} MB`);
        }
      }
      if (exportRuns.length > 0) results.export = { survey: main.slug, runs: exportRuns };
    }
  }
  await server?.stop();

  // 5. Page weight from the build output
  if (runs("page-weight")) {
    results.pageWeight = await section("page weight", async () => measurePageWeight(buildRoot));
  }

  if (options.merge) await section("merge", async () => mergeSizes(results, options.merge!));
  results.targets = targets(results);
  results.machine.loadAverageAtEnd = os.loadavg().map((x) => round(x, 2));
  results.durationSeconds = round((performance.now() - started) / 1000, 1);
  console.log(render(results));
  const out = path.resolve(options.json);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(results, null, 2) + "\n");
  log(
    `results written to ${path.relative(process.cwd(), out) || out} (${results.durationSeconds} s in all)`,
  );
  return results.errors.length > 0 ? 1 : 0;
}

/**
 * Takes in the dashboard sizes (and their seeding) that an earlier run measured and this one did
 * not, e.g. the 1 000 000-response size, which takes most of an hour to seed. Each keeps the date
 * and the load average of the run that measured it.
 */
function mergeSizes(r: Results, file: string): void {
  const earlier = JSON.parse(readFileSync(file, "utf8")) as Partial<Results>;
  const sizes = earlier.dashboards?.sizes;
  if (!Array.isArray(sizes) || !earlier.date || !earlier.machine) {
    throw new Error(`${file} holds no dashboard sizes of a benchmark run`);
  }
  const have = new Set(r.dashboards?.sizes.map((x) => x.responses) ?? []);
  const added = sizes.filter((x) => !have.has(x.responses));
  if (added.length === 0) return;
  const measuredBy = {
    file: path.relative(process.cwd(), file),
    date: earlier.date,
    loadAverageAtStart: earlier.machine.loadAverageAtStart,
    loadAverageAtEnd: earlier.machine.loadAverageAtEnd,
  };
  r.dashboards ??= { group: earlier.dashboards!.group, sizes: [] };
  for (const size of added) r.dashboards.sizes.push({ ...size, measuredBy });
  r.dashboards.sizes.sort((a, b) => a.responses - b.responses);
  const addedCounts = new Set(added.map((x) => x.responses));
  for (const s of earlier.seeding ?? []) {
    const total = s.stage === "large" ? earlier.options?.responses : undefined;
    if (s.survey === r.survey.slug && total !== undefined && addedCounts.has(total)) {
      r.seeding.push({ ...s, stage: `${total} responses (${measuredBy.date})` });
    }
  }
  log(`merged dashboard sizes ${added.map((x) => x.responses).join(", ")} from ${measuredBy.file}`);
}

function targets(r: Results): Target[] {
  const out: Target[] = [];
  const s50 = r.submission?.runs.find((x) => x.connections === 50);
  out.push(
    s50
      ? {
          name: "submission at 50 connections",
          goal: ">= 40 % of baseline, p99 < 100 ms, no errors",
          measured: `${round(s50.ratioToBaseline * 100, 1)} % of baseline (${s50.responsesPerSecond}/${r.baseline?.best.responsesPerSecond ?? "?"} per s), p99 ${s50.latencyMs.p99} ms, ${s50.errors + s50.timeouts + s50.non2xx} errors`,
          met:
            s50.ratioToBaseline >= 0.4 &&
            s50.latencyMs.p99 < 100 &&
            s50.errors + s50.timeouts + s50.non2xx === 0,
        }
      : {
          name: "submission at 50 connections",
          goal: ">= 40 % of baseline, p99 < 100 ms, no errors",
          measured: "not measured",
          met: null,
        },
  );
  // The first request after a new submission, at the run's large size and at every larger size
  // (measured here or taken in with --merge); at 1 000 000 responses only the unfiltered
  // dashboard has a goal.
  const pageTargets = (responses: number) =>
    responses >= 1_000_000
      ? ([["working-group dashboard", 300]] as const)
      : ([
          ["working-group dashboard", 150],
          ["working-group dashboard, country group eu", 300],
          ["overview", 200],
        ] as const);
  const judged = (r.dashboards?.sizes ?? []).filter((x) => x.responses >= r.options.responses);
  if (!judged.some((x) => x.responses === r.options.responses)) {
    judged.unshift({ responses: r.options.responses, pages: [] });
  }
  for (const size of judged) {
    for (const [page, goalMs] of pageTargets(size.responses)) {
      const p = size.pages.find((x) => x.page === page);
      out.push({
        name: `${page} at ${size.responses} responses, first request after a submission`,
        goal: `p50 < ${goalMs} ms`,
        measured: p
          ? `p50 ${p.afterSubmission.p50} ms (p95 ${p.afterSubmission.p95} ms); repeated requests p50 ${p.http.p50} ms; figures computed in-process ${p.sqlComputed.p50} ms${size.measuredBy ? ` (run of ${size.measuredBy.date})` : ""}`
          : "not measured",
        met: p ? p.afterSubmission.p50 < goalMs : null,
      });
    }
  }
  // The weight of the dashboard's first view: every size this run measured, judged on the largest.
  const weight = r.dashboards?.sizes
    .filter((s) => !s.measuredBy)
    .flatMap((s) => s.pages.filter((p) => p.page === "working-group dashboard"))
    .reduce<PageTiming | null>((m, p) => (!m || p.bytes > m.bytes ? p : m), null);
  out.push({
    name: "working-group dashboard HTML",
    goal: "< 120 kB, < 30 kB gzip (first view; later sections load when reached)",
    measured: weight ? `${kb(weight.bytes)} kB, ${kb(weight.gzipBytes)} kB gzip` : "not measured",
    met: weight ? weight.bytes < 120_000 && weight.gzipBytes < 30_000 : null,
  });
  const csv = r.export?.runs.find((x) => x.format === "csv");
  out.push({
    name: `CSV export of ${r.options.responses} responses`,
    goal: ">= 20 000 rows/s, server peak RSS < 200 MB",
    measured: csv ? `${csv.rowsPerSecond} rows/s, peak RSS ${csv.rssPeakMb} MB` : "not measured",
    met: csv ? csv.rowsPerSecond >= 20_000 && csv.rssPeakMb < 200 : null,
  });
  const xlsx = r.export?.runs.find((x) => x.format === "xlsx");
  out.push({
    name: `XLSX export of ${r.options.responses} responses`,
    goal: ">= 5 000 rows/s, server peak RSS < 250 MB",
    measured: xlsx ? `${xlsx.rowsPerSecond} rows/s, peak RSS ${xlsx.rssPeakMb} MB` : "not measured",
    met: xlsx ? xlsx.rowsPerSecond >= 5_000 && xlsx.rssPeakMb < 250 : null,
  });
  const pw = r.pageWeight?.respondent;
  out.push({
    name: "respondent pages JavaScript",
    goal: "< 120 kB gzip on every respondent route, no charting code",
    measured: pw
      ? pw.routes === 0
        ? "no respondent routes in the build"
        : `largest ${kb(pw.maxJsGzipBytes)} kB (${pw.largest}), charts ${pw.anyCharts ? "included" : "absent"}`
      : "not measured",
    met: pw && pw.routes > 0 ? pw.maxJsGzipBytes < 120_000 && !pw.anyCharts : null,
  });
  return out;
}

function render(r: Results): string {
  const parts: string[] = [];
  parts.push(
    `Needsmap benchmark — ${r.date} — ${r.machine.cores} cores (${r.machine.cpu}), ${r.machine.memoryGb} GB, Node ${r.machine.node}, PostgreSQL ${r.machine.postgres}` +
      `\nload average at start ${r.machine.loadAverageAtStart.join(" ")}, at end ${r.machine.loadAverageAtEnd.join(" ")}${r.options.quick ? " — QUICK RUN (small sizes, short loads)" : ""}${r.options.only.length < BENCH_SECTIONS.length ? ` — ONLY ${r.options.only.join(", ")}` : ""}` +
      `\nresponse: ${r.survey.slug}, ${r.survey.answeredQuestions} answered questions, ${r.survey.answerRowsPerResponse} answer rows on average`,
  );
  if (r.baseline) {
    parts.push(
      table(
        "1. Baseline: raw database ceiling (pg, prepared statements, one transaction per response)",
        [
          "connections",
          "seconds",
          "responses",
          "responses/s",
          "p50 ms",
          "p95 ms",
          "p99 ms",
          "DB CPU ms/resp",
        ],
        r.baseline.runs.map((x) => [
          x.connections,
          x.seconds,
          x.responses,
          x.responsesPerSecond,
          x.latencyMs.p50,
          x.latencyMs.p95,
          x.latencyMs.p99,
          x.dbCpuMsPerResponse,
        ]),
      ) +
        `\nbest: ${r.baseline.best.responsesPerSecond} responses/s at ${r.baseline.best.connections} connections`,
    );
  }
  if (r.submission) {
    parts.push(
      table(
        `2. Submission: ${r.submission.endpoint} on the production build`,
        [
          "connections",
          "seconds",
          "responses/s",
          "p50 ms",
          "p95 ms",
          "p99 ms",
          "non-2xx",
          "errors",
          "timeouts",
          "stored",
          "server CPU ms/resp",
          "DB CPU ms/resp",
          "vs baseline",
        ],
        r.submission.runs.map((x) => [
          x.connections,
          x.seconds,
          x.responsesPerSecond,
          x.latencyMs.p50,
          x.latencyMs.p95,
          x.latencyMs.p99,
          x.non2xx,
          x.errors,
          x.timeouts,
          x.stored,
          x.serverCpuMsPerResponse,
          x.dbCpuMsPerResponse,
          `${round(x.ratioToBaseline * 100, 1)} %`,
        ]),
      ),
    );
  }
  if (r.seeding.length > 0) {
    parts.push(
      table(
        "Seeding (batched INSERT … SELECT from unnest(arrays); rates exclude index rebuild and vacuum analyze)",
        [
          "survey",
          "stage",
          "responses",
          "answer rows",
          "insert s",
          "responses/s",
          "rows/s",
          "index rebuild s",
          "vacuum analyze s",
          "reaggregate s",
          "aggregates MB",
        ],
        r.seeding.map((x) => [
          x.survey,
          x.stage,
          x.responses,
          x.answerRows,
          x.seconds,
          x.responsesPerSecond,
          x.answerRowsPerSecond,
          x.indexRebuildSeconds,
          x.vacuumAnalyzeSeconds,
          x.reaggregateSeconds ?? "",
          x.aggregateBytes === undefined ? "" : round(x.aggregateBytes / 1024 ** 2, 1),
        ]),
      ),
    );
  }
  if (r.dashboards) {
    const rows: Cell[][] = [];
    for (const size of r.dashboards.sizes) {
      for (const p of size.pages) {
        rows.push([
          size.responses,
          p.page,
          p.httpFirstMs,
          p.http.p50,
          p.http.p95,
          p.afterSubmission.p50,
          p.afterSubmission.p95,
          p.sqlComputed.p50,
          p.sqlComputed.n,
          p.sqlCached.p50,
          p.overheadP50Ms,
          kb(p.bytes),
          kb(p.gzipBytes),
        ]);
      }
    }
    parts.push(
      table(
        `3. Dashboards (group ${r.dashboards.group}). HTTP: the first request after the data changed, then ${r.options.dashboardRequests} requests after ${r.options.dashboardWarmups} warm-up(s), then ${r.options.dashboardRequests} requests each right after a new submission.` +
          `\n   SQL: dashboards.server.ts in-process on the same database, computed (its result cache emptied before each call) and cached.`,
        [
          "responses",
          "page",
          "HTTP first ms",
          "HTTP p50 ms",
          "HTTP p95 ms",
          "after a submission p50 ms",
          "after a submission p95 ms",
          "SQL computed p50 ms",
          "runs",
          "SQL cached p50 ms",
          "overhead p50 ms",
          "HTML kB",
          "HTML gzip kB",
        ],
        rows,
      ),
    );
  }
  if (r.export) {
    parts.push(
      table(
        `4. Export of ${r.export.survey}`,
        [
          "format",
          "responses",
          "rows in file",
          "MB",
          "seconds",
          "first byte ms",
          "responses/s",
          "records/s",
          "RSS before MB",
          "RSS peak MB",
        ],
        r.export.runs.map((x) => [
          x.format,
          x.responses,
          x.rowsCounted,
          round(x.bytes / 1024 ** 2, 1),
          x.seconds,
          x.firstByteMs,
          x.rowsPerSecond,
          x.recordsPerSecond,
          x.rssBeforeMb,
          x.rssPeakMb,
        ]),
      ),
    );
  }
  if (r.instances) parts.push(renderInstances(r.instances));
  if (r.pageWeight) {
    parts.push(
      table(
        "5. Page weight (gzip -9 of the JS and CSS a first visit to the route loads; initial JS = static imports, judged by the target; lazy = later import() chunks)",
        [
          "kind",
          "route",
          "JS files",
          "initial JS gzip kB",
          "lazy JS files",
          "lazy JS gzip kB",
          "total JS gzip kB",
          "CSS gzip kB",
          "charts",
        ],
        r.pageWeight.routes.map((x) => [
          x.kind,
          x.path,
          x.jsFiles,
          kb(x.jsGzipBytes),
          x.lazyJsFiles,
          kb(x.lazyJsGzipBytes),
          kb(x.totalJsGzipBytes),
          kb(x.cssGzipBytes),
          x.charts,
        ]),
      ),
    );
  }
  parts.push(
    table(
      "Targets",
      ["target", "goal", "measured", "result"],
      r.targets.map((t) => [
        t.name,
        t.goal,
        t.measured,
        t.met === null ? "not measured" : t.met ? "met" : "NOT met",
      ]),
    ),
  );
  if (r.errors.length > 0) {
    parts.push(`\nErrors:\n${r.errors.map((e) => `  ${e.section}: ${e.message}`).join("\n")}`);
  }
  return parts.join("\n") + "\n";
}

// ---------------------------------------------------------------------------------------------
// Instances: the cost of adding app processes on one database

interface InstancesResult {
  connections: number;
  balancer: string;
  runs: Array<SubmissionRun & { instances: number }>;
}

/**
 * Submissions at 50 connections through a round-robin balancer (bench/lib/balancer.ts) to 1, 2,
 * … `options.instances` app processes, each a production server on the same database. Server
 * CPU per response is the sum over the instances.
 */
async function measureInstances(
  buildRoot: string,
  bench: BenchDatabase,
  slug: string,
  payloads: Parameters<typeof runSubmissions>[2],
  options: BenchOptions,
  baselineRps: number,
): Promise<InstancesResult> {
  const connections = 50;
  const runs: InstancesResult["runs"] = [];
  for (let n = 1; n <= Math.max(2, options.instances); n++) {
    const servers: RunningServer[] = [];
    try {
      for (let i = 0; i < n; i++)
        servers.push(await startServer(buildRoot, bench.url, profileArgs(options)));
      const balancer = await startBalancer(servers.map((x) => x.origin));
      try {
        await checkEndpoint(balancer.origin, slug, payloads[0]);
        const [run] = await runSubmissions(
          balancer.origin,
          slug,
          payloads,
          {
            connections: [connections],
            seconds: options.submissionSeconds,
            warmupSeconds: options.submissionWarmupSeconds,
            baselineRps,
            serverPids: servers.map((x) => x.pid),
            dbCpu: () => backendCpuMs(bench.db),
          },
          async (prefix) => {
            const row = await bench.db
              .selectFrom("responses")
              .select((eb) => eb.fn.countAll<number>().as("n"))
              .where("idempotency_key", "like", `${prefix}-%`)
              .where("status", "=", "submitted")
              .executeTakeFirstOrThrow();
            return Number(row.n);
          },
          `i${n}-`,
        );
        runs.push({ ...run, instances: n });
        log(`instances: ${n}: ${run.responsesPerSecond} responses/s, p99 ${run.latencyMs.p99} ms`);
      } finally {
        await balancer.close();
      }
    } finally {
      for (const x of servers) await x.stop();
    }
    await waitForQuiet(bench.db);
  }
  return {
    connections,
    balancer: "round-robin, in the benchmark process (bench/lib/balancer.ts)",
    runs,
  };
}

/** Node.js options of the app servers: a CPU profile each with --cpu-prof DIR. */
function profileArgs(options: BenchOptions): string[] {
  return options.cpuProf ? ["--cpu-prof", "--cpu-prof-dir", options.cpuProf] : [];
}

function renderInstances(r: InstancesResult): string {
  return table(
    `2b. Submission through a round-robin balancer to N app instances on one database, ${r.connections} connections`,
    [
      "instances",
      "responses/s",
      "p50 ms",
      "p95 ms",
      "p99 ms",
      "non-2xx",
      "errors",
      "server CPU ms/resp",
      "DB CPU ms/resp",
      "vs baseline",
    ],
    r.runs.map((x) => [
      x.instances,
      x.responsesPerSecond,
      x.latencyMs.p50,
      x.latencyMs.p95,
      x.latencyMs.p99,
      x.non2xx,
      x.errors + x.timeouts,
      x.serverCpuMsPerResponse,
      x.dbCpuMsPerResponse,
      `${round(x.ratioToBaseline * 100, 1)} %`,
    ]),
  );
}

main()
  .then(async (code) => {
    await runCleanups();
    process.exit(code);
  })
  .catch(async (e: unknown) => {
    console.error(
      e instanceof SetupError
        ? `bench: ${e.message}`
        : e instanceof Error
          ? (e.stack ?? e.message)
          : e,
    );
    await runCleanups();
    process.exit(1);
  });
