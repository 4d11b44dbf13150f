// Which integration test files `npm test` runs on which database. Integration tests run on real
// Postgres when a server is given (TEST_DATABASE_URL, as in CI), and on embedded PGlite where no
// server is given. With a server, PGlite runs only the files whose subject is the driver itself
// (docs/decisions/027-integration-tests-on-one-database.md).

/** Files that exercise driver-specific behaviour: run on PGlite even when Postgres is given. */
export const DRIVER_SPECIFIC_FILES = [
  // The client factory on both drivers; migrations and constraints.
  "tests/integration/foundation.test.ts",
  // Backups: a copied DATA_DIR on the embedded database, pg_dump and pg_restore on Postgres.
  "tests/integration/security-erasure.test.ts",
  // `npm start` on the embedded database in DATA_DIR (or on Postgres), stopped by signals.
  "tests/integration/start-signals.test.ts",
  // Dashboard aggregates: triggers, plpgsql, unique nulls not distinct and upserts on both engines.
  "tests/integration/aggregates.test.ts",
];
