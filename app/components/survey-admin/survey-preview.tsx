import { useMemo } from "react";
import type { Locale } from "~/i18n/translate";
import { useI18n } from "~/i18n/react";
import { COUNTRY_CODES } from "~/survey/countries";
import { localize } from "~/survey/locale";
import type { Condition } from "~/survey/primitives";
import type { Page, SurveyDefinition } from "~/survey/schema";
import { staleTexts } from "~/survey/translations";
import { rendererOf } from "../questions";
import type { FieldReader } from "../questions/types";
import { RespondProvider, type RespondUi, useHydrated } from "../survey/respond-context";

/**
 * A respondent's view of one page of a questionnaire, for the preview: every question drawn by
 * the respondent's own renderers (app/components/questions), in the chosen language. The form
 * has no action that stores anything: it only reloads the preview. Conditional questions are
 * all shown, each with its condition.
 */

type Lang = string;

/** Country options (code, name) in a language, sorted by name, as the respondent's pages list them. */
export function countryOptions(lang: Lang): ReadonlyArray<readonly [string, string]> {
  let names: Intl.DisplayNames | null = null;
  try {
    names = new Intl.DisplayNames([lang], { type: "region" });
  } catch {
    names = null;
  }
  return COUNTRY_CODES.map((code) => [code, names?.of(code) ?? code] as const).sort((x, y) =>
    x[1].localeCompare(y[1], lang),
  );
}

export function ConditionText({
  condition,
  def,
  lang,
}: {
  condition: Condition;
  def: SurveyDefinition;
  lang: Lang;
}) {
  const { t } = useI18n();
  const questions = new Map(def.pages.flatMap((p) => p.questions).map((q) => [q.key, q]));
  const labelOf = (key: string) => {
    const q = questions.get(key);
    return q ? `“${localize(q.label, lang)}”` : key;
  };
  const valueOf = (key: string, value: string | number) => {
    const q = questions.get(key);
    const coded =
      q && "options" in q ? (q.options as { code: string; label: Record<string, string> }[]) : null;
    const option = coded?.find((o) => o.code === String(value));
    return option ? `“${localize(option.label, lang)}”` : String(value);
  };
  const describe = (c: Condition): string => {
    if ("not" in c) return t("manage.preview.conditionNot", { condition: describe(c.not) });
    if ("all" in c)
      return t("manage.preview.conditionAll", { conditions: c.all.map(describe).join("; ") });
    if ("any" in c)
      return t("manage.preview.conditionAny", { conditions: c.any.map(describe).join("; ") });
    if ("answered" in c)
      return t("manage.preview.conditionAnswered", { question: labelOf(c.question) });
    if ("equals" in c)
      return t("manage.preview.conditionEquals", {
        question: labelOf(c.question),
        value: valueOf(c.question, c.equals),
      });
    return t("manage.preview.conditionOneOf", {
      question: labelOf(c.question),
      values: c.oneOf.map((v) => valueOf(c.question, v)).join(", "),
    });
  };
  return <>{describe(condition)}</>;
}

/** Says which texts of a question (or page) in `lang` translate an older source text. */
export function StaleMark({ data, lang }: { data: unknown; lang: string }) {
  const { t } = useI18n();
  const stale = staleTexts(data).filter((s) => s.target === lang);
  if (stale.length === 0) return null;
  return (
    <p className="stale-mark">
      <strong>{t("builder.stale.mark")}</strong>{" "}
      {t("builder.stale.markDetail", {
        texts: stale.map((s) => s.id).join(", "),
        source: stale[0].source.toUpperCase(),
      })}
    </p>
  );
}

const EMPTY_FIELDS: FieldReader = { get: () => "", getAll: () => [], record: {} };
const NO_ERRORS: Readonly<Record<string, string>> = {};

export function SurveyPreviewPage({
  def,
  page,
  lang,
  countries,
  hidden,
}: {
  def: SurveyDefinition;
  page: Page;
  lang: Locale;
  countries: ReadonlyArray<readonly [string, string]>;
  /** Fields that keep the preview on this page if the form is submitted (a button of a widget). */
  hidden: Record<string, string>;
}) {
  const { t } = useI18n();
  const enhanced = useHydrated();
  const ui: RespondUi = useMemo(
    () => ({
      locale: lang,
      t,
      enhanced,
      countries,
      blankNeedSlots: {},
      changed: () => {},
    }),
    [lang, t, enhanced, countries],
  );
  return (
    <section className="preview-page" aria-labelledby="preview-page-title" lang={lang}>
      <h2 id="preview-page-title">{localize(page.title, lang)}</h2>
      <StaleMark data={{ title: page.title, description: page.description }} lang={lang} />
      {page.description ? <p className="lead">{localize(page.description, lang)}</p> : null}
      <RespondProvider value={ui}>
        <form method="get" className="survey-form" onSubmit={(e) => e.preventDefault()}>
          {Object.entries(hidden).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          {page.questions.map((question) => {
            const { Field } = rendererOf(question.type);
            return (
              <div
                key={question.key}
                className="question preview-question"
                data-question={question.key}
              >
                <StaleMark data={question} lang={lang} />
                {question.showIf ? (
                  <p className="preview-condition">
                    {t("manage.preview.conditional", { condition: "" })}
                    <ConditionText condition={question.showIf} def={def} lang={lang} />
                  </p>
                ) : null}
                <Field question={question as never} fields={EMPTY_FIELDS} errors={NO_ERRORS} />
              </div>
            );
          })}
        </form>
      </RespondProvider>
    </section>
  );
}
