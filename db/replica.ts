import {
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresDialect,
  type QueryCompiler,
  type TransactionSettings,
} from "kysely";
import pg from "pg";
import { poolOf, type Db } from "./client";
import type { Database } from "./schema";

/**
 * A read replica: a PostgreSQL streaming standby that dashboards, reports and exports read from
 * while it is reachable and current, so that their heavy queries leave the primary to the
 * respondents. Everything else, and every figure that must include what was just written, reads
 * the primary. docs/operations.md#read-replica; docs/decisions/031-read-replica.md.
 */

/** What the last look at the replica found. */
export type ReplicaState =
  | { status: "unchecked" }
  /** Reachable, in recovery, and no write older than the bound is missing: reads go here. */
  | { status: "ok"; lagSeconds: number }
  /** Reachable but missing a write the primary made more than the bound ago. */
  | { status: "lagging"; lagSeconds: number }
  | { status: "down"; reason: string }
  /** Reachable but not in recovery (promoted, or the primary itself): its data may diverge. */
  | { status: "not_standby" };

/** The two logging calls the replica needs (the app's logger has them). */
export interface ReplicaLog {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
}

export interface ReplicaOptions {
  /** postgres:// connection string of the standby. */
  url: string;
  /**
   * The lag bound in seconds: the replica serves reads while it has replayed every write the
   * primary had flushed this long ago.
   */
  maxLagSeconds: number;
  log: ReplicaLog;
  /** Connections for reads on the replica (default 10). */
  poolSize?: number;
  /** How often `start()` looks at the replica (default 1 000 ms). */
  checkIntervalMs?: number;
  /** How long a connection or a check may take before the replica counts as down (default 2 000 ms). */
  timeoutMs?: number;
  /** The clock the lag is measured with (milliseconds); tests pass their own. */
  now?: () => number;
}

export interface ReadReplica {
  /**
   * The handle to read figures with: a connection from the replica while its state is `ok`,
   * otherwise (and when taking a replica connection fails) one from the primary's pool.
   */
  readonly db: Db;
  state(): ReplicaState;
  /** Looks at the primary's and the replica's WAL positions once and updates the state. */
  check(): Promise<ReplicaState>;
  /** Checks every `checkIntervalMs` until `destroy()`. */
  start(): void;
  /** Stops checking and closes the replica's connections (the primary's pool stays open). */
  destroy(): Promise<void>;
}

/** A WAL position such as `16/B374D848` as a number. */
export function parseLsn(lsn: string): bigint {
  const [hi, lo] = lsn.split("/");
  if (hi === undefined || lo === undefined) throw new Error(`not a WAL position: ${lsn}`);
  return (BigInt(`0x${hi}`) << 32n) + BigInt(`0x${lo}`);
}

/**
 * The lag estimate: how long ago the primary had flushed the oldest position (among those
 * sampled) that the replica has not replayed; 0 when it has replayed them all. A lower bound of
 * the true lag, short of it by at most one check interval.
 */
export function lagSeconds(
  samples: ReadonlyArray<{ at: number; lsn: bigint }>,
  replayed: bigint,
  now: number,
): number {
  const missing = samples.find((s) => s.lsn > replayed);
  return missing ? Math.max(0, (now - missing.at) / 1000) : 0;
}

const MAX_SAMPLES = 600;

/**
 * The read handle over `primary` (a server database made by `createDb`) and the standby at
 * `options.url`. Its state starts `unchecked` (reads go to the primary) until `check()`.
 */
export function createReadReplica(primary: Db, options: ReplicaOptions): ReadReplica {
  const primaryPool = poolOf(primary);
  if (!primaryPool) throw new Error("a read replica needs a PostgreSQL primary (DATABASE_URL)");
  const timeoutMs = options.timeoutMs ?? 2_000;
  const now = options.now ?? Date.now;
  const newPool = (max: number, applicationName: string, extra: pg.PoolConfig = {}) => {
    const pool = new pg.Pool({
      connectionString: options.url,
      max,
      application_name: applicationName,
      connectionTimeoutMillis: timeoutMs,
      idleTimeoutMillis: 30_000,
      ...extra,
    });
    // A connection the replica drops (stopped, restarted) must not end the process: see db/client.ts.
    pool.on("error", () => {});
    pool.on("connect", (client) => client.on("error", () => {}));
    return pool;
  };
  const readPool = newPool(options.poolSize ?? 10, "needsmap-replica");
  // The checks have a connection of their own, so that a replica busy with reads is not taken
  // for one that is down.
  const checkPool = newPool(1, "needsmap-replica-check", { query_timeout: timeoutMs });

  let state: ReplicaState = { status: "unchecked" };
  let samples: Array<{ at: number; lsn: bigint }> = [];
  let timer: NodeJS.Timeout | undefined;
  let checking: Promise<ReplicaState> | undefined;

  const describe = (s: ReplicaState): Record<string, unknown> => {
    switch (s.status) {
      case "ok":
      case "lagging":
        return {
          replica: s.status,
          lagSeconds: Math.round(s.lagSeconds * 10) / 10,
          maxLagSeconds: options.maxLagSeconds,
        };
      case "down":
        return { replica: s.status, reason: s.reason };
      default:
        return { replica: s.status };
    }
  };
  const setState = (next: ReplicaState): ReplicaState => {
    const changed = next.status !== state.status;
    state = next;
    if (changed) {
      if (next.status === "ok")
        options.log.info("read replica in use for dashboards, reports and exports", describe(next));
      else
        options.log.warn(
          "read replica not used: dashboards, reports and exports read from the primary",
          describe(next),
        );
    }
    return state;
  };
  const reasonOf = (e: unknown) => {
    const err = e as Error & { code?: string };
    return err.code ? `${err.code}: ${err.message}` : err.message || String(e);
  };

  const pgDialect = new PostgresDialect({ pool: primaryPool });
  const router = new RoutingDriver(
    new PostgresDialect({ pool: primaryPool }).createDriver(),
    new PostgresDialect({ pool: readPool }).createDriver(),
    () => state.status === "ok",
    // Every read connection in use: waiting for one may time out without the standby being down.
    () => readPool.idleCount === 0 && readPool.totalCount >= (options.poolSize ?? 10),
    (e) => setState({ status: "down", reason: reasonOf(e) }),
  );
  const db = new Kysely<Database>({
    dialect: {
      createAdapter: () => pgDialect.createAdapter(),
      createDriver: () => router,
      createIntrospector: (k) => pgDialect.createIntrospector(k),
      createQueryCompiler: () => pgDialect.createQueryCompiler(),
    },
  });

  async function lookOnce(): Promise<ReplicaState> {
    let flushed: bigint;
    try {
      const r = await primaryPool!.query<{ lsn: string }>(
        "select pg_current_wal_flush_lsn()::text as lsn",
      );
      flushed = parseLsn(r.rows[0]!.lsn);
    } catch {
      // Without the primary's position the lag cannot be judged; the primary's own trouble is
      // reported by /healthz and by the requests that fail.
      return state;
    }
    const at = now();
    if (!samples.length || samples[samples.length - 1]!.lsn < flushed)
      samples.push({ at, lsn: flushed });
    if (samples.length > MAX_SAMPLES) samples = [samples[0]!, ...samples.slice(-(MAX_SAMPLES - 1))];
    let row: { standby: boolean; replayed: string | null };
    try {
      const r = await checkPool.query<{ standby: boolean; replayed: string | null }>(
        "select pg_is_in_recovery() as standby, pg_last_wal_replay_lsn()::text as replayed",
      );
      row = r.rows[0]!;
    } catch (e) {
      return setState({ status: "down", reason: reasonOf(e) });
    }
    if (!row.standby) return setState({ status: "not_standby" });
    const replayed = row.replayed ? parseLsn(row.replayed) : 0n;
    samples = samples.filter((s) => s.lsn > replayed);
    const lag = lagSeconds(samples, replayed, now());
    return setState(
      lag > options.maxLagSeconds
        ? { status: "lagging", lagSeconds: lag }
        : { status: "ok", lagSeconds: lag },
    );
  }

  const check = () => {
    checking ??= lookOnce().finally(() => {
      checking = undefined;
    });
    return checking;
  };

  return {
    db,
    state: () => state,
    check,
    start() {
      if (timer) return;
      timer = setInterval(() => void check(), options.checkIntervalMs ?? 1_000);
      timer.unref();
    },
    async destroy() {
      clearInterval(timer);
      timer = undefined;
      await checking?.catch(() => {});
      await db.destroy();
      await checkPool.end();
    },
  };
}

/**
 * Hands out replica connections while `useReplica()` says so, primary connections otherwise or
 * when the replica refuses one (which marks it down at once, so that the next request does not
 * try again; unless the pool was full, when the wait for a free connection merely ran out).
 * Each connection goes back to the driver it came from.
 */
class RoutingDriver implements Driver {
  readonly #owner = new WeakMap<DatabaseConnection, Driver>();

  constructor(
    private readonly primary: Driver,
    private readonly replica: Driver,
    private readonly useReplica: () => boolean,
    private readonly replicaBusy: () => boolean,
    private readonly replicaFailed: (e: unknown) => void,
  ) {}

  async init(): Promise<void> {
    await this.primary.init();
    await this.replica.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    if (this.useReplica()) {
      const busy = this.replicaBusy();
      try {
        return this.#take(await this.replica.acquireConnection(), this.replica);
      } catch (e) {
        // A failure while the pool was full is a wait that ran out, not a sign of an outage:
        // this reader takes a primary connection, and the checks judge the standby.
        if (!busy) this.replicaFailed(e);
      }
    }
    return this.#take(await this.primary.acquireConnection(), this.primary);
  }

  #take(connection: DatabaseConnection, driver: Driver): DatabaseConnection {
    this.#owner.set(connection, driver);
    return connection;
  }

  #of(connection: DatabaseConnection): Driver {
    const driver = this.#owner.get(connection);
    if (!driver) throw new Error("connection not handed out by this database");
    return driver;
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.#of(connection).beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#of(connection).commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#of(connection).rollbackTransaction(connection);
  }

  async savepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler["compileQuery"],
  ): Promise<void> {
    await this.#of(connection).savepoint?.(connection, name, compile);
  }

  async rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler["compileQuery"],
  ): Promise<void> {
    await this.#of(connection).rollbackToSavepoint?.(connection, name, compile);
  }

  async releaseSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler["compileQuery"],
  ): Promise<void> {
    await this.#of(connection).releaseSavepoint?.(connection, name, compile);
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.#of(connection).releaseConnection(connection);
  }

  /** Closes the replica's pool only: the primary's belongs to the primary's Kysely instance. */
  async destroy(): Promise<void> {
    await this.replica.destroy();
  }
}
