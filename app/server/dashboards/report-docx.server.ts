/**
 * The findings report of a working group as a Word document (DOCX): the executive summary and
 * the filters the figures reflect, each section's tables (the Delphi consensus, the needs
 * register and the gaps included) and the coordinators' comments, in the reader's language. It is written
 * from the report page's own presenter output, so the same figures are shown and hidden.
 */
import {
  AlignmentType,
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from "docx";
import type { AppContext } from "~/context";
import { translator } from "~/i18n/catalogs.server";
import type { Locale, Translate } from "~/i18n/translate";
import { audit } from "../audit.server";
import type { SessionUser } from "../auth.server";
import {
  CONSENSUS_STATUS_ORDER,
  formatFigure,
  formatPValue,
  formatRoundDate,
  formatShare,
  itemTitle,
} from "../delphi/format";
import type { ConsensusView } from "../delphi/view";
import {
  countryGroupKey,
  describeFilters,
  type Formatters,
  formatters,
  numberBinLabel,
} from "./format";
import type { CommentSection } from "./report-notes";
import { groupReportPage } from "./report.server";
import { summaryParagraphs } from "./summary";
import type { Distribution, HorizonOrAll, Shown } from "./views";

export type GroupReport = Awaited<ReturnType<typeof groupReportPage>>;

type Block = Paragraph | Table;

function heading(text: string, level: 1 | 2 | 3 | 4 = 2): Paragraph {
  const levels = {
    1: HeadingLevel.TITLE,
    2: HeadingLevel.HEADING_1,
    3: HeadingLevel.HEADING_2,
    4: HeadingLevel.HEADING_3,
  };
  return new Paragraph({ text, heading: levels[level] });
}

function para(text: string, options: { italics?: boolean; bullet?: boolean } = {}): Paragraph {
  return new Paragraph({
    bullet: options.bullet ? { level: 0 } : undefined,
    children: [new TextRun({ text, italics: options.italics })],
  });
}

/** A table cell's text, or a text spanning several columns (as a page's `colSpan`). */
type Cell = string | { text: string; span: number };

/**
 * A table under its caption (none when the page's caption is hidden under a heading of the same
 * words), with a header row that repeats on every page and rows that do not split; the cells of
 * the text columns (a row's label) are aligned left, numbers right.
 */
function table(
  caption: string | null,
  header: string[],
  rows: Cell[][],
  textColumns: number | number[] = 0,
): Block[] {
  const texts = Array.isArray(textColumns) ? textColumns : [textColumns];
  const cell = (c: Cell, i: number, bold = false) => {
    const { text, span } = typeof c === "string" ? { text: c, span: 1 } : c;
    return new TableCell({
      columnSpan: span > 1 ? span : undefined,
      children: [
        new Paragraph({
          alignment: texts.includes(i) || span > 1 ? AlignmentType.LEFT : AlignmentType.RIGHT,
          children: [new TextRun({ text, bold, size: 18 })],
        }),
      ],
    });
  };
  /** The columns of a row's cells: a spanning cell moves the next ones along. */
  const placed = (r: Cell[]) => {
    let column = 0;
    return r.map((c) => {
      const at = column;
      column += typeof c === "string" ? 1 : c.span;
      return cell(c, at);
    });
  };
  return [
    ...(caption ? [new Paragraph({ children: [new TextRun({ text: caption, bold: true })] })] : []),
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: [
        new TableRow({ tableHeader: true, children: header.map((h, i) => cell(h, i, true)) }),
        ...rows.map((r) => new TableRow({ cantSplit: true, children: placed(r) })),
      ],
    }),
    new Paragraph({ text: "" }),
  ];
}

/**
 * The Delphi consensus section as the report page shows it: the rule, the rounds, the items by
 * status with their figures round by round ("fewer than N" where too few rated an item), and
 * the reasons given in the latest round (withheld below the minimum cell size).
 */
function consensusBlocks(view: ConsensusView, locale: string, t: Translate): Block[] {
  const out: Block[] = [
    heading(t("delphi.consensus.title")),
    para(
      t("delphi.consensus.rule", {
        maxIqr: formatFigure(view.rule.maxIqr, locale),
        minWithin: Math.round(view.rule.minWithin * 100),
      }),
    ),
    heading(t("delphi.consensus.roundsHeading"), 3),
    ...table(
      null,
      [
        t("delphi.consensus.col.round"),
        t("delphi.consensus.col.opens"),
        t("delphi.consensus.col.closes"),
        t("delphi.consensus.col.participants"),
        t("delphi.consensus.col.reasons"),
        t("delphi.consensus.col.items"),
        t("delphi.consensus.col.submitted"),
        t("delphi.consensus.col.state"),
      ],
      view.rounds.map((r) =>
        r.round === 1
          ? [
              "1",
              { text: t("delphi.consensus.questionnaire"), span: 3 },
              "–",
              String(r.items),
              String(r.submitted),
              "–",
            ]
          : [
              String(r.round),
              formatRoundDate(r.opensAt, locale),
              formatRoundDate(r.closesAt, locale),
              t(`delphi.consensus.participants.${r.participants}`) +
                (r.newcomers ? ` (+ ${t("delphi.consensus.col.newcomers").toLowerCase()})` : ""),
              t(`delphi.consensus.reasonMode.${r.reasons}`),
              String(r.items),
              String(r.submitted) +
                (r.newcomersJoined > 0
                  ? ` (${t("delphi.consensus.joinedLate", { count: r.newcomersJoined })})`
                  : ""),
              r.open ? t("delphi.consensus.open") : t("delphi.consensus.notOpen"),
            ],
      ),
      [1, 2, 3, 4, 7],
    ),
  ];
  if (view.rounds.length <= 1) out.push(para(t("delphi.consensus.none")));
  if (view.items.length === 0) return out;
  out.push(heading(t("delphi.consensus.itemsHeading"), 3));
  const fewer = t("delphi.consensus.fewer", { min: view.minCell });
  for (const status of CONSENSUS_STATUS_ORDER) {
    const items = view.items.filter((i) => i.status === status);
    if (items.length === 0) continue;
    out.push(heading(`${t(`delphi.consensus.status.${status}`)} (${items.length})`, 4));
    for (const item of items) {
      out.push(
        ...table(
          t("delphi.consensus.tableCaption", { item: itemTitle(item.item, locale, t) }),
          [
            t("delphi.consensus.col.round"),
            t("delphi.consensus.col.n"),
            t("delphi.consensus.col.median"),
            t("delphi.consensus.col.quartiles"),
            t("delphi.consensus.col.iqr"),
            t("delphi.consensus.col.within"),
            t("delphi.consensus.col.consensus"),
            t("delphi.consensus.col.changed"),
            t("delphi.consensus.col.iqrChange"),
            t("delphi.consensus.col.wilcoxon"),
          ],
          item.rounds.map((r) => [
            String(r.round),
            ...(r.shown
              ? [
                  String(r.n),
                  formatFigure(r.median, locale),
                  `${formatFigure(r.q1, locale)}–${formatFigure(r.q3, locale)}`,
                  formatFigure(r.iqr, locale),
                  formatShare(r.within, locale),
                  r.consensus ? t("delphi.consensus.yes") : t("delphi.consensus.no"),
                ]
              : [{ text: fewer, span: 6 }]),
            r.stability ? formatShare(r.stability.changed, locale) : "–",
            r.stability ? formatFigure(r.stability.iqrChange, locale) : "–",
            formatPValue(r, locale, t),
          ]),
        ),
      );
      const last = item.rounds.at(-1);
      if (!last || last.round <= 1) continue;
      if (view.reasonsWithheld)
        out.push(
          para(t("delphi.consensus.reasonsWithheld", { min: view.minCell }), { italics: true }),
        );
      else if (item.reasons.length > 0) {
        out.push(
          para(
            `${t("delphi.consensus.reasonsHeading", { round: last.round })} (${item.reasons.length})`,
          ),
          ...item.reasons.map((r) =>
            para(r.newcomer ? `${r.text} (${t("delphi.consensus.newcomer")})` : r.text, {
              bullet: true,
            }),
          ),
        );
      } else out.push(para(t("delphi.consensus.reasonsNone"), { italics: true }));
    }
  }
  return out;
}

/**
 * The needs register (each need's status and its date) or the gaps table (validated needs, no
 * status column; "No programme" where none addresses a need), as the report page shows them.
 */
function needsTable(
  rows: GroupReport["register"],
  caption: string,
  f: Formatters,
  gaps: boolean,
): Block[] {
  const { t } = f;
  return table(
    caption,
    [
      t("register.list.need"),
      t("register.list.groups"),
      t("register.list.horizon"),
      ...(gaps ? [] : [t("register.list.statusSince")]),
      t("register.list.priority"),
      t("register.list.programmes"),
    ],
    rows.map((n) => [
      f.text(n.title),
      n.groups.map((g) => f.text(g.name, g.slug)).join(", "),
      t(`register.horizons.${n.horizon}`),
      ...(gaps
        ? []
        : [
            t(`register.statuses.${n.status}`) + (n.statusDate ? ` (${f.date(n.statusDate)})` : ""),
          ]),
      f.num(n.priority, 1),
      n.programmes.length === 0
        ? t("register.gaps.uncovered")
        : n.programmes
            .map((p) => `${f.text(p.name, p.code)} (${t(`register.fits.${p.fit}`)})`)
            .join("; "),
    ]),
    gaps ? [0, 1, 2, 4] : [0, 1, 2, 3, 5],
  );
}

/** One question of the appendix: its heading, the respondents, and its table, as on the page. */
function distribution(q: Distribution, f: Formatters): Block[] {
  const { t } = f;
  const title = f.text(q.label, q.key);
  const out: Block[] = [
    heading(title, 3),
    para(t("dashboard.distributions.answered", { n: f.count(q.answered) })),
  ];
  if (typeof q.answered !== "number" || q.answered === 0) return out;
  const stats = (s: { mean: { mean: number } | null; median: number | null }) =>
    `${t("dashboard.distributions.mean")}: ${f.num(s.mean?.mean)} · ${t("dashboard.distributions.median")}: ${f.num(s.median)}`;
  const counts = [t("dashboard.distributions.count"), t("dashboard.distributions.share")];
  switch (q.kind) {
    case "choice":
    case "multi": {
      const rows = q.options.map((o) => [
        q.kind === "multi" || !q.countries
          ? f.text(o.label, o.code)
          : o.code === "_small"
            ? t("dashboard.profile.smallCountries", { min: f.minCell })
            : f.country(o.code),
        f.count(o.count),
        f.share(o.share),
      ]);
      if (q.kind === "multi" && q.other !== null)
        rows.push([t("dashboard.distributions.otherText"), f.count(q.other), f.share(null)]);
      out.push(...table(title, [t("dashboard.distributions.option"), ...counts], rows));
      break;
    }
    case "scale":
      out.push(para(stats(q.summary)));
      out.push(
        ...table(
          title,
          [t("dashboard.distributions.value"), ...counts],
          q.values.map((v) => [String(v.value), f.count(v.count), f.share(v.share)]),
        ),
      );
      break;
    case "matrix":
      out.push(
        ...table(
          title,
          [
            t("dashboard.distributions.row"),
            t("dashboard.distributions.count"),
            t("dashboard.distributions.mean"),
            t("dashboard.distributions.median"),
          ],
          q.rows.map((r) => [
            f.text(r.label, r.code),
            f.count(r.answered),
            f.num(r.summary.mean?.mean),
            f.num(r.summary.median),
          ]),
        ),
      );
      break;
    case "ranking":
      out.push(
        ...table(
          title,
          [
            t("dashboard.distributions.item"),
            t("dashboard.distributions.count"),
            t("dashboard.distributions.meanRank"),
          ],
          q.items.map((i) => [
            f.text(i.label, i.code),
            f.count(i.answered),
            f.num(i.meanRank?.mean),
          ]),
        ),
      );
      break;
    case "number":
      out.push(para(stats(q.summary)));
      out.push(
        ...table(
          title,
          [t("dashboard.distributions.bin"), ...counts],
          q.bins.map((b) => [
            numberBinLabel(f, b, q.unit ? ` ${f.text(q.unit)}` : ""),
            f.count(b.count),
            f.share(b.share),
          ]),
        ),
      );
      break;
  }
  return out;
}

export async function reportDocx(report: GroupReport, locale: Locale): Promise<Buffer> {
  const t = translator(locale);
  const f: Formatters = formatters(locale, t, report.minCell);
  const d = report.dashboard;
  const ok = d.coverage === "ok";
  const blocks: Block[] = [];
  const groupName = f.text(report.group.name, report.group.slug);
  const comment = (section: CommentSection) => {
    const text = report.notes.comments[section];
    if (!text) return;
    blocks.push(
      new Paragraph({
        children: [new TextRun({ text: t("dashboard.comments.heading"), bold: true })],
      }),
      ...summaryParagraphs(text).map((p) => para(p, { italics: true })),
    );
  };
  const count = (v: Shown) => f.count(v);
  const horizons: HorizonOrAll[] = d.filters.horizon
    ? [d.filters.horizon]
    : ["short_term", "medium_term", "all"];

  blocks.push(
    heading(t("dashboard.report.title", { group: groupName }), 1),
    para(f.text(d.survey.title, d.survey.slug)),
    para(t("dashboard.report.generated", { date: f.date(new Date()) })),
    para(
      t("dashboard.report.filters", {
        filters: describeFilters(report.filters, d.choices, f) || t("dashboard.filters.none"),
      }),
    ),
    heading(t("dashboard.summary.heading")),
    ...summaryParagraphs(report.notes.summary.text).map((p) => para(p)),
  );

  // Headline figures: the invitation figures only where there were invitations (as printed).
  const p = d.participation;
  const invitations = p.invited > 0;
  blocks.push(heading(t("dashboard.report.headline")));
  blocks.push(
    ...table(
      t("dashboard.report.headline"),
      ["", ""],
      [
        ...(invitations ? [[t("dashboard.participation.invited"), count(p.invited)]] : []),
        [t("dashboard.participation.started"), count(p.started)],
        [t("dashboard.participation.submitted"), count(p.submitted)],
        [
          t("dashboard.participation.completionRate"),
          p.completionRate === null
            ? t("dashboard.participation.notApplicable")
            : f.share(p.completionRate),
        ],
        ...(invitations
          ? [
              [
                t("dashboard.participation.responseRate"),
                p.responseRate === null
                  ? t("dashboard.participation.notApplicable")
                  : f.share(p.responseRate),
              ],
            ]
          : []),
        [t("dashboard.participation.matching"), count(p.matching)],
      ],
    ),
  );
  comment("headline");

  if (ok) {
    blocks.push(heading(t("dashboard.needs.heading")));
    for (const a of d.needs) {
      blocks.push(para(t("dashboard.needs.question", { label: f.text(a.label, a.key) })));
      blocks.push(
        ...table(
          t("dashboard.needs.matrixCaption", { n: count(a.answered) }),
          [
            t("dashboard.needs.category"),
            ...horizons.flatMap((h) => [
              `${t(`dashboard.horizonsShort.${h}`)}: ${t("dashboard.needs.respondents")}`,
              `${t(`dashboard.horizonsShort.${h}`)}: ${t("dashboard.needs.share")}`,
            ]),
          ],
          a.matrix.map((m) => [
            f.text(m.label, m.category),
            ...horizons.flatMap((h) => [count(m.cells[h].respondents), f.share(m.cells[h].share)]),
          ]),
        ),
      );
    }
    comment("needs-matrix");

    blocks.push(heading(t("dashboard.needs.rankedHeading")));
    for (const a of d.needs)
      for (const h of horizons)
        blocks.push(
          ...table(
            t("dashboard.needs.rankedCaption", { horizon: t(`dashboard.horizons.${h}`) }),
            [
              t("dashboard.needs.rank"),
              t("dashboard.needs.category"),
              t("dashboard.needs.respondents"),
              t("dashboard.needs.urgency"),
              t("dashboard.needs.importance"),
              t("dashboard.needs.priority"),
              t("dashboard.needs.ci"),
            ],
            a.ranked[h].map((r, i) => [
              r.priority ? String(i + 1) : "–",
              f.text(r.label, r.category),
              count(r.respondents),
              f.num(r.urgency?.mean),
              f.num(r.importance?.mean),
              f.num(r.priority?.mean ?? null, 1),
              f.ci(r.priority, 1),
            ]),
            1,
          ),
        );
    comment("findings");
    comment("ranked-needs");

    if (d.borich.length) {
      blocks.push(heading(t("dashboard.borich.heading")));
      for (const b of d.borich)
        blocks.push(
          ...table(
            `${f.text(b.label, b.key)} — ${t("dashboard.borich.caption")}`,
            [
              t("dashboard.borich.statement"),
              t("dashboard.borich.respondents"),
              t("dashboard.borich.importance"),
              t("dashboard.borich.current"),
              t("dashboard.borich.discrepancy"),
              t("dashboard.borich.mwds"),
            ],
            b.statements.map((s) => [
              f.text(s.label, s.statement),
              count(s.respondents),
              f.num(s.importance?.mean),
              f.num(s.current?.mean),
              f.num(s.discrepancy?.mean),
              f.num(s.mwds),
            ]),
          ),
        );
      comment("borich");
    }

    blocks.push(heading(t("dashboard.themes.heading")));
    if (d.themes.length)
      blocks.push(
        ...table(
          t("dashboard.themes.caption"),
          [
            t("dashboard.themes.theme"),
            t("dashboard.themes.answers"),
            t("dashboard.themes.respondents"),
          ],
          d.themes.map((th) => [th.name, count(th.answers), count(th.respondents)]),
        ),
      );
    else blocks.push(para(t("dashboard.themes.none")));
    comment("themes");

    if (d.profile) {
      blocks.push(heading(t("dashboard.profile.heading")));
      blocks.push(
        ...table(
          t("dashboard.profile.byCountryGroup"),
          [
            t("dashboard.profile.category"),
            t("dashboard.profile.respondents"),
            t("dashboard.profile.share"),
          ],
          d.profile.breakdowns.country_group.map((c) => [
            c.code ? t(countryGroupKey(c.code, true)) : t("dashboard.profile.unknown"),
            count(c.count),
            f.share(c.share),
          ]),
        ),
      );
      comment("profile");
    }
  }
  // The consensus and its comment, then the register and the gaps tables and their comments,
  // in the order of the printed page.
  if (report.consensus) {
    blocks.push(...consensusBlocks(report.consensus, f.locale, t));
    comment("consensus");
  }
  blocks.push(heading(t("register.print.registerHeading")));
  blocks.push(
    ...(report.register.length === 0
      ? [para(t("register.list.none"))]
      : needsTable(
          report.register,
          t("register.list.caption", { count: report.register.length }),
          f,
          false,
        )),
  );
  blocks.push(heading(t("register.print.gapsHeading")));
  blocks.push(
    ...(report.gaps.length === 0
      ? [para(t("register.gaps.none"))]
      : needsTable(report.gaps, t("register.gaps.caption"), f, true)),
  );
  comment("register");
  comment("gaps");
  blocks.push(heading(t("dashboard.report.methodology")));
  blocks.push(para(t("dashboard.report.suppressionRule", { min: f.minCell })));
  comment("methodology");
  if (ok) {
    blocks.push(heading(t("dashboard.report.appendix")));
    for (const q of d.distributions) blocks.push(...distribution(q, f));
    comment("questions");
  }

  const doc = new Document({
    creator: t("common.appName"),
    title: t("dashboard.report.title", { group: groupName }),
    sections: [{ children: blocks }],
  });
  return Packer.toBuffer(doc);
}

/** The Word download of a group's report: the page's presenter, then the document; audit-logged. */
export async function reportDocxDownload(
  context: Parameters<typeof groupReportPage>[0] & Pick<AppContext, "clientIp">,
  user: SessionUser,
  slug: string,
  url: URL,
  locale: Locale,
): Promise<Response> {
  const report = await groupReportPage(context, user, slug, url, locale);
  const body = await reportDocx(report, locale);
  await audit(context.db, {
    user,
    action: "export.downloaded",
    targetType: "survey",
    targetId: report.surveyId,
    details: { survey: report.dashboard.survey.slug, kind: "report-docx", query: report.query },
    ip: context.clientIp,
  });
  return new Response(new Uint8Array(body), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      "Content-Disposition": `attachment; filename="${report.group.slug}-report-${locale}.docx"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
