/**
 * The production server (`node build/app-server.js`) as child processes. The build is copied
 * to a temporary directory first, so that a rebuild in the working tree during a run does not
 * change the server under test.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildIsStale } from "../../../scripts/lib/build.mjs";
import { freePort, log, onCleanup, sleep } from "./util";

/** Builds when there is no build or a source is newer than it (as `npm start` does). */
export function ensureBuild(): boolean {
  if (!buildIsStale()) return false;
  log("building the app (no build, or sources newer than the build)…");
  const r = spawnSync("npm", ["run", "build"], { stdio: ["ignore", "inherit", "inherit"] });
  if (r.status !== 0) throw new Error(`npm run build failed (${r.status})`);
  return true;
}

/** A private copy of build/ whose app-server.js resolves packages from this repository. */
export function snapshotBuild(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "needsmap-app-"));
  cpSync("build", path.join(dir, "build"), { recursive: true });
  symlinkSync(path.resolve("node_modules"), path.join(dir, "node_modules"), "dir");
  onCleanup("build snapshot", () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export const SESSION_SECRET = "load-test-session-secret-0123456789abcdef";

export interface AppProcess {
  name: string;
  origin: string;
  port: number;
  pid(): number | undefined;
  /** Starts (again) and waits until /healthz answers 200. */
  start(): Promise<number>;
  /** kill -9 */
  kill9(): void;
  stop(): Promise<void>;
  output(): string;
  /** Lines the server wrote to stderr (errors), for the stack-trace check. */
  errors(): string[];
}

export interface AppOptions {
  name: string;
  appDir: string;
  databaseUrl?: string;
  dataDir?: string;
  env?: Record<string, string>;
}

export async function createApp(options: AppOptions): Promise<AppProcess> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  const lines: string[] = [];
  const errorLines: string[] = [];
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: "production",
    PORT: String(port),
    HOST: "127.0.0.1",
    SESSION_SECRET,
    LOG_LEVEL: "warn",
    DEMO_DATA: "off",
    // A quick run leaves a survey with only a few responses, and the free-text list withholds the
    // answers of fewer than MIN_CELL_SIZE respondents: the output checks must see the answers.
    MIN_CELL_SIZE: "1",
    PUBLIC_URL: origin,
    // The harness plays the load balancer on this machine: simulated respondents and the checks
    // give their addresses in X-Forwarded-For (the hardening checks start an instance without
    // this setting to show that X-Forwarded-For is then ignored).
    TRUST_PROXY: "loopback",
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    ...(options.dataDir ? { DATA_DIR: options.dataDir } : {}),
    ...options.env,
  };
  const keep = (into: string[]) => (chunk: Buffer) => {
    into.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    if (into.length > 400) into.splice(0, into.length - 400);
  };
  const app: AppProcess = {
    name: options.name,
    origin,
    port,
    pid: () => child?.pid,
    async start() {
      const startedAt = Date.now();
      const c = spawn(process.execPath, [path.join(options.appDir, "build/app-server.js")], {
        env,
        cwd: process.cwd(),
        stdio: ["ignore", "pipe", "pipe"],
      });
      child = c;
      let gone = false;
      exited = new Promise((resolve) =>
        c.once("exit", () => {
          gone = true;
          resolve();
        }),
      );
      c.stdout?.on("data", keep(lines));
      c.stderr?.on("data", (chunk: Buffer) => {
        keep(lines)(chunk);
        keep(errorLines)(chunk);
      });
      const deadline = Date.now() + 120_000;
      for (;;) {
        if (gone) throw new Error(`${options.name} exited before it was ready:\n${lines.slice(-20).join("\n")}`);
        try {
          const res = await fetch(`${origin}/healthz`);
          if (res.ok) break;
        } catch {
          // not listening yet
        }
        if (Date.now() > deadline) throw new Error(`${options.name} did not answer /healthz within 120 s`);
        await sleep(100);
      }
      return Date.now() - startedAt;
    },
    kill9() {
      child?.kill("SIGKILL");
    },
    async stop() {
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child?.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
    output: () => lines.join("\n"),
    errors: () => [...errorLines],
  };
  onCleanup(`stop ${options.name}`, () => app.stop());
  process.once("exit", () => child?.kill("SIGKILL"));
  log(`${options.name} on ${origin}`);
  return app;
}
