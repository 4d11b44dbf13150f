import type { Db } from "#db/client";
import type { ReadReplica } from "#db/replica";
import type { Env } from "~/env.server";
import type { Logger } from "~/server/logger.server";

/** What the HTTP server hands to every loader and action. */
export interface AppContext {
  /** The primary: every write, and every read that must see what was just written. */
  db: Db;
  /**
   * What dashboards, reports and exports read from: the read replica (DATABASE_REPLICA_URL)
   * while it is current, otherwise the primary; `db` itself without a replica. Never for
   * writes, sign-in checks, or a page that shows a respondent their own answers.
   */
  readDb: Db;
  /** The read replica, when configured (its state is reported by /healthz). */
  replica?: ReadReplica;
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
