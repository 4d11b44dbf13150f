import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportDownload } from "~/server/exports.server";

/** GET …/needs.csv: the needs table (one row per need entry). Honours the dashboard filters. */
export function loader(args: LoaderFunctionArgs) {
  return exportDownload(args, "needs");
}
