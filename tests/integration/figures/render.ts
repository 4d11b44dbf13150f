import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import type { Db } from "#db/client";
import * as entry from "~/entry.server";
import * as root from "~/root";
import * as groupDashboard from "~/routes/staff.groups.$group._index";
import * as groupReport from "~/routes/staff.groups.$group.report";
import * as overview from "~/routes/staff.overview";
import * as overallReport from "~/routes/staff.report";
import remixConfig from "../../../remix.config.js";
import { testContext, testEnv } from "../remix";

/*
 * The staff pages rendered as Remix renders them for a browser without JavaScript: the real
 * document entry, root and route modules, loaders included, assembled into a server build in
 * the test process (no bundling). The HTML that comes back is what a coordinator reads.
 */

type RouteModule = ServerBuild["routes"][string]["module"];

const ROUTES: Array<{ id: string; path: string; index?: boolean; module: RouteModule }> = [
  {
    id: "routes/staff.groups.$group._index",
    path: "staff/groups/:group",
    index: true,
    module: groupDashboard as unknown as RouteModule,
  },
  {
    id: "routes/staff.groups.$group.report",
    path: "staff/groups/:group/report",
    module: groupReport as unknown as RouteModule,
  },
  {
    id: "routes/staff.overview",
    path: "staff/overview",
    module: overview as unknown as RouteModule,
  },
  {
    id: "routes/staff.report",
    path: "staff/report",
    module: overallReport as unknown as RouteModule,
  },
];

function build(): ServerBuild {
  const routes: ServerBuild["routes"] = {
    root: { id: "root", path: "", module: root as RouteModule },
  };
  const entryRoutes: ServerBuild["assets"]["routes"] = {
    root: entryRoute("root", root as RouteModule, { path: "" }),
  };
  for (const r of ROUTES) {
    routes[r.id] = { id: r.id, parentId: "root", path: r.path, index: r.index, module: r.module };
    entryRoutes[r.id] = entryRoute(r.id, r.module, {
      parentId: "root",
      path: r.path,
      index: r.index,
    });
  }
  return {
    mode: "production",
    entry: { module: entry as unknown as ServerBuild["entry"]["module"] },
    routes,
    assets: {
      entry: { imports: [], module: "/entry.client.js" },
      routes: entryRoutes,
      url: "/manifest.js",
      version: "test",
    },
    publicPath: "/",
    assetsBuildDirectory: "build/client",
    future: { ...remixConfig.future } as ServerBuild["future"],
    isSpaMode: false,
  };
}

function entryRoute(
  id: string,
  module: RouteModule,
  shape: { parentId?: string; path?: string; index?: boolean },
): ServerBuild["assets"]["routes"][string] {
  return {
    id,
    ...shape,
    module: `/${id}.js`,
    hasAction: "action" in module,
    hasLoader: "loader" in module,
    hasClientAction: false,
    hasClientLoader: false,
    hasErrorBoundary: "ErrorBoundary" in module,
  };
}

let handler: ReturnType<typeof createRequestHandler> | null = null;

/**
 * The HTML of a staff page (path with query string) for the signed-in session `cookie`, with
 * the small-group threshold `minCell`.
 */
export async function renderPage(
  db: Db,
  path: string,
  cookie: string,
  minCell = testEnv.MIN_CELL_SIZE,
): Promise<string> {
  handler ??= createRequestHandler(build(), "production");
  const response = await handler(
    new Request(`http://localhost${path}`, {
      headers: { Cookie: cookie, "Accept-Language": "en" },
    }),
    testContext(db, { env: { ...testEnv, MIN_CELL_SIZE: minCell } }),
  );
  const html = await response.text();
  if (response.status !== 200)
    throw new Error(`${path}: status ${response.status}\n${html.slice(0, 2000)}`);
  return html;
}
