import type { Db } from "#db/client";
import type { AppContext } from "~/context";
import { inLocale } from "~/i18n/in-locale";
import type { SessionUser } from "../auth.server";
import { surveyConsensusView } from "../delphi";
import { canEditNeed } from "../needs.server";
import { groupView, viewQuery } from "./page.server";
import { listGroupSurveys } from "./survey.server";
import { isSuppressed } from "~/survey/scoring";
import { type ResponseFilters, hasRespondentFilters } from "../filters.server";
import { participationCounts, participationOf, submissionsByWeek } from "./participation.server";
import { respondentProfile } from "./profile.server";
import { needAnalysis, widerNeedView } from "./needs.server";
import { borichAnalysis } from "./borich.server";
import { distributions } from "./distributions.server";
import { themeCounts } from "./themes.server";
import { filterChoices } from "./filter-choices.server";
import { cacheKey, cached, fingerprintOf } from "./cache.server";
import { horizonsShown, needsAsShown, roundTo, SHOWN_DIGITS } from "./precision";
import type {
  DashboardSurvey,
  GroupDashboard,
  Participation,
  SectionOptions,
  Shown,
  TopGaps,
} from "./views";

/**
 * Presenter of a working group's dashboard (and of its report): every section, with the
 * coverage rules that decide which figures a view may show.
 */

/**
 * Whether a view may show figures. Besides the view's own size, a filtered view is compared with
 * the unfiltered one that anyone with the same access can open: when the filters leave out 1 to
 * N − 1 submitted responses, subtracting the view's figures from the unfiltered ones would
 * describe those few respondents, so the filtered view shows no figures ("complement").
 */
export function coverageOf(
  matching: number,
  submitted: number,
  filters: ResponseFilters,
  minCell: number,
): GroupDashboard["coverage"] {
  if (matching === 0) return "empty";
  if (isSuppressed(matching, minCell)) return "small";
  if (hasRespondentFilters(filters) && isSuppressed(submitted - matching, minCell))
    return "complement";
  return "ok";
}

/**
 * Participation as a view may show it: without weeks unless it shows figures, and without the
 * number of matching responses when the filters leave out only a few (the submitted total
 * beside it would count them).
 */
export function participationShown(
  part: Participation,
  coverage: GroupDashboard["coverage"],
  groupCount: Shown | null = null,
): Participation {
  // The weeks add up to the matching count: hidden with it.
  if (groupCount !== null && typeof groupCount !== "number" && typeof part.matching === "number")
    return { ...part, matching: groupCount, weeks: [] };
  if (coverage === "ok") return part;
  return { ...part, weeks: [], ...(coverage === "complement" ? { matching: "withheld" } : {}) };
}

/**
 * The number of matching responses of a view filtered by country group g is the count of g in
 * the respondent profile of the wider view (the filters without country group and horizon,
 * decision 024). The view shows it only as that profile shows it: null without a country-group
 * filter; the profile's cell when the wider view shows figures; "withheld" when the wider view
 * withholds its figures because its filters leave out only a few responses; otherwise (the wider
 * view is small or empty, and so is the view) the view's own count.
 */
export async function groupCountShown(
  db: Db,
  survey: Pick<DashboardSurvey, "id" | "questions" | "versionIds">,
  filters: ResponseFilters,
  submitted: number,
  options: SectionOptions,
  fingerprint: string,
): Promise<Shown | null> {
  const wider = widerNeedView(filters);
  if (!filters.countryGroup || !wider) return null;
  const submissions = await cached(
    db,
    cacheKey("submissions", [survey], wider, options.minCell, fingerprint),
    () => submissionsByWeek(db, survey, wider),
  );
  const coverage = coverageOf(submissions.matching, submitted, wider, options.minCell);
  if (coverage === "complement") return "withheld";
  if (coverage !== "ok") return null;
  const profile = await cached(
    db,
    cacheKey("profile", [survey], wider, options.minCell, fingerprint),
    () => respondentProfile(db, survey, wider, options),
  );
  return profile.breakdowns.country_group.find((c) => c.code === filters.countryGroup)?.count ?? 0;
}

/** Every section of a group's dashboard, the queries running side by side. */
export async function groupDashboard(
  db: Db,
  survey: DashboardSurvey,
  filters: ResponseFilters,
  options: SectionOptions,
): Promise<GroupDashboard> {
  const counts = await participationCounts(db, [survey.id]);
  const fingerprint = fingerprintOf(counts, [survey.id]);
  const key = (section: string) =>
    cacheKey(section, [survey], filters, options.minCell, fingerprint);
  const [submissions, profile, needs, borich, dists, themes, choices] = await Promise.all([
    cached(db, key("submissions"), () => submissionsByWeek(db, survey, filters)),
    cached(db, key("profile"), () => respondentProfile(db, survey, filters, options)),
    cached(db, key("needs"), () => needAnalysis(db, survey, filters, options)),
    cached(db, key("borich"), () => borichAnalysis(db, survey, filters, options)),
    cached(db, key("distributions"), () => distributions(db, survey, filters, options)),
    themeCounts(db, survey, filters, options),
    cached(db, key("choices"), () => filterChoices(db, survey, options)),
  ]);
  const part = participationOf(counts.get(survey.id), submissions, options.minCell);
  const { questions: _questions, ...surveyInfo } = survey;
  const coverage = coverageOf(
    submissions.matching,
    counts.get(survey.id)?.submitted ?? 0,
    filters,
    options.minCell,
  );
  const ok = coverage === "ok";
  const groupCount = await groupCountShown(
    db,
    survey,
    filters,
    counts.get(survey.id)?.submitted ?? 0,
    options,
    fingerprint,
  );
  // The profile of the view adds up to its matching count: hidden when that count is.
  const countHidden = groupCount !== null && typeof groupCount !== "number";
  return {
    survey: surveyInfo,
    filters,
    minCell: options.minCell,
    participation: participationShown(part, coverage, groupCount),
    coverage,
    profile: ok && !countHidden ? profile : null,
    needs: ok ? needs : [],
    borich: ok ? borich : [],
    distributions: ok ? dists : [],
    themes: ok ? themes : [],
    choices,
  };
}

/** The gaps the first screen lists: per Borich question, the `limit` statements with the highest MWDS. */
export function topGaps(borich: GroupDashboard["borich"], limit = 3): TopGaps[] {
  return borich.map((b) => ({
    key: b.key,
    label: b.label,
    statements: b.statements
      .filter((s) => s.mwds !== null)
      .slice(0, limit)
      .map((s) => ({
        statement: s.statement,
        label: s.label,
        mwds: roundTo(s.mwds!, SHOWN_DIGITS.mean),
      })),
  }));
}

/**
 * Sections below the first screen that the dashboard page leaves out of its first HTML (they are
 * loaded when reached, or all at once with `?sections=all`, the whole dashboard on one page).
 */
export const ON_DEMAND = ["profile", "borich", "questions", "consensus"] as const;
export type OnDemand = (typeof ON_DEMAND)[number];

/** `sections=all`: every section; `sections=questions` (etc.): that section's figures only. */
function sectionsOf(url: URL): { all: boolean; only: OnDemand | null } {
  const value = url.searchParams.get("sections");
  if (value === "all") return { all: true, only: null };
  const only = ON_DEMAND.find((s) => s === value) ?? null;
  return { all: false, only };
}

/** The working-group dashboard page: its first view, or the sections `?sections=` asks for. */
export async function groupDashboardPage(
  context: Pick<AppContext, "db" | "readDb" | "env">,
  user: SessionUser,
  slug: string,
  url: URL,
  locale: string,
) {
  const { group, survey, filters, ignored, minCell } = await groupView(context, slug, url);
  const surveys = await listGroupSurveys(context.db, group.id);
  const sections = sectionsOf(url);
  const shows = (s: OnDemand) => sections.all || sections.only === s;
  if (!survey)
    return {
      group,
      survey: null,
      surveys,
      dashboard: null,
      consensus: null,
      hasConsensus: false,
      registerLinks: false,
      filters,
      ignored,
      minCell,
      query: "",
    };
  const [dashboard, consensus] = await Promise.all([
    groupDashboard(context.readDb, survey, filters, { minCell }),
    surveyConsensusView(context.readDb, survey.id, { minCell }),
  ]);
  return inLocale(
    {
      group,
      consensus: shows("consensus") ? consensus : null,
      hasConsensus: consensus !== null,
      registerLinks: canEditNeed(user, [group.id]),
      survey: {
        slug: survey.slug,
        title: survey.title,
        status: survey.status,
        versionCount: survey.versionCount,
      },
      surveys,
      dashboard: {
        ...dashboard,
        // The page compares the top needs by country group in the horizons it shows.
        needs: dashboard.needs.map((a) => needsAsShown(a, { horizons: horizonsShown(filters) })),
        gaps: topGaps(dashboard.borich),
        profile: shows("profile") ? dashboard.profile : null,
        hasProfile: dashboard.profile !== null,
        borich: shows("borich") ? dashboard.borich : null,
        hasBorich: dashboard.borich.length > 0,
        distributions: shows("questions") ? dashboard.distributions : null,
      },
      filters,
      ignored,
      minCell,
      query: viewQuery(survey.slug, filters),
    },
    locale,
  );
}
