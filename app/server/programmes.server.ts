import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import * as z from "zod";
import type { Db } from "#db/client";
import type { LocalizedText } from "#db/schema";
import {
  parseCatalogue,
  PROGRAMME_STATUSES,
  PROGRAMME_TYPES,
  type Programme,
  type ProgrammeStatus,
  type ProgrammeType,
} from "~/survey/programmes";
import type { Problem } from "~/survey/source";
import { canonicalJson } from "~/survey/source";
import { audit, type AuditActor } from "./audit.server";
import { type FieldErrors, fieldErrors } from "./form-errors.server";

/**
 * The programme catalogue in the database: loaded from programmes/catalogue.yaml at start (an
 * entry whose text has not changed since it was last loaded keeps the browser's edits), listed
 * for everyone on staff, edited by admins.
 */

export interface ProgrammeRow {
  id: number;
  code: string;
  name: LocalizedText;
  funder: LocalizedText;
  countries: string[];
  type: ProgrammeType;
  eligibility: LocalizedText;
  url: string;
  nextDeadline: string | null;
  status: ProgrammeStatus;
  statusNote: LocalizedText;
}

export interface CatalogueSyncReport {
  created: number;
  updated: number;
  unchanged: number;
  problems: Problem[];
}

function entryHash(p: Programme): string {
  return createHash("sha256").update(canonicalJson(p)).digest("hex");
}

function rowValues(p: Programme) {
  return {
    name: JSON.stringify(p.name),
    funder: JSON.stringify(p.funder),
    countries: JSON.stringify(p.countries),
    type: p.type,
    eligibility: JSON.stringify(p.eligibility),
    url: p.url,
    next_deadline: p.next_deadline ?? null,
    status: p.status,
    status_note: JSON.stringify(p.status_note ?? {}),
  };
}

/** Loads the catalogue file; a file with problems changes nothing. */
export async function syncProgrammeCatalogue(db: Db, file: string): Promise<CatalogueSyncReport> {
  const report: CatalogueSyncReport = { created: 0, updated: 0, unchanged: 0, problems: [] };
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    report.problems.push({ file, line: 1, path: "", message: (error as Error).message });
    return report;
  }
  const { programmes, problems } = parseCatalogue(text, file);
  if (problems.length > 0) return { ...report, problems };
  await db.transaction().execute(async (trx) => {
    for (const [index, p] of programmes.entries()) {
      const hash = entryHash(p);
      const existing = await trx
        .selectFrom("programmes")
        .select(["id", "source_hash"])
        .where("code", "=", p.code)
        .forUpdate()
        .executeTakeFirst();
      if (!existing) {
        await trx
          .insertInto("programmes")
          .values({ code: p.code, ...rowValues(p), sort_order: index, source_hash: hash })
          .onConflict((oc) => oc.column("code").doNothing())
          .execute();
        report.created++;
      } else if (existing.source_hash !== hash) {
        await trx
          .updateTable("programmes")
          .set({ ...rowValues(p), sort_order: index, source_hash: hash, updated_at: new Date() })
          .where("id", "=", existing.id)
          .execute();
        report.updated++;
      } else report.unchanged++;
    }
  });
  return report;
}

function toRow(r: {
  id: number;
  code: string;
  name: LocalizedText;
  funder: LocalizedText;
  countries: string[];
  type: ProgrammeType;
  eligibility: LocalizedText;
  url: string;
  next_deadline: string | null;
  status: ProgrammeStatus;
  status_note: LocalizedText;
}): ProgrammeRow {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    funder: r.funder,
    countries: r.countries,
    type: r.type,
    eligibility: r.eligibility,
    url: r.url,
    nextDeadline: r.next_deadline,
    status: r.status,
    statusNote: r.status_note,
  };
}

function programmeQuery(db: Db) {
  return db
    .selectFrom("programmes")
    .select([
      "id",
      "code",
      "name",
      "funder",
      "countries",
      "type",
      "eligibility",
      "url",
      (eb) => eb.cast<string | null>("next_deadline", "text").as("next_deadline"),
      "status",
      "status_note",
    ]);
}

/** Every programme, in the catalogue's order. */
export async function listProgrammes(db: Db): Promise<ProgrammeRow[]> {
  const rows = await programmeQuery(db).orderBy("sort_order").orderBy("code").execute();
  return rows.map(toRow);
}

export async function findProgramme(db: Db, code: string): Promise<ProgrammeRow | undefined> {
  const row = await programmeQuery(db).where("code", "=", code).executeTakeFirst();
  return row ? toRow(row) : undefined;
}

// ---------------------------------------------------------------------------------------------
// The browser form

const required = (max: number) =>
  z
    .string({ message: "register.errors.required" })
    .trim()
    .min(1, { message: "register.errors.required" })
    .max(max, { message: "register.errors.tooLong" });
const optional = (max: number) =>
  z.string().trim().max(max, { message: "register.errors.tooLong" }).default("");

export const programmeFormSchema = z.object({
  code: z
    .string({ message: "register.errors.required" })
    .trim()
    .min(1, { message: "register.errors.required" })
    .max(60, { message: "register.errors.tooLong" })
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { message: "register.errors.code" }),
  name_en: required(300),
  name_ru: required(300),
  funder_en: required(300),
  funder_ru: required(300),
  countries: z
    .string({ message: "register.errors.required" })
    .trim()
    .max(200, { message: "register.errors.tooLong" })
    .transform((s) =>
      s
        .split(/[\s,;]+/)
        .filter(Boolean)
        .map((c) => c.toUpperCase()),
    )
    .pipe(
      z
        .array(z.string().regex(/^(EU|INT|[A-Z]{2})$/, { message: "register.errors.countries" }))
        .min(1, { message: "register.errors.countries" }),
    ),
  type: z.enum(PROGRAMME_TYPES, { message: "register.errors.choose" }),
  eligibility_en: required(2000),
  eligibility_ru: required(2000),
  url: z
    .string({ message: "register.errors.required" })
    .trim()
    .max(500, { message: "register.errors.tooLong" })
    .regex(/^https:\/\/[^\s/]+\.[^\s]+$/, { message: "register.errors.url" }),
  next_deadline: z
    .string()
    .trim()
    .default("")
    .refine((s) => s === "" || /^\d{4}-\d{2}-\d{2}$/.test(s) && validDay(s), {
      message: "register.errors.date",
    }),
  status: z.enum(PROGRAMME_STATUSES, { message: "register.errors.choose" }),
  status_note_en: optional(2000),
  status_note_ru: optional(2000),
});
export type ProgrammeFormField = keyof z.input<typeof programmeFormSchema>;
export const PROGRAMME_FORM_FIELDS = Object.keys(programmeFormSchema.shape) as ProgrammeFormField[];

export function validDay(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export type SaveProgrammeResult =
  | { ok: true; code: string }
  | { ok: false; errors: FieldErrors<ProgrammeFormField> };

/**
 * Creates (`existing` null) or updates a programme from the browser form. The entry keeps the
 * hash of the file's version: the browser's edit stays until the file's entry itself changes.
 */
export async function saveProgramme(
  db: Db,
  existing: string | null,
  input: Record<string, unknown>,
  options: { by: AuditActor; ip?: string | null },
): Promise<SaveProgrammeResult> {
  const parsed = programmeFormSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  const f = parsed.data;
  const values = {
    name: JSON.stringify({ en: f.name_en, ru: f.name_ru }),
    funder: JSON.stringify({ en: f.funder_en, ru: f.funder_ru }),
    countries: JSON.stringify(f.countries),
    type: f.type,
    eligibility: JSON.stringify({ en: f.eligibility_en, ru: f.eligibility_ru }),
    url: f.url,
    next_deadline: f.next_deadline || null,
    status: f.status,
    status_note: JSON.stringify(
      f.status_note_en || f.status_note_ru ? { en: f.status_note_en, ru: f.status_note_ru } : {},
    ),
    updated_by: options.by.id,
    updated_at: new Date(),
  };
  return db.transaction().execute(async (trx): Promise<SaveProgrammeResult> => {
    if (existing === null) {
      const taken = await trx
        .selectFrom("programmes")
        .select("id")
        .where("code", "=", f.code)
        .executeTakeFirst();
      if (taken || f.code === "new")
        return { ok: false, errors: { code: { key: "register.errors.codeTaken" } } };
      const max = await trx
        .selectFrom("programmes")
        .select((eb) => eb.fn.max("sort_order").as("m"))
        .executeTakeFirst();
      const row = await trx
        .insertInto("programmes")
        .values({ code: f.code, ...values, sort_order: Number(max?.m ?? 0) + 1 })
        .returning("id")
        .executeTakeFirstOrThrow();
      await audit(trx, {
        user: options.by,
        action: "programme.created",
        targetType: "programme",
        targetId: row.id,
        details: { code: f.code },
        ip: options.ip,
      });
      return { ok: true, code: f.code };
    }
    const row = await trx
      .updateTable("programmes")
      .set(values)
      .where("code", "=", existing)
      .returning("id")
      .executeTakeFirst();
    if (!row) return { ok: false, errors: { code: { key: "register.errors.notFound" } } };
    await audit(trx, {
      user: options.by,
      action: "programme.updated",
      targetType: "programme",
      targetId: row.id,
      details: { code: existing, status: f.status, url: f.url },
      ip: options.ip,
    });
    return { ok: true, code: existing };
  });
}

/** The form's values of a programme, for the edit page. */
export function programmeFormValues(p: ProgrammeRow): Record<ProgrammeFormField, string> {
  return {
    code: p.code,
    name_en: p.name.en ?? "",
    name_ru: p.name.ru ?? "",
    funder_en: p.funder.en ?? "",
    funder_ru: p.funder.ru ?? "",
    countries: p.countries.join(", "),
    type: p.type,
    eligibility_en: p.eligibility.en ?? "",
    eligibility_ru: p.eligibility.ru ?? "",
    url: p.url,
    next_deadline: p.nextDeadline ?? "",
    status: p.status,
    status_note_en: p.statusNote.en ?? "",
    status_note_ru: p.statusNote.ru ?? "",
  };
}
