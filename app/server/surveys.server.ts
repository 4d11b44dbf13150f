import { readFile } from "node:fs/promises";
import path from "node:path";
import { type Selectable, sql } from "kysely";
import type { Db } from "#db/client";
import type { NeedSharedCategoryTable, SurveyStatus } from "#db/schema";
import { loadSurveyDirectory } from "~/survey/load";
import { topLevelLine } from "~/survey/source";
import { questionTypeOf } from "~/survey/question-types";
import type { Question } from "~/survey/registry";
import type { SummaryCode } from "~/survey/question-type";
import type { LocalizedText } from "~/survey/primitives";
import { parseSurveyDefinition, type SurveyDefinition } from "~/survey/schema";
import type { DashboardQuestion } from "./dashboards/views";
import { type NeedTaxonomy, sharedCategoryOf } from "~/survey/taxonomy";
import { AGGREGATE_LOCK, recountSharedFacets } from "./aggregates.server";
import { startDeclaredRoundsIn } from "./delphi/rounds.server";
import { needTaxonomy } from "./need-taxonomy.server";

export interface SyncReport {
  created: string[];
  newVersions: string[];
  unchanged: string[];
  /** Slugs of files refused because they name another working group than their survey's. */
  refused: string[];
  problems: { file: string; line: number; path: string; message: string }[];
}

function toTimestamp(value: string | undefined | null): Date | null {
  return value ? new Date(value) : null;
}

/**
 * Stores the questionnaires in `dir` as survey versions.
 *
 * Rules: a new file creates its survey; a file whose content hash equals the hash recorded at
 * its last synchronisation changes nothing (so edits made in the browser are never overwritten
 * by an unchanged file); a changed file adds a version that new respondents get. Status, access
 * mode and dates are taken from a file only when the survey is created: after that they are
 * managed in the application.
 */
export async function syncSurveyDirectory(db: Db, dir: string): Promise<SyncReport> {
  const loaded = await loadSurveyDirectory(dir);
  const report: SyncReport = {
    created: [],
    newVersions: [],
    unchanged: [],
    refused: [],
    problems: loaded.problems,
  };
  for (const entry of loaded.surveys) {
    const sourceYaml = await readFile(entry.file, "utf8");
    const relative = path.relative(process.cwd(), entry.file);
    try {
      const outcome = await db
        .transaction()
        .execute((trx) => syncOne(trx, entry.definition, entry.hash, sourceYaml, relative));
      report[outcome].push(entry.definition.slug);
    } catch (error) {
      // The transaction is rolled back: nothing of this file is stored.
      if (!(error instanceof WorkingGroupChangeRefused)) throw error;
      report.refused.push(entry.definition.slug);
      report.problems.push({
        file: entry.file,
        line: topLevelLine(sourceYaml, "workingGroup"),
        path: "workingGroup",
        message: `refused: survey "${error.slug}" belongs to working group "${error.surveyGroup}" but the file says workingGroup "${error.definitionGroup}"; a survey's working group never changes, so nothing of this file was synchronised (give the file a slug of its own)`,
      });
    }
  }
  return report;
}

async function syncOne(
  trx: Db,
  def: SurveyDefinition,
  hash: string,
  sourceYaml: string,
  file: string,
): Promise<"created" | "newVersions" | "unchanged"> {
  // Serialise concurrent synchronisations of the same survey (two app processes starting).
  await sql`select pg_advisory_xact_lock(hashtext(${"survey-sync:" + def.slug}))`.execute(trx);
  const group = await trx
    .selectFrom("working_groups")
    .select("id")
    .where("slug", "=", def.workingGroup)
    .executeTakeFirst();
  if (!group) throw new Error(`${file}: unknown working group "${def.workingGroup}"`);

  const survey = await trx
    .selectFrom("surveys")
    .select(["id", "source_hash"])
    .where("slug", "=", def.slug)
    .executeTakeFirst();

  if (!survey) {
    const created = await trx
      .insertInto("surveys")
      .values({
        slug: def.slug,
        working_group_id: group.id,
        status: (def.status ?? "draft") as SurveyStatus,
        access_mode: def.accessMode ?? "open_link",
        opens_at: toTimestamp(def.opensAt),
        closes_at: toTimestamp(def.closesAt),
        source_file: file,
        source_hash: hash,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await addVersion(trx, created.id, def, hash, sourceYaml, "file", null);
    return "created";
  }
  if (survey.source_hash === hash) return "unchanged";

  const current = await trx
    .selectFrom("surveys")
    .innerJoin("survey_versions", "survey_versions.id", "surveys.current_version_id")
    .select("survey_versions.content_hash")
    .where("surveys.id", "=", survey.id)
    .executeTakeFirst();
  if (current?.content_hash !== hash) {
    await addVersion(trx, survey.id, def, hash, sourceYaml, "file", null);
  }
  await trx
    .updateTable("surveys")
    .set({ source_hash: hash, source_file: file, updated_at: new Date() })
    .where("id", "=", survey.id)
    .execute();
  return current?.content_hash === hash ? "unchanged" : "newVersions";
}

/** A version whose definition names another working group than the one its survey belongs to. */
export class WorkingGroupChangeRefused extends Error {
  constructor(
    readonly slug: string,
    readonly surveyGroup: string,
    readonly definitionGroup: string,
  ) {
    super(
      `survey "${slug}" belongs to working group "${surveyGroup}": a version naming working group "${definitionGroup}" is refused, a survey's working group never changes`,
    );
    this.name = "WorkingGroupChangeRefused";
  }
}

/**
 * The rule that keeps surveys in their working group: a definition may become a version of a
 * survey only when its `workingGroup` is the survey's group. Otherwise throws
 * WorkingGroupChangeRefused (and a transaction around it stores nothing). Without it, a survey
 * created in one group under a slug that a file of another group uses later would take that
 * file's versions, and its members' answers, into the first group.
 */
export async function requireSameWorkingGroup(
  trx: Db,
  surveyId: number,
  def: SurveyDefinition,
): Promise<void> {
  const owner = await trx
    .selectFrom("surveys")
    .innerJoin("working_groups", "working_groups.id", "surveys.working_group_id")
    .select(["surveys.slug", "working_groups.slug as group"])
    .where("surveys.id", "=", surveyId)
    .executeTakeFirstOrThrow();
  if (owner.group !== def.workingGroup)
    throw new WorkingGroupChangeRefused(owner.slug, owner.group, def.workingGroup);
}

/**
 * Adds an immutable version and makes it the one new respondents get, or, with
 * `publish: false`, keeps it as a draft that reaches respondents only when it is published
 * (`publishDraft` in survey-admin.server.ts). Every way of adding a version (files, the
 * editor, the builder, uploads) comes through here, and so through the working-group rule of
 * `requireSameWorkingGroup`.
 */
export async function addVersion(
  trx: Db,
  surveyId: number,
  def: SurveyDefinition,
  hash: string,
  sourceYaml: string,
  origin: "file" | "editor" | "upload",
  userId: number | null,
  options: { publish?: boolean } = {},
): Promise<{ id: number; version: number }> {
  await requireSameWorkingGroup(trx, surveyId, def);
  const last = await trx
    .selectFrom("survey_versions")
    .select((eb) => eb.fn.max("version").as("max"))
    .where("survey_id", "=", surveyId)
    .executeTakeFirst();
  const version = (last?.max ?? 0) + 1;
  const row = await trx
    .insertInto("survey_versions")
    .values({
      survey_id: surveyId,
      version,
      definition: JSON.stringify(def),
      content_hash: hash,
      source_yaml: sourceYaml,
      origin,
      created_by: userId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await trx
    .updateTable("surveys")
    .set(
      options.publish === false
        ? { updated_at: new Date() }
        : { current_version_id: row.id, updated_at: new Date() },
    )
    .where("id", "=", surveyId)
    .execute();
  await refreshSharedCategories(trx, [surveyId]);
  // Delphi rounds the questionnaire declares and the survey does not have yet.
  await startDeclaredRoundsIn(trx, { id: surveyId }, row, def);
  return { id: row.id, version };
}

export interface OpenSurveySummary {
  slug: string;
  workingGroupSlug: string;
  title: Record<string, string>;
  estimatedMinutes: number | null;
  accessMode: "open_link" | "invitation_only";
  closesAt: Date | null;
}

/** Surveys that accept answers now: open, and within their dates when they have any. */
export async function listOpenSurveys(db: Db): Promise<OpenSurveySummary[]> {
  const rows = await db
    .selectFrom("surveys")
    .innerJoin("working_groups", "working_groups.id", "surveys.working_group_id")
    .innerJoin("survey_versions", "survey_versions.id", "surveys.current_version_id")
    .select([
      "surveys.slug",
      "working_groups.slug as group_slug",
      "surveys.access_mode",
      "surveys.closes_at",
      sql<Record<string, string>>`survey_versions.definition -> 'title'`.as("title"),
      sql<number | null>`(survey_versions.definition ->> 'estimatedMinutes')::int`.as("minutes"),
    ])
    .where("surveys.status", "=", "open")
    .where((eb) =>
      eb.or([eb("surveys.opens_at", "is", null), eb("surveys.opens_at", "<=", sql<Date>`now()`)]),
    )
    .where((eb) =>
      eb.or([eb("surveys.closes_at", "is", null), eb("surveys.closes_at", ">", sql<Date>`now()`)]),
    )
    .orderBy("working_groups.sort_order")
    .orderBy("surveys.created_at", "desc")
    .execute();
  return rows.map((r) => ({
    slug: r.slug,
    workingGroupSlug: r.group_slug,
    title: r.title,
    estimatedMinutes: r.minutes,
    accessMode: r.access_mode,
    closesAt: r.closes_at,
  }));
}

export async function listWorkingGroups(db: Db) {
  return db
    .selectFrom("working_groups")
    .select(["id", "slug", "name", "description"])
    .orderBy("sort_order")
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Stored versions: their definitions (one cache for every reader) and their questions merged

function codeLabelOf(c: SummaryCode): DashboardQuestion["codes"][number] {
  return {
    code: c.code,
    label: c.label as LocalizedText,
    ...(c.parent !== undefined ? { parent: c.parent } : {}),
  };
}

function toDashboardQuestion(
  q: Question,
  versionId: number,
  current: boolean,
): DashboardQuestion & { mixed: boolean; ids: number[] } {
  const type = questionTypeOf(q);
  const { codes, ...shape } = type.summary(q);
  return {
    key: q.key,
    type: q.type,
    aggregation: type.aggregation,
    label: q.label,
    versionIds: null,
    codes: codes.map(codeLabelOf),
    ...shape,
    inCurrentVersion: current,
    mixed: false,
    ids: [versionId],
  };
}

/**
 * The questions of a survey over all its versions, by key: a key keeps the type of the
 * current version (or of the newest version that has it), and counts only the rows of the
 * versions in which it had that type.
 */
export function mergeVersions(
  versions: ReadonlyArray<{ id: number; version: number; definition: SurveyDefinition }>,
  currentVersionId: number | null,
): DashboardQuestion[] {
  const ordered = [...versions].sort((a, b) =>
    a.id === currentVersionId ? -1 : b.id === currentVersionId ? 1 : b.version - a.version,
  );
  const byKey = new Map<string, DashboardQuestion & { mixed: boolean; ids: number[] }>();
  ordered.forEach((v, index) => {
    const current = index === 0 && (currentVersionId === null || v.id === currentVersionId);
    for (const page of v.definition.pages) {
      for (const q of page.questions) {
        const seen = byKey.get(q.key);
        if (!seen) {
          byKey.set(q.key, toDashboardQuestion(q, v.id, current));
        } else if (seen.type === q.type) {
          seen.ids.push(v.id);
          const summary = questionTypeOf(q).summary(q);
          for (const c of summary.codes) {
            if (!seen.codes.some((s) => s.code === c.code)) seen.codes.push(codeLabelOf(c));
          }
          if (summary.other) seen.other = true;
        } else {
          seen.mixed = true;
        }
      }
    }
  });
  return [...byKey.values()].map(({ mixed, ids, ...q }) => ({
    ...q,
    versionIds: mixed ? ids : null,
  }));
}

/**
 * Stored versions never change, so their definitions are read from the database and parsed
 * once, for every reader (dashboards, exports, the questionnaire and its submissions).
 */
const definitionCache = new Map<number, SurveyDefinition>();
const DEFINITION_CACHE_LIMIT = 200;

function remember(id: number, stored: unknown): SurveyDefinition {
  const definition = parseSurveyDefinition(stored);
  if (definitionCache.size >= DEFINITION_CACHE_LIMIT)
    definitionCache.delete(definitionCache.keys().next().value!);
  definitionCache.set(id, definition);
  return definition;
}

/** The definition of one stored version, from the one cache of version definitions. */
export async function versionDefinition(db: Db, versionId: number): Promise<SurveyDefinition> {
  const cached = definitionCache.get(versionId);
  if (cached) return cached;
  const row = await db
    .selectFrom("survey_versions")
    .select("definition")
    .where("id", "=", versionId)
    .executeTakeFirstOrThrow();
  return remember(versionId, row.definition);
}

/** The definitions of stored versions (by id), from the one cache of version definitions. */
export async function versionDefinitions<V extends { id: number }>(
  db: Db,
  versions: ReadonlyArray<V>,
): Promise<Array<V & { definition: SurveyDefinition }>> {
  const missing = versions.filter((v) => !definitionCache.has(v.id)).map((v) => v.id);
  const read = new Map<number, SurveyDefinition>();
  if (missing.length) {
    const rows = await db
      .selectFrom("survey_versions")
      .select(["id", "definition"])
      .where("id", "in", missing)
      .execute();
    for (const row of rows) read.set(row.id, remember(row.id, row.definition));
  }
  return versions.map((v) => ({
    ...v,
    definition: (definitionCache.get(v.id) ?? read.get(v.id))!,
  }));
}

/** The shared category of each need category of the surveys' (merged) need questions. */
export function sharedCategoryMapping(
  surveys: ReadonlyArray<{ id: number; questions: readonly DashboardQuestion[] }>,
  taxonomy: NeedTaxonomy,
): Array<{ surveyId: number; key: string; code: string; shared: string }> {
  return surveys.flatMap((s) =>
    s.questions
      .filter((q) => q.aggregation === "needs")
      .flatMap((q) =>
        q.codes.flatMap((c) => {
          const shared = sharedCategoryOf(c, taxonomy);
          return shared === null ? [] : [{ surveyId: s.id, key: q.key, code: c.code, shared }];
        }),
      ),
  );
}

type SharedCategoryRow = Selectable<NeedSharedCategoryTable>;
const rowKey = (r: SharedCategoryRow) =>
  `${r.survey_version_id}\u0000${r.question_key}\u0000${r.code}\u0000${r.shared}`;

/** What need_shared_categories holds for a survey: its merged mapping, per version in which each need question has its type. */
async function sharedCategoryRows(
  db: Db,
  survey: { id: number; current_version_id: number | null },
  versions: ReadonlyArray<{ id: number; version: number }>,
  taxonomy: NeedTaxonomy,
): Promise<SharedCategoryRow[]> {
  const questions = mergeVersions(
    await versionDefinitions(db, versions),
    survey.current_version_id,
  );
  const byKey = new Map(questions.map((q) => [q.key, q]));
  return sharedCategoryMapping([{ id: survey.id, questions }], taxonomy).flatMap((m) =>
    (byKey.get(m.key)!.versionIds ?? versions.map((v) => v.id)).map((vid) => ({
      survey_version_id: vid,
      question_key: m.key,
      code: m.code,
      survey_id: survey.id,
      shared: m.shared,
    })),
  );
}

/**
 * Brings need_shared_categories (the shared category of each need category, per version, that
 * the dashboard aggregates count need entries by) up to date with the surveys' versions and the
 * need taxonomy, for the given surveys or all. Called when a version is added or published, and
 * at start (the taxonomy file may have changed). Where a mapping changed for versions that have
 * responses, the surveys' shared facets are counted again (recountSharedFacets) in the caller's
 * transaction, under the aggregates' lock; a new version (no responses yet) only adds rows.
 * Returns the surveys whose facets were counted again.
 */
export async function refreshSharedCategories(
  db: Db,
  surveyIds?: readonly number[],
  {
    taxonomy = needTaxonomy(),
    recount = true,
  }: {
    taxonomy?: NeedTaxonomy;
    /** false when a rebuild of every aggregate follows (npm run db:reaggregate). */
    recount?: boolean;
  } = {},
): Promise<number[]> {
  if (!db.isTransaction)
    return db
      .transaction()
      .execute((trx) => refreshSharedCategories(trx, surveyIds, { taxonomy, recount }));
  const read = async () => {
    let q = db.selectFrom("surveys").select(["id", "current_version_id"]);
    if (surveyIds) q = q.where("id", "in", surveyIds.length ? [...surveyIds] : [-1]);
    const surveys = await q.orderBy("id").execute();
    if (surveys.length === 0) return [];
    const ids = surveys.map((s) => s.id);
    const [versions, stored] = await Promise.all([
      db
        .selectFrom("survey_versions")
        .select(["id", "version", "survey_id"])
        .where("survey_id", "in", ids)
        .execute(),
      db.selectFrom("need_shared_categories").selectAll().where("survey_id", "in", ids).execute(),
    ]);
    const changed: Array<{ id: number; rows: SharedCategoryRow[]; versions: number[] }> = [];
    for (const s of surveys) {
      const own = versions.filter((v) => v.survey_id === s.id);
      const rows = await sharedCategoryRows(db, s, own, taxonomy);
      const want = new Set(rows.map(rowKey));
      const have = new Set(stored.filter((r) => r.survey_id === s.id).map(rowKey));
      const differing = [...want, ...have].filter((k) => !(want.has(k) && have.has(k)));
      if (differing.length)
        changed.push({
          id: s.id,
          rows,
          versions: [...new Set(differing.map((k) => Number(k.split("\u0000")[0])))],
        });
    }
    return changed;
  };
  /** Whether a change touches counted responses (submitted, or queued after an erasure). */
  const counted = async (c: { versions: number[] }) =>
    (
      await sql<{ n: number }>`select 1 as n
        where exists (select 1 from responses
                      where status = 'submitted' and survey_version_id in (${sql.join(c.versions)}))
           or exists (select 1 from aggregate_queue where survey_version_id in (${sql.join(c.versions)}))`.execute(
        db,
      )
    ).rows.length > 0;
  let changed = await read();
  if (changed.length === 0) return [];
  const recounted: number[] = [];
  for (const c of changed) if (await counted(c)) recounted.push(c.id);
  // Facets to count again: under the aggregates' lock (no drain meanwhile), read again. A new
  // version alone (no responses can have it before it commits) only adds rows, without the lock.
  if (recount && recounted.length > 0) {
    await sql`select pg_advisory_xact_lock(${AGGREGATE_LOCK})`.execute(db);
    changed = await read();
    recounted.length = 0;
    for (const c of changed) if (await counted(c)) recounted.push(c.id);
  }
  for (const c of changed) {
    await db.deleteFrom("need_shared_categories").where("survey_id", "=", c.id).execute();
    for (let i = 0; i < c.rows.length; i += 1000)
      await db
        .insertInto("need_shared_categories")
        .values(c.rows.slice(i, i + 1000))
        // Another process (a second instance starting) may have written the same rows.
        .onConflict((oc) =>
          oc
            .columns(["survey_version_id", "question_key", "code"])
            .doUpdateSet((eb) => ({ shared: eb.ref("excluded.shared") })),
        )
        .execute();
  }
  if (recount) await recountSharedFacets(db, recounted);
  return recounted;
}
