import type { ReactNode } from "react";
import { describedBy, FieldError, FieldShell } from "~/components/staff-form";

/** A labelled text area with optional hint and error. */
export function TextAreaField({
  id,
  name,
  label,
  hint,
  error,
  defaultValue,
  maxLength,
  rows = 4,
}: {
  id: string;
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  defaultValue?: string;
  maxLength?: number;
  rows?: number;
}) {
  return (
    <FieldShell id={id} label={label} hint={hint} error={error}>
      <textarea
        id={id}
        name={name}
        rows={rows}
        maxLength={maxLength}
        defaultValue={defaultValue}
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? true : undefined}
      />
    </FieldShell>
  );
}

/** A labelled select with optional hint and error. */
export function SelectField({
  id,
  name,
  label,
  hint,
  error,
  defaultValue,
  options,
  placeholder,
}: {
  id: string;
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  defaultValue?: string;
  options: ReadonlyArray<{ value: string; label: string }>;
  /** A first, empty choice. */
  placeholder?: string;
}) {
  return (
    <FieldShell id={id} label={label} hint={hint} error={error}>
      <select
        id={id}
        name={name}
        defaultValue={defaultValue ?? ""}
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? true : undefined}
      >
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

/** A group of checkboxes in a fieldset, with optional hint and error. */
export function CheckboxesField({
  id,
  name,
  legend,
  hint,
  error,
  options,
  checked,
}: {
  id: string;
  name: string;
  legend: ReactNode;
  hint?: ReactNode;
  error?: string;
  options: ReadonlyArray<{ value: string; label: string }>;
  checked: readonly string[];
}) {
  return (
    <fieldset
      className={`field${error ? " field--invalid" : ""}`}
      id={id}
      aria-describedby={describedBy(id, hint, error)}
    >
      <legend>{legend}</legend>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <FieldError id={`${id}-error`}>{error}</FieldError>
      {options.map((o) => (
        <div key={o.value} className="checkbox">
          <input
            type="checkbox"
            id={`${id}-${o.value}`}
            name={name}
            value={o.value}
            defaultChecked={checked.includes(o.value)}
          />
          <label htmlFor={`${id}-${o.value}`}>{o.label}</label>
        </div>
      ))}
    </fieldset>
  );
}
