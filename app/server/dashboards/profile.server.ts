import { sql } from "kysely";
import type { Db } from "#db/client";
import { COUNTRY_GROUPS } from "~/survey/countries";
import { protectCountryProfile } from "./protected-tables";
import { aggregateRows } from "../aggregates.server";
import type { ResponseFilters } from "../filters.server";
import { protectPartition, shareOf } from "./figures";
import { aggregateMargin, dashboardQuery, withFiltered } from "./sql.server";
import type {
  CodeLabel,
  DashboardSurvey,
  ProfileCell,
  ProfileDimension,
  RespondentProfile,
  SectionOptions,
  Shown,
} from "./views";

/**
 * Section: the respondent profile (country group, country, organisation type, sector).
 */

/** The code of the row that pools the countries with fewer than N respondents each. */
export const SMALL_CODES = "_small";

/**
 * Open lists of codes (countries): listing a country with 1 to N−1 respondents would show
 * that someone from there answered, so such codes are pooled into one row (`_small`), itself
 * suppressed when it is small. Shown codes come by count, largest first; the pooled row last.
 */
export function poolSmallCodes(
  cells: ReadonlyArray<{ code: string | null; n: number }>,
  minCell: number,
): Array<{ code: string | null; count: Shown }> {
  const rows = pooledRows(cells, minCell);
  const shown = protectPartition(
    rows.map((r) => r.n),
    minCell,
  );
  return rows.map((r, i) => ({ code: r.code, count: shown[i] }));
}

/** The rows of an open list before protection: codes with N or more, then the pooled row. */
function pooledRows(
  cells: ReadonlyArray<{ code: string | null; n: number }>,
  minCell: number,
): Array<{ code: string | null; n: number }> {
  const large = cells
    .filter((c) => c.n >= minCell)
    .sort((a, b) => b.n - a.n || String(a.code).localeCompare(String(b.code)));
  const small = cells.filter((c) => c.n > 0 && c.n < minCell).reduce((sum, c) => sum + c.n, 0);
  return [...large, ...(small > 0 ? [{ code: SMALL_CODES as string | null, n: small }] : [])];
}

export const PROFILE_DIMENSIONS: readonly ProfileDimension[] = [
  "country_group",
  "country",
  "org_type",
  "sector",
];

/** The matching respondents by country group, country, organisation type and sector. */
export async function respondentProfile(
  db: Db,
  survey: Pick<DashboardSurvey, "id" | "questions">,
  filters: ResponseFilters,
  { minCell }: SectionOptions,
): Promise<RespondentProfile> {
  const rows = await profileCounts(db, survey.id, filters);
  return profileOf(survey, rows, minCell);
}

type ProfileCount = { dimension: ProfileDimension | null; code: string | null; n: number };

/** Matching respondents by each profile dimension, and in all (dimension null). */
async function profileCounts(
  db: Db,
  surveyId: number,
  filters: ResponseFilters,
): Promise<ProfileCount[]> {
  const margin = aggregateMargin(filters);
  if (margin) {
    const result = await sql<{ dimension: ProfileDimension; code: string | null; n: string }>`
      select g.item as dimension, g.code, sum(g.n) as n
      from (${aggregateRows([surveyId], "profile", margin)}) g
      group by g.item, g.code having sum(g.n) > 0`.execute(db);
    const rows: ProfileCount[] = result.rows.map((r) => ({
      dimension: r.dimension,
      code: r.code,
      n: Number(r.n),
    }));
    const total = rows
      .filter((r) => r.dimension === "country_group")
      .reduce((sum, r) => sum + r.n, 0);
    return [...rows, { dimension: null, code: null, n: total }];
  }
  const rows = await dashboardQuery(db, (trx) =>
    withFiltered(trx, [surveyId], filters)
      .selectFrom("fr")
      .select([
        sql<ProfileDimension | null>`case
        when grouping(fr.country_group) = 0 then 'country_group'
        when grouping(fr.country) = 0 then 'country'
        when grouping(fr.org_type) = 0 then 'org_type'
        when grouping(fr.sector) = 0 then 'sector' end`.as("dimension"),
        sql<string | null>`coalesce(fr.country_group, fr.country, fr.org_type, fr.sector)`.as(
          "code",
        ),
        sql<number>`count(*)`.as("n"),
      ])
      .groupBy(
        sql`grouping sets ((fr.country_group), (fr.country), (fr.org_type), (fr.sector), ())`,
      )
      .execute(),
  );
  return rows.map((r) => ({ dimension: r.dimension, code: r.code, n: Number(r.n) }));
}

function profileOf(
  survey: Pick<DashboardSurvey, "questions">,
  rows: readonly ProfileCount[],
  minCell: number,
): RespondentProfile {
  const total = Number(rows.find((r) => r.dimension === null)?.n ?? 0);
  const order = (dimension: ProfileDimension): CodeLabel[] =>
    dimension === "country_group"
      ? COUNTRY_GROUPS.map((code) => ({ code, label: { en: code, ru: code } }))
      : (survey.questions.find((q) => q.key === dimension)?.codes ?? []);
  const breakdowns = {} as Record<ProfileDimension, ProfileCell[]>;
  const cellsOf = (dimension: ProfileDimension) => {
    const found = rows.filter((r) => r.dimension === dimension);
    const known = order(dimension);
    return [
      ...known.map((c) => ({
        code: c.code as string | null,
        n: Number(found.find((r) => r.code === c.code)?.n ?? 0),
      })),
      ...found
        .filter((r) => !known.some((c) => c.code === r.code))
        .map((r) => ({ code: r.code, n: Number(r.n) })),
    ];
  };
  // Country groups and countries are shown side by side and add up to each other: protected together.
  const countries = pooledRows(cellsOf("country"), minCell);
  const places = protectCountryProfile(
    total,
    cellsOf("country_group"),
    countries,
    SMALL_CODES,
    minCell,
  );
  for (const dimension of PROFILE_DIMENSIONS) {
    const known = order(dimension);
    const cells = cellsOf(dimension);
    if (dimension === "country") {
      breakdowns.country = countries.map((c, i) => ({
        code: c.code,
        count: places.countries[i],
        share: shareOf(places.countries[i], total),
      }));
      continue;
    }
    const shown =
      dimension === "country_group"
        ? places.groups
        : protectPartition(
            cells.map((c) => c.n),
            minCell,
          );
    breakdowns[dimension] = cells.map((c, i) => ({
      code: c.code,
      label: known.find((k) => k.code === c.code)?.label,
      count: shown[i],
      share: shareOf(shown[i], total),
    }));
  }
  return { total, breakdowns };
}
