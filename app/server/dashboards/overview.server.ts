import type { Db } from "#db/client";
import type { AppContext } from "~/context";
import { inLocale } from "~/i18n/in-locale";
import { listAccessibleGroups, type SessionUser } from "../auth.server";
import { overallView } from "./page.server";
import type { ResponseFilters } from "../filters.server";
import { resolveLatestSurveys } from "./survey.server";
import { participationCounts, participationOf, submissionsByWeek } from "./participation.server";
import {
  HORIZON_KEYS,
  type NeedAggregates,
  analyseNeedQuestion,
  needAggregates,
  widerNeedView,
} from "./needs.server";
import { filterChoices } from "./filter-choices.server";
import { cacheKey, cached, fingerprintOf } from "./cache.server";
import { coverageOf, groupCountShown, participationShown } from "./group-dashboard.server";
import type {
  HorizonOrAll,
  NeedRank,
  Overview,
  OverviewGroup,
  SectionOptions,
  SharedNeed,
} from "./views";

/**
 * Presenter of the cross-group overview (and of the overall report).
 */

/** The working groups side by side: participation, needs by category × horizon, top needs, shared needs. */
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
  const byCode = new Map<string, SharedNeed>();
  surveys.forEach((s, i) => {
    for (const q of s.questions.filter((x) => x.aggregation === "needs" && x.inCurrentVersion)) {
      for (const c of q.codes) {
        const entry = byCode.get(c.code) ?? { category: c.code, label: c.label, groups: [] };
        if (entry.groups.some((g) => g.slug === s.group.slug)) continue;
        const analysis = groups[i].needs.find((n) => n.key === q.key);
        const ranked = {} as Record<HorizonOrAll, NeedRank | null>;
        for (const h of HORIZON_KEYS)
          ranked[h] = analysis?.ranked[h].find((r) => r.category === c.code) ?? null;
        entry.groups.push({ slug: s.group.slug, name: s.group.name, ranked });
        byCode.set(c.code, entry);
      }
    }
  });
  const shared = [...byCode.values()]
    .filter((e) => e.groups.length >= 2)
    .sort((a, b) => b.groups.length - a.groups.length || a.category.localeCompare(b.category));
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
