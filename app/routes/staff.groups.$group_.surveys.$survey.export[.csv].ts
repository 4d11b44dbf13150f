import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportDownload } from "~/server/exports.server";

/** GET …/export.csv: the wide data (one row per response; ?labels=en|ru writes labels instead of codes). Honours the dashboard filters. */
export function loader(args: LoaderFunctionArgs) {
  return exportDownload(args, "wide");
}
