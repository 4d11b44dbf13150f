import type { AppLoadContext } from "@remix-run/node";
import { diffLines } from "diff";
import { sql } from "kysely";
import { stringify } from "yaml";
import type { Db } from "#db/client";
import type { AccessMode, LocalizedText, SurveyStatus, VersionOrigin } from "#db/schema";
import type { Problem } from "~/survey/load";
import { topLevelLine } from "~/survey/source";
import { allQuestions, type SurveyDefinition } from "~/survey/schema";
import { audit, type AuditActor } from "./audit.server";
import { requireGroupAccess, type SessionUser } from "./auth.server";
import { checkSourceOffThread } from "./survey-check.server";
import {
  addVersion,
  refreshSharedCategories,
  requireSameWorkingGroup,
  WorkingGroupChangeRefused,
} from "./surveys.server";

/**
 * Survey management from the browser: surveys of a working group with their counts, creating
 * a survey from YAML, saving new versions from the editor or an uploaded file, version diffs,
 * and the round's life cycle (publish, close, reopen, access mode, dates).
 *
 * Status and dates are stored as set; whether a survey accepts answers right now is computed
 * when it is read (`effectiveStatus`), so opening and closing dates take effect by themselves.
 */

/** Who makes a change, for the audit log. */
export interface Actor {
  user: AuditActor | null;
  ip?: string | null;
}

export type EffectiveStatus = "draft" | "scheduled" | "open" | "ended" | "closed";

/**
 * What a survey is doing now: an open survey accepts answers only between its opening and
 * closing dates; before, it is "scheduled"; after, it has "ended".
 */
export function effectiveStatus(
  survey: { status: SurveyStatus; opensAt: Date | string | null; closesAt: Date | string | null },
  now: Date = new Date(),
): EffectiveStatus {
  if (survey.status !== "open") return survey.status;
  if (survey.opensAt && new Date(survey.opensAt) > now) return "scheduled";
  if (survey.closesAt && new Date(survey.closesAt) <= now) return "ended";
  return "open";
}

// ---------------------------------------------------------------------------------------------
// Access

export interface ManagedGroup {
  id: number;
  slug: string;
  name: LocalizedText;
}

export interface ManagedSurvey {
  id: number;
  slug: string;
  workingGroupId: number;
  status: SurveyStatus;
  accessMode: AccessMode;
  opensAt: Date | null;
  closesAt: Date | null;
  currentVersionId: number | null;
  sourceFile: string | null;
  createdAt: Date;
  updatedAt: Date;
}

type RouteParams = Record<string, string | undefined>;

function notFound(): Response {
  return new Response("", { status: 404, statusText: "Not Found" });
}

/**
 * The signed-in user and the working group of the URL (`params.group`), if the user may manage
 * it: anonymous users are sent to the sign-in page (or get 401 for resources), a coordinator of
 * another group gets 403, an unknown group 404.
 */
export async function requireManagedGroup(
  request: Request,
  context: Pick<AppLoadContext, "db" | "env" | "clientIp">,
  params: RouteParams,
  options: { resource?: boolean } = {},
): Promise<{ user: SessionUser; group: ManagedGroup }> {
  const slug = params.group ?? "";
  const user = await requireGroupAccess(request, context, slug, options);
  const group = await context.db
    .selectFrom("working_groups")
    .select(["id", "slug", "name"])
    .where("slug", "=", slug)
    .executeTakeFirst();
  if (!group) throw notFound();
  return { user, group };
}

/** As requireManagedGroup, plus the survey of the URL (`params.survey`), which must belong to the group. */
export async function requireManagedSurvey(
  request: Request,
  context: Pick<AppLoadContext, "db" | "env" | "clientIp">,
  params: RouteParams,
  options: { resource?: boolean } = {},
): Promise<{ user: SessionUser; group: ManagedGroup; survey: ManagedSurvey }> {
  const { user, group } = await requireManagedGroup(request, context, params, options);
  const survey = await findSurvey(context.db, group.id, params.survey ?? "");
  if (!survey) throw notFound();
  return { user, group, survey };
}

export async function findSurvey(
  db: Db,
  groupId: number,
  slug: string,
): Promise<ManagedSurvey | null> {
  const row = await db
    .selectFrom("surveys")
    .selectAll()
    .where("slug", "=", slug)
    .where("working_group_id", "=", groupId)
    .executeTakeFirst();
  return row ? toManagedSurvey(row) : null;
}

function toManagedSurvey(row: {
  id: number;
  slug: string;
  working_group_id: number;
  status: SurveyStatus;
  access_mode: AccessMode;
  opens_at: Date | null;
  closes_at: Date | null;
  current_version_id: number | null;
  source_file: string | null;
  created_at: Date;
  updated_at: Date;
}): ManagedSurvey {
  return {
    id: row.id,
    slug: row.slug,
    workingGroupId: row.working_group_id,
    status: row.status,
    accessMode: row.access_mode,
    opensAt: row.opens_at,
    closesAt: row.closes_at,
    currentVersionId: row.current_version_id,
    sourceFile: row.source_file,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

// ---------------------------------------------------------------------------------------------
// Lists

export interface SurveyCounts {
  /** Active (not revoked) invitations. */
  invited: number;
  /** Responses begun, submitted or not. */
  started: number;
  submitted: number;
}

export interface SurveyListItem extends SurveyCounts {
  id: number;
  slug: string;
  title: LocalizedText | null;
  status: SurveyStatus;
  effectiveStatus: EffectiveStatus;
  accessMode: AccessMode;
  opensAt: Date | null;
  closesAt: Date | null;
  currentVersion: number | null;
  updatedAt: Date;
}

/** The surveys of a working group, newest first, with their counts: one SQL query. */
export async function listGroupSurveys(db: Db, groupId: number): Promise<SurveyListItem[]> {
  const rows = await db
    .selectFrom("surveys as s")
    .leftJoin("survey_versions as v", "v.id", "s.current_version_id")
    .select((eb) => [
      "s.id",
      "s.slug",
      "s.status",
      "s.access_mode",
      "s.opens_at",
      "s.closes_at",
      "s.updated_at",
      "v.version",
      sql<LocalizedText | null>`v.definition -> 'title'`.as("title"),
      eb
        .selectFrom("invitations as i")
        .select((c) => c.fn.countAll<number>().as("n"))
        .whereRef("i.survey_id", "=", "s.id")
        .where("i.status", "=", "active")
        .as("invited"),
      eb
        .selectFrom("responses as r")
        .select((c) => c.fn.countAll<number>().as("n"))
        .whereRef("r.survey_id", "=", "s.id")
        .as("started"),
      eb
        .selectFrom("responses as r")
        .select((c) => c.fn.countAll<number>().as("n"))
        .whereRef("r.survey_id", "=", "s.id")
        .where("r.status", "=", "submitted")
        .as("submitted"),
    ])
    .where("s.working_group_id", "=", groupId)
    .orderBy("s.created_at", "desc")
    .orderBy("s.id", "desc")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    slug: r.slug,
    title: r.title,
    status: r.status,
    effectiveStatus: effectiveStatus({
      status: r.status,
      opensAt: r.opens_at,
      closesAt: r.closes_at,
    }),
    accessMode: r.access_mode,
    opensAt: r.opens_at,
    closesAt: r.closes_at,
    currentVersion: r.version,
    updatedAt: r.updated_at,
    invited: Number(r.invited ?? 0),
    started: Number(r.started ?? 0),
    submitted: Number(r.submitted ?? 0),
  }));
}

export async function surveyCounts(db: Db, surveyId: number): Promise<SurveyCounts> {
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom("invitations")
        .select((c) => c.fn.countAll<number>().as("n"))
        .where("survey_id", "=", surveyId)
        .where("status", "=", "active")
        .as("invited"),
      eb
        .selectFrom("responses")
        .select((c) => c.fn.countAll<number>().as("n"))
        .where("survey_id", "=", surveyId)
        .as("started"),
      eb
        .selectFrom("responses")
        .select((c) => c.fn.countAll<number>().as("n"))
        .where("survey_id", "=", surveyId)
        .where("status", "=", "submitted")
        .as("submitted"),
    ])
    .executeTakeFirstOrThrow();
  return {
    invited: Number(row.invited ?? 0),
    started: Number(row.started ?? 0),
    submitted: Number(row.submitted ?? 0),
  };
}

export interface VersionSummary {
  id: number;
  version: number;
  origin: VersionOrigin;
  contentHash: string;
  createdAt: Date;
  createdBy: string | null;
  /** Responses pinned to this version. */
  responses: number;
}

export async function listVersions(db: Db, surveyId: number): Promise<VersionSummary[]> {
  const rows = await db
    .selectFrom("survey_versions as v")
    .leftJoin("users as u", "u.id", "v.created_by")
    .select((eb) => [
      "v.id",
      "v.version",
      "v.origin",
      "v.content_hash",
      "v.created_at",
      "u.email",
      eb
        .selectFrom("responses as r")
        .select((c) => c.fn.countAll<number>().as("n"))
        .whereRef("r.survey_version_id", "=", "v.id")
        .as("responses"),
    ])
    .where("v.survey_id", "=", surveyId)
    .orderBy("v.version", "desc")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    version: r.version,
    origin: r.origin,
    contentHash: r.content_hash,
    createdAt: r.created_at,
    createdBy: r.email,
    responses: Number(r.responses ?? 0),
  }));
}

export interface StoredVersion {
  id: number;
  version: number;
  definition: SurveyDefinition;
  sourceYaml: string;
  origin: VersionOrigin;
  contentHash: string;
  createdAt: Date;
}

/** One version of a survey by number, or the current one when `version` is null. */
export async function getVersion(
  db: Db,
  survey: ManagedSurvey,
  version: number | null,
): Promise<StoredVersion | null> {
  let q = db
    .selectFrom("survey_versions")
    .select(["id", "version", "definition", "source_yaml", "origin", "content_hash", "created_at"])
    .where("survey_id", "=", survey.id);
  if (version != null) q = q.where("version", "=", version);
  else if (survey.currentVersionId != null) q = q.where("id", "=", survey.currentVersionId);
  else return null;
  const row = await q.executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    version: row.version,
    definition: row.definition as SurveyDefinition,
    sourceYaml: row.source_yaml,
    origin: row.origin,
    contentHash: row.content_hash,
    createdAt: row.created_at,
  };
}

/** `3`, `v3`, `3.yaml` -> 3; anything else null. */
export function parseVersionParam(value: string | null | undefined): number | null {
  const m = /^v?(\d{1,9})(?:\.ya?ml)?$/.exec(value ?? "");
  return m ? Number(m[1]) : null;
}

// ---------------------------------------------------------------------------------------------
// Sources

/** Text received from a form or file: without a BOM, with \n line ends. */
export function normalizeSourceText(text: string): string {
  return text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
}

export const MAX_SOURCE_BYTES = 1_000_000;

function problem(fileName: string, line: number, pathText: string, message: string): Problem {
  return { file: fileName, line, path: pathText, message };
}

/**
 * The problems of questionnaire text, checked in the worker thread as a save would check it,
 * without storing anything: for the checks that run while staff type.
 */
export async function checkSurveyText(
  text: string,
  fileName: string,
  signal?: AbortSignal,
): Promise<{ problems: Problem[] }> {
  const normalized = normalizeSourceText(text);
  if (normalized.trim() === "")
    return { problems: [problem(fileName, 1, "", "the text is empty")] };
  const checked = await checkSourceOffThread(normalized, fileName, { signal });
  return { problems: checked.problems };
}

// ---------------------------------------------------------------------------------------------
// Creating a survey

export type CreateResult =
  | { ok: true; survey: ManagedSurvey; version: number }
  | { ok: false; kind: "problems"; problems: Problem[] }
  | { ok: false; kind: "conflict"; message: "slugTaken" | "slugTakenOtherGroup"; slug: string };

/**
 * Creates a survey of `group` from YAML text. The file's `workingGroup` must be this group;
 * its slug must not be used by any survey (slugs are global: 409 otherwise, so nobody can take
 * over another group's survey by reusing its slug). New surveys start as drafts whatever the
 * file says; access mode and dates are taken from the file.
 */
export async function createSurvey(
  db: Db,
  input: {
    group: ManagedGroup;
    text: string;
    origin: "editor" | "upload";
    fileName?: string;
    blocksDir?: string;
    /** The request's signal: a check still waiting when the request is abandoned is dropped. */
    signal?: AbortSignal;
  },
  actor: Actor,
): Promise<CreateResult> {
  const text = normalizeSourceText(input.text);
  const fileName = input.fileName || "survey.yaml";
  if (text.trim() === "")
    return {
      ok: false,
      kind: "problems",
      problems: [problem(fileName, 1, "", "the text is empty")],
    };
  const checked = await checkSourceOffThread(text, fileName, {
    blocksDir: input.blocksDir,
    signal: input.signal,
  });
  const def = checked.definition;
  if (!def || !checked.hash) return { ok: false, kind: "problems", problems: checked.problems };
  if (def.workingGroup !== input.group.slug) {
    return {
      ok: false,
      kind: "problems",
      problems: [
        problem(
          fileName,
          topLevelLine(text, "workingGroup"),
          "workingGroup",
          `must be "${input.group.slug}": surveys created here belong to this working group (the file says "${def.workingGroup}")`,
        ),
      ],
    };
  }
  const hash = checked.hash;
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${"survey-sync:" + def.slug}))`.execute(trx);
    const taken = await trx
      .selectFrom("surveys")
      .select(["id", "working_group_id"])
      .where("slug", "=", def.slug)
      .executeTakeFirst();
    if (taken) {
      return {
        ok: false as const,
        kind: "conflict" as const,
        message:
          taken.working_group_id === input.group.id
            ? ("slugTaken" as const)
            : ("slugTakenOtherGroup" as const),
        slug: def.slug,
      };
    }
    const row = await trx
      .insertInto("surveys")
      .values({
        slug: def.slug,
        working_group_id: input.group.id,
        status: "draft",
        access_mode: def.accessMode ?? "open_link",
        opens_at: def.opensAt ? new Date(def.opensAt) : null,
        closes_at: def.closesAt ? new Date(def.closesAt) : null,
        created_by: actor.user?.id ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const version = await addVersion(
      trx,
      row.id,
      def,
      hash,
      text,
      input.origin,
      actor.user?.id ?? null,
    );
    await audit(trx, {
      user: actor.user,
      action: "survey.create",
      targetType: "survey",
      targetId: row.id,
      details: {
        slug: def.slug,
        group: input.group.slug,
        origin: input.origin,
        version: version.version,
        hash,
      },
      ip: actor.ip,
    });
    return {
      ok: true as const,
      survey: toManagedSurvey({ ...row, current_version_id: version.id }),
      version: version.version,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Saving a new version

export interface RemovedQuestion {
  key: string;
  label: LocalizedText;
  /** "removed": no longer in the survey; "type": still there with another question type. */
  change: "removed" | "type";
  /** Responses with a stored answer to the question. */
  answers: number;
}

/**
 * Questions of `before` that `after` removes or whose type it changes, with how many responses
 * have answered each (answers are counted per survey and question key, across versions).
 */
export async function removedQuestions(
  db: Db,
  surveyId: number,
  before: SurveyDefinition,
  after: SurveyDefinition,
): Promise<RemovedQuestion[]> {
  const next = new Map(allQuestions(after).map((q) => [q.key, q]));
  const changed = allQuestions(before).flatMap((q): Omit<RemovedQuestion, "answers">[] => {
    const now = next.get(q.key);
    if (!now) return [{ key: q.key, label: q.label, change: "removed" }];
    if (now.type !== q.type) return [{ key: q.key, label: q.label, change: "type" }];
    return [];
  });
  if (changed.length === 0) return [];
  const counts = await db
    .selectFrom("answers")
    .select(["question_key", sql<number>`count(distinct response_id)`.as("n")])
    .where("survey_id", "=", surveyId)
    .where(
      "question_key",
      "in",
      changed.map((c) => c.key),
    )
    .groupBy("question_key")
    .execute();
  const byKey = new Map(counts.map((c) => [c.question_key, Number(c.n)]));
  return changed.map((c) => ({ ...c, answers: byKey.get(c.key) ?? 0 }));
}

/** The keys that need an explicit confirmation before saving: changed questions that have answers. */
export function confirmationKeys(removed: readonly RemovedQuestion[]): string {
  return removed
    .filter((r) => r.answers > 0)
    .map((r) => r.key)
    .sort()
    .join(",");
}

export type SaveResult =
  | { ok: true; version: number; created: true; draft: boolean; removed: RemovedQuestion[] }
  | { ok: true; version: number; created: false; draft: boolean }
  | { ok: false; kind: "problems"; problems: Problem[] }
  | { ok: false; kind: "confirm"; removed: RemovedQuestion[]; confirmKeys: string };

/**
 * Saves YAML text as a new version of a survey (the editor, or an uploaded file). Problems are
 * returned with line and path and nothing is stored. A text whose definition equals the current
 * version's (same hash) makes no version. Removing (or retyping) questions that already have
 * answers needs `confirmKeys` equal to the keys the server asks to confirm. The slug and the
 * working group of a survey cannot be changed. The new version is what new respondents get;
 * responses already started stay on their version.
 */
export async function saveSurveyVersion(
  db: Db,
  input: {
    survey: ManagedSurvey;
    text: string;
    origin: "editor" | "upload";
    fileName?: string;
    confirmKeys?: string | null;
    blocksDir?: string;
    /** The request's signal: a check still waiting when the request is abandoned is dropped. */
    signal?: AbortSignal;
  },
  actor: Actor,
): Promise<SaveResult> {
  const text = normalizeSourceText(input.text);
  const fileName = input.fileName || `${input.survey.slug}.yaml`;
  if (text.trim() === "")
    return {
      ok: false,
      kind: "problems",
      problems: [problem(fileName, 1, "", "the text is empty")],
    };
  const checked = await checkSourceOffThread(text, fileName, {
    blocksDir: input.blocksDir,
    signal: input.signal,
  });
  const def = checked.definition;
  if (!def || !checked.hash) return { ok: false, kind: "problems", problems: checked.problems };
  if (def.slug !== input.survey.slug) {
    return {
      ok: false,
      kind: "problems",
      problems: [
        problem(
          fileName,
          topLevelLine(text, "slug"),
          "slug",
          `must stay "${input.survey.slug}": the slug of a survey cannot be changed`,
        ),
      ],
    };
  }
  const hash = checked.hash;

  return db.transaction().execute(async (trx): Promise<SaveResult> => {
    await sql`select pg_advisory_xact_lock(hashtext(${"survey-sync:" + input.survey.slug}))`.execute(
      trx,
    );
    // Refused before asking to confirm removals; addVersion applies the same rule.
    try {
      await requireSameWorkingGroup(trx, input.survey.id, def);
    } catch (error) {
      if (!(error instanceof WorkingGroupChangeRefused)) throw error;
      return {
        ok: false,
        kind: "problems",
        problems: [
          problem(
            fileName,
            topLevelLine(text, "workingGroup"),
            "workingGroup",
            `must stay "${error.surveyGroup}": survey "${error.slug}" belongs to working group "${error.surveyGroup}" and a survey's working group never changes (the text says "${error.definitionGroup}")`,
          ),
        ],
      };
    }
    const current = await trx
      .selectFrom("surveys as s")
      .leftJoin("survey_versions as v", "v.id", "s.current_version_id")
      .select(["v.id", "v.version", "v.content_hash", "v.definition", "s.status"])
      .where("s.id", "=", input.survey.id)
      .executeTakeFirst();
    const latest = await latestVersion(trx, input.survey.id);
    if (latest?.content_hash === hash) {
      return {
        ok: true,
        version: latest.version,
        created: false,
        draft: latest.id !== current?.id,
      };
    }
    // A survey that has been published keeps serving its current version: the change is a
    // draft until "Publish this version" (publishDraft), which asks the same confirmation.
    if (current?.status !== undefined && current.status !== "draft" && current.id != null) {
      const draft = await addVersion(
        trx,
        input.survey.id,
        def,
        hash,
        text,
        input.origin,
        actor.user?.id ?? null,
        { publish: false },
      );
      await audit(trx, {
        user: actor.user,
        action: "survey.draft",
        targetType: "survey",
        targetId: input.survey.id,
        details: {
          slug: input.survey.slug,
          version: draft.version,
          published: current.version,
          origin: input.origin,
          hash,
        },
        ip: actor.ip,
      });
      return { ok: true, version: draft.version, created: true, draft: true, removed: [] };
    }
    const removed = current?.definition
      ? await removedQuestions(trx, input.survey.id, current.definition as SurveyDefinition, def)
      : [];
    const keys = confirmationKeys(removed);
    if (keys !== "" && (input.confirmKeys ?? "") !== keys) {
      return { ok: false, kind: "confirm", removed, confirmKeys: keys };
    }
    const version = await addVersion(
      trx,
      input.survey.id,
      def,
      hash,
      text,
      input.origin,
      actor.user?.id ?? null,
    );
    await audit(trx, {
      user: actor.user,
      action: "survey.version",
      targetType: "survey",
      targetId: input.survey.id,
      details: {
        slug: input.survey.slug,
        version: version.version,
        previous: current?.version ?? null,
        origin: input.origin,
        hash,
        removed: removed.map((r) => ({ key: r.key, change: r.change, answers: r.answers })),
      },
      ip: actor.ip,
    });
    return { ok: true, version: version.version, created: true, draft: false, removed };
  });
}

/**
 * The newest version that editing knows of: a Delphi round's version (a copy of the survey for
 * one round of re-rating, never published) is neither a draft nor where editing starts.
 */
async function latestVersion(db: Db, surveyId: number) {
  return db
    .selectFrom("survey_versions as v")
    .select(["v.id", "v.version", "v.content_hash", "v.definition"])
    .where("v.survey_id", "=", surveyId)
    .where("v.delphi_round", "is", null)
    .orderBy("v.version", "desc")
    .limit(1)
    .executeTakeFirst();
}

/**
 * The version that editing starts from: the draft when there is one (a version newer than the
 * one respondents get), otherwise the current version.
 */
export async function getWorkingVersion(
  db: Db,
  survey: ManagedSurvey,
): Promise<(StoredVersion & { draft: boolean }) | null> {
  const latest = await latestVersion(db, survey.id);
  if (!latest) return null;
  const version = await getVersion(db, survey, latest.version);
  return version ? { ...version, draft: version.id !== survey.currentVersionId } : null;
}

export type PublishDraftResult =
  | { ok: true; version: number; removed: RemovedQuestion[] }
  | { ok: false; kind: "noDraft" }
  | {
      ok: false;
      kind: "confirm";
      version: number;
      removed: RemovedQuestion[];
      confirmKeys: string;
    };

/**
 * "Publish this version": the draft becomes the version new respondents get. Removing (or
 * retyping) questions that already have answers needs `confirmKeys` equal to the keys the
 * server asks to confirm, as when saving. Responses already started stay on their version.
 */
export async function publishDraft(
  db: Db,
  input: { survey: ManagedSurvey; version: number; confirmKeys?: string | null },
  actor: Actor,
): Promise<PublishDraftResult> {
  return db.transaction().execute(async (trx): Promise<PublishDraftResult> => {
    await sql`select pg_advisory_xact_lock(hashtext(${"survey-sync:" + input.survey.slug}))`.execute(
      trx,
    );
    const current = await trx
      .selectFrom("surveys as s")
      .leftJoin("survey_versions as v", "v.id", "s.current_version_id")
      .select(["s.current_version_id", "v.version", "v.definition"])
      .where("s.id", "=", input.survey.id)
      .executeTakeFirstOrThrow();
    const latest = await latestVersion(trx, input.survey.id);
    // Only the newest version, when it is newer than the current one, is a draft; a draft
    // overtaken by a later save or synchronisation is not published by an old form.
    if (
      !latest ||
      latest.id === current.current_version_id ||
      latest.version !== input.version ||
      (current.version != null && latest.version < current.version)
    )
      return { ok: false, kind: "noDraft" };
    const removed = current.definition
      ? await removedQuestions(
          trx,
          input.survey.id,
          current.definition as SurveyDefinition,
          latest.definition as SurveyDefinition,
        )
      : [];
    const keys = confirmationKeys(removed);
    if (keys !== "" && (input.confirmKeys ?? "") !== keys)
      return { ok: false, kind: "confirm", version: latest.version, removed, confirmKeys: keys };
    await requireSameWorkingGroup(trx, input.survey.id, latest.definition as SurveyDefinition);
    await trx
      .updateTable("surveys")
      .set({ current_version_id: latest.id, updated_at: sql<Date>`now()` })
      .where("id", "=", input.survey.id)
      .execute();
    await refreshSharedCategories(trx, [input.survey.id]);
    await audit(trx, {
      user: actor.user,
      action: "survey.version_publish",
      targetType: "survey",
      targetId: input.survey.id,
      details: {
        slug: input.survey.slug,
        version: latest.version,
        previous: current.version ?? null,
        removed: removed.map((r) => ({ key: r.key, change: r.change, answers: r.answers })),
      },
      ip: actor.ip,
    });
    return { ok: true, version: latest.version, removed };
  });
}

// ---------------------------------------------------------------------------------------------
// Differences between versions

export type DiffRow =
  | {
      kind: "same" | "added" | "removed";
      oldLine: number | null;
      newLine: number | null;
      text: string;
    }
  | { kind: "skip"; count: number };

function splitLines(value: string): string[] {
  const lines = value.split("\n");
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/**
 * A line-based comparison of two YAML texts, with unchanged stretches longer than
 * `2 * context` lines folded into one "skip" row.
 */
export function diffSources(oldText: string, newText: string, context = 3): DiffRow[] {
  const rows: Exclude<DiffRow, { kind: "skip" }>[] = [];
  let oldLine = 1;
  let newLine = 1;
  for (const change of diffLines(normalizeSourceText(oldText), normalizeSourceText(newText))) {
    for (const text of splitLines(change.value)) {
      if (change.added) rows.push({ kind: "added", oldLine: null, newLine: newLine++, text });
      else if (change.removed)
        rows.push({ kind: "removed", oldLine: oldLine++, newLine: null, text });
      else rows.push({ kind: "same", oldLine: oldLine++, newLine: newLine++, text });
    }
  }
  const out: DiffRow[] = [];
  let i = 0;
  while (i < rows.length) {
    if (rows[i].kind !== "same") {
      out.push(rows[i++]);
      continue;
    }
    let j = i;
    while (j < rows.length && rows[j].kind === "same") j++;
    const run = rows.slice(i, j);
    const keepHead = i === 0 ? 0 : context;
    const keepTail = j === rows.length ? 0 : context;
    if (run.length > keepHead + keepTail + 1) {
      out.push(...run.slice(0, keepHead));
      out.push({ kind: "skip", count: run.length - keepHead - keepTail });
      out.push(...run.slice(run.length - keepTail));
    } else out.push(...run);
    i = j;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Life cycle

export type LifecycleAction = "publish" | "close" | "reopen";

const TRANSITIONS: Record<LifecycleAction, { from: SurveyStatus; to: SurveyStatus }> = {
  publish: { from: "draft", to: "open" },
  close: { from: "open", to: "closed" },
  reopen: { from: "closed", to: "open" },
};

export type LifecycleResult =
  | { ok: true; status: SurveyStatus }
  | { ok: false; reason: "wrongStatus" | "noVersion" | "closesInPast" };

/**
 * Publish (draft -> open), close (open -> closed), reopen (closed -> open). Opening a survey
 * whose closing date has passed is refused: change the date first.
 */
export async function changeStatus(
  db: Db,
  survey: ManagedSurvey,
  action: LifecycleAction,
  actor: Actor,
  now: Date = new Date(),
): Promise<LifecycleResult> {
  const { from, to } = TRANSITIONS[action];
  if (survey.status !== from) return { ok: false, reason: "wrongStatus" };
  if (to === "open" && survey.currentVersionId == null) return { ok: false, reason: "noVersion" };
  if (to === "open" && survey.closesAt && survey.closesAt <= now)
    return { ok: false, reason: "closesInPast" };
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("surveys")
      .set({ status: to, updated_at: sql<Date>`now()` })
      .where("id", "=", survey.id)
      .where("status", "=", from)
      .returning("id")
      .executeTakeFirst();
    if (!row) return { ok: false as const, reason: "wrongStatus" as const };
    await audit(trx, {
      user: actor.user,
      action: `survey.${action}`,
      targetType: "survey",
      targetId: survey.id,
      details: { slug: survey.slug, from, to },
      ip: actor.ip,
    });
    return { ok: true as const, status: to };
  });
}

export async function setAccessMode(
  db: Db,
  survey: ManagedSurvey,
  mode: AccessMode,
  actor: Actor,
): Promise<void> {
  if (mode === survey.accessMode) return;
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("surveys")
      .set({ access_mode: mode, updated_at: sql<Date>`now()` })
      .where("id", "=", survey.id)
      .execute();
    await audit(trx, {
      user: actor.user,
      action: "survey.access_mode",
      targetType: "survey",
      targetId: survey.id,
      details: { slug: survey.slug, from: survey.accessMode, to: mode },
      ip: actor.ip,
    });
  });
}

/** `YYYY-MM-DDTHH:MM` (a datetime-local field, read as UTC) or `YYYY-MM-DD`; blank is null. */
export function parseDateField(value: unknown): Date | null | "invalid" {
  if (typeof value !== "string" || value.trim() === "") return null;
  const v = value.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(v);
  if (!m) return "invalid";
  const date = new Date(
    Date.UTC(+m[1], +m[2] - 1, +m[3], m[4] ? +m[4] : 0, m[5] ? +m[5] : 0, m[6] ? +m[6] : 0),
  );
  if (
    Number.isNaN(date.getTime()) ||
    date.getUTCDate() !== +m[3] ||
    date.getUTCMonth() !== +m[2] - 1
  )
    return "invalid";
  return date;
}

/** A date as a datetime-local field value in UTC. */
export function toDateField(date: Date | string | null): string {
  return date ? new Date(date).toISOString().slice(0, 16) : "";
}

export type DatesResult =
  | { ok: true }
  | {
      ok: false;
      errors: Partial<Record<"opensAt" | "closesAt", "invalidDate" | "closesBeforeOpens">>;
    };

/** Sets the opening and closing dates (either may be empty); the closing date must come after the opening date. */
export async function setDates(
  db: Db,
  survey: ManagedSurvey,
  input: { opensAt: unknown; closesAt: unknown },
  actor: Actor,
): Promise<DatesResult> {
  const opensAt = parseDateField(input.opensAt);
  const closesAt = parseDateField(input.closesAt);
  const errors: Extract<DatesResult, { ok: false }>["errors"] = {};
  if (opensAt === "invalid") errors.opensAt = "invalidDate";
  if (closesAt === "invalid") errors.closesAt = "invalidDate";
  if (opensAt instanceof Date && closesAt instanceof Date && closesAt <= opensAt)
    errors.closesAt = "closesBeforeOpens";
  if (Object.keys(errors).length) return { ok: false, errors };
  const opens = opensAt as Date | null;
  const closes = closesAt as Date | null;
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("surveys")
      .set({ opens_at: opens, closes_at: closes, updated_at: sql<Date>`now()` })
      .where("id", "=", survey.id)
      .execute();
    await audit(trx, {
      user: actor.user,
      action: "survey.dates",
      targetType: "survey",
      targetId: survey.id,
      details: {
        slug: survey.slug,
        opensAt: opens?.toISOString() ?? null,
        closesAt: closes?.toISOString() ?? null,
        previous: {
          opensAt: survey.opensAt?.toISOString() ?? null,
          closesAt: survey.closesAt?.toISOString() ?? null,
        },
      },
      ip: actor.ip,
    });
  });
  return { ok: true };
}

/** The address respondents use in open-link mode. */
export function openLink(base: string, slug: string): string {
  return `${base}/s/${slug}`;
}

/** PUBLIC_URL without a trailing slash, else the origin of the request. */
export function publicBase(env: { PUBLIC_URL?: string }, request: Request): string {
  return (env.PUBLIC_URL || new URL(request.url).origin).replace(/\/+$/, "");
}

/**
 * A new survey for the builder: the given slug and title, the shared respondent profile and
 * one page with one question, which the builder then changes.
 */
export function builderTemplate(
  groupSlug: string,
  slug: string,
  title: { en: string; ru: string },
): string {
  return stringify({
    slug,
    workingGroup: groupSlug,
    accessMode: "open_link",
    title,
    pages: [
      { include: "respondent-profile" },
      {
        key: "needs",
        title: { en: "Your needs", ru: "Ваши потребности" },
        questions: [
          {
            key: "main_need",
            type: "long_text",
            label: {
              en: "What would help your cooperation most in the next two years?",
              ru: "Что больше всего помогло бы вашему сотрудничеству в ближайшие два года?",
            },
          },
        ],
      },
    ],
  });
}

/** A starting point for a new survey of a group. */
export function surveyTemplate(
  groupSlug: string,
  year: number = new Date().getUTCFullYear(),
): string {
  return `slug: ${groupSlug}-needs-${year}
workingGroup: ${groupSlug}
accessMode: open_link
estimatedMinutes: 15
title:
  en: Cooperation needs ${year}
  ru: Потребности в сотрудничестве, ${year}
introduction:
  en: Why we ask and how the answers will be used.
  ru: Зачем мы спрашиваем и как будут использованы ответы.
pages:
  - include: respondent-profile
  - key: needs
    title: { en: Your needs, ru: Ваши потребности }
    questions:
      - key: main_need
        type: long_text
        required: true
        label:
          en: What would help your cooperation most in the next two years?
          ru: Что больше всего помогло бы вашему сотрудничеству в ближайшие два года?
`;
}
