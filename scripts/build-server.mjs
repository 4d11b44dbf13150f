// Bundles the HTTP server (server/main.ts and the app modules it needs) into build/app-server.js.
// Dependencies stay in node_modules; the Remix build in build/server is loaded at run time.
// Also bundles the worker thread that checks questionnaire text for requests into
// build/server/survey-check.worker.js, beside the Remix server build that starts it
// (app/server/survey-check.server.ts looks for it there).
import { build } from "esbuild";

const options = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
};

await build({ ...options, entryPoints: ["server/main.ts"], outfile: "build/app-server.js" });
await build({
  ...options,
  entryPoints: ["app/server/survey-check.worker.ts"],
  outfile: "build/server/survey-check.worker.js",
});
