import type { Translate } from "~/i18n/translate";
import type { ItemFeedbackView } from "~/server/delphi/view";
import { DistributionFigure } from "./distribution";
import { formatFigure } from "./format";

/**
 * What a Delphi participant sees beside an item they re-rate: the panel's result in the
 * previous round (n, median, interquartile range, distribution) and their own previous
 * answer. Nothing of any other participant's answer; no distribution below MIN_CELL_SIZE.
 */
export function RoundFeedback({
  view,
  locale,
  t,
  id,
}: {
  view: ItemFeedbackView;
  locale: string;
  t: Translate;
  id: string;
}) {
  const round = view.previousRound;
  return (
    <aside className="delphi-feedback" aria-labelledby={`${id}-heading`} id={id}>
      <p className="delphi-feedback__heading" id={`${id}-heading`}>
        <strong>{t("delphi.feedback.heading", { round })}</strong>
      </p>
      {view.panel ? (
        <>
          <dl className="details-list delphi-feedback__figures">
            <dt>{t("delphi.feedback.n")}</dt>
            <dd>{view.panel.n}</dd>
            <dt>{t("delphi.feedback.median")}</dt>
            <dd>{formatFigure(view.panel.median, locale)}</dd>
            <dt>{t("delphi.feedback.iqr")}</dt>
            <dd>
              {formatFigure(view.panel.q1, locale)}–{formatFigure(view.panel.q3, locale)}
            </dd>
          </dl>
          <DistributionFigure
            counts={view.panel.distribution}
            caption={t("delphi.feedback.chartCaption", { round })}
            t={t}
          />
        </>
      ) : (
        <p>{t("delphi.feedback.fewer", { min: view.fewerThan ?? 0, round })}</p>
      )}
      <p className="delphi-feedback__own">
        {view.own === null ? (
          t("delphi.feedback.ownNone", { round })
        ) : (
          <>
            {t("delphi.feedback.own", { round })}: <strong>{formatFigure(view.own, locale)}</strong>
          </>
        )}
      </p>
    </aside>
  );
}
