import { type SelectQueryBuilder, sql } from "kysely";
import * as z from "zod";
import { CODE_PATTERN, HORIZONS, type Horizon } from "~/survey/constants";
import { COUNTRY_GROUPS, type CountryGroup, isCountryCode } from "~/survey/countries";

/**
 * The respondent filters shared by the dashboards and the exports: how they are named in the
 * query string, how they are parsed, and how they restrict a query on `responses`.
 *
 * | parameter       | meaning                                                            |
 * |-----------------|--------------------------------------------------------------------|
 * | `country_group` | `eu`, `ru` or `other` (from the respondent's country)              |
 * | `country`       | ISO 3166-1 alpha-2 code of the respondent's organisation           |
 * | `org_type`      | option code of the profile question `org_type`                     |
 * | `sector`        | option code of the profile question `sector`                       |
 * | `from`, `to`    | submission date range, YYYY-MM-DD, both days included, UTC days    |
 * | `horizon`       | `short_term` or `medium_term`: restricts need entries, not responses |
 */

export interface ResponseFilters {
  countryGroup?: CountryGroup;
  /** ISO 3166-1 alpha-2 code. */
  country?: string;
  orgType?: string;
  sector?: string;
  /** Submission date range, inclusive, YYYY-MM-DD (UTC days). */
  from?: string;
  to?: string;
  /** Restricts need entries to one horizon. */
  horizon?: Horizon;
}

export type FilterName = keyof ResponseFilters;

/** The query-string names of the filters. */
export const FILTER_PARAMS = {
  countryGroup: "country_group",
  country: "country",
  orgType: "org_type",
  sector: "sector",
  from: "from",
  to: "to",
  horizon: "horizon",
} as const satisfies Record<FilterName, string>;

export type FilterParam = (typeof FILTER_PARAMS)[FilterName];

const FILTER_NAMES = Object.keys(FILTER_PARAMS) as FilterName[];

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((value) => {
    const day = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === value;
  });

const optionCode = z.string().max(63).regex(CODE_PATTERN);

/** One schema per filter. */
export const filterSchemas = {
  countryGroup: z.enum(COUNTRY_GROUPS),
  country: z
    .string()
    .transform((value) => value.toUpperCase())
    .refine(isCountryCode),
  orgType: optionCode,
  sector: optionCode,
  from: isoDate,
  to: isoDate,
  horizon: z.enum(HORIZONS),
} satisfies Record<FilterName, z.ZodType>;

/** A filter value that was not applied, and why. */
export interface RejectedFilter {
  param: FilterParam;
  value: string;
  reason: "invalid" | "range";
}

/**
 * The filters of a query string. Blank values are absent; values that do not parse (and a
 * `from` after `to`) are left out and listed in `rejected`, so that a page can say so and a
 * download can refuse them (see `requireValidFilters`).
 */
export function parseResponseFilters(params: URLSearchParams): {
  filters: ResponseFilters;
  rejected: RejectedFilter[];
} {
  const filters: Record<string, string> = {};
  const rejected: RejectedFilter[] = [];
  for (const name of FILTER_NAMES) {
    const param = FILTER_PARAMS[name];
    const raw = params.get(param)?.trim();
    if (!raw) continue;
    const parsed = filterSchemas[name].safeParse(raw);
    if (parsed.success) filters[name] = parsed.data;
    else rejected.push({ param, value: raw.slice(0, 40), reason: "invalid" });
  }
  const result = filters as ResponseFilters;
  if (result.from && result.to && result.from > result.to) {
    rejected.push({ param: "from", value: result.from, reason: "range" });
    rejected.push({ param: "to", value: result.to, reason: "range" });
    delete result.from;
    delete result.to;
  }
  return { filters: result, rejected };
}

/**
 * The filters of a request that must not be silently widened (a download): any rejected value
 * throws a 400 Response naming it.
 */
export function requireValidFilters(params: URLSearchParams): ResponseFilters {
  const { filters, rejected } = parseResponseFilters(params);
  if (rejected.length > 0) {
    const names = [...new Set(rejected.map((r) => r.param))].join(", ");
    throw new Response(`Invalid filter value: ${names}`, {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  return filters;
}

/** The filters as query-string parameters, in a fixed order (for links that keep a view). */
export function filtersToSearchParams(filters: ResponseFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const name of FILTER_NAMES) {
    const value = filters[name];
    if (value) params.set(FILTER_PARAMS[name], value);
  }
  return params;
}

/** The filters keyed by their query-string names (for audit entries and export headers). */
export function filtersByParam(filters: ResponseFilters): Partial<Record<FilterParam, string>> {
  return Object.fromEntries(filtersToSearchParams(filters));
}

/** Whether any filter restricts which responses count (all of them but `horizon`). */
export function hasRespondentFilters(filters: ResponseFilters): boolean {
  return Boolean(
    filters.countryGroup || filters.country || filters.orgType || filters.sector || filters.from || filters.to,
  );
}

/** The first instant after the `to` day, for `submitted_at < …`. */
export function dayAfter(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000);
}

/**
 * Restricts a query to the responses that match the respondent filters. `table` is the name
 * or alias of `responses` in the query. Only the respondent columns are touched (`horizon`
 * concerns need entries: see `needHorizonCondition`); status and survey are the caller's.
 */
export function applyResponseFilters<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  filters: ResponseFilters,
  table = "responses",
): SelectQueryBuilder<DB, TB, O> {
  const column = (name: string) => sql.ref(`${table}.${name}`);
  let q = query;
  if (filters.countryGroup) q = q.where(sql<boolean>`${column("country_group")} = ${filters.countryGroup}`);
  if (filters.country) q = q.where(sql<boolean>`${column("country")} = ${filters.country}`);
  if (filters.orgType) q = q.where(sql<boolean>`${column("org_type")} = ${filters.orgType}`);
  if (filters.sector) q = q.where(sql<boolean>`${column("sector")} = ${filters.sector}`);
  if (filters.from) {
    q = q.where(sql<boolean>`${column("submitted_at")} >= ${new Date(`${filters.from}T00:00:00Z`)}`);
  }
  if (filters.to) q = q.where(sql<boolean>`${column("submitted_at")} < ${dayAfter(filters.to)}`);
  return q;
}

/**
 * The condition that keeps the answer rows of `table` (an alias of `answers`) that are not need
 * entries of another horizon: every row when there is no horizon filter.
 */
export function needHorizonCondition(filters: ResponseFilters, needKeys: readonly string[], table = "a") {
  if (!filters.horizon || needKeys.length === 0) return sql<boolean>`true`;
  const key = sql.ref(`${table}.question_key`);
  const json = sql.ref(`${table}.value_json`);
  return sql<boolean>`(${key} not in (${sql.join(needKeys)}) or ${json} ->> 'horizon' = ${filters.horizon})`;
}
