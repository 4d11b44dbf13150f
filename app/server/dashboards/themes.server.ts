import { sql } from "kysely";
import type { Db } from "#db/client";
import { isSuppressed } from "~/survey/scoring";
import type { ResponseFilters } from "../filters.server";
import { shownCount } from "./figures";
import { withFiltered } from "./sql.server";
import type { DashboardSurvey, SectionOptions, Shown, ThemeCount } from "./views";

/**
 * Section: the themes of free-text answers, with the answers and respondents tagged.
 */

/**
 * The group's themes with the answers of the survey (matching the filters) tagged with each. The
 * horizon filter leaves out tags on need entries of the other horizon (only need entries have
 * a horizon), as the tags export does: the figures can be recounted from tags.csv.
 */
export async function themeCounts(
  db: Db,
  survey: Pick<DashboardSurvey, "id" | "group">,
  filters: ResponseFilters,
  { minCell }: SectionOptions,
): Promise<ThemeCount[]> {
  const rows = await withFiltered(db, [survey.id], filters)
    .with("tagged", (qb) => {
      const q = qb
        .selectFrom("answer_tags as t")
        .innerJoin("answers as a", "a.id", "t.answer_id")
        .innerJoin("fr", "fr.id", "a.response_id")
        .select(["t.theme_id", "a.response_id"])
        .where("a.survey_id", "=", survey.id);
      return filters.horizon
        ? q.where(
            sql<boolean>`coalesce(a.value_json ->> 'horizon', ${filters.horizon}) = ${filters.horizon}`,
          )
        : q;
    })
    .selectFrom("themes as th")
    .leftJoin("tagged", "tagged.theme_id", "th.id")
    .select([
      "th.id",
      "th.name",
      sql<number>`count(tagged.response_id)`.as("answers"),
      sql<number>`count(distinct tagged.response_id)`.as("respondents"),
    ])
    .where("th.working_group_id", "=", survey.group.id)
    .groupBy(["th.id", "th.name"])
    .orderBy(sql`count(tagged.response_id)`, "desc")
    .orderBy(sql`lower(th.name)`)
    .execute();
  // Under a horizon filter the view without it is one click away, and the difference of the two
  // counts the tags on needs of the other horizon: a theme whose difference would isolate 1 to
  // N − 1 answers or respondents is withheld.
  const { horizon, ...wider } = filters;
  const wide = horizon ? await themeCounts(db, survey, wider, { minCell: 1 }) : null;
  const themes = rows.map((r): ThemeCount => {
    const respondents = shownCount(Number(r.respondents), minCell);
    const w = wide?.find((x) => x.id === r.id);
    const isolates = (whole: Shown | undefined, part: number) =>
      typeof whole === "number" && isSuppressed(whole - part, minCell);
    if (
      typeof respondents === "number" &&
      w &&
      (isolates(w.answers, Number(r.answers)) || isolates(w.respondents, Number(r.respondents)))
    )
      return { id: r.id, name: r.name, respondents: "withheld", answers: "withheld" };
    return {
      id: r.id,
      name: r.name,
      respondents,
      answers: typeof respondents === "number" ? Number(r.answers) : respondents,
    };
  });
  return themes.sort(byShownThenName);
}

/** Themes by their shown number of answers (hidden ones last), then by name in code-point order. */
function byShownThenName(a: ThemeCount, b: ThemeCount): number {
  const n = (t: ThemeCount) => (typeof t.answers === "number" ? t.answers : -1);
  return n(b) - n(a) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}
