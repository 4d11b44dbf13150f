// `npm test`: every check the project has: typecheck, lint and unit tests side by side, then
// integration tests and end-to-end tests in Chromium. Integration tests run on real Postgres when
// TEST_DATABASE_URL is set (as in CI), and on embedded PGlite where no server is given; with a
// server, PGlite runs only the files whose subject is the driver itself (see
// scripts/lib/integration-files.mjs). All steps run; the exit code is non-zero when any failed,
// and the summary gives each step's time.
import { spawn, spawnSync } from "node:child_process";
import { DRIVER_SPECIFIC_FILES } from "./lib/integration-files.mjs";

// The first three steps need no database and are single-threaded for most of their time:
// they run side by side (their output is printed step by step when all three have finished).
const parallelSteps = [
  ["typecheck", "npm", ["run", "typecheck"], {}],
  ["lint", "npm", ["run", "lint"], {}],
  ["unit", "npx", ["vitest", "run", "--project", "unit"], {}],
];
const steps = [];
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
const wanted = (name) => !only.length || only.some((o) => name.startsWith(o));
const envOf = (extraEnv) => {
  const env = { ...process.env, ...extraEnv };
  for (const [k, v] of Object.entries(extraEnv)) if (v === "") delete env[k];
  return env;
};
const results = [];

/** Runs a step with its output collected, for the steps that run side by side. */
function collected([name, cmd, args, extraEnv]) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env: envOf(extraEnv), stdio: ["ignore", "pipe", "pipe"] });
    const chunks = [];
    child.stdout.on("data", (c) => chunks.push(c));
    child.stderr.on("data", (c) => chunks.push(c));
    const done = (ok) =>
      resolve({ name, ok, seconds: Math.round((Date.now() - started) / 1000), output: Buffer.concat(chunks) });
    child.on("error", (e) => {
      chunks.push(Buffer.from(`${e.message}\n`));
      done(false);
    });
    child.on("close", (code) => done(code === 0));
  });
}

const side = await Promise.all(parallelSteps.filter(([name]) => wanted(name)).map(collected));
for (const r of side) {
  console.log(`\n=== ${r.name} (side by side with the others of the first group) ===`);
  process.stdout.write(r.output);
  results.push({ name: r.name, ok: r.ok, seconds: r.seconds });
}
for (const [name, cmd, args, extraEnv] of steps) {
  if (!wanted(name)) continue;
  console.log(`\n=== ${name} ===`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: "inherit", env: envOf(extraEnv) });
  results.push({ name, ok: r.status === 0, seconds: Math.round((Date.now() - started) / 1000) });
}

console.log("\n=== summary ===");
for (const r of results) console.log(`${r.ok ? "PASS" : "FAIL"}  ${r.name} (${r.seconds} s)`);
const failed = results.filter((r) => !r.ok).length;
console.log(`steps: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
