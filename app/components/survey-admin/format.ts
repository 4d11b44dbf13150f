/** Date and time in UTC, as coordinators in different time zones see the same value. */
export function formatDateTime(value: Date | string | null | undefined, locale: string): string {
  if (!value) return "";
  return new Intl.DateTimeFormat(locale, {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: "UTC",
  }).format(new Date(value));
}

export function formatDate(value: Date | string | null | undefined, locale: string): string {
  if (!value) return "";
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }).format(
    new Date(value),
  );
}

/** Machine-readable value for <time dateTime>. */
export function isoOf(value: Date | string): string {
  return new Date(value).toISOString();
}
