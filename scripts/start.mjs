// `npm start`: builds the app when there is no build or the sources are newer than it, then
// runs the production server. With no DATABASE_URL the data lives in an embedded database.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const stamp = "build/app-server.js";
const sources = ["app", "server", "db", "package-lock.json", "vite.config.ts", "remix.config.js"];

function newest(p) {
  if (!existsSync(p)) return 0;
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(p).reduce((m, name) => Math.max(m, newest(path.join(p, name))), s.mtimeMs);
}

const stale = !existsSync(stamp) || !existsSync("build/server/index.js") ||
  Math.max(...sources.map(newest)) > statSync(stamp).mtimeMs;
if (stale) {
  console.log("Building the app (first start or sources changed)…");
  const r = spawnSync("npm", ["run", "build"], { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const r = spawnSync(process.execPath, ["--enable-source-maps", stamp, ...process.argv.slice(2)], { stdio: "inherit" });
process.exit(r.status ?? 1);
