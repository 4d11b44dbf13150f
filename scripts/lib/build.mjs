// Whether the production build in build/ is missing or older than its sources: `npm start`
// builds then, and tests that run the production server use the same rule.
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

/** The bundled HTTP server; its time is the build's time. */
export const SERVER_BUNDLE = "build/app-server.js";

const SOURCES = [
  "app",
  "server",
  "db",
  "public",
  "package-lock.json",
  "tsconfig.json",
  "vite.config.ts",
  "remix.config.js",
  "scripts/build-server.mjs",
];

function newest(p) {
  if (!existsSync(p)) return 0;
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(p).reduce((m, name) => Math.max(m, newest(path.join(p, name))), s.mtimeMs);
}

/** True when there is no build, or a source is newer than it (paths relative to `root`). */
export function buildIsStale(root = ".") {
  const at = (p) => path.join(root, p);
  return (
    !existsSync(at(SERVER_BUNDLE)) ||
    !existsSync(at("build/server/index.js")) ||
    !existsSync(at("build/client")) ||
    Math.max(...SOURCES.map((s) => newest(at(s)))) > statSync(at(SERVER_BUNDLE)).mtimeMs
  );
}
