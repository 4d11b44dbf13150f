import { type InputHTMLAttributes, type ReactNode, useEffect, useRef } from "react";
import type { MessageKey, Vars } from "~/i18n/translate";
import { useI18n } from "~/i18n/react";

/** A form message as it comes back from an action: a catalog key and its variables. */
export interface FormMessage {
  key: MessageKey;
  vars?: Vars;
}

export interface SummaryItem {
  /** Id of the field the message belongs to (the link target); none for a message about the whole form. */
  id?: string;
  message: string;
}

/**
 * The list of problems at the top of a form. It takes the focus when it appears (with
 * JavaScript) and is announced as an alert; each problem links to its field.
 */
export function ErrorSummary({ items, trigger }: { items: SummaryItem[]; trigger?: unknown }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  const shown = items.length > 0;
  useEffect(() => {
    if (shown) ref.current?.focus();
  }, [shown, trigger]);
  if (!shown) return null;
  return (
    <div
      className="error-summary"
      role="alert"
      aria-labelledby="error-summary-title"
      tabIndex={-1}
      ref={ref}
    >
      <h2 id="error-summary-title">{t("auth.errors.summaryTitle")}</h2>
      <ul>
        {items.map((item) => (
          <li key={item.id ?? item.message}>
            {item.id ? <a href={`#${item.id}`}>{item.message}</a> : item.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The message under a field's label, with a hidden "Error:" prefix for screen readers. */
export function FieldError({ id, children }: { id: string; children?: ReactNode }) {
  const { t } = useI18n();
  if (!children) return null;
  return (
    <p className="field-error" id={id}>
      <span className="visually-hidden">{t("auth.errors.prefix")} </span>
      {children}
    </p>
  );
}

type InputProps = Omit<
  InputHTMLAttributes<HTMLInputElement>,
  "id" | "name" | "aria-describedby" | "aria-invalid"
>;

/** The ids that describe a field: its hint and its error, when it has them. */
export function describedBy(id: string, hint?: ReactNode, error?: string): string | undefined {
  return [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
}

/**
 * A field's frame: the label, the hint and the error message above the control, in the order
 * screen readers and sighted readers meet them. The control's `aria-describedby` comes from
 * {@link describedBy} with the same id, hint and error.
 */
export function FieldShell({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  children: ReactNode;
}) {
  return (
    <div className={`field${error ? " field--invalid" : ""}`}>
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <FieldError id={`${id}-error`}>{error}</FieldError>
      {children}
    </div>
  );
}

/** A labelled text input with optional hint and error. */
export function TextField({
  id,
  name,
  label,
  hint,
  error,
  ...input
}: { id: string; name: string; label: ReactNode; hint?: ReactNode; error?: string } & InputProps) {
  return (
    <FieldShell id={id} label={label} hint={hint} error={error}>
      <input
        id={id}
        name={name}
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? true : undefined}
        {...input}
      />
    </FieldShell>
  );
}
