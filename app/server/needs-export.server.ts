import type { Db } from "#db/client";
import type { EvidenceFigures } from "#db/schema";
import type { SessionUser } from "./auth.server";
import { currentFiguresOf } from "./need-evidence.server";
import { listNeeds, needDetail } from "./needs.server";
import { xlsxBytes } from "./export-xlsx.server";
import { csvText, type SheetCell } from "./spreadsheet.server";

/**
 * needs-register.csv and .xlsx: one row per need and piece of evidence (a need without
 * evidence has one row), with the figures at linking and now, and the programmes covering it;
 * the workbook adds a coverage sheet (one row per need and programme). Every cell goes through
 * spreadsheet.server.ts.
 */

export const REGISTER_COLUMNS = [
  "need_id",
  "title_en",
  "title_ru",
  "working_groups",
  "category",
  "horizon",
  "status",
  "status_date",
  "owner",
  "evidence_kind",
  "evidence_group",
  "evidence_question",
  "evidence_code",
  "evidence_label_en",
  "linked_at",
  "linked_survey",
  "linked_version",
  "linked_respondents",
  "linked_priority",
  "linked_priority_ci_lower",
  "linked_priority_ci_upper",
  "linked_mwds",
  "linked_tagged_answers",
  "current_survey",
  "current_version",
  "current_respondents",
  "current_priority",
  "current_priority_ci_lower",
  "current_priority_ci_upper",
  "current_mwds",
  "current_tagged_answers",
  "programmes",
] as const;

export const COVERAGE_COLUMNS = ["need_id", "title_en", "programme", "programme_status", "fit", "note"] as const;

function figureCells(f: EvidenceFigures | null | undefined): SheetCell[] {
  if (!f) return [null, null, null, null, null, null];
  const count = (v: EvidenceFigures["respondents"] | undefined) =>
    v === null || v === undefined ? null : typeof v === "number" ? v : v;
  return [
    count(f.respondents),
    f.priority?.mean ?? null,
    f.priority?.ciLower ?? null,
    f.priority?.ciUpper ?? null,
    f.mwds ?? null,
    count(f.answers),
  ];
}

export interface RegisterExport {
  register: SheetCell[][];
  coverage: SheetCell[][];
}

/** The rows of the export, for the needs the user sees (of one group when given). */
export async function registerExportRows(
  db: Db,
  user: SessionUser,
  minCell: number,
  groupId?: number,
): Promise<RegisterExport> {
  const needs = await listNeeds(db, user, { groupId });
  const current = currentFiguresOf(db, minCell);
  const register: SheetCell[][] = [];
  const coverage: SheetCell[][] = [];
  for (const summary of [...needs].sort((a, b) => a.id - b.id)) {
    const n = await needDetail(db, summary.id, current);
    if (!n) continue;
    const base: SheetCell[] = [
      n.id,
      n.title.en ?? "",
      n.title.ru ?? "",
      n.groups.map((g) => g.slug).join("; "),
      n.category,
      n.horizon,
      n.status,
      n.statusDate,
      n.owner,
    ];
    const programmes = n.coverage.map((c) => `${c.code} (${c.fit})`).join("; ");
    const evidence = n.evidence.length ? n.evidence : [null];
    for (const e of evidence) {
      register.push([
        ...base,
        e?.kind ?? null,
        e?.group.slug ?? null,
        e?.questionKey ?? null,
        e?.code ?? null,
        e ? (e.label.en ?? "") : null,
        e?.linkedAt ?? null,
        e?.atLinking.survey ?? null,
        e?.atLinking.version ?? null,
        ...figureCells(e?.atLinking.figures),
        e?.current?.survey ?? null,
        e?.current?.version ?? null,
        ...figureCells(e?.current?.figures),
        programmes,
      ]);
    }
    for (const c of n.coverage)
      coverage.push([n.id, n.title.en ?? "", c.code, c.status, c.fit, c.note]);
  }
  return { register, coverage };
}

export function registerCsv(rows: RegisterExport): string {
  return csvText(REGISTER_COLUMNS, rows.register);
}

/** The register workbook: the register and coverage sheets, each with a bold header row. */
export async function registerXlsx(
  rows: RegisterExport,
  sheetNames: { register: string; coverage: string },
): Promise<Buffer> {
  const parts: Buffer[] = [];
  const book = xlsxBytes({
    creator: "Needsmap",
    sheets: [
      { name: sheetNames.register, rows: [REGISTER_COLUMNS, ...rows.register] },
      { name: sheetNames.coverage, rows: [COVERAGE_COLUMNS, ...rows.coverage] },
    ],
  });
  for await (const part of book) parts.push(part);
  return Buffer.concat(parts);
}
