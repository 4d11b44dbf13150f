import type { Migration } from "kysely/migration";
import * as initial from "./2026_11_29_0001_initial";

/**
 * Every migration, by name. Names start with their date so that they sort in the order they
 * were written. Listed statically (not read from the file system) so that the bundled
 * production server carries them.
 */
export const migrations: Record<string, Migration> = {
  "2026_11_29_0001_initial": initial,
};
