/**
 * What every page of a working group's figures reads from its request, in one place: the
 * group (404 when unknown), the survey chosen by `?survey=` (404 when it is not one of the
 * group's) or the group's latest, the filters (values that do not parse are listed, not
 * applied), and the query string that keeps the view in links between these pages.
 */
import type { AppContext } from "~/context";
import {
  filtersToSearchParams,
  parseResponseFilters,
  type ResponseFilters,
} from "../filters.server";
import { findGroup, type GroupInfo } from "../working-groups.server";
import { resolveDashboardSurvey } from "./survey.server";
import type { DashboardSurvey, RejectedFilter } from "./views";

/** The query string that keeps a view (survey and filters) in links between staff pages. */
export function viewQuery(surveySlug: string | null | undefined, filters: ResponseFilters): string {
  const params = filtersToSearchParams(filters);
  if (surveySlug) params.set("survey", surveySlug);
  params.sort();
  return params.toString();
}

export interface GroupView {
  group: GroupInfo;
  /** Null only for a group without surveys. */
  survey: DashboardSurvey | null;
  filters: ResponseFilters;
  /** Filter values not applied (shown to the reader). */
  ignored: RejectedFilter[];
  minCell: number;
}

/** The group, survey and filters of a request to one of the group's pages. */
export async function groupView(
  context: Pick<AppContext, "db" | "env">,
  slug: string,
  url: URL,
): Promise<GroupView> {
  const group = await findGroup(context.db, slug);
  if (!group) throw new Response("", { status: 404, statusText: "Not Found" });
  const surveyParam = url.searchParams.get("survey")?.trim() || null;
  const survey = await resolveDashboardSurvey(context.db, slug, surveyParam);
  if (!survey && surveyParam)
    throw new Response(`No survey "${surveyParam.slice(0, 80)}" in this working group`, {
      status: 404,
    });
  const { filters, rejected } = parseResponseFilters(url.searchParams);
  return { group, survey, filters, ignored: rejected, minCell: context.env.MIN_CELL_SIZE };
}

/** The filters of a request to a cross-group page (overview, overall report). */
export function overallView(context: Pick<AppContext, "env">, url: URL) {
  const { filters, rejected } = parseResponseFilters(url.searchParams);
  return {
    filters,
    ignored: rejected,
    minCell: context.env.MIN_CELL_SIZE,
    query: filtersToSearchParams(filters).toString(),
  };
}
