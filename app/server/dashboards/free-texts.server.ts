/**
 * Presenter of a working group's free-text page: the survey's free-text answers matching the
 * filters and the search (question, theme, words), a page at a time, with the group's themes,
 * the themes picked for tagging several answers at once and whether the page's answers start
 * selected.
 */
import type { AppContext } from "~/context";
import { filtersToSearchParams, hasRespondentFilters } from "../filters.server";
import { listFreeTexts, listThemes, TEXTS_PAGE_SIZE, TEXTS_PAGE_SIZES } from "../themes.server";
import { groupView, viewQuery } from "./page.server";

export function positiveInt(value: string | null): number | undefined {
  return value && /^\d{1,9}$/.test(value) && Number(value) > 0 ? Number(value) : undefined;
}

/** Answers per page: one of TEXTS_PAGE_SIZES (`per`), else the default. */
export function textsPageSize(value: string | null): number {
  const n = positiveInt(value);
  return n && (TEXTS_PAGE_SIZES as readonly number[]).includes(n) ? n : TEXTS_PAGE_SIZE;
}

type Notice =
  | { kind: "tagged" | "untagged" }
  | { kind: "bulkTagged" | "bulkUntagged"; count: number; changed: number };

function notice(params: URLSearchParams): Notice | null {
  const kind = params.get("notice");
  if (kind === "tagged" || kind === "untagged") return { kind };
  if (kind === "bulk_tagged" || kind === "bulk_untagged") {
    return {
      kind: kind === "bulk_tagged" ? "bulkTagged" : "bulkUntagged",
      count: positiveInt(params.get("count")) ?? 0,
      changed: Number(params.get("changed")?.match(/^\d{1,9}$/)?.[0] ?? 0),
    };
  }
  return null;
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
  const pageSize = textsPageSize(url.searchParams.get("per"));
  const [texts, themes] = await Promise.all([
    survey
      ? listFreeTexts(
          context.db,
          survey,
          { q, question, theme, page, pageSize, filters },
          { minCell },
        )
      : Promise.resolve(null),
    listThemes(context.db, group.id),
  ]);
  const picked = new Set(url.searchParams.getAll("pick").map((p) => positiveInt(p)));
  return {
    group,
    survey: survey ? { slug: survey.slug, title: survey.title } : null,
    texts,
    themes,
    search: {
      q,
      question: question ?? "",
      theme: themeParam === "none" ? "none" : theme ? String(theme) : "",
      per: pageSize === TEXTS_PAGE_SIZE ? "" : String(pageSize),
    },
    pageSizes: TEXTS_PAGE_SIZES,
    /** The group's themes chosen for tagging several answers (kept from page to page). */
    picked: themes.filter((th) => picked.has(th.id)).map((th) => th.id),
    selectAll: url.searchParams.get("select") === "all",
    filters,
    ignored,
    filtered: hasRespondentFilters(filters),
    filterParams: Object.fromEntries(filtersToSearchParams(filters)),
    minCell,
    query: survey ? viewQuery(survey.slug, filters) : "",
    notice: notice(url.searchParams),
  };
}
