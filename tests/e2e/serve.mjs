// Starts the production server for the end-to-end tests on a database of its own: a fresh
// Postgres database when TEST_DATABASE_URL is set, else embedded PGlite in a new directory.
// Test accounts are created first (see tests/e2e/accounts.ts).
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";

const port = process.env.E2E_PORT ?? "3210";
const dataDir = mkdtempSync(path.join(tmpdir(), "needsmap-e2e-"));
const env = {
  ...process.env,
  NODE_ENV: "production",
  PORT: port,
  DATA_DIR: dataDir,
  SESSION_SECRET: "e2e-secret-e2e-secret-e2e-secret-e2e-secret",
  LOG_LEVEL: "warn",
  DEMO_DATA: "on",
  PUBLIC_URL: `http://localhost:${port}`,
};
delete env.DATABASE_URL;

let dropDatabase = async () => {};
if (process.env.TEST_DATABASE_URL) {
  const name = `needsmap_e2e_${process.pid}`;
  const admin = new URL(process.env.TEST_DATABASE_URL);
  admin.pathname = "/postgres";
  const c = new pg.Client({ connectionString: admin.toString() });
  await c.connect();
  // Databases of earlier runs whose server did not get to drop them (killed outright).
  const { rows } = await c.query(`select datname from pg_database where datname ~ '^needsmap_e2e_[0-9]+$'`);
  for (const { datname } of rows) {
    const pid = Number(datname.slice("needsmap_e2e_".length));
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = pid !== process.pid;
    } catch {
      alive = false;
    }
    if (!alive) await c.query(`drop database if exists ${datname} with (force)`);
  }
  await c.query(`drop database if exists ${name} with (force)`);
  await c.query(`create database ${name}`);
  await c.end();
  const u = new URL(process.env.TEST_DATABASE_URL);
  u.pathname = `/${name}`;
  env.DATABASE_URL = u.toString();
  dropDatabase = async () => {
    const d = new pg.Client({ connectionString: admin.toString() });
    await d.connect();
    await d.query(`drop database if exists ${name} with (force)`);
    await d.end();
  };
}

const setup = spawnSync("npx", ["tsx", "tests/e2e/setup-accounts.ts"], { stdio: "inherit", env });
if (setup.status !== 0) process.exit(setup.status ?? 1);

const server = spawn(process.execPath, ["build/app-server.js"], { stdio: "inherit", env });
const stop = async () => {
  server.kill("SIGTERM");
  await dropDatabase().catch(() => {});
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
server.on("exit", async (code) => {
  await dropDatabase().catch(() => {});
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(code ?? 0);
});
