/**
 * Dashboard latency: the pages over HTTP (signed in as an administrator), and the dashboard
 * functions of app/server/dashboards.server.ts called in-process on the same database, to show
 * how much of a page's time is the database work and how much the page around it.
 */
import { gzipSync } from "node:zlib";
import type { Db } from "#db/client";
import { parseEnv } from "~/env.server";
import { commitSession, createSession } from "~/server/auth.server";
import {
  clearDashboardCache,
  groupDashboard,
  overview,
  resolveDashboardSurvey,
} from "~/server/dashboards.server";
import { saveAccount } from "~/server/users.server";
import { SESSION_SECRET } from "./server";
import { quantile, round } from "./util";

const MIN_CELL = 5;

export interface Timing {
  n: number;
  p50: number;
  p95: number;
  max: number;
}

export interface PageTiming {
  page: string;
  path: string;
  /** The first request after the data changed: the figures are computed. */
  httpFirstMs: number;
  /** The following requests (figures the server may have kept since the first one). */
  http: Timing;
  /**
   * The same figures assembled in-process by dashboards.server.ts on the same database, with
   * its result cache emptied before each call: the database queries and their assembly.
   */
  sqlComputed: Timing;
  /** The same call repeated without emptying the cache (what a warm request costs in data). */
  sqlCached: Timing;
  /** HTTP p50 minus cached SQL p50: the rest of the loader, rendering, transfer. */
  overheadP50Ms: number;
  /**
   * Requests each made right after one new response was submitted (stored with its queue entry
   * as the submission path does): the figures include it, whether the drainer has applied it yet
   * or the request folds it in.
   */
  afterSubmission: Timing;
  /** The page's HTML as sent (uncompressed), and gzip-compressed at the server's level. */
  bytes: number;
  gzipBytes: number;
}
export interface DashboardSize {
  responses: number;
  pages: PageTiming[];
  /** Set when the size was measured by an earlier run and taken in with `--merge`. */
  measuredBy?: {
    file: string;
    date: string;
    loadAverageAtStart: number[];
    loadAverageAtEnd: number[];
  };
}

function timing(values: number[]): Timing {
  return {
    n: values.length,
    p50: round(quantile(values, 0.5), 1),
    p95: round(quantile(values, 0.95), 1),
    max: round(Math.max(...values), 1),
  };
}

/** A signed-in administrator's Cookie header for the bench server. */
export async function adminCookie(db: Db): Promise<string> {
  const saved = await saveAccount(
    db,
    {
      email: "bench-admin@needsmap.local",
      name: "Benchmark",
      password: "bench-password-0123456789",
      role: "admin",
      groups: [],
    },
    { by: null, actor: "bench", upsertByEmail: true },
  );
  if (!saved.ok)
    throw new Error(`cannot create the benchmark account: ${JSON.stringify(saved.errors)}`);
  const session = await createSession(db, saved.id);
  const env = parseEnv({
    NODE_ENV: "production",
    SESSION_SECRET,
    LOG_LEVEL: "silent",
    DEMO_DATA: "off",
  });
  const setCookie = await commitSession(env, session);
  return setCookie.split(";")[0];
}

async function get(
  url: string,
  cookie: string,
): Promise<{ ms: number; bytes: number; gzipBytes: number }> {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { cookie, accept: "text/html" }, redirect: "manual" });
  const body = await res.text();
  const ms = performance.now() - t0;
  if (res.status !== 200)
    throw new Error(`GET ${url} answered ${res.status}: ${body.slice(0, 300)}`);
  // The server compresses with zlib's default level (express's compression middleware).
  return { ms, bytes: Buffer.byteLength(body), gzipBytes: gzipSync(body).length };
}

async function repeat(
  n: number,
  f: () => Promise<unknown>,
  budgetMs = Infinity,
): Promise<number[]> {
  const values: number[] = [];
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await f();
    values.push(performance.now() - t0);
    if (performance.now() - started > budgetMs) break;
  }
  return values;
}

export interface DashboardRuns {
  warmups: number;
  requests: number;
  /** In-process runs with the cache emptied (each one computes everything). */
  computedRuns: number;
  /** Stop the computed runs after this long (at least one runs). */
  computedBudgetMs: number;
}

export async function measureDashboards(
  db: Db,
  origin: string,
  cookie: string,
  groupSlug: string,
  responses: number,
  runs: DashboardRuns,
  submitOne: () => Promise<void>,
): Promise<DashboardSize> {
  const groupIds = (await db.selectFrom("working_groups").select("id").execute()).map((g) => g.id);
  const pages: Array<{ page: string; path: string; sql: () => Promise<unknown> }> = [
    {
      page: "working-group dashboard",
      path: `/staff/groups/${groupSlug}`,
      sql: async () => {
        const survey = await resolveDashboardSurvey(db, groupSlug);
        if (!survey) throw new Error(`no survey for group ${groupSlug}`);
        return groupDashboard(db, survey, {}, { minCell: MIN_CELL });
      },
    },
    {
      page: "working-group dashboard, country group eu",
      path: `/staff/groups/${groupSlug}?country_group=eu`,
      sql: async () => {
        const survey = await resolveDashboardSurvey(db, groupSlug);
        if (!survey) throw new Error(`no survey for group ${groupSlug}`);
        return groupDashboard(db, survey, { countryGroup: "eu" }, { minCell: MIN_CELL });
      },
    },
    {
      page: "overview",
      path: "/staff/overview",
      sql: () => overview(db, groupIds, {}, { minCell: MIN_CELL }),
    },
  ];
  const out: PageTiming[] = [];
  for (const p of pages) {
    const first = await get(origin + p.path, cookie);
    for (let i = 0; i < runs.warmups - 1; i++) await get(origin + p.path, cookie);
    let { bytes, gzipBytes } = first;
    const http = await repeat(runs.requests, async () => {
      ({ bytes, gzipBytes } = await get(origin + p.path, cookie));
    });
    const computed = await repeat(
      runs.computedRuns,
      () => {
        clearDashboardCache(db);
        return p.sql();
      },
      runs.computedBudgetMs,
    );
    await p.sql();
    const cached = await repeat(runs.requests, p.sql);
    const afterSubmission: number[] = [];
    for (let i = 0; i < runs.requests; i++) {
      await submitOne();
      afterSubmission.push((await get(origin + p.path, cookie)).ms);
    }
    const httpTiming = timing(http);
    const cachedTiming = timing(cached);
    out.push({
      page: p.page,
      path: p.path,
      httpFirstMs: round(first.ms, 1),
      http: httpTiming,
      sqlComputed: timing(computed),
      sqlCached: cachedTiming,
      overheadP50Ms: round(httpTiming.p50 - cachedTiming.p50, 1),
      afterSubmission: timing(afterSubmission),
      bytes,
      gzipBytes,
    });
  }
  return { responses, pages: out };
}
