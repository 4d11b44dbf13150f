import type { ReactNode } from "react";
import { useI18n } from "~/i18n/react";
import { staleLocales } from "~/survey/translations";

/** An id for a builder field name (`q.label.en` -> `b-q-label-en`). */
export function fieldId(name: string): string {
  return `b-${name.replace(/[^a-zA-Z0-9_-]/g, "-")}`;
}

const LANGUAGE_LABELS = { en: "English", ru: "Русский" } as const;

/**
 * A text in English and Russian side by side. A translation older than its source text is
 * marked, with a box to record that it has been reviewed.
 */
export function TextPair({
  name,
  legend,
  value,
  multiline = false,
  hint,
}: {
  name: string;
  legend: ReactNode;
  value: Record<string, string> | undefined;
  multiline?: boolean;
  hint?: ReactNode;
}) {
  const { t } = useI18n();
  const stale = value ? staleLocales(value) : [];
  const hintId = hint ? `${fieldId(name)}-hint` : undefined;
  return (
    <fieldset className="text-pair">
      <legend>{legend}</legend>
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      <div className="text-pair__fields">
        {(["en", "ru"] as const).map((locale) => {
          const id = fieldId(`${name}.${locale}`);
          const isStale = stale.some((s) => s.target === locale);
          const staleId = `${id}-stale`;
          const described = [hintId, isStale ? staleId : undefined].filter(Boolean).join(" ");
          return (
            <div key={locale} className="field">
              <label htmlFor={id}>{LANGUAGE_LABELS[locale]}</label>
              {isStale ? (
                <p className="stale-mark" id={staleId}>
                  {t("builder.stale.field", {
                    source:
                      LANGUAGE_LABELS[stale.find((s) => s.target === locale)?.source as "en"] ?? "",
                  })}
                </p>
              ) : null}
              {multiline ? (
                <textarea
                  id={id}
                  name={`${name}.${locale}`}
                  defaultValue={value?.[locale] ?? ""}
                  lang={locale}
                  rows={3}
                  aria-describedby={described || undefined}
                />
              ) : (
                <input
                  type="text"
                  id={id}
                  name={`${name}.${locale}`}
                  defaultValue={value?.[locale] ?? ""}
                  lang={locale}
                  aria-describedby={described || undefined}
                />
              )}
            </div>
          );
        })}
      </div>
      {stale.length > 0 ? (
        <label className="choice">
          <input type="checkbox" name={`${name}.reviewed`} value="yes" />
          {t("builder.stale.reviewed")}
        </label>
      ) : null}
    </fieldset>
  );
}
