import { sql } from "kysely";
import type { Db } from "#db/client";
import { aggregateRows, surveyList } from "../aggregates.server";
import type { ResponseFilters } from "../filters.server";
import { protectPartition, shownCount } from "./figures";
import { aggregateMargin, withFiltered } from "./sql.server";
import type {
  DashboardSurvey,
  Participation,
  ParticipationCounts,
  SectionOptions,
  Submissions,
} from "./views";

/**
 * Section: participation (invited, started, submitted, rates, submissions by week).
 */

/**
 * Invitations and responses of each survey (drafts included): one query for all surveys. The
 * submitted responses are counted from the aggregates (their `week` rows over everyone, stored
 * and queued, as every figure), the drafts and the rest through indexes: counting a million
 * submitted rows took 180 ms a count on every dashboard request.
 */
export async function participationCounts(
  db: Db,
  surveyIds: readonly number[],
): Promise<Map<number, ParticipationCounts>> {
  const result = new Map<number, ParticipationCounts>();
  if (surveyIds.length === 0) return result;
  const { rows } = await sql<{
    id: number;
    invited: string;
    drafts: string;
    submitted: string;
    submitted_invited: string;
    last_submitted: string | null;
  }>`with submitted as (
      select g.survey_id, sum(g.n) as n
      from (${aggregateRows(surveyIds, "week", { dim: "", value: "" })}) g
      group by g.survey_id)
    select s.id,
      (select count(*) from invitations i where i.survey_id = s.id and i.status = 'active') as invited,
      (select count(*) from responses r where r.survey_id = s.id and r.status = 'in_progress') as drafts,
      coalesce((select n from submitted where submitted.survey_id = s.id), 0) as submitted,
      (select count(*) from responses r
        where r.survey_id = s.id and r.status = 'submitted' and r.invitation_id is not null) as submitted_invited,
      (select max(r.submitted_at)::text from responses r
        where r.survey_id = s.id and r.status = 'submitted') as last_submitted
    from surveys s where s.id in (${surveyList(surveyIds)})`.execute(db);
  for (const r of rows) {
    const submitted = Number(r.submitted);
    result.set(r.id, {
      invited: Number(r.invited),
      started: Number(r.drafts) + submitted,
      submitted,
      submittedInvited: Number(r.submitted_invited),
      lastSubmitted: r.last_submitted,
    });
  }
  return result;
}

/** The submitted responses matching the filters, in all and by week (Monday, UTC). */
export async function submissionsByWeek(
  db: Db,
  survey: Pick<DashboardSurvey, "id">,
  filters: ResponseFilters,
): Promise<Submissions> {
  const margin = aggregateMargin(filters);
  if (margin) {
    const result = await sql<{ week: string; n: string }>`
      select g.code as week, sum(g.n) as n from (${aggregateRows([survey.id], "week", margin)}) g
      group by g.code having sum(g.n) > 0 order by g.code`.execute(db);
    const weeks = result.rows.map((r) => ({ week: r.week, n: Number(r.n) }));
    return { matching: weeks.reduce((sum, w) => sum + w.n, 0), weeks };
  }
  const rows = await withFiltered(db, [survey.id], filters)
    .selectFrom("fr")
    .select([
      sql<string>`to_char(date_trunc('week', fr.submitted_at at time zone 'UTC'), 'YYYY-MM-DD')`.as(
        "week",
      ),
      sql<number>`count(*)`.as("n"),
    ])
    .groupBy(sql`1`)
    .orderBy(sql`1`)
    .execute();
  const weeks = rows.map((r) => ({ week: r.week, n: Number(r.n) }));
  return { matching: weeks.reduce((sum, w) => sum + w.n, 0), weeks };
}

/** Combines the counts and the matching submissions, with small weeks suppressed. */
export function participationOf(
  counts: ParticipationCounts | undefined,
  submissions: Submissions,
  minCell: number,
): Participation {
  const c = counts ?? {
    invited: 0,
    started: 0,
    submitted: 0,
    submittedInvited: 0,
    lastSubmitted: null,
  };
  const weekCounts = protectPartition(
    submissions.weeks.map((w) => w.n),
    minCell,
  );
  return {
    invited: c.invited,
    started: c.started,
    submitted: c.submitted,
    completionRate: c.started > 0 ? c.submitted / c.started : null,
    responseRate: c.invited > 0 ? c.submittedInvited / c.invited : null,
    matching: shownCount(submissions.matching, minCell),
    weeks: submissions.weeks.map((w, i) => ({ week: w.week, count: weekCounts[i] })),
  };
}

/** Invited, started, submitted, rates, and the matching submissions by week. */
export async function participation(
  db: Db,
  survey: Pick<DashboardSurvey, "id">,
  filters: ResponseFilters,
  { minCell }: SectionOptions,
): Promise<Participation> {
  const [counts, submissions] = await Promise.all([
    participationCounts(db, [survey.id]),
    submissionsByWeek(db, survey, filters),
  ]);
  return participationOf(counts.get(survey.id), submissions, minCell);
}

/** How many submitted responses of a survey match the filters. */
export async function filteredResponseCount(
  db: Db,
  surveyId: number,
  filters: ResponseFilters,
): Promise<number> {
  if (aggregateMargin(filters))
    return (await submissionsByWeek(db, { id: surveyId }, filters)).matching;
  const row = await withFiltered(db, [surveyId], filters)
    .selectFrom("fr")
    .select(sql<number>`count(*)`.as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
