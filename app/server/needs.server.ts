import { sql } from "kysely";
import * as z from "zod";
import type { Db } from "#db/client";
import type {
  CoverageFit,
  EvidenceFigures,
  EvidenceKind,
  LocalizedText,
  NeedHorizon,
  NeedStatus,
} from "#db/schema";
import { HORIZONS } from "~/survey/constants";
import { audit, type AuditActor } from "./audit.server";
import type { SessionUser } from "./auth.server";
import { type FieldErrors, fieldErrors, type FormError } from "./form-errors.server";

/**
 * The needs register: what the coordinators conclude from the surveys. A need belongs to one
 * or several working groups (one record), moves through a dated status history, rests on
 * survey evidence (figures kept as they were when linked) and is covered by programmes of the
 * catalogue. Coordinators change the needs of their groups, admins every need; every change is
 * written to the audit log.
 */

import { COVERAGE_FITS, EVIDENCE_KINDS, NEED_STATUSES } from "~/survey/register";

export { COVERAGE_FITS, EVIDENCE_KINDS, NEED_STATUSES };
/** Statuses the public outcome page lists. */
export const PUBLIC_STATUSES: readonly NeedStatus[] = ["validated", "in_progress", "addressed"];

export interface ChangeOptions {
  by: AuditActor;
  ip?: string | null;
}

export interface GroupRef {
  id: number;
  slug: string;
  name: LocalizedText;
}

export interface NeedSummary {
  id: number;
  title: LocalizedText;
  category: string | null;
  horizon: NeedHorizon;
  status: NeedStatus;
  /** The day the current status was reached. */
  statusDate: string | null;
  owner: string | null;
  groups: GroupRef[];
  /** Programmes linked to the need. */
  programmes: Array<{ code: string; name: LocalizedText; fit: CoverageFit }>;
  /** Highest priority score among the evidence, as linked (null without a scored category). */
  priority: number | null;
  evidenceCount: number;
}

export interface StatusEvent {
  status: NeedStatus;
  onDate: string;
  reason: string | null;
  actor: string;
}

export interface EvidenceSnapshot {
  survey: string;
  version: number;
  figures: EvidenceFigures;
}

export interface EvidenceItem {
  id: number;
  kind: EvidenceKind;
  group: GroupRef;
  questionKey: string;
  code: string;
  label: LocalizedText;
  linkedAt: string;
  /** Null when linked to this need; else the need it came with in a merge. */
  originNeedId: number | null;
  atLinking: EvidenceSnapshot;
  /** The same figure in the group's latest survey now, null when that survey has no such figure. */
  current: EvidenceSnapshot | null;
}

export interface CoverageItem {
  code: string;
  name: LocalizedText;
  status: string;
  url: string;
  fit: CoverageFit;
  note: string | null;
}

export interface NeedDetail extends NeedSummary {
  description: LocalizedText;
  notes: string | null;
  mergedInto: number | null;
  history: StatusEvent[];
  evidence: EvidenceItem[];
  coverage: CoverageItem[];
  /** Needs merged into this one, each with its own history. */
  merged: Array<{ id: number; title: LocalizedText; history: StatusEvent[] }>;
}

// ---------------------------------------------------------------------------------------------
// Access

/** Whether a user may change a need of these groups: admins always, coordinators of one of them. */
export function canEditNeed(user: SessionUser, groupIds: readonly number[]): boolean {
  return user.role === "admin" || groupIds.some((g) => user.groupIds.includes(g));
}

// ---------------------------------------------------------------------------------------------
// Forms

const text = (max: number) => z.string().trim().max(max, { message: "register.errors.tooLong" });
const requiredText = (max: number) =>
  z
    .string({ message: "register.errors.required" })
    .trim()
    .min(1, { message: "register.errors.required" })
    .max(max, { message: "register.errors.tooLong" });

export const needFormSchema = z.object({
  title_en: requiredText(200),
  title_ru: requiredText(200),
  description_en: text(4000).default(""),
  description_ru: text(4000).default(""),
  category: text(120).default(""),
  horizon: z.enum(HORIZONS, { message: "register.errors.choose" }),
  owner: text(200).default(""),
  notes: text(8000).default(""),
  groups: z
    .array(z.string().regex(/^\d{1,9}$/, { message: "register.errors.groups" }).transform(Number))
    .min(1, { message: "register.errors.groups" }),
});
export type NeedFormField = keyof z.input<typeof needFormSchema>;
export type NeedFormValues = Record<Exclude<NeedFormField, "groups">, string> & { groups: string[] };

/** The fields of a need form as submitted (the values a page shows again after an error). */
export function needFormValues(form: FormData): NeedFormValues {
  const s = (k: string) => {
    const v = form.get(k);
    return typeof v === "string" ? v : "";
  };
  return {
    title_en: s("title_en"),
    title_ru: s("title_ru"),
    description_en: s("description_en"),
    description_ru: s("description_ru"),
    category: s("category"),
    horizon: s("horizon"),
    owner: s("owner"),
    notes: s("notes"),
    groups: form.getAll("groups").filter((g): g is string => typeof g === "string"),
  };
}

export const statusFormSchema = z
  .object({
    status: z.enum(NEED_STATUSES, { message: "register.errors.choose" }),
    on_date: z
      .string({ message: "register.errors.date" })
      .trim()
      .regex(/^\d{4}-\d{2}-\d{2}$/, { message: "register.errors.date" })
      .refine(validDay, { message: "register.errors.date" }),
    reason: text(2000).default(""),
  })
  .superRefine((v, ctx) => {
    if (v.status === "declined" && v.reason === "")
      ctx.addIssue({ code: "custom", path: ["reason"], message: "register.errors.reason" });
  });
export type StatusFormField = keyof z.input<typeof statusFormSchema>;

export const coverageFormSchema = z.object({
  programme: requiredText(60),
  fit: z.enum(COVERAGE_FITS, { message: "register.errors.choose" }),
  note: text(2000).default(""),
});
export type CoverageFormField = keyof z.input<typeof coverageFormSchema>;

function validDay(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export type Result<T = object, F extends string = string> =
  | ({ ok: true } & T)
  | { ok: false; errors: FieldErrors<F> };

const failure = <F extends string>(field: F, key: FormError["key"]) =>
  ({ ok: false, errors: { [field]: { key } } }) as { ok: false; errors: FieldErrors<F> };

// ---------------------------------------------------------------------------------------------
// Reading

async function groupsOf(db: Db, needIds: readonly number[]): Promise<Map<number, GroupRef[]>> {
  const out = new Map<number, GroupRef[]>();
  if (needIds.length === 0) return out;
  const rows = await db
    .selectFrom("need_groups as ng")
    .innerJoin("working_groups as g", "g.id", "ng.working_group_id")
    .select(["ng.need_id", "g.id", "g.slug", "g.name"])
    .where("ng.need_id", "in", [...needIds])
    .orderBy("g.sort_order")
    .execute();
  for (const r of rows) {
    const list = out.get(r.need_id) ?? [];
    list.push({ id: r.id, slug: r.slug, name: r.name });
    out.set(r.need_id, list);
  }
  return out;
}

async function programmesOf(
  db: Db,
  needIds: readonly number[],
): Promise<Map<number, CoverageItem[]>> {
  const out = new Map<number, CoverageItem[]>();
  if (needIds.length === 0) return out;
  const rows = await db
    .selectFrom("need_programmes as np")
    .innerJoin("programmes as p", "p.id", "np.programme_id")
    .select(["np.need_id", "p.code", "p.name", "p.status", "p.url", "np.fit", "np.note"])
    .where("np.need_id", "in", [...needIds])
    .orderBy("p.sort_order")
    .execute();
  for (const r of rows) {
    const list = out.get(r.need_id) ?? [];
    list.push({ code: r.code, name: r.name, status: r.status, url: r.url, fit: r.fit, note: r.note });
    out.set(r.need_id, list);
  }
  return out;
}

export interface NeedListFilter {
  /** Only needs of this working group. */
  groupId?: number;
  status?: NeedStatus;
}

/**
 * The needs a user may see (admins: all; coordinators: needs with one of their groups), not
 * merged into another, newest first.
 */
export async function listNeeds(
  db: Db,
  user: SessionUser,
  filter: NeedListFilter = {},
): Promise<NeedSummary[]> {
  let q = db
    .selectFrom("needs as n")
    .select([
      "n.id",
      "n.title",
      "n.category",
      "n.horizon",
      "n.status",
      "n.owner",
      sql<string | null>`(select max(e.on_date)::text from need_status_events e
        where e.need_id = n.id and e.status = n.status)`.as("status_date"),
      sql<number | null>`(select max((ev.figures -> 'priority' ->> 'mean')::float8)
        from need_evidence ev where ev.need_id = n.id)`.as("priority"),
      sql<number>`(select count(*) from need_evidence ev where ev.need_id = n.id)`.as("evidence"),
    ])
    .where("n.merged_into", "is", null);
  if (user.role !== "admin") {
    if (user.groupIds.length === 0) return [];
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom("need_groups as ng")
          .select("ng.need_id")
          .whereRef("ng.need_id", "=", "n.id")
          .where("ng.working_group_id", "in", user.groupIds),
      ),
    );
  }
  if (filter.groupId !== undefined) {
    const groupId = filter.groupId;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom("need_groups as ng")
          .select("ng.need_id")
          .whereRef("ng.need_id", "=", "n.id")
          .where("ng.working_group_id", "=", groupId),
      ),
    );
  }
  if (filter.status) q = q.where("n.status", "=", filter.status);
  const rows = await q.orderBy("n.id", "desc").execute();
  const ids = rows.map((r) => r.id);
  const [groups, programmes] = await Promise.all([groupsOf(db, ids), programmesOf(db, ids)]);
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    category: r.category,
    horizon: r.horizon,
    status: r.status,
    statusDate: r.status_date,
    owner: r.owner,
    groups: groups.get(r.id) ?? [],
    programmes: (programmes.get(r.id) ?? []).map((p) => ({ code: p.code, name: p.name, fit: p.fit })),
    priority: r.priority === null ? null : Number(r.priority),
    evidenceCount: Number(r.evidence),
  }));
}

async function historyOf(db: Db, needId: number): Promise<StatusEvent[]> {
  const rows = await db
    .selectFrom("need_status_events")
    .select(["status", sql<string>`on_date::text`.as("on_date"), "reason", "actor"])
    .where("need_id", "=", needId)
    .orderBy("id")
    .execute();
  return rows.map((r) => ({ status: r.status, onDate: r.on_date, reason: r.reason, actor: r.actor }));
}

/** Computes the figure of an evidence item in the group's latest survey now. */
export type CurrentFigures = (item: {
  kind: EvidenceKind;
  group: GroupRef;
  questionKey: string;
  code: string;
}) => Promise<EvidenceSnapshot | null>;

/** A need with everything its page shows; undefined when there is none. */
export async function needDetail(
  db: Db,
  id: number,
  current: CurrentFigures,
): Promise<NeedDetail | undefined> {
  const n = await db
    .selectFrom("needs")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirst();
  if (!n) return undefined;
  const [groups, programmes, history, evidenceRows, mergedRows] = await Promise.all([
    groupsOf(db, [id]),
    programmesOf(db, [id]),
    historyOf(db, id),
    db
      .selectFrom("need_evidence as ev")
      .innerJoin("working_groups as g", "g.id", "ev.working_group_id")
      .select([
        "ev.id",
        "ev.kind",
        "ev.question_key",
        "ev.code",
        "ev.label",
        "ev.figures",
        "ev.survey_slug",
        "ev.survey_version",
        "ev.origin_need_id",
        sql<string>`to_char(ev.linked_at at time zone 'UTC', 'YYYY-MM-DD')`.as("linked_at"),
        "g.id as group_id",
        "g.slug as group_slug",
        "g.name as group_name",
      ])
      .where("ev.need_id", "=", id)
      .orderBy("ev.id")
      .execute(),
    db.selectFrom("needs").select(["id", "title"]).where("merged_into", "=", id).orderBy("id").execute(),
  ]);
  const evidence: EvidenceItem[] = [];
  for (const r of evidenceRows) {
    const group = { id: r.group_id, slug: r.group_slug, name: r.group_name };
    evidence.push({
      id: r.id,
      kind: r.kind,
      group,
      questionKey: r.question_key,
      code: r.code,
      label: r.label,
      linkedAt: r.linked_at,
      originNeedId: r.origin_need_id,
      atLinking: { survey: r.survey_slug, version: r.survey_version, figures: r.figures },
      current: await current({ kind: r.kind, group, questionKey: r.question_key, code: r.code }),
    });
  }
  const merged = await Promise.all(
    mergedRows.map(async (m) => ({ id: m.id, title: m.title, history: await historyOf(db, m.id) })),
  );
  const coverage = programmes.get(id) ?? [];
  const priorities = evidenceRows
    .map((r) => r.figures.priority?.mean)
    .filter((p): p is number => typeof p === "number");
  return {
    id: n.id,
    title: n.title,
    description: n.description,
    category: n.category,
    horizon: n.horizon,
    status: n.status,
    statusDate: history.filter((h) => h.status === n.status).map((h) => h.onDate).sort().pop() ?? null,
    owner: n.owner,
    notes: n.notes,
    mergedInto: n.merged_into,
    groups: groups.get(id) ?? [],
    programmes: coverage.map((p) => ({ code: p.code, name: p.name, fit: p.fit })),
    priority: priorities.length ? Math.max(...priorities) : null,
    evidenceCount: evidenceRows.length,
    history,
    evidence,
    coverage,
    merged,
  };
}

/** The working groups of a need (empty for an unknown need). */
export async function needGroupIds(db: Db, needId: number): Promise<number[]> {
  const rows = await db
    .selectFrom("need_groups")
    .select("working_group_id")
    .where("need_id", "=", needId)
    .execute();
  return rows.map((r) => r.working_group_id);
}

// ---------------------------------------------------------------------------------------------
// Changing

/** Evidence to link, as resolved from the dashboard's figures (evidence.server.ts). */
export interface NewEvidence {
  kind: EvidenceKind;
  groupId: number;
  surveyId: number;
  surveySlug: string;
  surveyVersion: number;
  questionKey: string;
  code: string;
  label: LocalizedText;
  figures: EvidenceFigures;
}

/** The groups a user may give a need: their own (admins: any existing group). */
async function allowedGroups(db: Db, user: SessionUser, ids: readonly number[]): Promise<boolean> {
  if (ids.length === 0) return false;
  const existing = await db
    .selectFrom("working_groups")
    .select("id")
    .where("id", "in", [...ids])
    .execute();
  if (existing.length !== new Set(ids).size) return false;
  return user.role === "admin" || ids.every((g) => user.groupIds.includes(g));
}

function localizedPair(en: string, ru: string): string {
  return JSON.stringify(en || ru ? { en, ru } : {});
}

/** Creates a need (status proposed, today), with evidence when given. */
export async function createNeed(
  db: Db,
  user: SessionUser,
  input: NeedFormValues,
  evidence: NewEvidence | null,
  options: ChangeOptions,
): Promise<Result<{ id: number }, NeedFormField>> {
  const parsed = needFormSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  const f = parsed.data;
  const groups = [...new Set(f.groups)];
  if (!(await allowedGroups(db, user, groups))) return failure("groups", "register.errors.groups");
  return db.transaction().execute(async (trx) => {
    const need = await trx
      .insertInto("needs")
      .values({
        title: JSON.stringify({ en: f.title_en, ru: f.title_ru }),
        description: localizedPair(f.description_en, f.description_ru),
        category: f.category || null,
        horizon: f.horizon,
        status: "proposed",
        owner: f.owner || null,
        notes: f.notes || null,
        created_by: user.id,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("need_groups")
      .values(groups.map((g) => ({ need_id: need.id, working_group_id: g })))
      .execute();
    await trx
      .insertInto("need_status_events")
      .values({
        need_id: need.id,
        status: "proposed",
        on_date: today(),
        user_id: user.id,
        actor: user.email,
      })
      .execute();
    await audit(trx, {
      user: options.by,
      action: "need.created",
      targetType: "need",
      targetId: need.id,
      details: { title: f.title_en, groups, horizon: f.horizon },
      ip: options.ip,
    });
    if (evidence) await insertEvidence(trx, need.id, evidence, options);
    return { ok: true as const, id: need.id };
  });
}

/** Changes a need's fields. Groups the user may not change (other coordinators') stay. */
export async function updateNeed(
  db: Db,
  user: SessionUser,
  id: number,
  input: NeedFormValues,
  options: ChangeOptions,
): Promise<Result<object, NeedFormField>> {
  const parsed = needFormSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  const f = parsed.data;
  const current = await needGroupIds(db, id);
  // A coordinator's choice concerns their own groups; the others' stay as they are.
  const kept = user.role === "admin" ? [] : current.filter((g) => !user.groupIds.includes(g));
  const chosen = [...new Set(f.groups)];
  if (!(await allowedGroups(db, user, chosen))) return failure("groups", "register.errors.groups");
  const groups = [...new Set([...kept, ...chosen])];
  return db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom("needs")
      .selectAll()
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirst();
    if (!before) return failure<NeedFormField>("title_en", "register.errors.notFound");
    const after = {
      title: { en: f.title_en, ru: f.title_ru },
      description: f.description_en || f.description_ru ? { en: f.description_en, ru: f.description_ru } : {},
      category: f.category || null,
      horizon: f.horizon,
      owner: f.owner || null,
      notes: f.notes || null,
    };
    const changed = (Object.keys(after) as Array<keyof typeof after>).filter(
      (k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]),
    );
    const groupsChanged =
      JSON.stringify([...current].sort()) !== JSON.stringify([...groups].sort());
    if (changed.length === 0 && !groupsChanged) return { ok: true as const };
    await trx
      .updateTable("needs")
      .set({
        ...after,
        title: JSON.stringify(after.title),
        description: JSON.stringify(after.description),
        updated_at: new Date(),
      })
      .where("id", "=", id)
      .execute();
    if (groupsChanged) {
      await trx.deleteFrom("need_groups").where("need_id", "=", id).execute();
      await trx
        .insertInto("need_groups")
        .values(groups.map((g) => ({ need_id: id, working_group_id: g })))
        .execute();
    }
    await audit(trx, {
      user: options.by,
      action: "need.updated",
      targetType: "need",
      targetId: id,
      details: {
        fields: changed,
        ...(groupsChanged ? { groups: { from: current, to: groups } } : {}),
      },
      ip: options.ip,
    });
    return { ok: true as const };
  });
}

/** Records a status with its date (and the reason of a decline). */
export async function changeStatus(
  db: Db,
  user: SessionUser,
  id: number,
  input: Record<string, unknown>,
  options: ChangeOptions,
): Promise<Result<object, StatusFormField>> {
  const parsed = statusFormSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  const f = parsed.data;
  return db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom("needs")
      .select(["status", "merged_into"])
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirst();
    if (!before) return failure<StatusFormField>("status", "register.errors.notFound");
    if (before.merged_into !== null) return failure<StatusFormField>("status", "register.errors.merged");
    await trx
      .insertInto("need_status_events")
      .values({
        need_id: id,
        status: f.status,
        on_date: f.on_date,
        reason: f.reason || null,
        user_id: user.id,
        actor: user.email,
      })
      .execute();
    // The need's status is the one recorded last (its date may be earlier: a decision taken
    // at a meeting is recorded afterwards).
    await trx
      .updateTable("needs")
      .set({ status: f.status, updated_at: new Date() })
      .where("id", "=", id)
      .execute();
    await audit(trx, {
      user: options.by,
      action: "need.status_changed",
      targetType: "need",
      targetId: id,
      details: { from: before.status, to: f.status, on: f.on_date, ...(f.reason ? { reason: f.reason } : {}) },
      ip: options.ip,
    });
    return { ok: true as const };
  });
}

async function insertEvidence(db: Db, needId: number, e: NewEvidence, options: ChangeOptions) {
  const row = await db
    .insertInto("need_evidence")
    .values({
      need_id: needId,
      kind: e.kind,
      working_group_id: e.groupId,
      survey_id: e.surveyId,
      survey_slug: e.surveySlug,
      survey_version: e.surveyVersion,
      question_key: e.questionKey,
      code: e.code,
      label: JSON.stringify(e.label),
      figures: JSON.stringify(e.figures),
      linked_by: options.by.id,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await audit(db, {
    user: options.by,
    action: "need.evidence_linked",
    targetType: "need",
    targetId: needId,
    details: {
      evidence: row.id,
      kind: e.kind,
      survey: e.surveySlug,
      version: e.surveyVersion,
      question: e.questionKey,
      code: e.code,
      figures: e.figures,
    },
    ip: options.ip,
  });
}

/** Links evidence to an existing need (a need merged into another refuses it). */
export async function linkEvidence(
  db: Db,
  needId: number,
  evidence: NewEvidence,
  options: ChangeOptions,
): Promise<Result<object, "need">> {
  return db.transaction().execute(async (trx) => {
    const need = await trx
      .selectFrom("needs")
      .select(["merged_into"])
      .where("id", "=", needId)
      .forUpdate()
      .executeTakeFirst();
    if (!need) return failure<"need">("need", "register.errors.notFound");
    if (need.merged_into !== null) return failure<"need">("need", "register.errors.merged");
    await insertEvidence(trx, needId, evidence, options);
    return { ok: true as const };
  });
}

/**
 * Merges `sourceId` into `targetId`: the target gets the source's groups, evidence (marked with
 * where it came from) and programmes; the source stays, marked as merged, with its own status
 * history, which the target's page shows. Needs merged into the source follow it.
 */
export async function mergeNeeds(
  db: Db,
  targetId: number,
  sourceId: number,
  options: ChangeOptions,
): Promise<Result<object, "source">> {
  if (targetId === sourceId) return failure("source", "register.errors.sameNeed");
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom("needs")
      .select(["id", "merged_into", "title"])
      .where("id", "in", [targetId, sourceId])
      .orderBy("id")
      .forUpdate()
      .execute();
    const target = rows.find((r) => r.id === targetId);
    const source = rows.find((r) => r.id === sourceId);
    if (!target || !source) return failure<"source">("source", "register.errors.notFound");
    if (target.merged_into !== null || source.merged_into !== null)
      return failure<"source">("source", "register.errors.merged");
    await sql`insert into need_groups (need_id, working_group_id)
      select ${targetId}, working_group_id from need_groups where need_id = ${sourceId}
      on conflict do nothing`.execute(trx);
    await trx
      .updateTable("need_evidence")
      .set({ need_id: targetId, origin_need_id: sql`coalesce(origin_need_id, ${sourceId})` })
      .where("need_id", "=", sourceId)
      .execute();
    await sql`insert into need_programmes (need_id, programme_id, fit, note, created_by, created_at)
      select ${targetId}, programme_id, fit, note, created_by, created_at
      from need_programmes where need_id = ${sourceId}
      on conflict do nothing`.execute(trx);
    await trx
      .updateTable("needs")
      .set({ merged_into: targetId, updated_at: new Date() })
      .where((eb) => eb.or([eb("id", "=", sourceId), eb("merged_into", "=", sourceId)]))
      .execute();
    await audit(trx, {
      user: options.by,
      action: "need.merged",
      targetType: "need",
      targetId,
      details: { merged: sourceId, title: source.title.en ?? "" },
      ip: options.ip,
    });
    return { ok: true as const };
  });
}

/** Links a programme to a need (or changes the fit and note of the link). */
export async function linkProgramme(
  db: Db,
  needId: number,
  input: Record<string, unknown>,
  options: ChangeOptions,
): Promise<Result<object, CoverageFormField>> {
  const parsed = coverageFormSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  const f = parsed.data;
  const programme = await db
    .selectFrom("programmes")
    .select("id")
    .where("code", "=", f.programme)
    .executeTakeFirst();
  if (!programme) return failure("programme", "register.errors.choose");
  return db.transaction().execute(async (trx) => {
    const need = await trx
      .selectFrom("needs")
      .select("merged_into")
      .where("id", "=", needId)
      .forUpdate()
      .executeTakeFirst();
    if (!need) return failure<CoverageFormField>("programme", "register.errors.notFound");
    if (need.merged_into !== null)
      return failure<CoverageFormField>("programme", "register.errors.merged");
    await trx
      .insertInto("need_programmes")
      .values({
        need_id: needId,
        programme_id: programme.id,
        fit: f.fit,
        note: f.note || null,
        created_by: options.by.id,
      })
      .onConflict((oc) =>
        oc.columns(["need_id", "programme_id"]).doUpdateSet({ fit: f.fit, note: f.note || null }),
      )
      .execute();
    await audit(trx, {
      user: options.by,
      action: "need.programme_linked",
      targetType: "need",
      targetId: needId,
      details: { programme: f.programme, fit: f.fit, ...(f.note ? { note: f.note } : {}) },
      ip: options.ip,
    });
    return { ok: true as const };
  });
}

export async function unlinkProgramme(
  db: Db,
  needId: number,
  code: string,
  options: ChangeOptions,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const removed = await trx
      .deleteFrom("need_programmes")
      .where("need_id", "=", needId)
      .where("programme_id", "=", (eb) =>
        eb.selectFrom("programmes").select("id").where("code", "=", code),
      )
      .executeTakeFirst();
    if (Number(removed.numDeletedRows) === 0) return false;
    await audit(trx, {
      user: options.by,
      action: "need.programme_unlinked",
      targetType: "need",
      targetId: needId,
      details: { programme: code },
      ip: options.ip,
    });
    return true;
  });
}

// ---------------------------------------------------------------------------------------------
// Gaps

/**
 * Validated needs with their coverage, for one group or across the groups a user sees: needs
 * with no programme first, then by priority (highest first, needs without a score last), then
 * by id.
 */
export async function gaps(db: Db, user: SessionUser, groupId?: number): Promise<NeedSummary[]> {
  const needs = await listNeeds(db, user, { groupId, status: "validated" });
  return needs.sort(compareGaps);
}

export function compareGaps(a: NeedSummary, b: NeedSummary): number {
  const covered = (n: NeedSummary) => (n.programmes.length > 0 ? 1 : 0);
  return (
    covered(a) - covered(b) ||
    (b.priority ?? -Infinity) - (a.priority ?? -Infinity) ||
    a.id - b.id
  );
}

// ---------------------------------------------------------------------------------------------
// The public outcome page

export interface PublicOutcome {
  group: GroupRef;
  needs: Array<{
    title: LocalizedText;
    description: LocalizedText;
    horizon: NeedHorizon;
    status: NeedStatus;
    statusDate: string | null;
  }>;
}

/** Whether a group shows its outcome page: at least one of its surveys chose to. */
export async function outcomePageShown(db: Db, groupId: number): Promise<boolean> {
  const row = await db
    .selectFrom("surveys")
    .select("id")
    .where("working_group_id", "=", groupId)
    .where("outcome_page", "=", true)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The group's confirmed needs and their status, without personal data (no owner, notes, names
 * of staff or figures); undefined when no survey of the group shows the page.
 */
export async function publicOutcome(db: Db, groupSlug: string): Promise<PublicOutcome | undefined> {
  const group = await db
    .selectFrom("working_groups")
    .select(["id", "slug", "name"])
    .where("slug", "=", groupSlug)
    .executeTakeFirst();
  if (!group || !(await outcomePageShown(db, group.id))) return undefined;
  const rows = await db
    .selectFrom("needs as n")
    .innerJoin("need_groups as ng", "ng.need_id", "n.id")
    .select([
      "n.title",
      "n.description",
      "n.horizon",
      "n.status",
      sql<string | null>`(select max(e.on_date)::text from need_status_events e
        where e.need_id = n.id and e.status = n.status)`.as("status_date"),
    ])
    .where("ng.working_group_id", "=", group.id)
    .where("n.merged_into", "is", null)
    .where("n.status", "in", [...PUBLIC_STATUSES])
    .orderBy(sql`array_position(array['in_progress','validated','addressed']::text[], n.status)`)
    .orderBy("n.id")
    .execute();
  return {
    group,
    needs: rows.map((r) => ({
      title: r.title,
      description: r.description,
      horizon: r.horizon,
      status: r.status,
      statusDate: r.status_date,
    })),
  };
}

/** Turns a survey's outcome page on or off (the group's coordinators and admins). */
export async function setOutcomePage(
  db: Db,
  surveyId: number,
  shown: boolean,
  options: ChangeOptions,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("surveys")
      .set({ outcome_page: shown })
      .where("id", "=", surveyId)
      .where("outcome_page", "=", !shown)
      .returning(["slug"])
      .executeTakeFirst();
    if (!row) return;
    await audit(trx, {
      user: options.by,
      action: shown ? "survey.outcome_page_shown" : "survey.outcome_page_hidden",
      targetType: "survey",
      targetId: surveyId,
      details: { slug: row.slug },
      ip: options.ip,
    });
  });
}

/** The group's surveys and whether each shows the outcome page. */
export async function outcomeSettings(
  db: Db,
  groupId: number,
): Promise<Array<{ id: number; slug: string; shown: boolean }>> {
  const rows = await db
    .selectFrom("surveys")
    .select(["id", "slug", "outcome_page"])
    .where("working_group_id", "=", groupId)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .execute();
  return rows.map((r) => ({ id: r.id, slug: r.slug, shown: r.outcome_page }));
}

/** The outcome page of a response's survey, if it shows one: the group's slug. */
export async function outcomePageOfSurvey(db: Db, surveyId: number): Promise<string | null> {
  const row = await db
    .selectFrom("surveys as s")
    .innerJoin("working_groups as g", "g.id", "s.working_group_id")
    .select(["g.slug", "s.outcome_page"])
    .where("s.id", "=", surveyId)
    .executeTakeFirst();
  return row?.outcome_page ? row.slug : null;
}
