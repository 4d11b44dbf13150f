// `npm test`: every check the project has, in order: typecheck, lint, unit tests, integration
// tests and end-to-end tests in Chromium. Integration tests run on real Postgres when
// TEST_DATABASE_URL is set (as in CI), and on embedded PGlite where no server is given; with a
// server, PGlite runs only the files whose subject is the driver itself (see
// scripts/lib/integration-files.mjs). All steps run; the exit code is non-zero when any failed,
// and the summary gives each step's time.
import { spawnSync } from "node:child_process";
import { DRIVER_SPECIFIC_FILES } from "./lib/integration-files.mjs";

const steps = [
  ["typecheck", "npm", ["run", "typecheck"], {}],
  ["lint", "npm", ["run", "lint"], {}],
  ["unit", "npx", ["vitest", "run", "--project", "unit"], {}],
];
// The fuzz test sends FUZZ_RUNS malformed requests to every action: 200 here (on the database
// that runs the whole suite), every property of it; `npm run test:fuzz` sends 10 000 (CI runs it
// after this command). At 1 000 the fuzz file alone took 45 % of the integration step.
const fuzzRuns = process.env.FUZZ_RUNS ?? "200";
if (process.env.TEST_DATABASE_URL) {
  steps.push(
    [
      "integration (Postgres)",
      "npx",
      ["vitest", "run", "--project", "integration"],
      { FUZZ_RUNS: fuzzRuns },
    ],
    [
      "integration (PGlite, driver-specific files)",
      "npx",
      ["vitest", "run", "--project", "integration", ...DRIVER_SPECIFIC_FILES],
      { TEST_DATABASE_URL: "" },
    ],
  );
} else {
  steps.push([
    "integration (PGlite)",
    "npx",
    ["vitest", "run", "--project", "integration"],
    { FUZZ_RUNS: fuzzRuns },
  ]);
}
steps.push(["e2e", "node", ["scripts/e2e.mjs"], {}]);

const only = process.argv.slice(2);
const results = [];
for (const [name, cmd, args, extraEnv] of steps) {
  if (only.length && !only.some((o) => name.startsWith(o))) continue;
  console.log(`\n=== ${name} ===`);
  const started = Date.now();
  const env = { ...process.env, ...extraEnv };
  for (const [k, v] of Object.entries(extraEnv)) if (v === "") delete env[k];
  const r = spawnSync(cmd, args, { stdio: "inherit", env });
  results.push({ name, ok: r.status === 0, seconds: Math.round((Date.now() - started) / 1000) });
}

console.log("\n=== summary ===");
for (const r of results) console.log(`${r.ok ? "PASS" : "FAIL"}  ${r.name} (${r.seconds} s)`);
const failed = results.filter((r) => !r.ok).length;
console.log(`steps: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
