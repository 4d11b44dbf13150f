/**
 * Presenters of the printable findings reports: a working group's (its dashboard, Delphi
 * consensus, needs register and gaps) and the overall one (the overview of every group the
 * reader may see, with the register and gaps across them).
 */
import type { AppContext } from "~/context";
import { translator } from "~/i18n/catalogs.server";
import { inLocale } from "~/i18n/in-locale";
import type { Locale } from "~/i18n/translate";
import type { SessionUser } from "../auth.server";
import { surveyConsensusView } from "../delphi";
import { filtersToSearchParams } from "../filters.server";
import { gaps, listNeeds } from "../needs.server";
import { formatters } from "./format";
import { groupDashboard } from "./group-dashboard.server";
import { readersOverview } from "./overview.server";
import { groupView, viewQuery } from "./page.server";
import type { ReportNotes } from "./report-notes";
import { normalizeNote, readReportNotes } from "./report-notes.server";
import { generatedSummary } from "./summary";

export async function groupReportPage(
  context: Pick<AppContext, "db" | "readDb" | "env">,
  user: SessionUser,
  slug: string,
  url: URL,
  locale: Locale,
) {
  const { group, survey, filters, ignored, minCell } = await groupView(context, slug, url);
  if (!survey) throw new Response("No survey", { status: 404 });
  const [dashboard, consensus, register, gapRows, stored] = await Promise.all([
    groupDashboard(context.readDb, survey, filters, { minCell }),
    surveyConsensusView(context.readDb, survey.id, { minCell }),
    listNeeds(context.db, user, { groupId: group.id }),
    gaps(context.db, user, group.id),
    readReportNotes(context.db, survey.id, locale),
  ]);
  // The summary is written on the server, in the reader's language, from the figures the page
  // shows; an edit applies to the unfiltered report only.
  const generated = generatedSummary(dashboard, formatters(locale, translator(locale), minCell));
  const editable = filtersToSearchParams(filters).toString() === "";
  const edit = editable ? stored.summary : null;
  const notes: ReportNotes = {
    summary: {
      generated,
      text: edit?.text ?? generated,
      edited: edit
        ? {
            updatedAt: edit.updatedAt.toISOString(),
            stale: edit.generatedFrom !== normalizeNote(generated),
          }
        : null,
      editable,
    },
    comments: stored.comments,
  };
  return inLocale(
    {
      group,
      surveyId: survey.id,
      notes,
      dashboard,
      consensus,
      register,
      gaps: gapRows,
      filters,
      ignored,
      minCell,
      query: viewQuery(survey.slug, filters),
    },
    locale,
  );
}

export async function overallReportPage(
  context: Pick<AppContext, "db" | "readDb" | "env">,
  user: SessionUser,
  url: URL,
  locale: string,
) {
  const [{ overview, ignored, minCell, query }, register, gapRows] = await Promise.all([
    readersOverview(context, user, url),
    listNeeds(context.db, user),
    gaps(context.db, user),
  ]);
  return inLocale({ overview, register, gaps: gapRows, ignored, minCell, query }, locale);
}
