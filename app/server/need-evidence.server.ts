import type { Db } from "#db/client";
import type { EvidenceFigures, EvidenceKind, LocalizedText } from "#db/schema";
import {
  type DashboardSurvey,
  type GroupDashboard,
  groupDashboard,
  type Shown,
  resolveDashboardSurvey,
} from "./dashboards.server";
import type { CurrentFigures, EvidenceSnapshot, GroupRef, NewEvidence } from "./needs.server";
import { EVIDENCE_KINDS, type EvidenceRef, evidenceQuery, THEME_QUESTION } from "~/survey/register";

export { type EvidenceRef, evidenceQuery };

/**
 * The survey figures a need rests on, read through the dashboard's own functions (the same
 * figures, the same disclosure rules): the figures a coordinator can add to the register (the
 * ranked need categories, Borich statements and themes of a group's survey) and the current
 * figure of a linked item in the group's latest survey.
 *
 * An item is addressed by `group`, `survey`, `kind` (category, borich, theme), `question` (the
 * need or Borich question's key; `themes` for a theme) and `code` (category or statement code,
 * theme id): the query string of /staff/needs/new.
 */

export { THEME_QUESTION };

const PARAM = /^[A-Za-z0-9_-]{1,80}$/;

/** The reference in a query string or form, or null when it is missing or malformed. */
export function parseEvidenceRef(params: URLSearchParams | FormData): EvidenceRef | null {
  const get = (k: string) => {
    const v = params.get(k);
    return typeof v === "string" && PARAM.test(v) ? v : null;
  };
  const group = get("group");
  const survey = get("survey");
  const kind = get("kind");
  const question = get("question");
  const code = get("code");
  if (!group || !survey || !kind || !question || !code) return null;
  if (!(EVIDENCE_KINDS as readonly string[]).includes(kind)) return null;
  return { group, survey, kind: kind as EvidenceKind, question, code };
}

function shownNumber(s: Shown): EvidenceFigures["respondents"] {
  return s;
}

interface Figure {
  label: LocalizedText;
  figures: EvidenceFigures;
}

/** The figure of an item in a dashboard, as the dashboard shows it; null when it has none. */
function figureIn(
  dashboard: GroupDashboard,
  kind: EvidenceKind,
  question: string,
  code: string,
): Figure | null {
  if (kind === "category") {
    const q = dashboard.needs.find((n) => n.key === question);
    const rank = q?.ranked.all.find((r) => r.category === code);
    if (!rank) return null;
    return {
      label: rank.label,
      figures: {
        respondents: shownNumber(rank.respondents),
        priority: rank.priority
          ? { mean: rank.priority.mean, ciLower: rank.priority.ciLower, ciUpper: rank.priority.ciUpper }
          : null,
      },
    };
  }
  if (kind === "borich") {
    const q = dashboard.borich.find((b) => b.key === question);
    const st = q?.statements.find((s) => s.statement === code);
    if (!st) return null;
    return { label: st.label, figures: { respondents: shownNumber(st.respondents), mwds: st.mwds } };
  }
  if (question !== THEME_QUESTION) return null;
  const theme = dashboard.themes.find((th) => String(th.id) === code);
  if (!theme) return null;
  return {
    label: { en: theme.name, ru: theme.name },
    figures: { respondents: shownNumber(theme.respondents), answers: theme.answers },
  };
}

async function versionOf(db: Db, surveyId: number): Promise<number> {
  const row = await db
    .selectFrom("surveys as s")
    .leftJoin("survey_versions as v", "v.id", "s.current_version_id")
    .select("v.version")
    .where("s.id", "=", surveyId)
    .executeTakeFirst();
  return row?.version ?? 0;
}

function dashboardOf(db: Db, survey: DashboardSurvey, minCell: number): Promise<GroupDashboard> {
  return groupDashboard(db, survey, {}, { minCell });
}

/**
 * The evidence an item stands for now, with its figures, ready to be linked; null when the
 * group, survey or item does not exist (or shows no figures: too few respondents).
 */
export async function resolveEvidence(
  db: Db,
  ref: EvidenceRef,
  minCell: number,
): Promise<(NewEvidence & { groupSlug: string; groupName: LocalizedText }) | null> {
  const survey = await resolveDashboardSurvey(db, ref.group, ref.survey);
  if (!survey) return null;
  const dashboard = await dashboardOf(db, survey, minCell);
  const figure = figureIn(dashboard, ref.kind, ref.question, ref.code);
  if (!figure) return null;
  return {
    kind: ref.kind,
    groupId: survey.group.id,
    groupSlug: survey.group.slug,
    groupName: survey.group.name,
    surveyId: survey.id,
    surveySlug: survey.slug,
    surveyVersion: await versionOf(db, survey.id),
    questionKey: ref.question,
    code: ref.code,
    label: figure.label,
    figures: figure.figures,
  };
}

/**
 * A function giving the current figure of a linked item: the same question and code in the
 * latest survey of the item's group. Dashboards are computed once per group.
 */
export function currentFiguresOf(db: Db, minCell: number): CurrentFigures {
  const dashboards = new Map<number, Promise<{ survey: DashboardSurvey; d: GroupDashboard } | null>>();
  const latest = (group: GroupRef) => {
    let p = dashboards.get(group.id);
    if (!p) {
      p = resolveDashboardSurvey(db, group.slug).then(async (survey) =>
        survey ? { survey, d: await dashboardOf(db, survey, minCell) } : null,
      );
      dashboards.set(group.id, p);
    }
    return p;
  };
  return async (item): Promise<EvidenceSnapshot | null> => {
    const found = await latest(item.group);
    if (!found) return null;
    const figure = figureIn(found.d, item.kind, item.questionKey, item.code);
    if (!figure) return null;
    return {
      survey: found.survey.slug,
      version: await versionOf(db, found.survey.id),
      figures: figure.figures,
    };
  };
}

export interface FigureChoice {
  ref: EvidenceRef;
  label: LocalizedText;
  /** The question it belongs to (need or Borich question; null for themes). */
  question: LocalizedText | null;
  figures: EvidenceFigures;
}

export interface FigureChoices {
  survey: { slug: string; title: LocalizedText; version: number };
  categories: FigureChoice[];
  borich: FigureChoice[];
  themes: FigureChoice[];
  /** The dashboard shows no figures (too few responses). */
  coverage: GroupDashboard["coverage"];
}

/**
 * What can be added to the register from a group's survey: its ranked need categories (over
 * both horizons), Borich statements and themes, in the dashboard's order.
 */
export async function figureChoices(
  db: Db,
  groupSlug: string,
  surveySlug: string | null,
  minCell: number,
): Promise<FigureChoices | null> {
  const survey = await resolveDashboardSurvey(db, groupSlug, surveySlug);
  if (!survey) return null;
  const d = await dashboardOf(db, survey, minCell);
  const ref = (kind: EvidenceKind, question: string, code: string): EvidenceRef => ({
    group: groupSlug,
    survey: survey.slug,
    kind,
    question,
    code,
  });
  return {
    survey: { slug: survey.slug, title: survey.title, version: await versionOf(db, survey.id) },
    coverage: d.coverage,
    categories: d.needs.flatMap((q) =>
      q.ranked.all.map((r) => ({
        ref: ref("category", q.key, r.category),
        label: r.label,
        question: q.label,
        figures: figureIn(d, "category", q.key, r.category)!.figures,
      })),
    ),
    borich: d.borich.flatMap((q) =>
      q.statements.map((s) => ({
        ref: ref("borich", q.key, s.statement),
        label: s.label,
        question: q.label,
        figures: figureIn(d, "borich", q.key, s.statement)!.figures,
      })),
    ),
    themes: d.themes.map((th) => ({
      ref: ref("theme", THEME_QUESTION, String(th.id)),
      label: { en: th.name, ru: th.name },
      question: null,
      figures: figureIn(d, "theme", THEME_QUESTION, String(th.id))!.figures,
    })),
  };
}
