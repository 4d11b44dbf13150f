import { needTaxonomy } from "./need-taxonomy.server";
import type { LoaderFunctionArgs } from "@remix-run/node";
import type { Db } from "#db/client";
import { catalogs } from "~/i18n/catalog";
import { isSupportedLocale } from "~/survey/locale";
import { codeLabelOf } from "~/survey/question-types";
import type { LocalizedText } from "~/survey/schema";
import { audit } from "./audit.server";
import { requireGroupAccess } from "./auth.server";
import {
  answerPart,
  buildExportPlan,
  type Cell,
  catalogCode,
  codebookCells,
  codebookColumns,
  codebookRows,
  type ExportPlan,
  type LabelLocale,
  LONG_COLUMNS,
  NEEDS_COLUMNS,
  TAGS_COLUMNS,
  tagCells,
} from "./export-plan";
import {
  countExportResponses,
  type ExportScope,
  exportSnapshotTime,
  exportSummary,
  exportTags,
  type ReadParts,
  responsePages,
} from "./export-read.server";
import { horizonLabel, type ReadResponse, rowWriter } from "./export-rows";
import { csvStream, jsonStream, webStreamOf } from "./export-writers.server";
import { type XlsxCell, type XlsxWorkbook, xlsxBytes } from "./export-xlsx.server";
import { filtersByParam, type ResponseFilters, requireValidFilters } from "./filters.server";
import { versionDefinitions } from "./surveys.server";

/**
 * Exports of one survey (all its versions) for analysis: wide and long CSV, the needs table,
 * the codebook, an XLSX workbook and JSON. Every file honours the dashboard filters, is read
 * from the database page by page and streamed to the client as it is written (see
 * export-read.server.ts and export-writers.server.ts), and every download is audited.
 * The files are described in the README ("Exports").
 */

export const EXPORT_KINDS = ["wide", "long", "needs", "tags", "codebook", "xlsx", "json"] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

const FILES: Record<ExportKind, { name: string; extension: string; contentType: string }> = {
  wide: { name: "data", extension: "csv", contentType: "text/csv; charset=utf-8" },
  long: { name: "long", extension: "csv", contentType: "text/csv; charset=utf-8" },
  needs: { name: "needs", extension: "csv", contentType: "text/csv; charset=utf-8" },
  tags: { name: "tags", extension: "csv", contentType: "text/csv; charset=utf-8" },
  codebook: { name: "codebook", extension: "csv", contentType: "text/csv; charset=utf-8" },
  xlsx: {
    name: "data",
    extension: "xlsx",
    contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  },
  json: { name: "data", extension: "json", contentType: "application/json; charset=utf-8" },
};

/** The path of an export below the survey's staff pages (the resource routes). */
export const EXPORT_PATHS: Record<ExportKind, string> = {
  wide: "export.csv",
  long: "export-long.csv",
  needs: "needs.csv",
  tags: "tags.csv",
  codebook: "codebook.csv",
  xlsx: "export.xlsx",
  json: "export.json",
};

export interface ExportOptions {
  filters: ResponseFilters;
  /** Write labels in this language instead of codes (wide, long and needs tables, XLSX). */
  labels?: LabelLocale;
  /** Called with an error that ends a download half-way (the client sees a failed download). */
  onError?: (error: unknown) => void;
  /**
   * The minimum cell size (MIN_CELL_SIZE): the summary sheet of the workbook ranks need
   * categories with fewer respondents last, as the dashboard does.
   */
  minCell: number;
}

export interface PreparedExport {
  kind: ExportKind;
  fileName: string;
  contentType: string;
  /** Responses covered (null for the codebook). */
  responses: number | null;
  body: ReadableStream<Uint8Array>;
}

/** `<survey-slug>_<kind>[-<labels>]_<YYYY-MM-DD>.<ext>`, the date being the export's (UTC). */
export function exportFileName(slug: string, kind: ExportKind, labels: LabelLocale | undefined, day: string): string {
  const file = FILES[kind];
  const withLabels = labels && kind !== "codebook" && kind !== "json" && kind !== "tags" ? `-${labels}` : "";
  return `${slug}_${file.name}${withLabels}_${day}.${file.extension}`;
}

/** The plan of a survey's exports, or null when the group has no survey of that slug. */
export async function loadExportPlan(db: Db, groupSlug: string, surveySlug: string): Promise<ExportPlan | null> {
  const survey = await db
    .selectFrom("surveys as s")
    .innerJoin("working_groups as g", "g.id", "s.working_group_id")
    .select(["s.id", "s.slug", "s.current_version_id", "g.slug as group_slug"])
    .where("s.slug", "=", surveySlug)
    .where("g.slug", "=", groupSlug)
    .executeTakeFirst();
  if (!survey) return null;
  const definitions = await versionDefinitions(
    db,
    await db
      .selectFrom("survey_versions")
      .select(["id", "version"])
      .where("survey_id", "=", survey.id)
      .orderBy("version")
      .execute(),
  );
  const current = definitions.find((v) => v.id === survey.current_version_id) ?? definitions.at(-1);
  const rounds = await db
    .selectFrom("delphi_rounds")
    .select(["round", "survey_version_id", "items", "reasons"])
    .where("survey_id", "=", survey.id)
    .orderBy("round")
    .execute();
  return buildExportPlan(
    {
      id: survey.id,
      slug: survey.slug,
      title: current?.definition.title ?? ({ en: survey.slug, ru: survey.slug } as LocalizedText),
      workingGroup: survey.group_slug,
      currentVersionId: survey.current_version_id,
    },
    definitions,
    rounds.map((r) => ({ round: r.round, versionId: r.survey_version_id, items: r.items, reasons: r.reasons })),
    needTaxonomy(),
  );
}

/** Text gathered before it is handed to the stream (about one stream chunk). */
const TEXT_CHUNK = 64 * 1024;

/**
 * The lines of a file: `write` hands each response's rows to `emit`; each line is built once
 * and the lines are yielded about TEXT_CHUNK characters at a time.
 */
async function* csvLines(
  pages: AsyncIterable<ReadResponse[]>,
  write: (response: ReadResponse, emit: (row: Cell[]) => void) => void,
  line: (row: readonly Cell[]) => string,
): AsyncGenerator<string> {
  let text = "";
  const emit = (row: Cell[]) => {
    text += line(row);
  };
  for await (const page of pages) {
    for (const response of page) {
      write(response, emit);
      if (text.length >= TEXT_CHUNK) {
        yield text;
        text = "";
      }
    }
  }
  if (text) yield text;
}

/** The text of each response (its lines), yielded about TEXT_CHUNK characters at a time. */
async function* textChunks(pages: AsyncIterable<ReadResponse[]>, write: (response: ReadResponse) => string): AsyncGenerator<string> {
  let text = "";
  for await (const page of pages) {
    for (const response of page) {
      text += write(response);
      if (text.length >= TEXT_CHUNK) {
        yield text;
        text = "";
      }
    }
  }
  if (text) yield text;
}

const VALUES: ReadParts = { values: true, needs: false };
const ALL: ReadParts = { values: true, needs: true };
const NEEDS: ReadParts = { values: false, needs: true };

/** Builds the stream of one export. Counting and the time snapshot happen before it starts. */
export async function createExport(
  db: Db,
  plan: ExportPlan,
  kind: ExportKind,
  options: ExportOptions,
): Promise<PreparedExport> {
  const { filters, labels, onError, minCell } = options;
  const until = await exportSnapshotTime(db);
  const scope: ExportScope = { surveyId: plan.survey.id, filters, until };
  const responses = kind === "codebook" ? null : await countExportResponses(db, scope);
  const file = FILES[kind];
  const fileName = exportFileName(plan.survey.slug, kind, labels, until.slice(0, 10));
  const rows = rowWriter(plan, labels);

  let body: ReadableStream<Uint8Array>;
  switch (kind) {
    case "wide":
      body = csvStream(
        plan.wideColumns,
        (line) => csvLines(responsePages(db, plan, scope, VALUES), (r, emit) => emit(rows.wide(r)), line),
        onError,
      );
      break;
    case "long":
      body = csvStream(LONG_COLUMNS, () => textChunks(responsePages(db, plan, scope, ALL), rows.long), onError);
      break;
    case "needs":
      body = csvStream(NEEDS_COLUMNS, (line) => csvLines(responsePages(db, plan, scope, NEEDS), rows.needs, line), onError);
      break;
    case "tags":
      body = csvStream(TAGS_COLUMNS, (line) => tagLines(db, plan, scope, line), onError);
      break;
    case "codebook":
      body = csvStream(
        codebookColumns(plan),
        async function* (line) {
          yield codebookRows(plan)
            .map((row) => line(codebookCells(plan, row)))
            .join("");
        },
        onError,
      );
      break;
    case "xlsx":
      body = webStreamOf(xlsxBytes(workbook(db, plan, scope, labels, minCell)), onError);
      break;
    case "json":
      body = jsonStream(jsonParts(db, plan, scope), onError);
      break;
  }
  return { kind, fileName, contentType: file.contentType, responses, body };
}

async function* tagLines(
  db: Db,
  plan: ExportPlan,
  scope: ExportScope,
  line: (row: readonly Cell[]) => string,
): AsyncGenerator<string> {
  for await (const tags of exportTags(db, plan, scope)) yield tags.map((tag) => line(tagCells(plan, tag))).join("");
}

// ---------------------------------------------------------------------------------------------
// JSON

async function* jsonParts(db: Db, plan: ExportPlan, scope: ExportScope): AsyncGenerator<string> {
  const rows = rowWriter(plan);
  const survey = {
    slug: plan.survey.slug,
    title: plan.survey.title,
    working_group: plan.survey.workingGroup,
    versions: plan.versions.map((v) => v.version),
    current_version: plan.survey.currentVersionId === null ? null : (plan.versionNumbers.get(plan.survey.currentVersionId) ?? null),
    // The later Delphi rounds and the items each re-rated (each response's `rounds`).
    delphi_rounds: plan.rounds.map((r) => ({ round: r.round, items: r.items.map((i) => i.item.id) })),
  };
  const codebook = codebookRows(plan).map((row) => ({
    table: row.table,
    column: row.column,
    question_key: row.questionKey,
    type: row.type,
    label: row.label,
    item: row.item,
    item_label: row.itemLabel,
    code: row.code,
    code_label: row.codeLabel,
    values: row.values,
    versions: row.versions,
  }));
  const head = { survey, exportedAt: scope.until, filters: filtersByParam(scope.filters), codebook };
  yield JSON.stringify(head).slice(0, -1) + ',"responses":[';
  let first = true;
  for await (const page of responsePages(db, plan, scope, VALUES)) {
    let text = "";
    for (const response of page) {
      text += (first ? "\n" : ",\n") + JSON.stringify(rows.json(response));
      first = false;
    }
    yield text;
  }
  yield '\n],"needs":[';
  first = true;
  for await (const page of responsePages(db, plan, scope, NEEDS)) {
    let text = "";
    for (const response of page) {
      for (const entry of rows.jsonNeeds(response)) {
        text += (first ? "\n" : ",\n") + JSON.stringify(entry);
        first = false;
      }
    }
    if (text) yield text;
  }
  yield '\n],"tags":[';
  first = true;
  for await (const tags of exportTags(db, plan, scope)) {
    let text = "";
    for (const tag of tags) {
      const entry = {
        response_id: tag.responseId,
        question_key: tag.questionKey,
        answer_part: answerPart(plan, tag),
        item: tag.item,
        theme_id: tag.themeId,
        theme_name: tag.themeName,
      };
      text += (first ? "\n" : ",\n") + JSON.stringify(entry);
      first = false;
    }
    if (text) yield text;
  }
  yield "\n]}\n";
}

// ---------------------------------------------------------------------------------------------
// XLSX

/**
 * The workbook: the data, needs, tags and codebook tables as in the CSV files (header row bold
 * and frozen), then the summary. Each sheet is written as its rows are read, one after the
 * other, so that no sheet waits in memory for another.
 */
function workbook(
  db: Db,
  plan: ExportPlan,
  scope: ExportScope,
  labels: LabelLocale | undefined,
  minCell: number,
): XlsxWorkbook {
  const rows = rowWriter(plan, labels);
  const at = plan.wideColumns.indexOf("submitted_at");
  async function* data(): AsyncGenerator<readonly XlsxCell[]> {
    yield plan.wideColumns;
    for await (const page of responsePages(db, plan, scope, VALUES)) {
      for (const response of page) {
        // The wide row is one reused array; it is written before the next response is asked for.
        const record: XlsxCell[] = rows.wide(response);
        record[at] = new Date(response.submittedAt);
        yield record;
      }
    }
  }
  async function* needs(): AsyncGenerator<readonly XlsxCell[]> {
    yield NEEDS_COLUMNS;
    const entries: Cell[][] = [];
    for await (const page of responsePages(db, plan, scope, NEEDS)) {
      for (const response of page) {
        rows.needs(response, (cells) => entries.push(cells));
        yield* entries;
        entries.length = 0;
      }
    }
  }
  async function* tags(): AsyncGenerator<readonly XlsxCell[]> {
    yield TAGS_COLUMNS;
    for await (const page of exportTags(db, plan, scope)) for (const tag of page) yield tagCells(plan, tag);
  }
  const locale: LabelLocale = labels ?? "en";
  return {
    creator: "Needsmap",
    sheets: [
      { name: "Data", frozenHeader: true, widths: { [at + 1]: 20 }, rows: data() },
      { name: "Needs", frozenHeader: true, rows: needs() },
      { name: "Tags", frozenHeader: true, rows: tags() },
      {
        name: "Codebook",
        frozenHeader: true,
        rows: [codebookColumns(plan), ...codebookRows(plan).map((row) => codebookCells(plan, row))],
      },
      {
        name: "Summary",
        widths: { 1: 60 },
        bold: (cells) => cells.length === 1 && cells[0] !== null,
        rows: (async function* () {
          yield* await summaryRows(db, plan, scope, locale, minCell);
        })(),
      },
    ],
  };
}

/** The rows of the summary sheet: headline figures, country groups, top needs by horizon. */
export async function summaryRows(
  db: Db,
  plan: ExportPlan,
  scope: ExportScope,
  locale: LabelLocale,
  minCell: number,
): Promise<Cell[][]> {
  const t = catalogs[locale].exports.summary;
  const codes = catalogs[locale].exports.file.codes;
  const s = await exportSummary(db, plan, scope, minCell);
  const filters = Object.entries(filtersByParam(scope.filters))
    .map(([name, value]) => `${name}=${value}`)
    .join(", ");
  const rows: Cell[][] = [
    [t.heading],
    [t.survey, plan.survey.title[locale] ?? plan.survey.title.en ?? plan.survey.slug],
    [t.exportedAt, scope.until.replace(/\.\d+Z$/, "Z")],
    [t.filters, filters || t.noFilters],
    [],
    [t.figure, t.value],
    [t.matching, s.matching],
    [t.submitted, s.submitted],
    [t.started, s.started],
    [t.completion, s.started > 0 ? Math.round((s.submitted / s.started) * 1000) / 1000 : null],
    [t.invitations, s.invitations],
    [t.invitedSubmitted, s.invitedSubmitted],
    [],
    [t.byCountryGroup],
    [t.countryGroup, t.responses],
    ...s.byCountryGroup.map((g): Cell[] => [
      g.countryGroup
        ? ((codes.country_group as Record<string, string>)[catalogCode(g.countryGroup)] ?? g.countryGroup)
        : t.unknownGroup,
      g.count,
    ]),
    [],
    [t.topNeeds],
  ];
  if (s.topNeeds.length === 0) {
    rows.push([t.noNeeds]);
    return rows;
  }
  rows.push([t.horizon, t.category, t.needs, t.meanUrgency, t.meanImportance, t.priority, t.respondents]);
  for (const need of s.topNeeds) {
    const question = plan.needQuestions.find((q) => q.key === need.questionKey)?.question;
    const category = question ? codeLabelOf(question, need.category) : undefined;
    rows.push([
      horizonLabel(need.horizon, locale),
      category ? (category[locale] ?? category.en) : need.category,
      need.count,
      need.meanUrgency === null ? null : Math.round(need.meanUrgency * 100) / 100,
      need.meanImportance === null ? null : Math.round(need.meanImportance * 100) / 100,
      need.priority === null ? null : Math.round(need.priority * 10) / 10,
      need.respondents,
    ]);
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// The resource routes

/** The `labels` query parameter: absent, or a supported locale (else a 400 Response). */
export function parseLabelsParam(params: URLSearchParams): LabelLocale | undefined {
  const raw = params.get("labels")?.trim();
  if (!raw) return undefined;
  if (!isSupportedLocale(raw)) {
    throw new Response("Invalid labels value: use en or ru", {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  return raw;
}

/**
 * The loader of every export URL: a coordinator of the group or an admin gets the file (401 for
 * no session, 403 for another group, 404 for a survey the group does not have, 400 for a bad
 * filter); the download is written to the audit log before it starts.
 */
export async function exportDownload(
  { request, params, context }: Pick<LoaderFunctionArgs, "request" | "params" | "context">,
  kind: ExportKind,
): Promise<Response> {
  const groupSlug = params.group ?? "";
  const user = await requireGroupAccess(request, context, groupSlug, { resource: true });
  const query = new URL(request.url).searchParams;
  const filters = requireValidFilters(query);
  const labels = parseLabelsParam(query);
  const plan = await loadExportPlan(context.db, groupSlug, params.survey ?? "");
  if (!plan) {
    throw new Response("Survey not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  const prepared = await createExport(context.readDb, plan, kind, {
    filters,
    labels,
    minCell: context.env.MIN_CELL_SIZE,
    onError: (error) =>
      context.logger.error("export failed", {
        survey: plan.survey.slug,
        kind,
        error: error instanceof Error ? error.message : String(error),
      }),
  });
  await audit(context.db, {
    user,
    action: "export.downloaded",
    targetType: "survey",
    targetId: plan.survey.id,
    details: {
      survey: plan.survey.slug,
      kind,
      filters: filtersByParam(filters),
      ...(labels ? { labels } : {}),
      responses: prepared.responses,
    },
    ip: context.clientIp,
  });
  return new Response(prepared.body, {
    headers: {
      "Content-Type": prepared.contentType,
      "Content-Disposition": `attachment; filename="${prepared.fileName}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

