/**
 * Export speed: the wide CSV, the XLSX workbook, the long CSV, the needs table and the JSON file
 * of one survey, streamed and counted, with the server's peak RSS.
 */
import { mb, round } from "./util";
import { watchRss } from "./server";

/** The files measured: wide CSV, XLSX, long CSV, needs CSV and JSON. */
export const EXPORT_FORMATS = ["csv", "xlsx", "long", "needs", "json"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const FILES: Record<ExportFormat, string> = {
  csv: "export.csv",
  xlsx: "export.xlsx",
  long: "export-long.csv",
  needs: "needs.csv",
  json: "export.json",
};

export interface ExportRun {
  format: ExportFormat;
  path: string;
  responses: number;
  /** Data rows counted in the file (CSV: records after the header; XLSX and JSON: not counted). */
  rowsCounted: number | null;
  /** Records per second of a CSV file (for the wide CSV, the same as rowsPerSecond). */
  recordsPerSecond: number | null;
  bytes: number;
  seconds: number;
  firstByteMs: number;
  rowsPerSecond: number;
  rssBeforeMb: number;
  rssPeakMb: number;
  rssSource: string;
}

export function exportPath(groupSlug: string, surveySlug: string, format: ExportFormat): string {
  return `/staff/groups/${groupSlug}/surveys/${surveySlug}/${FILES[format]}`;
}

function isCsv(format: ExportFormat): boolean {
  return format === "csv" || format === "long" || format === "needs";
}

export async function measureExport(
  origin: string,
  cookie: string,
  serverPid: number,
  path: string,
  format: ExportFormat,
  responses: number,
  timeoutMs: number,
): Promise<ExportRun> {
  const rss = watchRss(serverPid);
  const t0 = performance.now();
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    return await read();
  } catch (e) {
    rss.stop();
    if (abort.signal.aborted) {
      throw new Error(`GET ${path} did not finish within ${Math.round(timeoutMs / 1000)} s`);
    }
    throw e;
  } finally {
    clearTimeout(timer);
  }

  async function read(): Promise<ExportRun> {
    const res = await fetch(origin + path, { headers: { cookie }, signal: abort.signal });
    const firstByte = performance.now() - t0;
    if (res.status !== 200 || !res.body) {
      rss.stop();
      throw new Error(`GET ${path} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    }
    let bytes = 0;
    // CSV records: line ends outside quoted fields (a quoted cell may hold line breaks; an
    // escaped quote "" toggles twice and changes nothing).
    let records = 0;
    let quoted = false;
    let last = 10;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      if (isCsv(format)) {
        for (let i = 0; i < chunk.length; i++) {
          const c = chunk[i];
          if (c === 34) quoted = !quoted;
          else if (c === 10 && !quoted) records++;
        }
        if (chunk.length > 0) last = chunk[chunk.length - 1];
      }
    }
    const seconds = (performance.now() - t0) / 1000;
    const peak = rss.stop();
    // A last record without a line end still counts; the header is not a data row.
    const lines = isCsv(format) ? records + (last !== 10 ? 1 : 0) : 0;
    return {
      format,
      path,
      responses,
      rowsCounted: isCsv(format) ? lines - 1 : null,
      recordsPerSecond: isCsv(format) ? round((lines - 1) / seconds, 0) : null,
      bytes,
      seconds: round(seconds, 2),
      firstByteMs: round(firstByte, 0),
      rowsPerSecond: round(responses / seconds, 0),
      rssBeforeMb: mb(peak.before),
      rssPeakMb: mb(peak.peak),
      rssSource: peak.source,
    };
  }
}
