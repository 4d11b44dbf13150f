/**
 * Presenter of a working group's free-text page: the survey's free-text answers matching the
 * filters and the search (question, theme, words), a page at a time, with the group's themes.
 */
import type { AppContext } from "~/context";
import { filtersToSearchParams, hasRespondentFilters } from "../filters.server";
import { listFreeTexts, listThemes } from "../themes.server";
import { groupView, viewQuery } from "./page.server";

export function positiveInt(value: string | null): number | undefined {
  return value && /^\d{1,9}$/.test(value) && Number(value) > 0 ? Number(value) : undefined;
}

export async function freeTextsPage(
  context: Pick<AppContext, "db" | "env">,
  slug: string,
  url: URL,
) {
  const { group, survey, filters, ignored, minCell } = await groupView(context, slug, url);
  const q = url.searchParams.get("q")?.trim().slice(0, 200) ?? "";
  const question = url.searchParams.get("question")?.trim() || undefined;
  const themeParam = url.searchParams.get("theme");
  const theme = themeParam === "none" ? ("none" as const) : positiveInt(themeParam);
  const page = positiveInt(url.searchParams.get("page")) ?? 1;
  const [texts, themes] = await Promise.all([
    survey
      ? listFreeTexts(context.db, survey, { q, question, theme, page, filters }, { minCell })
      : Promise.resolve(null),
    listThemes(context.db, group.id),
  ]);
  return {
    group,
    survey: survey ? { slug: survey.slug, title: survey.title } : null,
    texts,
    themes,
    search: {
      q,
      question: question ?? "",
      theme: themeParam === "none" ? "none" : theme ? String(theme) : "",
    },
    filters,
    ignored,
    filtered: hasRespondentFilters(filters),
    filterParams: Object.fromEntries(filtersToSearchParams(filters)),
    minCell,
    query: survey ? viewQuery(survey.slug, filters) : "",
    notice:
      url.searchParams.get("notice") === "tagged"
        ? ("tagged" as const)
        : url.searchParams.get("notice") === "untagged"
          ? ("untagged" as const)
          : null,
  };
}
