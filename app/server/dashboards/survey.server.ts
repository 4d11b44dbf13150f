import { sql } from "kysely";
import type { Db } from "#db/client";
import type { LocalizedText, SurveyStatus } from "#db/schema";
import { mergeVersions, versionDefinitions } from "../surveys.server";
import type { DashboardSurvey, SurveyChoice } from "./views";

/**
 * The survey a dashboard shows: the group's surveys, their versions' questions merged
 * (`mergeVersions` and the definitions cache live in ../surveys.server.ts).
 */

interface SurveyRow {
  id: number;
  slug: string;
  status: SurveyStatus;
  current_version_id: number | null;
  group_id: number;
  group_slug: string;
  group_name: LocalizedText;
  versions: Array<{ id: number; version: number }>;
  title: LocalizedText | null;
}

function surveyRows(db: Db) {
  return db
    .selectFrom("surveys as s")
    .innerJoin("working_groups as g", "g.id", "s.working_group_id")
    .leftJoin("survey_versions as cv", "cv.id", "s.current_version_id")
    .select([
      "s.id",
      "s.slug",
      "s.status",
      "s.current_version_id",
      "g.id as group_id",
      "g.slug as group_slug",
      "g.name as group_name",
      sql<LocalizedText | null>`cv.definition -> 'title'`.as("title"),
      sql<Array<{ id: number; version: number }>>`(
        select coalesce(json_agg(json_build_object('id', v.id, 'version', v.version) order by v.version), '[]'::json)
        from survey_versions v where v.survey_id = s.id)`.as("versions"),
    ]);
}

/** Latest first: open or closed surveys before drafts, then the newest. */
const LATEST_ORDER = sql`case when s.status = 'draft' then 1 else 0 end, s.created_at desc, s.id desc`;

async function toDashboardSurvey(db: Db, row: SurveyRow): Promise<DashboardSurvey> {
  const versions = await versionDefinitions(db, row.versions);
  const current =
    versions.find((v) => v.id === row.current_version_id) ?? versions[versions.length - 1];
  return {
    id: row.id,
    slug: row.slug,
    status: row.status,
    title: row.title ?? current?.definition.title ?? { en: row.slug, ru: row.slug },
    group: { id: row.group_id, slug: row.group_slug, name: row.group_name },
    versionCount: versions.length,
    versionIds: versions.map((v) => v.id),
    questions: mergeVersions(versions, row.current_version_id),
  };
}

/**
 * The survey a group dashboard shows: `surveySlug` when given (null if it is not one of the
 * group's surveys), else the group's latest. Null for an unknown group or a group without surveys.
 */
export async function resolveDashboardSurvey(
  db: Db,
  groupSlug: string,
  surveySlug?: string | null,
): Promise<DashboardSurvey | null> {
  let q = surveyRows(db).where("g.slug", "=", groupSlug);
  q = surveySlug ? q.where("s.slug", "=", surveySlug) : q.orderBy(LATEST_ORDER).limit(1);
  const row = await q.executeTakeFirst();
  return row ? toDashboardSurvey(db, row) : null;
}

/** The latest survey of each of the given groups (groups without surveys are left out). */
export async function resolveLatestSurveys(
  db: Db,
  groupIds: readonly number[],
): Promise<DashboardSurvey[]> {
  if (groupIds.length === 0) return [];
  const rows = await surveyRows(db)
    .where("g.id", "in", [...groupIds])
    .orderBy("g.sort_order")
    .orderBy(LATEST_ORDER)
    .execute();
  const latest = new Map<number, SurveyRow>();
  for (const row of rows) if (!latest.has(row.group_id)) latest.set(row.group_id, row);
  return Promise.all([...latest.values()].map((row) => toDashboardSurvey(db, row)));
}

/** The surveys of a group, latest first, for the survey selector. */
export async function listGroupSurveys(db: Db, groupId: number): Promise<SurveyChoice[]> {
  const rows = await db
    .selectFrom("surveys as s")
    .leftJoin("survey_versions as cv", "cv.id", "s.current_version_id")
    .select(["s.slug", "s.status", sql<LocalizedText | null>`cv.definition -> 'title'`.as("title")])
    .where("s.working_group_id", "=", groupId)
    .orderBy(LATEST_ORDER)
    .execute();
  return rows.map((r) => ({
    slug: r.slug,
    status: r.status,
    title: r.title ?? { en: r.slug, ru: r.slug },
  }));
}
