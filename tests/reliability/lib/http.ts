/**
 * HTTP for simulated respondents: a cookie jar, requests spread over several app instances (as
 * a load balancer would), and retries with exponential backoff on connection errors and 503,
 * each retry repeating the same request (same idempotency key) on the next instance.
 */
import { log, sleep } from "./util";

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  location: string | null;
  origin: string;
}

/** What every request of a run adds up to. */
export class Stats {
  requests = 0;
  byStatus = new Map<number, number>();
  networkErrors = 0;
  networkErrorKinds = new Map<string, number>();
  retries = 0;
  /** 503s with a clear message and no stack trace: when the request was sent and when the reply came (ms since the start). */
  clear503: Array<{ sent: number; at: number }> = [];
  /** The clear 503s by kind of reply: a page (HTML) or JSON. */
  clear503Kinds = new Map<"page" | "json", number>();
  /** Any other 5xx, or a 503 whose body is not clear: each one is an integrity violation. */
  badReplies: Array<{ at: number; method: string; path: string; status: number; body: string }> = [];
  latencies: number[] = [];
  /** Requests that a client gave up on after retrying until its deadline. */
  gaveUp = 0;

  count(status: number) {
    this.byStatus.set(status, (this.byStatus.get(status) ?? 0) + 1);
  }
}

const STACK_TRACE = /\n\s+at [^\n]+:\d+:\d+|node_modules\/|\.tsx?:\d+:\d+|\bError: [^\n]*\n\s+at /;

/** A 503 a respondent can understand: says what happened, shows no stack trace. */
export function isClear503(text: string): boolean {
  if (STACK_TRACE.test(text)) return false;
  return /temporarily unavailable|cannot reach its database|try again/i.test(text);
}

export function hasStackTrace(text: string): boolean {
  return STACK_TRACE.test(text);
}

/**
 * fetch and read the whole body, giving up after `ms`. The timer is an ordinary one held until
 * the end (an `AbortSignal.timeout` signal that only fetch refers to may be garbage-collected
 * together with its timer), and the race does not depend on fetch honouring the abort: a request
 * whose connection died without fetch noticing still ends, as an error the caller retries.
 */
export async function fetchText(url: string, init: RequestInit, ms: number): Promise<{ res: Response; text: string }> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`no complete answer within ${ms} ms`);
      controller.abort(error);
      reject(Object.assign(error, { cause: { code: "TIMEOUT" } }));
    }, ms);
  });
  try {
    return await Promise.race([
      (async () => {
        const res = await fetch(url, { ...init, signal: controller.signal });
        return { res, text: await res.text() };
      })(),
      expired,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export class Balancer {
  private next = 0;
  constructor(readonly origins: string[]) {}
  pick(): string {
    const origin = this.origins[this.next % this.origins.length];
    this.next++;
    return origin;
  }
}

export interface RequestOptions {
  body?: string | URLSearchParams;
  contentType?: string;
  accept?: string;
  /** Retry connection errors and 503 until this many ms have passed (0: no retry). */
  retryForMs?: number;
  /** Statuses that count as an answer without retrying (default: all but 502/503/504). */
  headers?: Record<string, string>;
}

export class Client {
  private cookies = new Map<string, string>();
  constructor(
    private readonly balancer: Balancer,
    private readonly stats: Stats,
    private readonly forwardedFor: string,
    private readonly t0: number,
  ) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  private keepCookies(headers: Headers) {
    for (const c of headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair.indexOf("=");
      if (i <= 0) continue;
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      if (value === "" || /max-age=0|expires=thu, 01 jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<Reply> {
    const deadline = Date.now() + (options.retryForMs ?? 60_000);
    for (let attempt = 0; ; attempt++) {
      const origin = this.balancer.pick();
      const headers: Record<string, string> = {
        "X-Forwarded-For": this.forwardedFor,
        "Accept-Language": "en",
        Accept: options.accept ?? "text/html",
        ...options.headers,
      };
      if (method !== "GET") headers.Origin = origin;
      if (options.contentType) headers["Content-Type"] = options.contentType;
      const cookie = this.cookieHeader();
      if (cookie) headers.Cookie = cookie;
      const started = performance.now();
      const sent = Date.now() - this.t0;
      let reply: Reply | null = null;
      try {
        const { res, text } = await fetchText(`${origin}${path}`, { method, headers, body: options.body, redirect: "manual" }, 30_000);
        reply = { status: res.status, headers: res.headers, text, location: res.headers.get("Location"), origin };
        this.keepCookies(res.headers);
      } catch (e) {
        this.stats.networkErrors++;
        const cause = (e as { cause?: { code?: string; message?: string } }).cause;
        const kind = cause?.code ?? cause?.message ?? (e as Error).message;
        this.stats.networkErrorKinds.set(kind, (this.stats.networkErrorKinds.get(kind) ?? 0) + 1);
      }
      this.stats.requests++;
      if (reply) {
        this.stats.latencies.push(performance.now() - started);
        this.stats.count(reply.status);
        if (reply.status >= 500) {
          if (reply.status === 503 && isClear503(reply.text)) {
            this.stats.clear503.push({ sent, at: Date.now() - this.t0 });
            const kind = /json/.test(reply.headers.get("Content-Type") ?? "") ? "json" : "page";
            this.stats.clear503Kinds.set(kind, (this.stats.clear503Kinds.get(kind) ?? 0) + 1);
          }
          else this.stats.badReplies.push({ at: Date.now() - this.t0, method, path, status: reply.status, body: reply.text.slice(0, 400) });
        }
        if (reply.status < 502 || reply.status > 504) return reply;
      }
      if (Date.now() > deadline || options.retryForMs === 0) {
        if (reply) return reply;
        this.stats.gaveUp++;
        throw new Error(`${method} ${path}: no answer after ${attempt + 1} attempts`);
      }
      this.stats.retries++;
      const retryAfter = Number(reply?.headers.get("Retry-After") ?? "0");
      const backoff = Math.min(2_000, 100 * 2 ** Math.min(attempt, 5)) * (0.5 + Math.random());
      await sleep(retryAfter > 0 ? Math.min(backoff, retryAfter * 1000) : backoff);
    }
  }
}

/** Polls /healthz of every instance and keeps the timeline. */
export function pollHealth(origins: string[], t0: number, intervalMs = 200) {
  /** `sent`: when the poll was sent; `at`: when its answer (or failure) came, both in ms after t0. */
  const samples: Array<{ sent: number; at: number; origin: string; status: number; body: string }> = [];
  let stopped = false;
  const loop = async () => {
    while (!stopped) {
      await Promise.all(
        origins.map(async (origin) => {
          const sent = Date.now() - t0;
          try {
            const { res, text } = await fetchText(`${origin}/healthz`, {}, 3_000);
            samples.push({ sent, at: Date.now() - t0, origin, status: res.status, body: text.slice(0, 200) });
          } catch {
            samples.push({ sent, at: Date.now() - t0, origin, status: 0, body: "no connection" });
          }
        }),
      );
      await sleep(intervalMs);
    }
  };
  const done = loop().catch((e: unknown) => log(`health poller: ${String(e)}`));
  return {
    samples,
    async stop() {
      stopped = true;
      await done;
    },
  };
}
