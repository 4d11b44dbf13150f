/**
 * The coordinator dashboards (app/server/dashboards/, decision 050): what other server modules,
 * the benchmark and the tests use of them. Every figure is counted in the database; small cells
 * are suppressed on the server, so that a suppressed number never reaches the browser.
 * Components import the view types from ./dashboards/views, route loaders the page presenters.
 */
export type * from "./dashboards/views";
export { borichAnalysis } from "./dashboards/borich.server";
export { clearDashboardCache } from "./dashboards/cache.server";
export { distributions } from "./dashboards/distributions.server";
export { meanStat, protectPartition, shownCount } from "./dashboards/figures";
export { filterChoices } from "./dashboards/filter-choices.server";
export { coverageOf, groupDashboard } from "./dashboards/group-dashboard.server";
export { HORIZON_KEYS, needAnalysis } from "./dashboards/needs.server";
export { overview } from "./dashboards/overview.server";
export {
  filteredResponseCount,
  participation,
  participationCounts,
  participationOf,
  submissionsByWeek,
} from "./dashboards/participation.server";
export {
  poolSmallCodes,
  PROFILE_DIMENSIONS,
  respondentProfile,
  SMALL_CODES,
} from "./dashboards/profile.server";
export { aggregateMargin, dashboardQuery, filteredResponses } from "./dashboards/sql.server";
export {
  listGroupSurveys,
  resolveDashboardSurvey,
  resolveLatestSurveys,
} from "./dashboards/survey.server";
export { themeCounts } from "./dashboards/themes.server";
