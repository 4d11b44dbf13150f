/** The production build, served by `node build/app-server.js` as a child process. */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../../scripts/lib/cleanup";
import { log, onCleanup, sleep } from "./util";

const STAMP = "build/app-server.js";
const SOURCES = ["app", "server", "db", "package-lock.json", "vite.config.ts", "remix.config.js"];

function newest(p: string): number {
  if (!existsSync(p)) return 0;
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(p).reduce((m, name) => Math.max(m, newest(path.join(p, name))), s.mtimeMs);
}

/** Builds the app when there is no build or a source is newer than it (as `npm start` does). */
export function ensureBuild(): { built: boolean; seconds: number } {
  const stale =
    !existsSync(STAMP) ||
    !existsSync("build/server/index.js") ||
    !existsSync("build/client") ||
    Math.max(...SOURCES.map(newest)) > statSync(STAMP).mtimeMs;
  if (!stale) return { built: false, seconds: 0 };
  log("building the app (no build, or sources newer than build/app-server.js)…");
  const started = performance.now();
  // The build's output goes to stderr: stdout carries only the result tables.
  const r = spawnSync("npm", ["run", "build"], { stdio: ["ignore", 2, 2] });
  if (r.status !== 0) throw new Error(`npm run build failed (exit ${r.status ?? r.signal})`);
  return { built: true, seconds: Math.round((performance.now() - started) / 100) / 10 };
}

/**
 * A private copy of the build (in the system's temporary directory, with node_modules linked),
 * so that a rebuild by someone else during the run cannot change or remove what is measured.
 * Returns the directory holding `build/`.
 */
export function snapshotBuild(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "needsmap-bench-"));
  onCleanup(`remove ${dir}`, () => rmSync(dir, { recursive: true, force: true }));
  cpSync("build", path.join(dir, "build"), { recursive: true });
  symlinkSync(path.resolve("node_modules"), path.join(dir, "node_modules"), "dir");
  // The bundled server is an ES module: its package scope must say so.
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ type: "module", private: true }));
  return dir;
}

export const SESSION_SECRET = "bench-session-secret-0123456789abcdefghijkl";

export interface RunningServer {
  origin: string;
  pid: number;
  child: ChildProcess;
  /** The last lines the server wrote (for error messages). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts the production server (`<root>/build/app-server.js`, run from the repository so that
 * it finds surveys/) on the bench database and waits until /healthz answers.
 */
export async function startServer(
  root: string,
  databaseUrl: string,
  extraArgs: string[] = [],
): Promise<RunningServer> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  // A clean environment: only what the app needs, so nothing from the caller's shell
  // (PUBLIC_URL, SMTP_URL, DATA_DIR…) changes what is measured.
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    HOST: "127.0.0.1",
    SESSION_SECRET,
    LOG_LEVEL: "warn",
    DEMO_DATA: "off",
    // The benchmark posts thousands of responses from one address: no per-address limit.
    RESPONSE_RATE_LIMIT: "0",
  };
  const child = spawn(process.execPath, [...extraArgs, path.join(root, STAMP)], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    if (lines.length > 40) lines.splice(0, lines.length - 40);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let exited: number | string | null = null;
  const exitedPromise = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      exited = code ?? signal ?? "unknown";
      resolve();
    }),
  );
  // Last resort if the benchmark itself dies without running its clean-ups.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);

  const stop = async () => {
    if (exited !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exitedPromise;
    clearTimeout(timer);
    process.removeListener("exit", killOnExit);
  };
  const removeCleanup = onCleanup(`stop server ${child.pid}`, stop);
  const output = () => lines.join("\n");

  const deadline = Date.now() + 90_000;
  for (;;) {
    if (exited !== null) {
      removeCleanup();
      throw new Error(`the server exited (${exited}) before it was ready:\n${output()}`);
    }
    try {
      const res = await fetch(`${origin}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the server did not answer /healthz within 90 s:\n${output()}`);
    }
    await sleep(100);
  }
  log(`server ${child.pid} ready on ${origin}`);
  return {
    origin,
    pid: child.pid!,
    child,
    output,
    stop: async () => {
      removeCleanup();
      await stop();
    },
  };
}

function statusField(pid: number, field: string): number | null {
  try {
    const m = readFileSync(`/proc/${pid}/status`, "utf8").match(
      new RegExp(`^${field}:\\s+(\\d+) kB`, "m"),
    );
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** CPU time (user + system) a process has used, in milliseconds (Linux /proc; clock ticks of 10 ms). */
export function cpuMsOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Fields 14 and 15 of stat (utime, stime) are the 12th and 13th after the command name.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/** Resident set size of a process in bytes (Linux /proc), null where unavailable. */
export function rssOf(pid: number): number | null {
  return statusField(pid, "VmRSS");
}

/**
 * Samples a process's RSS every `intervalMs` until stopped, and also resets and reads the
 * kernel's own peak (VmHWM) where allowed, so that a short spike between samples is not missed.
 */
export function watchRss(pid: number, intervalMs = 50) {
  let hwmReset = false;
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    hwmReset = true;
  } catch {
    // not allowed here: sampling alone
  }
  const before = rssOf(pid) ?? 0;
  let peak = before;
  const timer = setInterval(() => {
    const v = rssOf(pid);
    if (v !== null && v > peak) peak = v;
  }, intervalMs);
  return {
    before,
    stop(): { before: number; peak: number; source: "sampled" | "sampled+VmHWM" } {
      clearInterval(timer);
      const now = rssOf(pid);
      if (now !== null && now > peak) peak = now;
      if (hwmReset) {
        const hwm = statusField(pid, "VmHWM");
        if (hwm !== null && hwm > peak) peak = hwm;
      }
      return { before, peak, source: hwmReset ? "sampled+VmHWM" : "sampled" };
    },
  };
}
