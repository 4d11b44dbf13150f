import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { describedBy, FieldShell } from "~/components/staff-form";
import {
  COMMENT_MAX,
  type CommentSection,
  type NoteError,
  type ReportNotes,
  SUMMARY_MAX,
} from "~/server/dashboards/report-notes";
import { summaryParagraphs } from "~/server/dashboards/summary";
import type { GroupDashboard } from "~/server/dashboards/views";
import { type Formatters, useHydrated } from "./format";
import { Section } from "./sections";

/** Print button (with JavaScript), the Word download and the way back; none is printed. */
export function ReportTools({ back, docx, f }: { back: string; docx?: string; f: Formatters }) {
  const hydrated = useHydrated();
  return (
    <div className="report-tools no-print">
      <Link to={back}>{f.t("dashboard.report.backToDashboard")}</Link>
      {docx ? (
        <a href={docx} download>
          {f.t("dashboard.report.docx")}
        </a>
      ) : null}
      {hydrated ? (
        <button type="button" onClick={() => window.print()}>
          {f.t("dashboard.report.print")}
        </button>
      ) : null}
    </div>
  );
}

/** A CSS string literal of a text (for `content:`). */
function cssString(text: string): string {
  return `"${text
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/[\r\n]+/g, " ")
    .replace(/</g, "\\3c ")}"`;
}

/**
 * The printed pages' running header (the report's title) and page numbers, in the reader's
 * language: CSS margin boxes, which print dialogs and `page.pdf()` fill in for every page.
 */
export function PrintPageBoxes({ title, f }: { title: string; f: Formatters }) {
  const [before, between, after] = f.t("dashboard.report.pageOf").split(/\{page\}|\{pages\}/);
  const pageOf = [
    before ? cssString(before) : "",
    "counter(page)",
    between ? cssString(between) : "",
    "counter(pages)",
    after ? cssString(after) : "",
  ]
    .filter(Boolean)
    .join(" ");
  const css = `@media print { @page { @top-left { content: ${cssString(
    `${f.t("common.appName")} · ${title}`,
  )}; font-size: 8pt; color: #555; } @bottom-center { content: ${pageOf}; font-size: 8pt; color: #555; } } }`;
  return <style dangerouslySetInnerHTML={{ __html: css }} />;
}

function Paragraphs({ text, lang }: { text: string; lang?: string }) {
  return (
    <>
      {summaryParagraphs(text).map((p, i) => (
        <p key={i} className="multiline" lang={lang}>
          {p}
        </p>
      ))}
    </>
  );
}

/**
 * The executive summary that opens the report: the coordinator's edit or the text generated
 * from the figures, with the form that edits it (a plain form: it works without JavaScript).
 */
export function ExecutiveSummary({
  notes,
  action,
  error,
  f,
}: {
  notes: ReportNotes["summary"];
  action: string;
  error: NoteError | null;
  f: Formatters;
}) {
  const { t } = f;
  const mine = error?.target === "summary" ? error : null;
  const message = mine ? t(mine.message, { max: SUMMARY_MAX }) : undefined;
  return (
    <Section id="summary" title={t("dashboard.summary.heading")}>
      <Paragraphs text={notes.text} />
      {notes.edited ? (
        <p className="meta no-print">
          {t("dashboard.summary.edited", { date: f.date(new Date(notes.edited.updatedAt)) })}
        </p>
      ) : null}
      {notes.edited?.stale ? (
        <div className="notice notice--warn no-print" role="note">
          <p>{t("dashboard.summary.stale")}</p>
          <blockquote>
            <Paragraphs text={notes.generated} />
          </blockquote>
        </div>
      ) : null}
      {notes.editable ? (
        <details className="report-edit no-print" open={mine ? true : undefined}>
          <summary>{t("dashboard.summary.edit")}</summary>
          <Form method="post" action={action} preventScrollReset>
            <input type="hidden" name="generated" value={notes.generated} />
            <FieldShell
              id="summary-text"
              label={t("dashboard.summary.textLabel")}
              hint={t("dashboard.summary.textHint")}
              error={message}
            >
              <textarea
                id="summary-text"
                name="text"
                rows={10}
                maxLength={SUMMARY_MAX}
                defaultValue={mine ? mine.text : notes.text}
                aria-describedby={describedBy("summary-text", true, message)}
                aria-invalid={message ? true : undefined}
              />
            </FieldShell>
            <div className="actions">
              <button type="submit" name="intent" value="summary">
                {t("dashboard.summary.save")}
              </button>
              {notes.edited ? (
                <button type="submit" name="intent" value="reset-summary" className="secondary">
                  {t("dashboard.summary.reset")}
                </button>
              ) : null}
            </div>
          </Form>
        </details>
      ) : (
        <p className="hint no-print">{t("dashboard.summary.filteredNote")}</p>
      )}
    </Section>
  );
}

/** A section's comment as printed, and the form that writes it (not printed). */
export function SectionComment({
  section,
  title,
  text,
  action,
  error,
  f,
}: {
  section: CommentSection;
  title: string;
  text: string | undefined;
  action: string;
  error: NoteError | null;
  f: Formatters;
}) {
  const { t } = f;
  const id = `comment-${section}`;
  const mine = error?.target === section ? error : null;
  const message = mine ? t(mine.message, { max: COMMENT_MAX, section }) : undefined;
  return (
    <div className="report-comment-block" id={id}>
      {text ? (
        <aside className="report-comment" aria-labelledby={`${id}-title`}>
          <h3 id={`${id}-title`}>{t("dashboard.comments.heading")}</h3>
          <Paragraphs text={text} />
        </aside>
      ) : null}
      <details className="report-edit no-print" open={mine ? true : undefined}>
        <summary>{t("dashboard.comments.edit", { section: title })}</summary>
        <Form method="post" action={`${action}#${id}`} preventScrollReset>
          <input type="hidden" name="section" value={section} />
          <FieldShell
            id={`${id}-text`}
            label={t("dashboard.comments.edit", { section: title })}
            hint={t("dashboard.comments.hint")}
            error={message}
          >
            <textarea
              id={`${id}-text`}
              name="text"
              rows={4}
              maxLength={COMMENT_MAX}
              defaultValue={mine ? mine.text : (text ?? "")}
              aria-describedby={describedBy(`${id}-text`, true, message)}
              aria-invalid={message ? true : undefined}
            />
          </FieldShell>
          <button type="submit" name="intent" value="comment">
            {t("dashboard.comments.save")}
          </button>
        </Form>
      </details>
    </div>
  );
}

export function ReportHeader({
  title,
  subtitle,
  filters,
  f,
}: {
  title: string;
  subtitle?: string;
  filters: string;
  f: Formatters;
}) {
  const { t } = f;
  return (
    <header className="report-header">
      <p className="report-header__brand">{t("common.appName")}</p>
      <h1>{title}</h1>
      {subtitle ? <p className="lead">{subtitle}</p> : null}
      <p className="meta">
        {t("dashboard.report.generated", { date: f.date(new Date()) })}
        <br />
        {t("dashboard.report.filters", { filters: filters || t("dashboard.filters.none") })}
      </p>
    </header>
  );
}

function FormulaList({ f, children }: { f: Formatters; children?: ReactNode }) {
  const { t } = f;
  return (
    <>
      <h3>{t("dashboard.report.formulas")}</h3>
      <ul>
        <li>{t("dashboard.report.formulaMean")}</li>
        <li>{t("dashboard.report.formulaMedian")}</li>
        <li>{t("dashboard.report.formulaPriority")}</li>
        <li>{t("dashboard.report.formulaShare")}</li>
        <li>{t("dashboard.report.formulaMwds")}</li>
        {children}
      </ul>
      <p>{t("dashboard.report.suppressionRule", { min: f.minCell })}</p>
      <p>{t("dashboard.report.versions")}</p>
    </>
  );
}

/** Sample, response rate, formulas and the suppression rule of a group report. */
export function Methodology({ d, f }: { d: GroupDashboard; f: Formatters }) {
  const { t } = f;
  const p = d.participation;
  const byGroup = (code: string) => {
    // No profile beside figures: a country-group view whose number of responses is hidden
    // (decision 026); the filter empties the other groups.
    if (!d.profile) return f.count(code === d.filters.countryGroup ? p.matching : 0);
    const cell = d.profile.breakdowns.country_group.find((c) => c.code === code);
    return f.count(cell?.count ?? 0);
  };
  const completion =
    p.completionRate === null
      ? t("dashboard.participation.notApplicable")
      : f.share(p.completionRate);
  return (
    <Section id="methodology" title={t("dashboard.report.methodology")}>
      <p>
        {d.coverage === "small"
          ? // Too few to show: say only that (the profile is not computed, so no breakdown).
            t("dashboard.report.sampleSmall", { min: f.minCell })
          : d.coverage === "complement"
            ? // The filters leave out a few: no count of the view, no breakdown.
              t("dashboard.report.sampleComplement", { min: f.minCell })
            : d.coverage === "empty"
              ? t("dashboard.report.sampleEmpty")
              : t("dashboard.report.sample", {
                  n: f.count(p.matching),
                  eu: byGroup("eu"),
                  ru: byGroup("ru"),
                  other: byGroup("other"),
                })}
      </p>
      <p>
        {p.responseRate === null
          ? t("dashboard.report.responseRateOpen", { completion })
          : t("dashboard.report.responseRate", { rate: f.share(p.responseRate), completion })}
      </p>
      <FormulaList f={f} />
    </Section>
  );
}

export function OverallMethodology({ f }: { f: Formatters }) {
  const { t } = f;
  return (
    <Section id="methodology" title={t("dashboard.report.methodology")}>
      <p>{t("dashboard.report.sampleOverall")}</p>
      <FormulaList f={f} />
    </Section>
  );
}
