/**
 * Presenters of the printable findings reports: a working group's (its dashboard, Delphi
 * consensus, needs register and gaps) and the overall one (the overview of every group the
 * reader may see, with the register and gaps across them).
 */
import type { AppContext } from "~/context";
import { inLocale } from "~/i18n/in-locale";
import type { SessionUser } from "../auth.server";
import { surveyConsensusView } from "../delphi";
import { gaps, listNeeds } from "../needs.server";
import { groupDashboard } from "./group-dashboard.server";
import { readersOverview } from "./overview.server";
import { groupView, viewQuery } from "./page.server";

export async function groupReportPage(
  context: Pick<AppContext, "db" | "readDb" | "env">,
  user: SessionUser,
  slug: string,
  url: URL,
  locale: string,
) {
  const { group, survey, filters, ignored, minCell } = await groupView(context, slug, url);
  if (!survey) throw new Response("No survey", { status: 404 });
  const [dashboard, consensus, register, gapRows] = await Promise.all([
    groupDashboard(context.readDb, survey, filters, { minCell }),
    surveyConsensusView(context.readDb, survey.id, { minCell }),
    listNeeds(context.db, user, { groupId: group.id }),
    gaps(context.db, user, group.id),
  ]);
  return inLocale(
    {
      group,
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
