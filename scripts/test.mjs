// `npm test`: every check the project has: typecheck, lint and unit tests (and the production
// build the server tests need) side by side, then the integration tests and the end-to-end tests
// in Chromium side by side. Integration tests run on real Postgres when TEST_DATABASE_URL is set
// (as in CI), and on embedded PGlite where no server is given; with a server, PGlite runs only the
// files whose subject is the driver itself (see scripts/lib/integration-files.mjs). Every test
// file, and the end-to-end server, has a database of its own. All steps run; the exit code is
// non-zero when any failed, and the summary gives each step's time
// (docs/decisions/061-test-steps-side-by-side.md).
import { spawn } from "node:child_process";
import { buildIsStale } from "./lib/build.mjs";
import { DRIVER_SPECIFIC_FILES } from "./lib/integration-files.mjs";

// The first group needs no database and is single-threaded for most of its time.
const firstGroup = [
  ["typecheck", "npm", ["run", "typecheck"], {}],
  ["lint", "npm", ["run", "lint"], {}],
  ["unit", "npx", ["vitest", "run", "--project", "unit"], {}],
];
// The fuzz test sends FUZZ_RUNS malformed requests to every action: 200 here (on the database
// that runs the whole suite), every property of it; `npm run test:fuzz` sends 10 000 (CI runs it
// after this command). At 1 000 the fuzz file alone took 45 % of the integration step.
const fuzzRuns = process.env.FUZZ_RUNS ?? "200";
/** The integration steps, one after the other. */
const integration = [];
if (process.env.TEST_DATABASE_URL) {
  integration.push(
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
  integration.push([
    "integration (PGlite)",
    "npx",
    ["vitest", "run", "--project", "integration"],
    { FUZZ_RUNS: fuzzRuns },
  ]);
}
// The browser tests: their output is shown as it comes (the other steps' when each ends).
const e2e = ["e2e", "node", ["scripts/e2e.mjs", "--no-build"], {}];

const only = process.argv.slice(2);
const wanted = (name) => !only.length || only.some((o) => name.startsWith(o));
const envOf = (extraEnv) => {
  const env = { ...process.env, ...extraEnv };
  for (const [k, v] of Object.entries(extraEnv)) if (v === "") delete env[k];
  return env;
};
const results = [];

/**
 * Runs a step; its output is collected and printed in one piece when it ends, or passed through
 * as it comes with `live`.
 */
function run([name, cmd, args, extraEnv], { live = false } = {}) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      env: envOf(extraEnv),
      stdio: live ? ["ignore", "inherit", "inherit"] : ["ignore", "pipe", "pipe"],
    });
    const chunks = [];
    child.stdout?.on("data", (c) => chunks.push(c));
    child.stderr?.on("data", (c) => chunks.push(c));
    const done = (ok) => {
      const r = { name, ok, seconds: Math.round((Date.now() - started) / 1000) };
      if (!live) {
        console.log(`\n=== ${name} (${ok ? "passed" : "FAILED"}, ${r.seconds} s) ===`);
        process.stdout.write(Buffer.concat(chunks));
      }
      results.push(r);
      resolve(r);
    };
    child.on("error", (e) => {
      chunks.push(Buffer.from(`${e.message}\n`));
      done(false);
    });
    child.on("close", (code) => done(code === 0));
  });
}

// The production build, which the end-to-end tests and the `npm start` tests run, is made in the
// first group when it is missing or older than its sources.
const needsBuild = (wanted("e2e") || integration.some(([name]) => wanted(name))) && buildIsStale();
const first = firstGroup.filter(([name]) => wanted(name));
if (needsBuild) first.push(["build", "npm", ["run", "build"], {}]);
await Promise.all(first.map((step) => run(step)));

const second = [];
const integrationSteps = integration.filter(([name]) => wanted(name));
if (integrationSteps.length) {
  second.push(
    (async () => {
      for (const step of integrationSteps) await run(step);
    })(),
  );
}
if (wanted("e2e")) {
  const built = results.find((r) => r.name === "build");
  if (built && !built.ok)
    results.push({ name: "e2e (not run: the build failed)", ok: false, seconds: 0 });
  else {
    console.log("\n=== e2e (its output as it comes; the integration steps' when each ends) ===");
    second.push(run(e2e, { live: true }));
  }
}
await Promise.all(second);

console.log("\n=== summary ===");
for (const r of results) console.log(`${r.ok ? "PASS" : "FAIL"}  ${r.name} (${r.seconds} s)`);
const failed = results.filter((r) => !r.ok).length;
console.log(`steps: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
