import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportDownload } from "~/server/exports.server";

/** GET …/codebook.csv: the codebook (every column, question and code). Honours the dashboard filters. */
export function loader(args: LoaderFunctionArgs) {
  return exportDownload(args, "codebook");
}
