// `npm run test:e2e`: finds Chromium (CHROMIUM_PATH, /usr/bin/chromium, or Playwright's own
// install), installs one when none is found and that is possible, builds the production app when
// it is missing or older than its sources, and runs the Playwright tests against it. Fails with a
// clear message when no browser can be had.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { buildIsStale } from "./lib/build.mjs";

function playwrightChromium() {
  const r = spawnSync(
    process.execPath,
    ["-e", "try{const p=require('playwright-core').chromium.executablePath();process.stdout.write(p)}catch{}"],
    { encoding: "utf8" },
  );
  return r.stdout && existsSync(r.stdout) ? r.stdout : null;
}

function findChromium() {
  if (process.env.CHROMIUM_PATH) {
    if (existsSync(process.env.CHROMIUM_PATH)) return process.env.CHROMIUM_PATH;
    console.error(`CHROMIUM_PATH is set to ${process.env.CHROMIUM_PATH}, but there is no file there.`);
    process.exit(1);
  }
  for (const p of ["/usr/bin/chromium", "/usr/bin/chromium-browser"]) if (existsSync(p)) return p;
  return playwrightChromium();
}

let chromium = findChromium();
if (!chromium) {
  const isRoot = process.getuid?.() === 0;
  if (isRoot && existsSync("/usr/bin/apt-get")) {
    console.log("No Chromium found: installing Debian's chromium package…");
    spawnSync("apt-get", ["update"], { stdio: "inherit" });
    spawnSync("apt-get", ["install", "-y", "chromium"], { stdio: "inherit" });
  } else {
    console.log("No Chromium found: trying `npx playwright install chromium`…");
    spawnSync("npx", ["playwright", "install", "chromium"], { stdio: "inherit" });
  }
  chromium = findChromium();
}
if (!chromium) {
  console.error(
    [
      "End-to-end tests need Chromium, and none was found or could be installed.",
      "Install one of these, then run the tests again:",
      "  - Debian/Ubuntu: sudo apt-get install -y chromium",
      "  - any system with internet access: npx playwright install chromium",
      "  - or point CHROMIUM_PATH at an existing Chromium or Chrome binary.",
    ].join("\n"),
  );
  process.exit(1);
}
console.log(`Using Chromium at ${chromium}`);

if (!process.argv.includes("--no-build") && buildIsStale()) {
  const b = spawnSync("npm", ["run", "build"], { stdio: "inherit" });
  if (b.status !== 0) process.exit(b.status ?? 1);
}
const args = process.argv.slice(2).filter((a) => a !== "--no-build");
const r = spawnSync("npx", ["playwright", "test", ...args], {
  stdio: "inherit",
  env: { ...process.env, CHROMIUM_PATH: chromium },
});
process.exit(r.status ?? 1);
