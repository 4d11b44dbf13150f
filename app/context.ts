import type { Db } from "#db/client";
import type { Env } from "~/env.server";
import type { Logger } from "~/server/logger.server";

/** What the HTTP server hands to every loader and action. */
export interface AppContext {
  db: Db;
  /**
   * A connection of its own for /healthz (on a server database), so that an instance whose pool
   * is busy with requests still reports the database as reachable.
   */
  healthDb?: Db;
  env: Env;
  logger: Logger;
  /** Per-request nonce for the Content-Security-Policy. */
  cspNonce: string;
  /** Client address: the connection's, or the one a trusted proxy forwarded (TRUST_PROXY, server/proxy.ts). */
  clientIp: string;
}

declare module "@remix-run/node" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends AppContext {}
}
