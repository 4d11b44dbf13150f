import { Form } from "@remix-run/react";
import { LANGUAGE_NAMES, LOCALES, type Locale } from "~/i18n/translate";
import { useI18n } from "~/i18n/react";

export interface SurveyIntroData {
  title: string;
  workingGroup: string;
  introduction: string | null;
  estimatedMinutes: number | null;
  anonymous: boolean;
  minCellSize: number;
}

/** What a survey is, how long it takes and what happens to the answers: the landing pages' text. */
export function SurveyIntro({ survey, greeting }: { survey: SurveyIntroData; greeting?: string }) {
  const { t } = useI18n();
  return (
    <>
      <p className="eyebrow">{t("respond.landing.workingGroup", { group: survey.workingGroup })}</p>
      <h1>{survey.title}</h1>
      {greeting ? <p className="lead">{greeting}</p> : null}
      {survey.estimatedMinutes ? (
        <p className="lead">
          {t("respond.landing.estimated", {
            minutes: t("common.minutes", { count: survey.estimatedMinutes }),
          })}
        </p>
      ) : null}
      {survey.introduction ? (
        <>
          <h2>{t("respond.landing.purposeHeading")}</h2>
          <p className="multiline">{survey.introduction}</p>
        </>
      ) : null}
      <h2>{t("respond.landing.privacyHeading")}</h2>
      <ul className="privacy">
        <li>{t("respond.landing.privacyStored")}</li>
        <li>
          {survey.anonymous
            ? t("respond.landing.privacyAnonymous")
            : t("respond.landing.privacyInvitation")}
        </li>
        <li>{t("respond.landing.privacyWhoSees", { min: survey.minCellSize })}</li>
        <li>{t("respond.landing.privacyResume")}</li>
      </ul>
    </>
  );
}

/** Language choice and Start: a plain form carrying the idempotency key made by the loader. */
export function StartForm({ idempotencyKey, action }: { idempotencyKey: string; action?: string }) {
  const { t, locale } = useI18n();
  return (
    <Form method="post" action={action} className="start-form">
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      <fieldset className="field" aria-describedby="start-language-hint">
        <legend>{t("respond.landing.languageLegend")}</legend>
        <p className="hint" id="start-language-hint">
          {t("respond.landing.languageHint")}
        </p>
        <div className="choices choices--inline">
          {LOCALES.map((l: Locale) => (
            <div className="choice" key={l}>
              <input
                type="radio"
                id={`start-locale-${l}`}
                name="locale"
                value={l}
                defaultChecked={l === locale}
              />
              <label htmlFor={`start-locale-${l}`} lang={l}>
                {LANGUAGE_NAMES[l]}
              </label>
            </div>
          ))}
        </div>
      </fieldset>
      <button type="submit" name="intent" value="start" className="button--large">
        {t("respond.landing.start")}
      </button>
    </Form>
  );
}
