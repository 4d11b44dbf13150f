import { localized } from "~/i18n/translate";
import type { MessageKey } from "~/i18n/translate";
import { useI18n } from "~/i18n/react";

/** A question that a new version drops or retypes, with the answers it holds. */
export interface RemovedQuestionView {
  key: string;
  label: Record<string, string>;
  change: "removed" | "type";
  answers: number;
}

/**
 * The box that asks before a version drops (or changes the type of) questions that hold
 * answers: the questions and their answer counts, the keys being confirmed (so a second
 * submission confirms exactly what was shown) and the checkbox, with its error when the
 * checkbox was left empty. Used by the YAML editor, the builder and the draft publication.
 */
export function RemovalConfirmation({
  confirm,
  error,
  checkboxLabel,
  headingLevel = 2,
}: {
  confirm: { removed: readonly RemovedQuestionView[]; keys: string };
  error?: MessageKey | null;
  checkboxLabel: MessageKey;
  headingLevel?: 2 | 3;
}) {
  const { t, locale } = useI18n();
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <div className="notice notice--warn confirm-box" role="alert" aria-labelledby="confirm-title">
      <Heading id="confirm-title">{t("manage.editor.confirmTitle")}</Heading>
      <p>{t("manage.editor.confirmIntro")}</p>
      <ul>
        {confirm.removed.map((r) => (
          <li key={r.key}>
            {t(r.change === "removed" ? "manage.editor.confirmRemoved" : "manage.editor.confirmRetyped", {
              key: r.key,
              label: localized(r.label, locale),
              count: r.answers,
            })}
          </li>
        ))}
      </ul>
      <input type="hidden" name="confirmKeys" value={confirm.keys} />
      <div className={`field${error ? " field--invalid" : ""}`}>
        {error ? (
          <p className="field-error" id="confirm-error">
            {t(error)}
          </p>
        ) : null}
        <label className="choice">
          <input
            type="checkbox"
            name="confirmRemoval"
            value="yes"
            aria-describedby={error ? "confirm-error" : undefined}
          />
          {t(checkboxLabel)}
        </label>
      </div>
    </div>
  );
}
