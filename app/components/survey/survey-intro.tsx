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

/**
 * Language choice, "this is a shared computer" and Start: a plain form carrying the idempotency
 * key (and, for an open link, the random resume token) made by the loader.
 */
export function StartForm({
  idempotencyKey,
  resumeToken,
  sharedDeviceOption = false,
  action,
}: {
  idempotencyKey: string;
  resumeToken?: string;
  sharedDeviceOption?: boolean;
  action?: string;
}) {
  const { t, locale } = useI18n();
  return (
    <Form method="post" action={action} className="start-form">
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      {resumeToken ? <input type="hidden" name="resumeToken" value={resumeToken} /> : null}
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
      {sharedDeviceOption ? (
        <div className="field">
          <div className="choice">
            <input
              type="checkbox"
              id="start-shared-device"
              name="sharedDevice"
              value="yes"
              aria-describedby="start-shared-device-hint"
            />
            <label htmlFor="start-shared-device">{t("respond.landing.sharedDevice")}</label>
          </div>
          <p className="hint" id="start-shared-device-hint">
            {t("respond.landing.sharedDeviceHint")}
          </p>
        </div>
      ) : null}
      <button type="submit" name="intent" value="start" className="button--large">
        {t("respond.landing.start")}
      </button>
    </Form>
  );
}
