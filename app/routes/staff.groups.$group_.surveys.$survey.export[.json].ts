import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportDownload } from "~/server/exports.server";

/** GET …/export.json: everything as one JSON document. Honours the dashboard filters. */
export function loader(args: LoaderFunctionArgs) {
  return exportDownload(args, "json");
}
