// Bundles the HTTP server (server/main.ts and the app modules it needs) into build/app-server.js.
// Dependencies stay in node_modules; the Remix build in build/server is loaded at run time.
import { build } from "esbuild";

await build({
  entryPoints: ["server/main.ts"],
  outfile: "build/app-server.js",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
});
