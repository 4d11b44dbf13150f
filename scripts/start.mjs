// `npm start`: builds the app when there is no build or the sources are newer than it, then
// runs the production server in this same process, so that a stop signal sent to it (or to
// npm, which passes SIGTERM and SIGINT on) reaches the server. With no DATABASE_URL the data
// lives in an embedded database.
import { spawn } from "node:child_process";
import { constants } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { buildIsStale, SERVER_BUNDLE } from "./lib/build.mjs";

/**
 * `npm run build` in a process group of its own; SIGTERM and SIGINT stop the whole group (npm,
 * its shell and the build tools), and this process then exits as if the signal had ended it.
 */
function build() {
  return new Promise((resolve) => {
    const child = spawn("npm", ["run", "build"], { stdio: "inherit", detached: true });
    let stoppedBy = null;
    const forward = (signal) => {
      stoppedBy = signal;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // the build has already ended
      }
    };
    const signals = ["SIGTERM", "SIGINT"];
    for (const s of signals) process.on(s, forward);
    child.on("exit", (code, signal) => {
      for (const s of signals) process.off(s, forward);
      if (stoppedBy) process.exit(128 + constants.signals[stoppedBy]);
      if (code !== 0) process.exit(code ?? 128 + (constants.signals[signal] ?? 0));
      resolve();
    });
  });
}

if (buildIsStale()) {
  console.log("Building the app (first start or sources changed)…");
  await build();
}
process.setSourceMapsEnabled(true);
await import(pathToFileURL(path.resolve(SERVER_BUNDLE)).href);
