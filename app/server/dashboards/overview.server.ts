import type { Db } from "#db/client";
import type { AppContext } from "~/context";
import { inLocale } from "~/i18n/in-locale";
import { listAccessibleGroups, type SessionUser } from "../auth.server";
import { overallView } from "./page.server";
import type { ResponseFilters } from "../filters.server";
import { resolveLatestSurveys } from "./survey.server";
import { participationCounts, participationOf, submissionsByWeek } from "./participation.server";
import {
  type NeedAggregates,
  analyseNeedQuestion,
  findNeedRow,
  needAggregates,
  widerNeedView,
} from "./needs.server";
import { sharedNeedAggregates, sharedNeedsView } from "./shared-needs.server";
import { sharedCategoryMapping } from "../surveys.server";
import { protectNeedCategory } from "./protected-tables";
import { needTaxonomy } from "../need-taxonomy.server";
import { filterChoices } from "./filter-choices.server";
import { cacheKey, cached, fingerprintOf } from "./cache.server";
import { coverageOf, groupCountShown, participationShown } from "./group-dashboard.server";
import type { Overview, OverviewGroup, SectionOptions } from "./views";

/**
 * Presenter of the cross-group overview (and of the overall report).
 */

/**
 * The working groups side by side: participation, needs by category × horizon, top needs, and
 * the needs on the shared categories of the need taxonomy, programme-wide and per group.
 */
export async function overview(
  db: Db,
  groupIds: readonly number[],
  filters: ResponseFilters,
  options: SectionOptions,
): Promise<Overview> {
  const surveys = await resolveLatestSurveys(db, groupIds);
  const ids = surveys.map((s) => s.id);
  const counts = await participationCounts(db, ids);
  const fingerprint = fingerprintOf(counts, ids);
  const [submissions, needRows, choices] = await Promise.all([
    Promise.all(
      surveys.map((s) =>
        cached(db, cacheKey("submissions", [s], filters, options.minCell, fingerprint), () =>
          submissionsByWeek(db, s, filters),
        ),
      ),
    ),
    cached(db, cacheKey("need-rows", surveys, filters, options.minCell, fingerprint), () =>
      needAggregates(db, surveys, filters),
    ),
    cached(db, cacheKey("choices", surveys, {}, options.minCell, fingerprint), () =>
      filterChoices(db, surveys, options),
    ),
  ]);
  const wider = widerNeedView(filters);
  const wideRows = wider
    ? await cached(db, cacheKey("need-rows", surveys, wider, options.minCell, fingerprint), () =>
        needAggregates(db, surveys, wider),
      )
    : null;
  const ofSurvey = (rows: NeedAggregates, id: number): NeedAggregates => ({
    scores: rows.scores.filter((r) => r.survey_id === id),
    answered: rows.answered.filter((r) => r.survey_id === id),
  });
  const groupCounts = await Promise.all(
    surveys.map((s) =>
      groupCountShown(
        db,
        s,
        filters,
        counts.get(s.id)?.submitted ?? 0,
        options,
        fingerprintOf(counts, [s.id]),
      ),
    ),
  );
  const groups = surveys.map((s, i): OverviewGroup => {
    const part = participationOf(counts.get(s.id), submissions[i], options.minCell);
    const coverage = coverageOf(
      submissions[i].matching,
      counts.get(s.id)?.submitted ?? 0,
      filters,
      options.minCell,
    );
    return {
      group: s.group,
      survey: { slug: s.slug, title: s.title, status: s.status },
      participation: participationShown(part, coverage, groupCounts[i]),
      coverage,
      needs:
        coverage === "ok"
          ? s.questions
              .filter((q) => q.aggregation === "needs")
              .map((q) =>
                analyseNeedQuestion(
                  q,
                  ofSurvey(needRows, s.id),
                  options.minCell,
                  wideRows ? { filters, wider: ofSurvey(wideRows, s.id) } : undefined,
                ),
              )
          : [],
    };
  });
  // The programme-wide figures are the sum of the groups whose figures are shown.
  const shownSurveys = surveys.filter((_, i) => groups[i].coverage === "ok");
  const taxonomy = needTaxonomy();
  const section = `shared-need-rows:${taxonomy.categories.map((c) => c.code).join(".")}`;
  const [sharedRows, sharedWide] = await Promise.all([
    cached(db, cacheKey(section, shownSurveys, filters, options.minCell, fingerprint), () =>
      sharedNeedAggregates(db, shownSurveys, filters),
    ),
    wider
      ? cached(db, cacheKey(section, shownSurveys, wider, options.minCell, fingerprint), () =>
          sharedNeedAggregates(db, shownSurveys, wider),
        )
      : null,
  ]);
  // A shared category that holds one category of a group has that category's counts, shown in
  // the group's own tables too: the shared tables hide what those hide and show what they show.
  const mapping = sharedCategoryMapping(shownSurveys, taxonomy);
  const ownRows = wideRows ?? needRows;
  const ownCells = (w: number, code: string) => {
    const mine = mapping.filter((m) => m.surveyId === shownSurveys[w].id && m.shared === code);
    if (mine.length !== 1) return null;
    const { surveyId, key, code: own } = mine[0];
    const find = findNeedRow(ownRows.scores.filter((r) => r.survey_id === surveyId && r.k === key));
    return protectNeedCategory(
      (h, g) => find(own, h === "all" ? null : h, g)?.respondents ?? 0,
      options.minCell,
    );
  };
  const shared = sharedNeedsView(
    shownSurveys,
    sharedRows,
    sharedWide ? { filters, rows: sharedWide } : null,
    taxonomy,
    options.minCell,
    ownCells,
  );
  shared.leftOut = surveys
    .filter((_, i) => groups[i].coverage !== "ok")
    .map((s) => ({ slug: s.group.slug, name: s.group.name }));
  return { filters, choices, minCell: options.minCell, groups, shared };
}

/** The overview of the groups a reader may see, with the view read from the request. */
export async function readersOverview(
  context: Pick<AppContext, "db" | "readDb" | "env">,
  user: SessionUser,
  url: URL,
) {
  const groups = await listAccessibleGroups(context.db, user);
  const { filters, ignored, minCell, query } = overallView(context, url);
  const data = await overview(
    context.readDb,
    groups.map((g) => g.id),
    filters,
    { minCell },
  );
  return { overview: data, ignored, minCell, query };
}

/** The overview page: the groups the reader may see, side by side. */
export async function overviewPage(
  context: Pick<AppContext, "db" | "readDb" | "env">,
  user: SessionUser,
  url: URL,
  locale: string,
) {
  return inLocale(await readersOverview(context, user, url), locale);
}
