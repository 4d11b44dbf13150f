import { TableWrap } from "~/components/dashboard/table-wrap";
import type { Translate } from "~/i18n/translate";
import type { ConsensusItemView, ConsensusView } from "~/server/delphi/view";
import {
  CONSENSUS_STATUS_ORDER,
  formatFigure,
  formatPValue,
  formatRoundDate,
  formatShare,
  itemTitle,
} from "./format";

type Heading = "h2" | "h3";

function ItemFigures({
  item,
  locale,
  t,
  minCell,
}: {
  item: ConsensusItemView;
  locale: string;
  t: Translate;
  minCell: number;
}) {
  const fewer = t("delphi.consensus.fewer", { min: minCell });
  return (
    <TableWrap>
      <table className="delphi-figures">
        <caption>
          {t("delphi.consensus.tableCaption", { item: itemTitle(item.item, locale, t) })}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t("delphi.consensus.col.round")}</th>
            <th scope="col">{t("delphi.consensus.col.n")}</th>
            <th scope="col">{t("delphi.consensus.col.median")}</th>
            <th scope="col">{t("delphi.consensus.col.quartiles")}</th>
            <th scope="col">{t("delphi.consensus.col.iqr")}</th>
            <th scope="col">{t("delphi.consensus.col.within")}</th>
            <th scope="col">{t("delphi.consensus.col.consensus")}</th>
            <th scope="col">{t("delphi.consensus.col.changed")}</th>
            <th scope="col">{t("delphi.consensus.col.iqrChange")}</th>
            <th scope="col">{t("delphi.consensus.col.wilcoxon")}</th>
          </tr>
        </thead>
        <tbody>
          {item.rounds.map((r) => (
            <tr key={r.round}>
              <th scope="row">{r.round}</th>
              {r.shown ? (
                <>
                  <td>{r.n}</td>
                  <td>{formatFigure(r.median, locale)}</td>
                  <td>
                    {formatFigure(r.q1, locale)}–{formatFigure(r.q3, locale)}
                  </td>
                  <td>{formatFigure(r.iqr, locale)}</td>
                  <td>{formatShare(r.within, locale)}</td>
                  <td>{r.consensus ? t("delphi.consensus.yes") : t("delphi.consensus.no")}</td>
                </>
              ) : (
                <td colSpan={6}>{fewer}</td>
              )}
              <td>{r.stability ? formatShare(r.stability.changed, locale) : "–"}</td>
              <td>{r.stability ? formatFigure(r.stability.iqrChange, locale) : "–"}</td>
              <td>{formatPValue(r, locale, t)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

/**
 * The "Consensus" section of a survey's Delphi rounds: the rule, the rounds, the items grouped
 * by status with their round-by-round figures, and the reasons given (withheld below
 * MIN_CELL_SIZE participants). Takes the plain view of app/server/delphi/view.ts, so that the
 * same section serves the consensus page, the dashboard and the report.
 */
export function ConsensusSection({
  view,
  locale,
  t,
  headingLevel = "h2",
}: {
  view: ConsensusView;
  locale: string;
  t: Translate;
  headingLevel?: Heading;
}) {
  const H = headingLevel;
  const [Sub, SubSub] = headingLevel === "h2" ? (["h3", "h4"] as const) : (["h4", "h5"] as const);
  const rule = t("delphi.consensus.rule", {
    maxIqr: formatFigure(view.rule.maxIqr, locale),
    minWithin: Math.round(view.rule.minWithin * 100),
  });
  return (
    <section className="delphi-consensus" aria-labelledby="delphi-consensus-heading">
      <H id="delphi-consensus-heading">{t("delphi.consensus.title")}</H>
      <p>{rule}</p>
      <Sub>{t("delphi.consensus.roundsHeading")}</Sub>
      <TableWrap>
        <table>
          <caption className="visually-hidden">{t("delphi.consensus.roundsHeading")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("delphi.consensus.col.round")}</th>
              <th scope="col">{t("delphi.consensus.col.opens")}</th>
              <th scope="col">{t("delphi.consensus.col.closes")}</th>
              <th scope="col">{t("delphi.consensus.col.participants")}</th>
              <th scope="col">{t("delphi.consensus.col.reasons")}</th>
              <th scope="col">{t("delphi.consensus.col.items")}</th>
              <th scope="col">{t("delphi.consensus.col.submitted")}</th>
              <th scope="col">{t("delphi.consensus.col.state")}</th>
            </tr>
          </thead>
          <tbody>
            {view.rounds.map((r) =>
              r.round === 1 ? (
                <tr key={1}>
                  <th scope="row">1</th>
                  <td colSpan={3}>{t("delphi.consensus.questionnaire")}</td>
                  <td>–</td>
                  <td>{r.items}</td>
                  <td>{r.submitted}</td>
                  <td>–</td>
                </tr>
              ) : (
                <tr key={r.round}>
                  <th scope="row">{r.round}</th>
                  <td>{formatRoundDate(r.opensAt, locale)}</td>
                  <td>{formatRoundDate(r.closesAt, locale)}</td>
                  <td>
                    {t(`delphi.consensus.participants.${r.participants}`)}
                    {r.newcomers ? ` (+ ${t("delphi.consensus.col.newcomers").toLowerCase()})` : ""}
                  </td>
                  <td>{t(`delphi.consensus.reasonMode.${r.reasons}`)}</td>
                  <td>{r.items}</td>
                  <td>
                    {r.submitted}
                    {r.newcomersJoined > 0
                      ? ` (${t("delphi.consensus.joinedLate", { count: r.newcomersJoined })})`
                      : ""}
                  </td>
                  <td>{r.open ? t("delphi.consensus.open") : t("delphi.consensus.notOpen")}</td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      </TableWrap>
      {view.rounds.length <= 1 ? <p>{t("delphi.consensus.none")}</p> : null}
      {view.items.length > 0 ? <Sub>{t("delphi.consensus.itemsHeading")}</Sub> : null}
      {view.items.length > 0
        ? CONSENSUS_STATUS_ORDER.map((status) => {
            const items = view.items.filter((i) => i.status === status);
            if (items.length === 0) return null;
            return (
              <section
                key={status}
                className={`delphi-status delphi-status--${status}`}
                aria-label={t(`delphi.consensus.status.${status}`)}
              >
                <SubSub>
                  {t(`delphi.consensus.status.${status}`)} ({items.length})
                </SubSub>
                {items.map((item) => {
                  const last = item.rounds.at(-1)!;
                  return (
                    <div key={item.item.id} className="delphi-item" data-item={item.item.id}>
                      <ItemFigures item={item} locale={locale} t={t} minCell={view.minCell} />
                      {last.round > 1 ? (
                        view.reasonsWithheld ? (
                          <p className="muted">
                            {t("delphi.consensus.reasonsWithheld", { min: view.minCell })}
                          </p>
                        ) : item.reasons.length > 0 ? (
                          <details>
                            <summary>
                              {t("delphi.consensus.reasonsHeading", { round: last.round })} (
                              {item.reasons.length})
                            </summary>
                            <ul className="delphi-reasons">
                              {item.reasons.map((r, i) => (
                                <li key={i}>
                                  {r.text}
                                  {r.newcomer ? (
                                    <span className="muted">
                                      {" "}
                                      ({t("delphi.consensus.newcomer")})
                                    </span>
                                  ) : null}
                                </li>
                              ))}
                            </ul>
                          </details>
                        ) : (
                          <p className="muted">{t("delphi.consensus.reasonsNone")}</p>
                        )
                      ) : null}
                    </div>
                  );
                })}
              </section>
            );
          })
        : null}
    </section>
  );
}
