import { parse } from "csv-parse/sync";
import { sql } from "kysely";
import { z } from "zod";
import type { Db } from "#db/client";
import type { InvitationStatus } from "#db/schema";
import { audit } from "./audit.server";
import { csvText } from "./spreadsheet.server";
import { hashToken, newToken, TOKEN_PATTERN } from "./tokens.server";
import type { Actor, ManagedSurvey } from "./survey-admin.server";

/**
 * Invitations: personal links to a survey.
 *
 * A personal link is `<PUBLIC_URL or the request's origin>/i/<token>` with a token of 32 random
 * bytes (base64url). Only its SHA-256 is stored, so a link can be shown or downloaded only when
 * its token is issued (import, adding one invitee, a new link, new links for everyone not yet
 * submitted); issuing a new token ends the old link. See docs/decisions/ on personal links.
 *
 * CSV import is all or nothing: if any row is invalid nothing is imported, and the report says
 * what is wrong with each row. Rows whose e-mail address is already invited (or repeats an
 * earlier row) are skipped, not errors.
 */

export const INVITEE_LOCALES = ["en", "ru"] as const;
export type InviteeLocale = (typeof INVITEE_LOCALES)[number];

export { hashToken, newToken, TOKEN_PATTERN } from "./tokens.server";

export function personalLink(base: string, token: string): string {
  return `${base}/i/${token}`;
}

export interface InvitationByToken {
  id: number;
  surveyId: number;
  name: string;
  email: string | null;
  locale: string;
  status: InvitationStatus;
}

/** The invitation of a personal link's token, or null (unknown, or replaced by a newer link). Revoked ones are returned with their status. */
export async function findInvitationByToken(
  db: Db,
  token: string,
): Promise<InvitationByToken | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const row = await db
    .selectFrom("invitations")
    .select(["id", "survey_id", "name", "email", "locale", "status"])
    .where("token_hash", "=", hashToken(token))
    .executeTakeFirst();
  return row
    ? {
        id: row.id,
        surveyId: row.survey_id,
        name: row.name,
        email: row.email,
        locale: row.locale,
        status: row.status,
      }
    : null;
}

// ---------------------------------------------------------------------------------------------
// Invitees

const blank = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/** One invitee as a form or a CSV row gives it. Messages are catalog keys under manage.invitations.errors. */
export const inviteeSchema = z.object({
  name: z
    .string({ message: "nameRequired" })
    .trim()
    .min(1, { message: "nameRequired" })
    .max(200, { message: "nameTooLong" }),
  email: z
    .string({ message: "emailRequired" })
    .trim()
    .min(1, { message: "emailRequired" })
    .max(254, { message: "emailInvalid" })
    .pipe(z.email({ message: "emailInvalid" })),
  country: z.preprocess(
    blank,
    z.string().trim().max(100, { message: "countryTooLong" }).optional(),
  ),
  organisation: z.preprocess(
    blank,
    z.string().trim().max(300, { message: "organisationTooLong" }).optional(),
  ),
  language: z.preprocess(
    (v) =>
      typeof v === "string" ? (blank(v) === undefined ? undefined : v.trim().toLowerCase()) : v,
    z.enum(INVITEE_LOCALES, { message: "languageInvalid" }).default("en"),
  ),
});
export type InviteeInput = z.input<typeof inviteeSchema>;
export type Invitee = z.output<typeof inviteeSchema>;
export type InviteeField = keyof Invitee;
export type InviteeErrorKey =
  | "nameRequired"
  | "nameTooLong"
  | "emailRequired"
  | "emailInvalid"
  | "countryTooLong"
  | "organisationTooLong"
  | "languageInvalid";

function inviteeErrors(error: z.ZodError): Partial<Record<InviteeField, InviteeErrorKey>> {
  const out: Partial<Record<InviteeField, InviteeErrorKey>> = {};
  for (const issue of error.issues) {
    const field = issue.path[0] as InviteeField;
    if (!out[field]) out[field] = issue.message as InviteeErrorKey;
  }
  return out;
}

/** Two-letter country codes are stored in upper case; anything else as written. */
function normalizeCountry(country: string | undefined): string | null {
  if (!country) return null;
  return /^[a-z]{2}$/i.test(country) ? country.toUpperCase() : country;
}

export interface IssuedLink {
  invitationId: number;
  name: string;
  email: string | null;
  /** The personal token, shown (and downloadable) only now. */
  token: string;
}

async function activeEmails(db: Db, surveyId: number): Promise<Set<string>> {
  const rows = await db
    .selectFrom("invitations")
    .select(sql<string>`lower(email)`.as("email"))
    .where("survey_id", "=", surveyId)
    .where("status", "=", "active")
    .where("email", "is not", null)
    .execute();
  return new Set(rows.map((r) => r.email));
}

async function insertInvitees(
  db: Db,
  surveyId: number,
  invitees: readonly Invitee[],
  userId: number | null,
): Promise<IssuedLink[]> {
  if (invitees.length === 0) return [];
  const tokens = invitees.map(() => newToken());
  const rows = await db
    .insertInto("invitations")
    .values(
      invitees.map((inv, i) => ({
        survey_id: surveyId,
        token_hash: tokens[i].hash,
        name: inv.name,
        email: inv.email.toLowerCase(),
        country: normalizeCountry(inv.country),
        organisation: inv.organisation ?? null,
        locale: inv.language,
        created_by: userId,
      })),
    )
    .returning(["id", "token_hash", "name", "email"])
    .execute();
  const byHash = new Map(tokens.map((t) => [t.hash, t.token]));
  return rows.map((r) => ({
    invitationId: r.id,
    name: r.name,
    email: r.email,
    token: byHash.get(r.token_hash)!,
  }));
}

export type AddResult =
  | { ok: true; link: IssuedLink }
  | { ok: false; errors: Partial<Record<InviteeField, InviteeErrorKey | "emailAlreadyInvited">> };

/** Adds one invitee by hand and issues their personal link. */
export async function addInvitee(
  db: Db,
  survey: ManagedSurvey,
  raw: InviteeInput,
  actor: Actor,
): Promise<AddResult> {
  const parsed = inviteeSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, errors: inviteeErrors(parsed.error) };
  const invitee = parsed.data;
  return db.transaction().execute(async (trx) => {
    await lockInvitations(trx, survey.id);
    if ((await activeEmails(trx, survey.id)).has(invitee.email.toLowerCase())) {
      return { ok: false as const, errors: { email: "emailAlreadyInvited" as const } };
    }
    const [link] = await insertInvitees(trx, survey.id, [invitee], actor.user?.id ?? null);
    await audit(trx, {
      user: actor.user,
      action: "invitation.add",
      targetType: "invitation",
      targetId: link.invitationId,
      details: { survey: survey.slug, email: link.email, name: link.name },
      ip: actor.ip,
    });
    return { ok: true as const, link };
  });
}

/** Serialises changes to one survey's invitations (imports and additions checking for duplicates). */
async function lockInvitations(trx: Db, surveyId: number): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${"invitations:" + surveyId}))`.execute(trx);
}

// ---------------------------------------------------------------------------------------------
// CSV import

export const MAX_IMPORT_ROWS = 5000;

/** Accepted header names (lower case, without spaces, dashes, dots and underscores). */
const HEADER_ALIASES: Record<string, InviteeField> = {
  name: "name",
  fullname: "name",
  имя: "name",
  фио: "name",
  email: "email",
  emailaddress: "email",
  mail: "email",
  электроннаяпочта: "email",
  почта: "email",
  эпочта: "email",
  country: "country",
  страна: "country",
  organisation: "organisation",
  organization: "organisation",
  org: "organisation",
  institution: "organisation",
  организация: "organisation",
  language: "language",
  lang: "language",
  locale: "language",
  язык: "language",
};

function headerField(raw: string): InviteeField | null {
  const key = raw
    .replace(/^\uFEFF/, "")
    .trim()
    .toLowerCase()
    .replace(/[\s_.-]/g, "");
  return HEADER_ALIASES[key] ?? null;
}

export type RowOutcome =
  | { status: "imported"; invitationId?: number }
  /** The file had invalid rows: this valid row was not imported either. */
  | { status: "valid" }
  | { status: "duplicateExisting" }
  | { status: "duplicateInFile"; firstRow: number }
  | { status: "invalid"; errors: InviteeErrorKey[] };

export interface RowReport {
  /** Line of the row in the file (the header is line 1). */
  row: number;
  name: string;
  email: string;
  outcome: RowOutcome;
}

export type FileProblem =
  | { key: "empty" }
  | { key: "unreadable"; detail: string }
  | { key: "missingHeader"; missing: string[] }
  | { key: "duplicateColumn"; column: string }
  | { key: "tooManyRows"; max: number }
  | { key: "noRows" };

export interface ImportReport {
  /** Whether anything was stored. */
  imported: boolean;
  fileProblem: FileProblem | null;
  rows: RowReport[];
  counts: { imported: number; valid: number; duplicates: number; invalid: number };
  /** The personal links of the invitees just imported: shown and downloadable only now. */
  links: IssuedLink[];
  delimiter: "," | ";" | null;
}

/** `;` when the header line has more semicolons than commas (spreadsheets in many European locales), else `,`. */
export function detectDelimiter(text: string): "," | ";" {
  const firstLine = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/, 1)[0] ?? "";
  const count = (c: string) => firstLine.split(c).length - 1;
  return count(";") > count(",") ? ";" : ",";
}

interface ParsedCsv {
  fileProblem: FileProblem | null;
  delimiter: "," | ";" | null;
  rows: { row: number; values: Partial<Record<InviteeField, string>> }[];
}

/** Reads the invitee CSV: header required (any order, case-insensitive), BOM tolerated, `,` or `;`. */
export function parseInviteeCsv(input: string): ParsedCsv {
  const text = input.replace(/^\uFEFF/, "");
  if (text.trim() === "") return { fileProblem: { key: "empty" }, delimiter: null, rows: [] };
  const delimiter = detectDelimiter(text);
  let records: { info: { lines: number }; record: string[] }[];
  try {
    records = parse(text, {
      delimiter,
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as { info: { lines: number }; record: string[] }[];
  } catch (e) {
    return {
      fileProblem: { key: "unreadable", detail: (e as Error).message.split("\n")[0] },
      delimiter,
      rows: [],
    };
  }
  const [header, ...data] = records;
  if (!header) return { fileProblem: { key: "empty" }, delimiter, rows: [] };
  const columns = header.record.map(headerField);
  const seen = new Set<InviteeField>();
  for (const c of columns) {
    if (!c) continue;
    if (seen.has(c))
      return { fileProblem: { key: "duplicateColumn", column: c }, delimiter, rows: [] };
    seen.add(c);
  }
  const missing = (["name", "email"] as const).filter((c) => !seen.has(c));
  if (missing.length)
    return { fileProblem: { key: "missingHeader", missing }, delimiter, rows: [] };
  const rows = data
    .filter((r) => r.record.some((v) => v.trim() !== ""))
    .map((r) => {
      const values: Partial<Record<InviteeField, string>> = {};
      columns.forEach((c, i) => {
        if (c) values[c] = r.record[i] ?? "";
      });
      return { row: r.info.lines, values };
    });
  if (rows.length === 0) return { fileProblem: { key: "noRows" }, delimiter, rows: [] };
  if (rows.length > MAX_IMPORT_ROWS)
    return { fileProblem: { key: "tooManyRows", max: MAX_IMPORT_ROWS }, delimiter, rows: [] };
  return { fileProblem: null, delimiter, rows };
}

/**
 * Imports invitees from CSV text into a survey. All or nothing: when any row is invalid, no row
 * is imported and the report lists each row's problems. Rows with an e-mail address already
 * invited to the survey, or repeating an earlier row, are skipped.
 */
export async function importInvitees(
  db: Db,
  survey: ManagedSurvey,
  csvText: string,
  actor: Actor,
): Promise<ImportReport> {
  const parsed = parseInviteeCsv(csvText);
  const empty = { imported: 0, valid: 0, duplicates: 0, invalid: 0 };
  if (parsed.fileProblem) {
    return {
      imported: false,
      fileProblem: parsed.fileProblem,
      rows: [],
      counts: empty,
      links: [],
      delimiter: parsed.delimiter,
    };
  }
  return db.transaction().execute(async (trx) => {
    await lockInvitations(trx, survey.id);
    const existing = await activeEmails(trx, survey.id);
    const firstRowOf = new Map<string, number>();
    const valid: { index: number; invitee: Invitee }[] = [];
    const rows: RowReport[] = parsed.rows.map((r, index) => {
      const name = (r.values.name ?? "").trim();
      const email = (r.values.email ?? "").trim();
      const result = inviteeSchema.safeParse(r.values);
      if (!result.success) {
        return {
          row: r.row,
          name,
          email,
          outcome: { status: "invalid", errors: Object.values(inviteeErrors(result.error)) },
        };
      }
      const key = result.data.email.toLowerCase();
      if (existing.has(key))
        return { row: r.row, name, email, outcome: { status: "duplicateExisting" } };
      const first = firstRowOf.get(key);
      if (first !== undefined)
        return { row: r.row, name, email, outcome: { status: "duplicateInFile", firstRow: first } };
      firstRowOf.set(key, r.row);
      valid.push({ index, invitee: result.data });
      return { row: r.row, name, email, outcome: { status: "valid" } };
    });
    const counts = {
      imported: 0,
      valid: valid.length,
      duplicates: rows.filter(
        (r) => r.outcome.status === "duplicateExisting" || r.outcome.status === "duplicateInFile",
      ).length,
      invalid: rows.filter((r) => r.outcome.status === "invalid").length,
    };
    if (counts.invalid > 0 || valid.length === 0) {
      return {
        imported: false,
        fileProblem: null,
        rows,
        counts,
        links: [],
        delimiter: parsed.delimiter,
      };
    }
    const links = await insertInvitees(
      trx,
      survey.id,
      valid.map((v) => v.invitee),
      actor.user?.id ?? null,
    );
    valid.forEach((v, i) => {
      rows[v.index].outcome = { status: "imported", invitationId: links[i].invitationId };
    });
    counts.imported = links.length;
    await audit(trx, {
      user: actor.user,
      action: "invitation.import",
      targetType: "survey",
      targetId: survey.id,
      details: {
        survey: survey.slug,
        imported: counts.imported,
        duplicates: counts.duplicates,
        rows: rows.length,
      },
      ip: actor.ip,
    });
    return { imported: true, fileProblem: null, rows, counts, links, delimiter: parsed.delimiter };
  });
}

// ---------------------------------------------------------------------------------------------
// Revoking and new links

export type InvitationChange =
  { ok: true; link?: IssuedLink } | { ok: false; reason: "notFound" | "revoked" | "submitted" };

/** Revokes an invitation: its link stops working. A submitted response is kept. */
export async function revokeInvitation(
  db: Db,
  survey: ManagedSurvey,
  id: number,
  actor: Actor,
): Promise<InvitationChange> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("invitations")
      .set({ status: "revoked", revoked_at: sql<Date>`now()` })
      .where("id", "=", id)
      .where("survey_id", "=", survey.id)
      .where("status", "=", "active")
      .returning(["id", "email", "name"])
      .executeTakeFirst();
    if (!row) {
      const exists = await trx
        .selectFrom("invitations")
        .select("id")
        .where("id", "=", id)
        .where("survey_id", "=", survey.id)
        .executeTakeFirst();
      return { ok: false as const, reason: exists ? ("revoked" as const) : ("notFound" as const) };
    }
    // Messages not yet sent to a revoked invitee are dropped.
    await trx
      .deleteFrom("email_outbox")
      .where("invitation_id", "=", id)
      .where("status", "in", ["queued", "failed"])
      .execute();
    await audit(trx, {
      user: actor.user,
      action: "invitation.revoke",
      targetType: "invitation",
      targetId: id,
      details: { survey: survey.slug, email: row.email, name: row.name },
      ip: actor.ip,
    });
    return { ok: true as const };
  });
}

/**
 * Issues a new token for an invitation (a revoked one becomes active again, unless its e-mail
 * address has been invited anew since). The old link stops working; answers already given stay
 * with the invitation.
 */
export async function regenerateInvitation(
  db: Db,
  survey: ManagedSurvey,
  id: number,
  actor: Actor,
): Promise<InvitationChange> {
  return db.transaction().execute(async (trx) => {
    await lockInvitations(trx, survey.id);
    const inv = await trx
      .selectFrom("invitations")
      .select(["id", "name", "email", "status"])
      .where("id", "=", id)
      .where("survey_id", "=", survey.id)
      .executeTakeFirst();
    if (!inv) return { ok: false as const, reason: "notFound" as const };
    if (
      inv.status === "revoked" &&
      inv.email &&
      (await activeEmails(trx, survey.id)).has(inv.email.toLowerCase())
    ) {
      return { ok: false as const, reason: "revoked" as const };
    }
    const { token, hash } = newToken();
    await trx
      .updateTable("invitations")
      .set({ token_hash: hash, status: "active", revoked_at: null })
      .where("id", "=", id)
      .execute();
    await audit(trx, {
      user: actor.user,
      action: "invitation.regenerate",
      targetType: "invitation",
      targetId: id,
      details: { survey: survey.slug, email: inv.email, reactivated: inv.status === "revoked" },
      ip: actor.ip,
    });
    return {
      ok: true as const,
      link: { invitationId: id, name: inv.name, email: inv.email, token },
    };
  });
}

/**
 * New links for every active invitee who has not submitted: for a download when the earlier
 * links are lost. Every earlier link of those invitees stops working.
 */
export async function regenerateAllPending(
  db: Db,
  survey: ManagedSurvey,
  actor: Actor,
): Promise<IssuedLink[]> {
  return db.transaction().execute(async (trx) => {
    const pending = await pendingInvitations(trx, survey.id);
    const links: IssuedLink[] = [];
    for (const inv of pending) {
      const { token, hash } = newToken();
      await trx
        .updateTable("invitations")
        .set({ token_hash: hash })
        .where("id", "=", inv.id)
        .execute();
      links.push({ invitationId: inv.id, name: inv.name, email: inv.email, token });
    }
    await audit(trx, {
      user: actor.user,
      action: "invitation.regenerate_all",
      targetType: "survey",
      targetId: survey.id,
      details: { survey: survey.slug, count: links.length },
      ip: actor.ip,
    });
    return links;
  });
}

/** Active invitations whose response is not submitted, in the order they were added. */
export async function pendingInvitations(
  db: Db,
  surveyId: number,
  options: { withEmail?: boolean } = {},
): Promise<{ id: number; name: string; email: string | null; locale: string }[]> {
  let q = db
    .selectFrom("invitations as i")
    .leftJoin("responses as r", "r.invitation_id", "i.id")
    .select(["i.id", "i.name", "i.email", "i.locale"])
    .where("i.survey_id", "=", surveyId)
    .where("i.status", "=", "active")
    .where((eb) => eb.or([eb("r.id", "is", null), eb("r.status", "<>", "submitted")]))
    .orderBy("i.id");
  if (options.withEmail) q = q.where("i.email", "is not", null);
  return q.execute();
}

// ---------------------------------------------------------------------------------------------
// Lists and downloads

export type InviteeStatus = "not_started" | "in_progress" | "submitted";

export interface InvitationRow {
  id: number;
  name: string;
  email: string | null;
  country: string | null;
  organisation: string | null;
  locale: string;
  status: InvitationStatus;
  /** From the invitee's response. */
  progress: InviteeStatus;
  createdAt: Date;
  lastSentAt: Date | null;
  /** The latest of the link's last use and the response's last change. */
  lastActivityAt: Date | null;
  submittedAt: Date | null;
}

export async function listInvitations(db: Db, surveyId: number): Promise<InvitationRow[]> {
  const rows = await db
    .selectFrom("invitations as i")
    .leftJoin("responses as r", "r.invitation_id", "i.id")
    .select([
      "i.id",
      "i.name",
      "i.email",
      "i.country",
      "i.organisation",
      "i.locale",
      "i.status",
      "i.created_at",
      "i.last_sent_at",
      "r.status as response_status",
      "r.submitted_at",
      sql<Date | null>`greatest(i.last_activity_at, r.updated_at)`.as("last_activity_at"),
    ])
    .where("i.survey_id", "=", surveyId)
    .orderBy("i.status")
    .orderBy("i.id")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    email: r.email,
    country: r.country,
    organisation: r.organisation,
    locale: r.locale,
    status: r.status,
    progress:
      r.response_status === "submitted"
        ? "submitted"
        : r.response_status === "in_progress"
          ? "in_progress"
          : "not_started",
    createdAt: r.created_at,
    lastSentAt: r.last_sent_at,
    lastActivityAt: r.last_activity_at ? new Date(r.last_activity_at) : null,
    submittedAt: r.submitted_at,
  }));
}

export interface InvitationSummary {
  active: number;
  revoked: number;
  notStarted: number;
  inProgress: number;
  submitted: number;
  /** Active, with an e-mail address, never sent a message. */
  notYetEmailed: number;
  /** Active, with an e-mail address, not submitted. */
  remindable: number;
  /** Active, not submitted (with or without an e-mail address). */
  pending: number;
}

export async function invitationSummary(db: Db, surveyId: number): Promise<InvitationSummary> {
  const row = await db
    .selectFrom("invitations as i")
    .leftJoin("responses as r", "r.invitation_id", "i.id")
    .select([
      sql<number>`count(*) filter (where i.status = 'active')`.as("active"),
      sql<number>`count(*) filter (where i.status = 'revoked')`.as("revoked"),
      sql<number>`count(*) filter (where i.status = 'active' and r.id is null)`.as("not_started"),
      sql<number>`count(*) filter (where i.status = 'active' and r.status = 'in_progress')`.as(
        "in_progress",
      ),
      sql<number>`count(*) filter (where r.status = 'submitted')`.as("submitted"),
      sql<number>`count(*) filter (where i.status = 'active' and i.email is not null and i.last_sent_at is null
        and (r.id is null or r.status <> 'submitted')
        and not exists (select 1 from email_outbox o where o.invitation_id = i.id and o.kind = 'invitation'))`.as(
        "not_yet_emailed",
      ),
      sql<number>`count(*) filter (where i.status = 'active' and i.email is not null and (r.id is null or r.status <> 'submitted'))`.as(
        "remindable",
      ),
      sql<number>`count(*) filter (where i.status = 'active' and (r.id is null or r.status <> 'submitted'))`.as(
        "pending",
      ),
    ])
    .where("i.survey_id", "=", surveyId)
    .executeTakeFirstOrThrow();
  return {
    active: Number(row.active),
    revoked: Number(row.revoked),
    notStarted: Number(row.not_started),
    inProgress: Number(row.in_progress),
    submitted: Number(row.submitted),
    notYetEmailed: Number(row.not_yet_emailed),
    remindable: Number(row.remindable),
    pending: Number(row.pending),
  };
}

export interface LinkRow {
  name: string;
  email: string | null;
  country: string | null;
  organisation: string | null;
  language: string;
  link: string;
}

/**
 * The rows of a links download for tokens just issued (posted back by the page that showed
 * them): each token must belong to an active invitation of this survey; others are ignored.
 */
export async function linksForTokens(
  db: Db,
  surveyId: number,
  tokens: readonly string[],
  base: string,
): Promise<LinkRow[]> {
  const valid = [...new Set(tokens.filter((t) => TOKEN_PATTERN.test(t)))];
  if (valid.length === 0) return [];
  const hashes = new Map(valid.map((t) => [hashToken(t), t]));
  const rows = await db
    .selectFrom("invitations")
    .select(["id", "token_hash", "name", "email", "country", "organisation", "locale"])
    .where("survey_id", "=", surveyId)
    .where("status", "=", "active")
    .where("token_hash", "in", [...hashes.keys()])
    .orderBy("id")
    .execute();
  return rows.map((r) => ({
    name: r.name,
    email: r.email,
    country: r.country,
    organisation: r.organisation,
    language: r.locale,
    link: personalLink(base, hashes.get(r.token_hash)!),
  }));
}

export async function linkRowsFor(
  db: Db,
  surveyId: number,
  links: readonly IssuedLink[],
  base: string,
): Promise<LinkRow[]> {
  return linksForTokens(
    db,
    surveyId,
    links.map((l) => l.token),
    base,
  );
}

/** Columns of a personal-links file. */
export const LINK_COLUMNS = ["name", "email", "country", "organisation", "language", "link"] as const;

/**
 * CSV of personal links, for mail merges: written by the one spreadsheet writer (UTF-8 with a
 * byte-order mark so that spreadsheets read Cyrillic, names and organisations that look like
 * formulas neutralised, fields with `,` or `;` quoted).
 */
export function linksCsv(rows: readonly LinkRow[]): string {
  return csvText(
    LINK_COLUMNS,
    rows.map((r) => [r.name, r.email, r.country, r.organisation, r.language, r.link]),
  );
}

/** A file name for a links download: `<slug>-links-<date>.csv`. */
export function linksFileName(slug: string, now: Date = new Date()): string {
  return `${slug}-links-${now.toISOString().slice(0, 10)}.csv`;
}
