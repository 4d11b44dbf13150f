import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportDownload } from "~/server/exports.server";

/** GET …/export.xlsx: the XLSX workbook (sheets Data, Needs, Codebook, Summary). Honours the dashboard filters. */
export function loader(args: LoaderFunctionArgs) {
  return exportDownload(args, "xlsx");
}
