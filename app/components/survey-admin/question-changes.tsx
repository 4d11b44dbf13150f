import { localized } from "~/i18n/translate";
import { useI18n } from "~/i18n/react";
import type { QuestionChange } from "~/survey/question-diff";
import type { StaleText } from "~/survey/translations";

/** "EN, RU": the languages whose text changed. */
function languages(locales: readonly string[]): string {
  return locales.map((l) => l.toUpperCase()).join(", ");
}

/** One change of a survey between two versions, as a sentence. */
function ChangeText({ change }: { change: QuestionChange }) {
  const { t, locale } = useI18n();
  const text = (value: Record<string, string>) => localized(value, locale);
  switch (change.kind) {
    case "surveyText":
      return (
        <>
          {t("builder.changes.surveyText", {
            field: change.field,
            languages: languages(change.locales),
          })}
        </>
      );
    case "surveySetting":
      return <>{t("builder.changes.surveySetting", { field: change.field })}</>;
    case "pageAdded":
      return (
        <>{t("builder.changes.pageAdded", { page: change.page, title: text(change.title) })}</>
      );
    case "pageRemoved":
      return (
        <>{t("builder.changes.pageRemoved", { page: change.page, title: text(change.title) })}</>
      );
    case "pageMoved":
      return (
        <>
          {t("builder.changes.pageMoved", {
            page: change.page,
            title: text(change.title),
            from: change.from,
            to: change.to,
          })}
        </>
      );
    case "pageText":
      return (
        <>
          {t("builder.changes.pageText", {
            page: change.page,
            field: change.field,
            languages: languages(change.locales),
          })}
        </>
      );
    case "questionAdded":
      return (
        <>
          {t("builder.changes.questionAdded", {
            key: change.key,
            label: text(change.label),
            page: change.page,
          })}
        </>
      );
    case "questionRemoved":
      return (
        <>{t("builder.changes.questionRemoved", { key: change.key, label: text(change.label) })}</>
      );
    case "questionMoved":
      return (
        <>
          {change.fromPage === change.toPage
            ? t("builder.changes.questionReordered", { key: change.key, page: change.toPage })
            : t("builder.changes.questionMoved", {
                key: change.key,
                from: change.fromPage,
                to: change.toPage,
              })}
        </>
      );
    case "questionType":
      return (
        <>
          {t("builder.changes.questionType", { key: change.key, from: change.from, to: change.to })}
        </>
      );
    case "questionText":
      return (
        <>
          {t("builder.changes.questionText", {
            key: change.key,
            field: change.field,
            languages: languages(change.locales),
          })}
        </>
      );
    case "required":
      return (
        <>
          {t(change.required ? "builder.changes.nowRequired" : "builder.changes.nowOptional", {
            key: change.key,
          })}
        </>
      );
    case "condition":
      return <>{t(`builder.changes.condition.${change.change}`, { key: change.key })}</>;
    case "entryAdded":
      return (
        <>
          {t("builder.changes.entryAdded", {
            key: change.key,
            code: change.code,
            label: text(change.entry),
            list: change.list,
          })}
        </>
      );
    case "entryRemoved":
      return (
        <>
          {t("builder.changes.entryRemoved", {
            key: change.key,
            code: change.code,
            label: text(change.entry),
            list: change.list,
          })}
        </>
      );
    case "entryText":
      return (
        <>
          {t("builder.changes.entryText", {
            key: change.key,
            code: change.code,
            languages: languages(change.locales),
          })}
        </>
      );
    case "entriesReordered":
      return <>{t("builder.changes.entriesReordered", { key: change.key, list: change.list })}</>;
    case "setting":
      return <>{t("builder.changes.setting", { key: change.key, field: change.field })}</>;
  }
}

/** The changes between two versions as a list of sentences. */
export function QuestionChanges({ changes, id }: { changes: QuestionChange[]; id?: string }) {
  const { t } = useI18n();
  if (changes.length === 0) return <p className="notice">{t("builder.changes.none")}</p>;
  return (
    <ul className="change-list" id={id}>
      {changes.map((change, i) => (
        <li key={i}>
          <ChangeText change={change} />
        </li>
      ))}
    </ul>
  );
}

/** Texts whose translation is older than the text it translates. */
export function StaleTranslations({
  stale,
  headingLevel = 2,
}: {
  stale: StaleText[];
  headingLevel?: 2 | 3;
}) {
  const { t } = useI18n();
  if (stale.length === 0) return null;
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <section className="notice notice--warn stale-texts" aria-labelledby="stale-heading">
      <Heading id="stale-heading">{t("builder.stale.heading", { count: stale.length })}</Heading>
      <p>{t("builder.stale.intro")}</p>
      <ul>
        {stale.map((s, i) => (
          <li key={i}>
            {t("builder.stale.item", {
              target: s.target.toUpperCase(),
              source: s.source.toUpperCase(),
              where: s.id,
              text: s.text[s.source] ?? "",
            })}
          </li>
        ))}
      </ul>
    </section>
  );
}
