import { Link } from "@remix-run/react";
import { useMemo } from "react";
import { type Locale, type PageMessages, translator } from "~/i18n/translate";
import { localize } from "~/survey/locale";
import type { Answers } from "~/survey/question-types";
import type { SurveyDefinition } from "~/survey/schema";
import { visibleQuestions } from "~/survey/visibility";
import { rendererOf } from "../questions";
import { RespondProvider, type RespondUi } from "./respond-context";

const noop = () => {};

/** Types whose answer is a table: it takes the width of the question and the answer columns. */
const WIDE_ANSWERS = new Set(["borich"]);

/**
 * Every visible question of a response with its answer in words, page by page: the review
 * page (with "Change" links and problems) and the receipt (printable).
 */
export function AnswerReview({
  def,
  answers,
  locale,
  messages,
  countries,
  problems = {},
  changeHref,
  headingLevel = 2,
}: {
  def: SurveyDefinition;
  /** Valid answers by question key. */
  answers: Readonly<Answers>;
  locale: Locale;
  /** The UI texts (common, respond) in that language. */
  messages: PageMessages;
  countries: ReadonlyArray<readonly [string, string]>;
  /** A message for each question whose saved answer is missing or not valid. */
  problems?: Readonly<Record<string, string>>;
  changeHref?: (pageKey: string, questionKey: string) => string;
  headingLevel?: 2 | 3;
}) {
  const t = useMemo(() => translator(locale, messages), [locale, messages]);
  const ui: RespondUi = useMemo(
    () => ({ locale, t, enhanced: false, countries, blankNeedSlots: {}, changed: noop }),
    [locale, t, countries],
  );
  const visible = new Set(visibleQuestions(def, answers).map((q) => q.key));
  for (const key of Object.keys(problems)) visible.add(key);
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <RespondProvider value={ui}>
      {def.pages.map((page) => {
        const questions = page.questions.filter((q) => visible.has(q.key));
        if (questions.length === 0) return null;
        return (
          <section key={page.key} className="review-page" aria-labelledby={`review-${page.key}`}>
            <Heading id={`review-${page.key}`}>{localize(page.title, locale)}</Heading>
            <dl className="review-list">
              {questions.map((question) => {
                const value = answers[question.key];
                const problem = problems[question.key];
                const { Summary } = rendererOf(question.type);
                const label = localize(question.label, locale);
                return (
                  <div
                    key={question.key}
                    className={`review-item${WIDE_ANSWERS.has(question.type) ? " review-item--wide" : ""}${problem ? " review-item--problem" : ""}`}
                    id={`answer-${question.key}`}
                  >
                    <dt>{label}</dt>
                    <dd>
                      {problem ? (
                        <p className="field-error">
                          <span className="visually-hidden">{t("respond.page.errorPrefix")} </span>
                          {problem}
                        </p>
                      ) : null}
                      {value !== undefined ? (
                        <Summary question={question} value={value as never} />
                      ) : problem ? null : (
                        <span className="muted">{t("respond.review.notAnswered")}</span>
                      )}
                    </dd>
                    {changeHref ? (
                      <dd className="review-change no-print">
                        <Link to={changeHref(page.key, question.key)}>
                          {t("respond.review.change")}
                          <span className="visually-hidden">
                            {" "}
                            {t("respond.review.changeHidden", { question: label })}
                          </span>
                        </Link>
                      </dd>
                    ) : null}
                  </div>
                );
              })}
            </dl>
          </section>
        );
      })}
    </RespondProvider>
  );
}
