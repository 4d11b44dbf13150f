import type { Server } from "node:http";
import { constants } from "node:os";

export interface ShutdownLogger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export interface ShutdownOptions {
  server: Server;
  logger: ShutdownLogger;
  /** How long requests in progress may take to finish before their connections are cut. */
  timeoutMs: number;
  /** Stops background work and closes the database, once no request is left. */
  close: () => Promise<unknown>;
  /** How long closing the database may take after that (default 5 s). */
  closeTimeoutMs?: number;
  /**
   * A repeat of a signal within this time of the first one is the same stop request: Ctrl-C in
   * a terminal reaches both `npm` and the server, and npm passes it on once more (default 1 s).
   */
  repeatWindowMs?: number;
  exit?: (code: number) => void;
  now?: () => number;
}

/**
 * Graceful stop of the HTTP server: on the first stop request it stops accepting connections,
 * lets requests in progress finish (their connections close after the response; idle keep-alive
 * connections close at once), cuts what is left after `timeoutMs`, then closes the database and
 * exits 0 (1 when requests had to be cut or the database did not close). Another stop request
 * while this runs exits at once with 128 + the signal's number.
 */
export function createShutdown(options: ShutdownOptions) {
  const { server, logger } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const now = options.now ?? Date.now;
  const repeatWindowMs = options.repeatWindowMs ?? 1_000;
  let closing = false;
  let firstAt = 0;
  let firstSignal = "";
  let done: Promise<number> | null = null;

  // Before the app's own listener, so that the header is set before anything is sent.
  server.prependListener("request", (_req, res) => {
    if (closing) res.setHeader("Connection", "close");
    res.once("finish", () => {
      if (closing) setImmediate(() => server.closeIdleConnections());
    });
  });

  async function run(signal: string): Promise<number> {
    let cut = false;
    const drained = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    // Logged once the port no longer accepts connections.
    logger.info("shutting down", { signal, timeoutSeconds: options.timeoutMs / 1000 });
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        cut = true;
        resolve();
      }, options.timeoutMs);
    });
    await Promise.race([drained, deadline]);
    clearTimeout(timer);
    if (cut) {
      logger.warn("requests still in progress at the shutdown deadline: closing their connections");
      server.closeAllConnections();
    }
    let closed = false;
    const closeTimeoutMs = options.closeTimeoutMs ?? 5_000;
    let closeTimer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        options.close().then(() => (closed = true)),
        new Promise((resolve) => (closeTimer = setTimeout(resolve, closeTimeoutMs))),
      ]);
    } catch (e) {
      logger.error("closing the database failed", { error: e instanceof Error ? e.message : String(e) });
    } finally {
      clearTimeout(closeTimer);
    }
    if (!closed) logger.error("the database did not close in time");
    const code = cut || !closed ? 1 : 0;
    logger.info("stopped", { exitCode: code });
    return code;
  }

  return {
    /** Handles one stop request (a signal's name). Resolves with the exit code once stopped. */
    request(signal: string): Promise<number> | null {
      if (!closing) {
        closing = true;
        firstAt = now();
        firstSignal = signal;
        done = run(signal).then((code) => {
          exit(code);
          return code;
        });
        return done;
      }
      if (signal === firstSignal && now() - firstAt < repeatWindowMs) return done;
      logger.warn("second stop request: exiting at once", { signal });
      exit(exitCodeOf(signal));
      return done;
    },
    /** Listens for SIGTERM and SIGINT. */
    listen() {
      for (const s of STOP_SIGNALS) process.on(s, () => void this.request(s));
    },
  };
}

export type Shutdown = ReturnType<typeof createShutdown>;

const STOP_SIGNALS = ["SIGTERM", "SIGINT"] as const;

/** 128 + the signal's number, as a shell reports a process ended by that signal. */
function exitCodeOf(signal: string): number {
  return 128 + ((constants.signals as Record<string, number | undefined>)[signal] ?? 0);
}

/**
 * Stop requests that arrive while the server is still starting (opening the database, running
 * migrations, loading surveys and demo data): the start goes on to its end, so the database is
 * never left half-written, and `handOver` then stops the server as usual. Another stop request
 * in the meantime (not a repeat within `repeatWindowMs`, see createShutdown) exits at once.
 */
export function holdStopRequestsWhileStarting(options: {
  logger: Pick<ShutdownLogger, "info" | "warn">;
  exit?: (code: number) => void;
  now?: () => number;
  repeatWindowMs?: number;
  listen?: boolean;
}) {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const now = options.now ?? Date.now;
  const repeatWindowMs = options.repeatWindowMs ?? 1_000;
  let first: { signal: string; at: number } | null = null;
  const request = (signal: string) => {
    if (!first) {
      first = { signal, at: now() };
      options.logger.info("stopping once the start has finished; a second stop request stops at once", { signal });
      return;
    }
    if (signal === first.signal && now() - first.at < repeatWindowMs) return;
    options.logger.warn("second stop request: exiting at once", { signal });
    exit(exitCodeOf(signal));
  };
  const handlers = STOP_SIGNALS.map((s) => [s, () => request(s)] as const);
  if (options.listen ?? true) for (const [s, h] of handlers) process.on(s, h);
  return {
    request,
    /**
     * The server is ready: from now on `shutdown` handles stop requests, starting with one made
     * meanwhile (whose exit code the result resolves with; null when there was none).
     */
    handOver(shutdown: Shutdown): Promise<number> | null {
      for (const [s, h] of handlers) process.off(s, h);
      if (options.listen ?? true) shutdown.listen();
      return first ? shutdown.request(first.signal) : null;
    },
  };
}
