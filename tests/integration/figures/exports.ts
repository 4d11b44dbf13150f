import type { LoaderFunctionArgs } from "@remix-run/node";
import { parse } from "csv-parse/sync";
import type { Db } from "#db/client";
import { loader as codebookLoader } from "~/routes/staff.groups.$group_.surveys.$survey.codebook[.csv]";
import { loader as longLoader } from "~/routes/staff.groups.$group_.surveys.$survey.export-long[.csv]";
import { loader as wideLoader } from "~/routes/staff.groups.$group_.surveys.$survey.export[.csv]";
import { loader as needsLoader } from "~/routes/staff.groups.$group_.surveys.$survey.needs[.csv]";
import { loader as tagsLoader } from "~/routes/staff.groups.$group_.surveys.$survey.tags[.csv]";
import { loaderArgs } from "../remix";

/** One exported CSV file as records keyed by its header. */
export type Rows = Array<Record<string, string>>;

/** The files a coordinator downloads for one survey, parsed. */
export interface ExportedSurvey {
  group: string;
  survey: string;
  data: Rows;
  long: Rows;
  needs: Rows;
  codebook: Rows;
  /** One row per theme tag on an answer (long text, "other" answer, need entry). */
  tags: Rows;
}

const FILES: Record<string, (args: LoaderFunctionArgs) => Promise<Response>> = {
  "export.csv": wideLoader,
  "export-long.csv": longLoader,
  "needs.csv": needsLoader,
  "codebook.csv": codebookLoader,
  "tags.csv": tagsLoader,
};

async function download(
  db: Db,
  cookie: string,
  group: string,
  survey: string,
  file: string,
): Promise<Rows> {
  const path = `/staff/groups/${group}/surveys/${survey}/${file}`;
  const response = await FILES[file](loaderArgs(path, db, { cookie, params: { group, survey } }));
  if (response.status !== 200) throw new Error(`${path}: status ${response.status}`);
  const text = (await response.text()).replace(/^\uFEFF/, "");
  return parse(text, { columns: true, skip_empty_lines: true, relax_column_count: false }) as Rows;
}

/** Downloads every export of a survey, unfiltered (the test applies the filters itself). */
export async function downloadExports(
  db: Db,
  cookie: string,
  group: string,
  survey: string,
): Promise<ExportedSurvey> {
  const [data, long, needs, codebook, tags] = await Promise.all(
    ["export.csv", "export-long.csv", "needs.csv", "codebook.csv", "tags.csv"].map((f) =>
      download(db, cookie, group, survey, f),
    ),
  );
  return { group, survey, data, long, needs, codebook, tags };
}

/**
 * The differences between the long file and the data file: every long value must be the value
 * of its column (`<question_key>.<item>`, with `__r<round>` for a later Delphi round) in the
 * data row of its response, and every answered data cell (a chosen option: 1) must have its
 * long row. Need entries are only in the long and needs files, and the reasons of Delphi rounds
 * only in the data, and are left out here.
 */
export function longVersusWide(e: ExportedSurvey): string[] {
  const wide = new Map(e.data.map((r) => [r.response_id, r]));
  const columns = new Set(
    e.codebook
      .filter((c) => c.table === "data" && c.question_key && !/__r\d+_reason$/.test(c.column))
      .map((c) => c.column),
  );
  const differences: string[] = [];
  const seen = new Set<string>();
  for (const row of e.long) {
    const base = row.item ? `${row.question_key}.${row.item}` : row.question_key;
    const column = row.round && row.round !== "1" ? `${base}__r${row.round}` : base;
    if (!columns.has(column)) continue;
    seen.add(`${row.response_id}\u0000${column}`);
    const value = wide.get(row.response_id)?.[column];
    if (value !== row.value)
      differences.push(
        `${row.response_id} ${column}: long "${row.value}", data "${value ?? "(no row)"}"`,
      );
  }
  for (const r of e.data) {
    for (const column of columns) {
      const value = r[column];
      if (value === undefined || value === "" || value === "0") continue;
      if (!seen.has(`${r.response_id}\u0000${column}`))
        differences.push(`${r.response_id} ${column}: data "${value}", no long row`);
    }
  }
  return differences;
}
