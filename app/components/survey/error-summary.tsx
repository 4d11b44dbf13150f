import { useEffect, useRef } from "react";

export interface SummaryItem {
  /** Id of the element the message links to. */
  target: string;
  label: string;
  message: string;
}

/**
 * The problems of a form, at its top: announced as an alert and focused when it appears
 * (with `autoFocus` in the server's HTML, and again on every new attempt with JavaScript);
 * each problem links to its field.
 */
export function ErrorSummary({
  items,
  title,
  attempt,
}: {
  items: readonly SummaryItem[];
  title: string;
  /** Changes on every attempt to submit, so the summary takes the focus again. */
  attempt: number;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const shown = items.length > 0;
  useEffect(() => {
    if (shown && attempt > 0) ref.current?.focus();
  }, [shown, attempt]);
  if (!shown) return null;
  return (
    <div
      className="error-summary"
      role="alert"
      aria-labelledby="error-summary-title"
      tabIndex={-1}
      ref={ref}
      // eslint-disable-next-line jsx-a11y/no-autofocus -- the summary must take the focus without JavaScript too
      autoFocus
    >
      <h2 id="error-summary-title">{title}</h2>
      <ul>
        {items.map((item) => (
          <li key={`${item.target}:${item.message}`}>
            <a href={`#${item.target}`}>
              {item.label ? `${item.label}: ` : null}
              {item.message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
