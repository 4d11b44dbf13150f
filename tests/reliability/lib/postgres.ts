/**
 * A private PostgreSQL server for fault tests: initdb into a temporary directory, its own port
 * and socket directory, started, stopped and restarted with pg_ctl. Nothing else on the machine
 * is touched. When run as root, the server runs as the `postgres` system user (Postgres refuses
 * to run as root).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "./util";

export function postgresBinDir(): string {
  const fromEnv = process.env.PG_BIN_DIR;
  if (fromEnv && existsSync(path.join(fromEnv, "initdb"))) return fromEnv;
  const base = "/usr/lib/postgresql";
  if (existsSync(base)) {
    const versions = readdirSync(base).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) {
      const dir = path.join(base, v, "bin");
      if (existsSync(path.join(dir, "initdb"))) return dir;
    }
  }
  const which = spawnSync("sh", ["-c", "command -v initdb"], { encoding: "utf8" });
  if (which.status === 0 && which.stdout.trim()) return path.dirname(which.stdout.trim());
  throw new Error("PostgreSQL server binaries (initdb, pg_ctl) not found: install PostgreSQL or set PG_BIN_DIR");
}

function systemUser(name: string): { uid: number; gid: number } | null {
  const r = spawnSync("id", ["-u", name], { encoding: "utf8" });
  const g = spawnSync("id", ["-g", name], { encoding: "utf8" });
  if (r.status !== 0 || g.status !== 0) return null;
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

export interface PrivatePostgres {
  port: number;
  dir: string;
  /** postgres://postgres@127.0.0.1:<port>/<database> */
  url(database?: string): string;
  bin(name: string): string;
  start(): void;
  /** Fast shutdown: sessions are terminated (57P01), in-flight transactions roll back. */
  stop(): void;
  isRunning(): boolean;
  destroy(): void;
  log(): string;
}

export function createPrivatePostgres(): Promise<PrivatePostgres> {
  return freePort().then((port) => {
    const binDir = postgresBinDir();
    const dir = mkdtempSync(path.join(tmpdir(), "needsmap-pg-"));
    const data = path.join(dir, "data");
    const logFile = path.join(dir, "postgres.log");
    const asRoot = process.getuid?.() === 0;
    const owner = asRoot ? systemUser("postgres") : null;
    if (asRoot && !owner) throw new Error("running as root but there is no `postgres` system user to run the private server as");
    if (owner) {
      chownSync(dir, owner.uid, owner.gid);
      chmodSync(dir, 0o700);
    }
    const run = (name: string, args: string[], options: { allowFail?: boolean } = {}) => {
      const cmd = path.join(binDir, name);
      const argv = owner ? ["runuser", "-u", "postgres", "--", cmd, ...args] : [cmd, ...args];
      const r = spawnSync(argv[0], argv.slice(1), { encoding: "utf8", cwd: dir });
      if (r.status !== 0 && !options.allowFail) {
        throw new Error(`${name} ${args.join(" ")} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
      }
      return r;
    };
    run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"]);
    const options = [
      `-p ${port}`,
      "-c listen_addresses=127.0.0.1",
      `-c unix_socket_directories=${dir}`,
      "-c fsync=off",
      "-c full_page_writes=off",
      "-c max_connections=100",
      "-c shared_buffers=64MB",
    ].join(" ");
    const pg: PrivatePostgres = {
      port,
      dir,
      url: (database = "postgres") => `postgres://postgres@127.0.0.1:${port}/${database}`,
      bin: (name) => path.join(binDir, name),
      start() {
        run("pg_ctl", ["-D", data, "-l", logFile, "-o", options, "-w", "-t", "60", "start"]);
      },
      stop() {
        run("pg_ctl", ["-D", data, "-m", "fast", "-w", "-t", "60", "stop"]);
      },
      isRunning() {
        return run("pg_ctl", ["-D", data, "status"], { allowFail: true }).status === 0;
      },
      destroy() {
        if (pg.isRunning()) run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"], { allowFail: true });
        rmSync(dir, { recursive: true, force: true });
      },
      log() {
        try {
          return execFileSync("tail", ["-n", "30", logFile], { encoding: "utf8" });
        } catch {
          return "";
        }
      },
    };
    pg.start();
    return pg;
  });
}
