/**
 * Dashboard latency: the pages over HTTP (signed in as an administrator), and the dashboard
 * functions of app/server/dashboards.server.ts called in-process on the same database, to show
 * how much of a page's time is the database work and how much the page around it.
 */
import type { Db } from "#db/client";
import { parseEnv } from "~/env.server";
import { commitSession, createSession } from "~/server/auth.server";
import { groupDashboard, overview, resolveDashboardSurvey } from "~/server/dashboards.server";
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
  http: Timing;
  /** The same figures assembled in-process (database queries and their assembly). */
  sql: Timing;
  /** HTTP p50 minus SQL p50: loader extras, rendering, transfer. */
  overheadP50Ms: number;
  bytes: number;
}

export interface DashboardSize {
  responses: number;
  pages: PageTiming[];
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

async function timeHttp(
  url: string,
  cookie: string,
  warmups: number,
  n: number,
): Promise<{ timing: Timing; bytes: number }> {
  const values: number[] = [];
  let bytes = 0;
  for (let i = 0; i < warmups + n; i++) {
    const t0 = performance.now();
    const res = await fetch(url, { headers: { cookie, accept: "text/html" }, redirect: "manual" });
    const body = await res.text();
    const ms = performance.now() - t0;
    if (res.status !== 200)
      throw new Error(`GET ${url} answered ${res.status}: ${body.slice(0, 300)}`);
    bytes = Buffer.byteLength(body);
    if (i >= warmups) values.push(ms);
  }
  return { timing: timing(values), bytes };
}

async function timeSql(f: () => Promise<unknown>, warmups: number, n: number): Promise<Timing> {
  const values: number[] = [];
  for (let i = 0; i < warmups + n; i++) {
    const t0 = performance.now();
    await f();
    if (i >= warmups) values.push(performance.now() - t0);
  }
  return timing(values);
}

export async function measureDashboards(
  db: Db,
  origin: string,
  cookie: string,
  groupSlug: string,
  responses: number,
  { warmups, requests }: { warmups: number; requests: number },
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
      page: "overview",
      path: "/staff/overview",
      sql: () => overview(db, groupIds, {}, { minCell: MIN_CELL }),
    },
  ];
  const out: PageTiming[] = [];
  for (const p of pages) {
    const http = await timeHttp(origin + p.path, cookie, warmups, requests);
    const sql = await timeSql(p.sql, warmups, requests);
    out.push({
      page: p.page,
      path: p.path,
      http: http.timing,
      sql,
      overheadP50Ms: round(http.timing.p50 - sql.p50, 1),
      bytes: http.bytes,
    });
  }
  return { responses, pages: out };
}
