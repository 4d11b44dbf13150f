/**
 * Submissions through the real server: autocannon posts complete responses as JSON to
 * POST /api/surveys/:slug/responses, each with its own idempotency key.
 */
import autocannon from "autocannon";
import type { Payload } from "./payload";
import { cpuMsOf } from "./server";
import { log, quantile, round } from "./util";

export interface SubmissionRun {
  connections: number;
  seconds: number;
  requests: number;
  /** 2xx answers per second. */
  responsesPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  status: Record<string, number>;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Responses the database holds afterwards for this run (should equal the 2xx count). */
  stored: number;
  /** Server process CPU time per stored response (less sensitive to a busy machine than rates). */
  serverCpuMsPerResponse: number | null;
  /** CPU time of the database backends per stored response. */
  dbCpuMsPerResponse: number | null;
  ratioToBaseline: number;
}

export function submissionPath(slug: string): string {
  return `/api/surveys/${slug}/responses`;
}

function bodyFactory(payloads: readonly Payload[], prefix: string) {
  let n = 0;
  return () => {
    const p = payloads[n % payloads.length];
    const key = `${prefix}-${(n++).toString(36)}`;
    return `{"idempotencyKey":"${key}","locale":"${p.locale}","answers":${p.answersJson}}`;
  };
}

/** One request with a fresh key: the endpoint must take the payload (else the benchmark stops with its answer). */
export async function checkEndpoint(origin: string, slug: string, payload: Payload): Promise<void> {
  const body = bodyFactory([payload], `check${Date.now().toString(36)}`)();
  let res: Response;
  try {
    res = await fetch(origin + submissionPath(slug), {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", Origin: origin },
      body,
    });
  } catch (e) {
    throw new Error(
      `POST ${submissionPath(slug)} failed: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  const text = await res.text();
  if (res.status !== 201) {
    throw new Error(
      `POST ${submissionPath(slug)} answered ${res.status} instead of 201: ${text.slice(0, 600)}`,
    );
  }
}

async function load(
  origin: string,
  slug: string,
  payloads: readonly Payload[],
  connections: number,
  seconds: number,
  prefix: string,
) {
  const nextBody = bodyFactory(payloads, prefix);
  const latencies: number[] = [];
  const status: Record<string, number> = {};
  const instance = autocannon({
    url: origin,
    connections,
    duration: seconds,
    timeout: 10,
    requests: [
      {
        method: "POST",
        path: submissionPath(slug),
        headers: { "content-type": "application/json", accept: "application/json", origin },
        setupRequest: (req) => ({ ...req, body: nextBody() }),
      },
    ],
  });
  instance.on(
    "response",
    (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      latencies.push(responseTime);
      status[statusCode] = (status[statusCode] ?? 0) + 1;
    },
  );
  const result = await instance;
  return { result, latencies, status };
}

export async function runSubmissions(
  origin: string,
  slug: string,
  payloads: readonly Payload[],
  options: {
    connections: readonly number[];
    seconds: number;
    warmupSeconds: number;
    baselineRps: number;
    serverPid?: number;
    /** Several servers (instances behind a balancer): their CPU is summed. */
    serverPids?: readonly number[];
    dbCpu?: () => Promise<number | null>;
  },
  countStored: (prefix: string) => Promise<number>,
  /** Prepended to the idempotency keys, so that repeated loads of one process stay apart. */
  keyPrefix = "",
): Promise<SubmissionRun[]> {
  const pids = options.serverPids ?? (options.serverPid ? [options.serverPid] : []);
  const cpuOf = () => {
    let total = 0;
    for (const pid of pids) {
      const ms = cpuMsOf(pid);
      if (ms === null) return null;
      total += ms;
    }
    return pids.length > 0 ? total : null;
  };
  const runs: SubmissionRun[] = [];
  for (const connections of options.connections) {
    if (options.warmupSeconds > 0)
      await load(
        origin,
        slug,
        payloads,
        connections,
        options.warmupSeconds,
        `${keyPrefix}warm${connections}`,
      );
    const prefix = `${keyPrefix}load${connections}`;
    const dbBefore = options.dbCpu ? await options.dbCpu() : null;
    const cpuBefore = cpuOf();
    const { result, latencies, status } = await load(
      origin,
      slug,
      payloads,
      connections,
      options.seconds,
      prefix,
    );
    const cpuAfter = cpuOf();
    const dbAfter = options.dbCpu ? await options.dbCpu() : null;
    const ok = Object.entries(status).reduce(
      (s, [code, n]) => (code.startsWith("2") ? s + n : s),
      0,
    );
    const seconds = result.duration;
    const rps = ok / seconds;
    const run: SubmissionRun = {
      connections,
      seconds: round(seconds, 2),
      requests: latencies.length,
      responsesPerSecond: round(rps, 0),
      latencyMs: {
        p50: round(quantile(latencies, 0.5), 1),
        p95: round(quantile(latencies, 0.95), 1),
        p99: round(quantile(latencies, 0.99), 1),
        max: round(Math.max(...latencies), 1),
      },
      status,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      stored: await countStored(prefix),
      serverCpuMsPerResponse:
        cpuBefore !== null && cpuAfter !== null && ok > 0
          ? round((cpuAfter - cpuBefore) / ok, 2)
          : null,
      dbCpuMsPerResponse:
        dbBefore !== null && dbAfter !== null && ok > 0
          ? round((dbAfter - dbBefore) / ok, 2)
          : null,
      ratioToBaseline: round(rps / options.baselineRps, 3),
    };
    log(
      `submission: ${connections} connections: ${run.responsesPerSecond} responses/s, p99 ${run.latencyMs.p99} ms, non-2xx ${run.non2xx}, errors ${run.errors}`,
    );
    runs.push(run);
  }
  return runs;
}
