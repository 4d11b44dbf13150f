/**
 * Stopping `npm start`: a process manager (or `kill -TERM`) signals the npm process; the server
 * must stop gracefully and leave no process behind and its port free. On the embedded database
 * the server runs on a data directory of its own (so the second start also shows that the first
 * one left it usable); with TEST_DATABASE_URL it runs on a Postgres copy, whose connections must
 * all be closed afterwards.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildIsStale } from "../../scripts/lib/build.mjs";
import { freePort } from "../../scripts/lib/cleanup";
import { createTestDatabase, type TestDatabase } from "./db";

const MINUTE = 60_000;
let dataDir: string;
let database: TestDatabase | null = null;
const started: ChildProcess[] = [];

beforeAll(async () => {
  // `npm start` builds when the build is missing or older than the sources; build once here so
  // that the starts below do not (and so that they do not each wait for a build).
  if (buildIsStale()) {
    const r = spawnSync("npm", ["run", "build"], { stdio: ["ignore", "ignore", "inherit"] });
    expect(r.status, "npm run build").toBe(0);
  }
  dataDir = mkdtempSync(path.join(tmpdir(), "needsmap-start-"));
  if (process.env.TEST_DATABASE_URL) database = await createTestDatabase();
}, 10 * MINUTE);

afterAll(async () => {
  for (const c of started) {
    // Only after a failure is anything left: every process of the start's group (npm may have
    // ended while a server it started still runs).
    try {
      if (c.pid) process.kill(-c.pid, "SIGKILL");
    } catch {
      // nothing left
    }
  }
  await database?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Started {
  npm: ChildProcess;
  port: number;
  origin: string;
  /** Lines written so far (npm's and the server's). */
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves when a line containing `text` has been written. */
  waitFor(text: string): Promise<void>;
}

/** Runs `npm start` and, unless told not to, waits until /healthz answers. */
async function npmStart(options: { waitUntilReady?: boolean } = {}): Promise<Started> {
  const port = await freePort();
  const npm = spawn("npm", ["start"], {
    cwd: process.cwd(),
    // A process group of its own, so that a failed test can still stop everything it started.
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      ...(database?.url ? { DATABASE_URL: database.url } : {}),
      SESSION_SECRET: "start-signals-test-secret-0123456789abcdef",
      DEMO_DATA: "off",
      LOG_LEVEL: "info",
      SHUTDOWN_TIMEOUT: "300",
    },
  });
  started.push(npm);
  const lines: string[] = [];
  const waiters: Array<{ text: string; resolve: () => void }> = [];
  const onData = (chunk: Buffer) => {
    lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    for (const w of [...waiters]) {
      if (lines.some((l) => l.includes(w.text))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  npm.stdout?.on("data", onData);
  npm.stderr?.on("data", onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    npm.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const origin = `http://127.0.0.1:${port}`;
  let gone = false;
  void exited.then(() => (gone = true));
  for (; options.waitUntilReady ?? true; ) {
    if (gone) throw new Error(`npm start ended before the server answered:\n${lines.join("\n")}`);
    try {
      if ((await fetch(`${origin}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    npm,
    port,
    origin,
    lines,
    exited,
    waitFor: (text) =>
      new Promise<void>((resolve) => {
        if (lines.some((l) => l.includes(text))) resolve();
        else waiters.push({ text, resolve });
      }),
  };
}

/** Every process below `pid` (from /proc). */
function descendants(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(name)]);
    } catch {
      // ended meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of parents.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie has ended; only its parent has not collected its exit status yet.
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, "utf8") : "";
  return !/\) Z /.test(stat);
}

/** Whether a connection to the port is refused and the port can be listened on again. */
async function portIsFree(port: number): Promise<boolean> {
  const refused = await new Promise<boolean>((resolve) => {
    const s = connect(port, "127.0.0.1");
    s.once("connect", () => {
      s.destroy();
      resolve(false);
    });
    s.once("error", () => resolve(true));
  });
  const listenable = await new Promise<boolean>((resolve) => {
    const srv = createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
  return refused && listenable;
}

/** Connections the app still holds to its Postgres database (not counting this check's own). */
async function appConnections(): Promise<number> {
  if (!database) return 0;
  const r = await sql<{ n: number }>`
    select count(*)::int as n from pg_stat_activity
    where datname = current_database() and pid <> pg_backend_pid()`.execute(database.db);
  return r.rows[0].n;
}

describe("stopping npm start", () => {
  it(
    "SIGTERM to the npm process stops the server: exit code 0, its port free, no process left",
    async () => {
      const s = await npmStart();
      const below = descendants(s.npm.pid!);
      expect(below.length).toBeGreaterThan(0);
      if (database) expect(await appConnections()).toBeGreaterThan(0);

      s.npm.kill("SIGTERM");
      const { code } = await s.exited;

      expect(code, s.lines.join("\n")).toBe(0);
      expect(s.lines.some((l) => l.includes('"msg":"shutting down"'))).toBe(true);
      expect(s.lines.some((l) => l.includes('"msg":"stopped"') && l.includes('"exitCode":0'))).toBe(true);
      expect(below.filter(alive)).toEqual([]);
      expect(await portIsFree(s.port)).toBe(true);
      expect(await appConnections()).toBe(0);
    },
    10 * MINUTE,
  );

  it(
    "a request in progress when the signal comes gets its whole response; new connections are refused meanwhile",
    async () => {
      // The same data directory again: the first server left it usable.
      const s = await npmStart();

      // A sign-in whose body arrives in two parts: the request is in progress until the second.
      const body = "email=nobody%40example.org&password=not-the-password";
      const socket = connect(s.port, "127.0.0.1");
      await new Promise<void>((r) => socket.once("connect", () => r()));
      let response = "";
      socket.setEncoding("utf8");
      socket.on("data", (c: string) => (response += c));
      const ended = new Promise<void>((r) => socket.once("close", () => r()));
      socket.write(
        [
          "POST /login HTTP/1.1",
          `Host: 127.0.0.1:${s.port}`,
          "Content-Type: application/x-www-form-urlencoded",
          `Content-Length: ${body.length}`,
          "",
          body.slice(0, 20),
        ].join("\r\n"),
      );

      s.npm.kill("SIGTERM");
      await s.waitFor('"msg":"shutting down"');
      await expect(fetch(`${s.origin}/healthz`)).rejects.toThrow();

      socket.write(body.slice(20));
      await ended;
      const { code } = await s.exited;

      expect(response).toMatch(/^HTTP\/1\.1 400 /);
      expect(response).toContain("The e-mail address or the password is not correct");
      // The whole page: the document and the chunked body's final (empty) chunk, which is sent
      // only when the response is complete.
      expect(response).toMatch(/^Transfer-Encoding: chunked\r$/im);
      expect(response).toContain("</html>");
      expect(response.endsWith("\r\n0\r\n\r\n")).toBe(true);
      expect(code, s.lines.join("\n")).toBe(0);
      expect(s.lines.some((l) => l.includes('"msg":"stopped"') && l.includes('"exitCode":0'))).toBe(true);
      expect(await portIsFree(s.port)).toBe(true);
      expect(await appConnections()).toBe(0);
    },
    10 * MINUTE,
  );

  it(
    "SIGTERM while the server is still starting: the start finishes, then the server stops cleanly",
    async () => {
      const s = await npmStart({ waitUntilReady: false });
      // Logged once the database is open, before migrations, surveys and listening.
      await s.waitFor('"msg":"database"');
      const below = descendants(s.npm.pid!);
      s.npm.kill("SIGTERM");
      const { code } = await s.exited;

      expect(code, s.lines.join("\n")).toBe(0);
      expect(s.lines.some((l) => l.includes('"msg":"stopped"') && l.includes('"exitCode":0'))).toBe(true);
      expect(below.filter(alive)).toEqual([]);
      expect(await portIsFree(s.port)).toBe(true);
      expect(await appConnections()).toBe(0);
    },
    10 * MINUTE,
  );
});
