import { execFile } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";

/**
 * Private PostgreSQL clusters in a temporary directory, made with the server binaries of the
 * machine (/usr/lib/postgresql/<version>/bin): a primary and a streaming replica of it. As root,
 * the server programs run as the `postgres` OS user (Postgres refuses to run as root).
 */

const run = promisify(execFile);
const NEEDED = ["initdb", "pg_ctl", "pg_basebackup", "postgres"];

export interface PgBinaries {
  bin: string;
  /** The OS user to run them as (root only), else null: the current user. */
  user: { name: string; uid: number; gid: number } | null;
}

/** The newest server binaries, or why there are none to use. */
export async function findPgBinaries(): Promise<PgBinaries | { missing: string }> {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+(\.\d+)?$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const bin = versions
    .map((v) => path.join(root, v, "bin"))
    .find((dir) => NEEDED.every((p) => existsSync(path.join(dir, p))));
  if (!bin)
    return { missing: `no PostgreSQL server binaries (${NEEDED.join(", ")}) in ${root}/*/bin` };
  if (process.getuid?.() !== 0) return { bin, user: null };
  try {
    const [uid, gid] = await Promise.all([
      run("id", ["-u", "postgres"]).then((r) => Number(r.stdout.trim())),
      run("id", ["-g", "postgres"]).then((r) => Number(r.stdout.trim())),
    ]);
    await run("runuser", ["--help"]);
    return { bin, user: { name: "postgres", uid, gid } };
  } catch {
    return {
      missing: "running as root without a `postgres` OS user (or runuser) to run the server as",
    };
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

export interface Cluster {
  port: number;
  dataDir: string;
  /** Connection string of `database` on this cluster, as the superuser `postgres`. */
  url(database: string): string;
  stop(mode?: "fast" | "immediate"): Promise<void>;
}

export interface PrimaryAndReplica {
  primary: Cluster;
  replica: Cluster;
  /** Creates a database on the primary (it reaches the replica by streaming). */
  createDatabase(name: string): Promise<void>;
  /** Stops both clusters (whatever state they are in) and removes the directory. */
  destroy(): Promise<void>;
}

/**
 * Starts a primary, then a replica made by pg_basebackup -R (streaming from the primary),
 * each on a free port of 127.0.0.1 and with its socket in the temporary directory.
 */
export async function startPrimaryAndReplica(bins: PgBinaries): Promise<PrimaryAndReplica> {
  const dir = mkdtempSync(path.join(tmpdir(), "needsmap-replica-"));
  if (bins.user) chownSync(dir, bins.user.uid, bins.user.gid);
  const exec = (program: string, args: string[]) => {
    const file = path.join(bins.bin, program);
    return bins.user
      ? run("runuser", ["-u", bins.user.name, "--", file, ...args], { timeout: 30_000 })
      : run(file, args, { timeout: 30_000 });
  };
  const started: Cluster[] = [];
  const cluster = (name: string, port: number): Cluster => {
    const dataDir = path.join(dir, name);
    return {
      port,
      dataDir,
      url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
      async stop(mode = "fast") {
        await exec("pg_ctl", ["-D", dataDir, "-m", mode, "-w", "stop"]);
      },
    };
  };
  const start = async (c: Cluster, name: string) => {
    const options = [
      `-p ${c.port}`,
      `-k ${dir}`,
      "-c listen_addresses=127.0.0.1",
      "-c fsync=off",
      "-c wal_level=replica",
      "-c max_wal_senders=4",
      "-c shared_buffers=16MB",
    ].join(" ");
    await exec("pg_ctl", [
      "-D",
      c.dataDir,
      "-l",
      path.join(dir, `${name}.log`),
      "-o",
      options,
      "-w",
      "-t",
      "30",
      "start",
    ]);
    started.push(c);
  };
  const destroy = async () => {
    for (const c of started.reverse()) await c.stop("immediate").catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const primary = cluster("primary", await freePort());
    await exec("initdb", [
      "-D",
      primary.dataDir,
      "-A",
      "trust",
      "-U",
      "postgres",
      "-E",
      "UTF8",
      "--no-sync",
      "--locale=C",
    ]);
    await start(primary, "primary");
    const replica = cluster("replica", await freePort());
    await exec("pg_basebackup", [
      "-h",
      "127.0.0.1",
      "-p",
      String(primary.port),
      "-U",
      "postgres",
      "-D",
      replica.dataDir,
      "-R",
      "-X",
      "stream",
      "-c",
      "fast",
    ]);
    await start(replica, "replica");
    return {
      primary,
      replica,
      async createDatabase(name) {
        const client = new pg.Client({ connectionString: primary.url("postgres") });
        await client.connect();
        try {
          await client.query(`create database ${name}`);
        } finally {
          await client.end();
        }
      },
      destroy,
    };
  } catch (e) {
    await destroy();
    throw e;
  }
}
