import { sql } from "kysely";
import type { Db } from "#db/client";
import { aggregateRows } from "../aggregates.server";
import type {
  CodeLabel,
  DashboardQuestion,
  DashboardSurvey,
  FilterChoices,
  SectionOptions,
} from "./views";

/**
 * What the filter form of a dashboard offers.
 */

export async function filterChoices(
  db: Db,
  surveys:
    | Pick<DashboardSurvey, "id" | "questions">
    | ReadonlyArray<Pick<DashboardSurvey, "id" | "questions">>,
  { minCell }: SectionOptions,
): Promise<FilterChoices> {
  const list: ReadonlyArray<Pick<DashboardSurvey, "id" | "questions">> = Array.isArray(surveys)
    ? surveys
    : [surveys as Pick<DashboardSurvey, "id" | "questions">];
  const profile = (key: string): CodeLabel[] =>
    list.flatMap((s) => s.questions).find((q: DashboardQuestion) => q.key === key)?.codes ?? [];
  if (list.length === 0) return { countries: [], orgTypes: [], sectors: [] };
  const rows = await sql<{ country: string }>`
    select g.code as country from (${aggregateRows(
      list.map((s) => s.id),
      "profile",
      { dim: "", value: "" },
    )}) g
    where g.item = 'country' and g.code is not null
    group by g.code having sum(g.n) >= ${minCell} order by g.code`
    .execute(db)
    .then((r) => r.rows);
  return {
    countries: rows.map((r) => r.country as string),
    orgTypes: profile("org_type"),
    sectors: profile("sector"),
  };
}
