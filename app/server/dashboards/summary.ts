import type { Formatters } from "./format";
import type { GroupDashboard } from "./views";

/** How many needs per horizon and Borich gaps the generated summary names. */
export const SUMMARY_TOP = 3;

function list(f: Formatters, items: string[]): string {
  return new Intl.ListFormat(f.locale, { type: "conjunction" }).format(items);
}

/**
 * The executive summary of a working group's findings report, written from its figures: the
 * sample (and the response rate where there were invitations), the top needs of each horizon by
 * priority and the strongest Borich gaps. Paragraphs are separated by a blank line. Only shown
 * figures are used: the dashboard has already applied the suppression rules.
 */
export function generatedSummary(d: GroupDashboard, f: Formatters): string {
  const { t } = f;
  const p = d.participation;
  const paragraphs: string[] = [];
  if (d.coverage !== "ok") {
    paragraphs.push(
      d.coverage === "empty"
        ? t("dashboard.summary.empty")
        : t("dashboard.summary.withheld", { min: f.minCell }),
    );
    return paragraphs.join("\n\n");
  }
  const sample: string[] = [];
  if (typeof p.matching === "number")
    sample.push(t("dashboard.summary.sample", { count: p.matching, n: f.count(p.matching) }));
  if (p.invited > 0 && p.responseRate !== null)
    sample.push(
      t("dashboard.summary.responseRate", {
        count: p.invited,
        n: f.count(p.invited),
        rate: f.share(p.responseRate),
      }),
    );
  if (sample.length) paragraphs.push(sample.join(" "));

  for (const q of d.needs) {
    const sentences: string[] = [];
    for (const horizon of ["short_term", "medium_term"] as const) {
      const top = q.ranked[horizon]
        .filter((r) => r.priority !== null && typeof r.respondents === "number")
        .slice(0, SUMMARY_TOP);
      if (!top.length) continue;
      sentences.push(
        t("dashboard.summary.topNeeds", {
          count: top.length,
          horizon: t(`dashboard.horizons.${horizon}`),
          needs: list(
            f,
            top.map((r) =>
              t("dashboard.summary.need", {
                need: f.text(r.label, r.category),
                priority: f.num(r.priority!.mean, 1),
              }),
            ),
          ),
        }),
      );
    }
    if (sentences.length) paragraphs.push(sentences.join(" "));
  }

  for (const b of d.borich) {
    const top = b.statements.filter((s) => s.mwds !== null).slice(0, SUMMARY_TOP);
    if (!top.length) continue;
    paragraphs.push(
      t("dashboard.summary.borich", {
        count: top.length,
        gaps: list(
          f,
          top.map((s) =>
            t("dashboard.summary.gap", {
              statement: f.text(s.label, s.statement),
              mwds: f.num(s.mwds, 2),
            }),
          ),
        ),
      }),
    );
  }
  if (!paragraphs.length) paragraphs.push(t("dashboard.summary.noFigures"));
  return paragraphs.join("\n\n");
}

/** The paragraphs of a summary text (blank lines separate them). */
export function summaryParagraphs(text: string): string[] {
  return text
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.trim())
    .filter(Boolean);
}
