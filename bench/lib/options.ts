/** Command-line options of `npm run bench`. */
import os from "node:os";
import path from "node:path";

export interface BenchOptions {
  quick: boolean;
  /** Responses in the large dashboard/export data set. */
  responses: number;
  /** Responses in the small data set (dashboards only). */
  smallResponses: number;
  /** Responses given to each of the other surveys, so that the overview has five groups. */
  otherResponses: number;
  json: string;
  /** Seconds per baseline run and the concurrent connections tried. */
  baselineSeconds: number;
  baselineConnections: number[];
  /** Seconds per submission load, its warm-up, and the connection counts. */
  submissionSeconds: number;
  submissionWarmupSeconds: number;
  submissionConnections: number[];
  /** Measured requests per dashboard page (after the warm-ups). */
  dashboardRequests: number;
  dashboardWarmups: number;
  /** The sections to run (all when the option is not given). */
  only: BenchSection[];
  /** The largest number of app instances of the instances section (measured from 1 up to it). */
  instances: number;
  /** A directory for CPU profiles of the servers (`node --cpu-prof`), or null. */
  cpuProf: string | null;
  /**
   * Results of an earlier run (`--only dashboards` at another size) whose dashboard sizes this
   * run's results take in, each with the date and load of the run that measured it; or null.
   */
  merge: string | null;
  /**
   * A database to keep between runs (created when missing, never dropped): its seeded data sets
   * are used again, so that a large size is seeded once and measured later on a quiet machine.
   */
  keepDatabase: string | null;
}

/** Sections that `--only` can select. Seeding runs whenever dashboards or exports do. */
export const BENCH_SECTIONS = [
  "baseline",
  "submission",
  "dashboards",
  "export",
  "page-weight",
  "instances",
] as const;
export type BenchSection = (typeof BENCH_SECTIONS)[number];

export const USAGE = `Usage: npm run bench -- [--quick] [--responses N] [--json PATH] [--only SECTIONS] [--instances N]

  --quick         small sizes and short loads (a smoke test, under a minute)
  --responses N   responses in the large data set (default 100000; quick 3000)
  --json PATH     where to write the results (default bench/results.json;
                  quick runs: bench/results-quick.json; runs with --only:
                  needsmap-bench-partial.json in the temporary directory)
  --only SECTIONS run only these sections, comma-separated: ${BENCH_SECTIONS.join(", ")}
                  (the data sets are seeded whenever dashboards or export run)
  --cpu-prof DIR  run the app servers with node --cpu-prof, writing their profiles to DIR
  --merge PATH    add the dashboard sizes measured by an earlier run (e.g. --only dashboards
                  --responses 1000000 --json PATH) to this run's results and targets
  --keep-database NAME
                  use the database NAME and keep it: created when missing, never dropped; data
                  sets seeded by an earlier run with it are used again (their seeding figures
                  are reported as that run measured them)
  --instances N   the instances section posts submissions to 1, 2, … N app processes
                  behind a round-robin balancer on the one database (default 2; 1 to 8)

Needs DATABASE_URL or TEST_DATABASE_URL pointing to a PostgreSQL server on which the
benchmark may create and drop a database.`;

export class UsageError extends Error {}

function positiveInt(name: string, raw: string | undefined): number {
  const n = Number(raw);
  if (raw === undefined || !Number.isInteger(n) || n < 10) {
    throw new UsageError(`${name} needs a whole number of at least 10 (got ${raw ?? "nothing"})`);
  }
  return n;
}

export function parseOptions(argv: readonly string[]): BenchOptions | "help" {
  let quick = false;
  let responses: number | undefined;
  let json: string | undefined;
  let only: BenchSection[] | undefined;
  let instances = 2;
  let cpuProf: string | null = null;
  let merge: string | null = null;
  let keepDatabase: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => (inline !== undefined ? inline : argv[++i]);
    switch (flag) {
      case "--quick":
        quick = true;
        break;
      case "--responses":
        responses = positiveInt("--responses", value());
        break;
      case "--json": {
        const v = value();
        if (!v) throw new UsageError("--json needs a file path");
        json = v;
        break;
      }
      case "--only": {
        const names = (value() ?? "")
          .split(",")
          .map((x) => x.trim())
          .filter(Boolean);
        const unknown = names.filter((x) => !(BENCH_SECTIONS as readonly string[]).includes(x));
        if (names.length === 0 || unknown.length > 0) {
          throw new UsageError(
            `--only takes sections among ${BENCH_SECTIONS.join(", ")} (got ${unknown.join(", ") || "nothing"})`,
          );
        }
        only = names as BenchSection[];
        break;
      }
      case "--instances": {
        const raw = value();
        const n = Number(raw);
        if (raw === undefined || !Number.isInteger(n) || n < 1 || n > 8) {
          throw new UsageError(
            `--instances needs a whole number from 1 to 8 (got ${raw ?? "nothing"})`,
          );
        }
        instances = n;
        break;
      }
      case "--cpu-prof": {
        const v = value();
        if (!v) throw new UsageError("--cpu-prof needs a directory");
        cpuProf = path.resolve(v);
        break;
      }
      case "--merge": {
        const v = value();
        if (!v) throw new UsageError("--merge needs the path of an earlier results file");
        merge = path.resolve(v);
        break;
      }
      case "--keep-database": {
        const v = value();
        if (!v || !/^[a-z_][a-z0-9_]{0,62}$/.test(v))
          throw new UsageError(
            `--keep-database needs a database name of lower-case letters, digits and _ (got ${v ?? "nothing"})`,
          );
        keepDatabase = v;
        break;
      }
      case "--help":
      case "-h":
        return "help";
      default:
        throw new UsageError(`unknown option ${argv[i]}`);
    }
  }
  const large = responses ?? (quick ? 3_000 : 100_000);
  const defaultSmall = quick ? 1_000 : 10_000;
  const small = defaultSmall < large ? defaultSmall : Math.max(1, Math.floor(large / 10));
  return {
    quick,
    responses: large,
    smallResponses: small,
    otherResponses: Math.max(1, Math.floor(small / 5)),
    json:
      json ??
      (quick
        ? "bench/results-quick.json"
        : only && only.length < BENCH_SECTIONS.length
          ? path.join(os.tmpdir(), "needsmap-bench-partial.json")
          : "bench/results.json"),
    baselineSeconds: quick ? 3 : 8,
    baselineConnections: quick ? [10] : [5, 10, 20],
    submissionSeconds: quick ? 3 : 15,
    submissionWarmupSeconds: quick ? 1 : 3,
    submissionConnections: [10, 50],
    dashboardRequests: quick ? 5 : 20,
    dashboardWarmups: quick ? 1 : 2,
    only: only ?? [...BENCH_SECTIONS],
    merge,
    keepDatabase,
    instances,
    cpuProf,
  };
}
