import { localize } from "~/survey/locale";
import { fieldName } from "~/survey/question-type";
import { useRespondUi } from "../survey/respond-context";
import { GroupQuestion, Radios, scalePoints } from "./parts";
import type { AnswerSummaryProps, QuestionFieldProps, QuestionRenderer } from "./types";

/** "1 = not at all, 5 = very much" when the scale's ends are labelled. */
export function useScaleEnds(scale: {
  min: number;
  max: number;
  minLabel?: Record<string, string>;
  maxLabel?: Record<string, string>;
}): string | null {
  const { locale, t } = useRespondUi();
  if (!scale.minLabel && !scale.maxLabel) return null;
  return t("respond.question.scaleEnds", {
    min: scale.min,
    max: scale.max,
    minLabel: localize(scale.minLabel, locale) || String(scale.min),
    maxLabel: localize(scale.maxLabel, locale) || String(scale.max),
  });
}

/** The labels under the two ends of a row of scale points (the hint says the same in words). */
export function ScaleEnds({
  minLabel,
  maxLabel,
}: {
  minLabel?: Record<string, string>;
  maxLabel?: Record<string, string>;
}) {
  const { locale } = useRespondUi();
  if (!minLabel && !maxLabel) return null;
  return (
    <div className="scale-ends" aria-hidden="true">
      <span>{localize(minLabel, locale)}</span>
      <span>{localize(maxLabel, locale)}</span>
    </div>
  );
}

function Field({ question, fields, errors }: QuestionFieldProps<"scale">) {
  const name = fieldName(question.key);
  const ends = useScaleEnds(question);
  return (
    <GroupQuestion question={question} errors={errors} hints={[ends]}>
      <div className="scale">
        <Radios
          name={name}
          options={scalePoints(question.min, question.max)}
          checked={fields.get(name)}
          inline
        />
        <ScaleEnds minLabel={question.minLabel} maxLabel={question.maxLabel} />
      </div>
    </GroupQuestion>
  );
}

function Summary({ question, value }: AnswerSummaryProps<"scale">) {
  const { locale } = useRespondUi();
  const end =
    value === question.min
      ? question.minLabel
      : value === question.max
        ? question.maxLabel
        : undefined;
  return (
    <>
      {value} / {question.max}
      {end ? ` (${localize(end, locale)})` : null}
    </>
  );
}

export const scaleRenderer: QuestionRenderer<"scale"> = { Field, Summary };
