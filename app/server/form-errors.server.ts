import type { z } from "zod";
import type { MessageKey, Vars } from "~/i18n/catalog";

/** A message for the user, as a catalog key and its variables, translated where it is shown. */
export interface FormError {
  key: MessageKey;
  vars?: Vars;
}

export type FieldErrors<F extends string = string> = Partial<Record<F, FormError>>;

/**
 * The first problem of each field of a failed zod parse. Schemas use catalog keys as their
 * messages; a length limit is passed on as `{min}` or `{max}`.
 */
export function fieldErrors<F extends string = string>(error: z.ZodError): FieldErrors<F> {
  const out: Record<string, FormError> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "form");
    if (out[field]) continue;
    const vars: Vars = {};
    if (issue.code === "too_small") vars.min = Number(issue.minimum);
    if (issue.code === "too_big") vars.max = Number(issue.maximum);
    out[field] = { key: issue.message as MessageKey, vars };
  }
  return out as FieldErrors<F>;
}
