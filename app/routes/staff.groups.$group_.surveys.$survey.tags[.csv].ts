import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportDownload } from "~/server/exports.server";

/**
 * GET …/tags.csv: every theme tag on the answers (long text, "other", need entries), one row per
 * tag. Honours the dashboard filters.
 */
export function loader(args: LoaderFunctionArgs) {
  return exportDownload(args, "tags");
}
