/**
 * Page weight from the build output: for each route, the JavaScript and CSS a browser loads
 * when the route is the first page it opens (the client entry, every route from the root down
 * to it, and their static imports, transitively), gzip-compressed at level 9. From Remix's
 * browser manifest (build/client/assets/manifest-*.js).
 *
 * Two JavaScript figures per route: the initial JavaScript (static imports only: what the page
 * needs before it works, and what the target is judged on) and the total, which adds the chunks
 * the route's code loads later with `import("./x.js")` (followed through lazy chunks too) and
 * their static imports.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

interface ManifestEntry {
  module: string;
  imports?: string[];
  css?: string[];
}
interface ManifestRoute extends ManifestEntry {
  id: string;
  parentId?: string;
  path?: string;
  index?: boolean;
}
interface RemixManifest {
  entry: ManifestEntry;
  routes: Record<string, ManifestRoute>;
}

export type RouteKind = "respondent" | "staff" | "other";

export interface RouteWeight {
  id: string;
  path: string;
  kind: RouteKind;
  /** Initial JavaScript: the entry, the route chain and their static imports. */
  jsFiles: number;
  jsGzipBytes: number;
  /** Chunks loaded later with `import()`, and their static imports, not already initial. */
  lazyJsFiles: number;
  lazyJsGzipBytes: number;
  /** Initial plus lazily loaded JavaScript. */
  totalJsGzipBytes: number;
  cssGzipBytes: number;
  /** Whether any chunk the route loads, initially or lazily, contains the charting library. */
  charts: boolean;
}

export interface PageWeight {
  manifest: string;
  routes: RouteWeight[];
  respondent: {
    routes: number;
    maxJsGzipBytes: number;
    maxCssGzipBytes: number;
    anyCharts: boolean;
    largest: string | null;
  };
  staff: {
    routes: number;
    maxJsGzipBytes: number;
    maxCssGzipBytes: number;
    largest: string | null;
  };
  dashboard: RouteWeight | null;
}

function readManifest(CLIENT: string): { file: string; manifest: RemixManifest } {
  const dir = path.join(CLIENT, "assets");
  const file = existsSync(dir)
    ? readdirSync(dir).find((f) => /^manifest-[\w-]+\.js$/.test(f))
    : undefined;
  if (!file) throw new Error(`no Remix browser manifest in ${dir}: build the app first`);
  const text = readFileSync(path.join(dir, file), "utf8");
  const manifest = JSON.parse(
    text.slice(text.indexOf("{"), text.lastIndexOf("}") + 1),
  ) as RemixManifest;
  return { file: path.join("build/client/assets", file), manifest };
}

/** Respondent pages are the home page and everything under /s, /r and /i. */
function kindOf(fullPath: string): RouteKind {
  if (fullPath === "/" || /^\/(s|r|i)(\/|$)/.test(fullPath)) return "respondent";
  if (/^\/staff(\/|$)/.test(fullPath)) return "staff";
  return "other";
}

/** `root` holds the `build/` directory to measure. */
export function measurePageWeight(root = "."): PageWeight {
  const CLIENT = path.join(root, "build/client");
  const { file, manifest } = readManifest(CLIENT);
  const cache = new Map<string, { gzip: number; text: string }>();
  const load = (url: string) => {
    let entry = cache.get(url);
    if (!entry) {
      const buf = readFileSync(path.join(CLIENT, url.replace(/^\//, "")));
      entry = { gzip: gzipSync(buf, { level: 9 }).length, text: buf.toString("utf8") };
      cache.set(url, entry);
    }
    return entry;
  };
  // Static imports inside a chunk (`import{…}from"./x.js"`, `import"./x.js"`), in case the
  // manifest's lists are not transitive.
  const staticImports = (url: string) =>
    [...load(url).text.matchAll(/(?:\bfrom|\bimport)\s*["'](\.\/[^"']+\.js)["']/g)].map((m) =>
      path.posix.join(path.posix.dirname(url), m[1]),
    );
  // Lazily loaded chunks: `import("./x.js")` (Vite wraps it in its preload helper; the chunks
  // it preloads with it are the lazy chunk's own static imports).
  const dynamicImports = (url: string) =>
    [...load(url).text.matchAll(/\bimport\(\s*["'](\.\/[^"']+\.js)["']\s*\)/g)].map((m) =>
      path.posix.join(path.posix.dirname(url), m[1]),
    );
  const cssReferences = (url: string) =>
    [...load(url).text.matchAll(/["'](\/assets\/[\w.-]+\.css)["']/g)].map((m) => m[1]);

  const fullPath = (route: ManifestRoute): string => {
    const parts: string[] = [];
    for (
      let r: ManifestRoute | undefined = route;
      r;
      r = r.parentId ? manifest.routes[r.parentId] : undefined
    ) {
      if (r.path) parts.unshift(r.path);
    }
    return "/" + parts.join("/").replace(/^\/+/, "");
  };

  const routes: RouteWeight[] = [];
  for (const route of Object.values(manifest.routes)) {
    if (route.id === "root") continue;
    // Resource routes (downloads, JSON, health) have an empty client module and no page.
    if (load(route.module).text.trim().length < 40) continue;
    const chain: ManifestEntry[] = [manifest.entry];
    const ancestors: ManifestRoute[] = [];
    for (
      let r: ManifestRoute | undefined = route;
      r;
      r = r.parentId ? manifest.routes[r.parentId] : undefined
    )
      ancestors.unshift(r);
    chain.push(...ancestors);
    const js = new Set<string>();
    const css = new Set<string>();
    const queue: string[] = [];
    for (const e of chain) {
      queue.push(e.module, ...(e.imports ?? []));
      for (const c of e.css ?? []) css.add(c);
    }
    while (queue.length > 0) {
      const url = queue.pop()!;
      if (js.has(url)) continue;
      js.add(url);
      queue.push(...staticImports(url));
      for (const c of cssReferences(url)) css.add(c);
    }
    // Then everything reachable through import(), from initial and lazy chunks alike.
    const lazy = new Set<string>();
    const lazyQueue = [...js].flatMap(dynamicImports);
    while (lazyQueue.length > 0) {
      const url = lazyQueue.pop()!;
      if (js.has(url) || lazy.has(url)) continue;
      lazy.add(url);
      lazyQueue.push(...staticImports(url), ...dynamicImports(url));
    }
    const all = [...js, ...lazy];
    const gzipOf = (urls: Iterable<string>) => [...urls].reduce((s, u) => s + load(u).gzip, 0);
    const p = fullPath(route);
    routes.push({
      id: route.id,
      path: p,
      kind: kindOf(p),
      jsFiles: js.size,
      jsGzipBytes: gzipOf(js),
      lazyJsFiles: lazy.size,
      lazyJsGzipBytes: gzipOf(lazy),
      totalJsGzipBytes: gzipOf(all),
      cssGzipBytes: gzipOf(css),
      charts: all.some(
        (u) => /recharts/i.test(u) || /recharts-(wrapper|surface|layer)/.test(load(u).text),
      ),
    });
  }
  routes.sort((a, b) => a.kind.localeCompare(b.kind) || a.path.localeCompare(b.path));
  const summary = (kind: RouteKind) => {
    const list = routes.filter((r) => r.kind === kind);
    const largest = list.reduce<RouteWeight | null>(
      (m, r) => (!m || r.jsGzipBytes > m.jsGzipBytes ? r : m),
      null,
    );
    return {
      routes: list.length,
      maxJsGzipBytes: largest?.jsGzipBytes ?? 0,
      maxCssGzipBytes: list.reduce((m, r) => Math.max(m, r.cssGzipBytes), 0),
      anyCharts: list.some((r) => r.charts),
      largest: largest?.path ?? null,
    };
  };
  const { anyCharts: _unused, ...staff } = summary("staff");
  return {
    manifest: file,
    routes,
    respondent: summary("respondent"),
    staff,
    dashboard: routes.find((r) => r.path === "/staff/groups/:group") ?? null,
  };
}
