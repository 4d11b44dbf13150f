import { defineConfig, devices } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3210);

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 2,
  // A test that passes only sometimes is a failing test: never retried.
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    baseURL: `http://localhost:${port}`,
    // Off by default: recording a trace (a DOM snapshot and a screenshot at every action) took
    // about 40 % of the suite's CPU, and every test paid it to keep the traces of the ones that
    // fail. `E2E_TRACE=on` records them and keeps those of failed tests (test-results/).
    trace: process.env.E2E_TRACE === "on" ? "retain-on-failure" : "off",
    // A click on a control that never becomes actionable fails here, naming it, rather than
    // using up the whole test's time.
    actionTimeout: 60_000,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--disable-dev-shm-usage",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
  webServer: {
    command: "node tests/e2e/serve.mjs",
    url: `http://localhost:${port}/healthz`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    env: { E2E_PORT: String(port) },
    // SIGTERM (not the default SIGKILL), so that serve.mjs drops its database and data directory.
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
  },
});
