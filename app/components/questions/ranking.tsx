import { type MouseEvent, useEffect, useRef, useState } from "react";
import { localize } from "~/survey/locale";
import { fieldName } from "~/survey/question-type";
import { rankIntent, rankOrder, ranksAfterMove } from "~/survey/intents";
import { useRespondUi } from "../survey/respond-context";
import { describedBy, FieldError, GroupQuestion, ids } from "./parts";
import type { AnswerSummaryProps, QuestionFieldProps, QuestionRenderer } from "./types";

/**
 * A position select per item (works without JavaScript), and Up / Down buttons: plain submit
 * buttons that the server applies, or that move the item in place with JavaScript.
 */
function Field({ question, fields, errors }: QuestionFieldProps<"ranking">) {
  const { locale, t, changed } = useRespondUi();
  const codes = question.items.map((i) => i.code);
  const [ranks, setRanks] = useState<Record<string, string>>(() =>
    Object.fromEntries(codes.map((code) => [code, fields.get(fieldName(question.key, code))])),
  );
  const [order, setOrder] = useState(() => rankOrder(codes, (code) => ranks[code] ?? ""));
  const focusAfterMove = useRef<string | null>(null);
  useEffect(() => {
    if (!focusAfterMove.current) return;
    document.getElementById(focusAfterMove.current)?.focus();
    focusAfterMove.current = null;
  }, [order]);

  const move = (event: MouseEvent<HTMLButtonElement>, code: string, direction: "up" | "down") => {
    event.preventDefault();
    const moved = ranksAfterMove(codes, (c) => ranks[c] ?? "", code, direction);
    const next = rankOrder(codes, (c) => moved[c]);
    setOrder(next);
    setRanks(moved);
    const at = next.indexOf(code);
    const edge =
      (direction === "up" && at === 0) || (direction === "down" && at === next.length - 1);
    focusAfterMove.current = buttonId(
      code,
      edge ? (direction === "up" ? "down" : "up") : direction,
    );
    changed();
  };
  const buttonId = (code: string, direction: "up" | "down") =>
    `${fieldName(question.key, code)}--${direction}`;
  const positions = codes.map((_, i) => String(i + 1));

  return (
    <GroupQuestion
      question={question}
      errors={errors}
      hints={[
        t("respond.question.rankHint", { count: codes.length }),
        t("respond.question.rankMoveHint"),
      ]}
      className="ranking"
    >
      <ol className="ranking-list">
        {order.map((code, index) => {
          const item = question.items.find((i) => i.code === code)!;
          const name = fieldName(question.key, code);
          const label = localize(item.label, locale);
          return (
            <li key={code} className={`ranking-item${errors[name] ? " field--invalid" : ""}`}>
              <label htmlFor={name} className="ranking-label">
                {label}
              </label>
              <FieldError name={name} message={errors[name]} />
              <div className="ranking-controls">
                <select
                  id={name}
                  name={name}
                  value={ranks[code] ?? ""}
                  onChange={(e) => setRanks((r) => ({ ...r, [code]: e.target.value }))}
                  aria-describedby={describedBy(errors[name] && ids.error(name))}
                  aria-invalid={errors[name] ? true : undefined}
                  className="ranking-select"
                >
                  <option value="">–</option>
                  {positions.map((p) => (
                    <option key={p} value={p}>
                      {p}
                    </option>
                  ))}
                </select>
                <button
                  type="submit"
                  name="intent"
                  value={rankIntent("up", question.key, code)}
                  id={buttonId(code, "up")}
                  className="secondary small"
                  disabled={index === 0}
                  onClick={(e) => move(e, code, "up")}
                >
                  {t("respond.question.up")}
                  <span className="visually-hidden">: {label}</span>
                </button>
                <button
                  type="submit"
                  name="intent"
                  value={rankIntent("down", question.key, code)}
                  id={buttonId(code, "down")}
                  className="secondary small"
                  disabled={index === order.length - 1}
                  onClick={(e) => move(e, code, "down")}
                >
                  {t("respond.question.down")}
                  <span className="visually-hidden">: {label}</span>
                </button>
              </div>
            </li>
          );
        })}
      </ol>
    </GroupQuestion>
  );
}

function Summary({ question, value }: AnswerSummaryProps<"ranking">) {
  const { locale } = useRespondUi();
  const order = rankOrder(
    question.items.map((i) => i.code),
    (code) => (value[code] === undefined ? "" : String(value[code])),
  );
  return (
    <ol className="answer-list">
      {order.map((code) => {
        const item = question.items.find((i) => i.code === code)!;
        return <li key={code}>{localize(item.label, locale)}</li>;
      })}
    </ol>
  );
}

export const rankingRenderer: QuestionRenderer<"ranking"> = { Field, Summary };
