import * as z from "zod";
import { SLUG_PATTERN } from "./constants";
import { localizedText } from "./primitives";
import { type Problem, parseYamlWithSchema } from "./source";

/**
 * The programme catalogue: cooperation and mobility programmes and instruments that may address
 * the needs in the register. Kept in programmes/catalogue.yaml, validated here (pure: no I/O),
 * loaded into the database at start and editable in the browser by admins.
 */

export const PROGRAMME_TYPES = [
  "joint_call",
  "mobility_grant",
  "fellowship",
  "infrastructure_access",
  "networking",
  "other",
] as const;
export type ProgrammeType = (typeof PROGRAMME_TYPES)[number];

/**
 * open: calls are open now; recurring: calls come regularly (no date known); closed: the
 * programme ended; suspended: stopped for the cooperation concerned; unknown: not established.
 */
export const PROGRAMME_STATUSES = ["open", "recurring", "closed", "suspended", "unknown"] as const;
export type ProgrammeStatus = (typeof PROGRAMME_STATUSES)[number];

/** EU, RU or another ISO 3166-1 alpha-2 code, or INT for international organisations. */
const COUNTRY = /^(EU|INT|[A-Z]{2})$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function isDay(value: string): boolean {
  if (!DAY.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

export const programmeSchema = z.strictObject({
  code: z
    .string()
    .max(60, "must be at most 60 characters")
    .regex(SLUG_PATTERN, "must be lowercase letters and digits separated by single hyphens"),
  name: localizedText,
  funder: localizedText,
  countries: z
    .array(z.string().regex(COUNTRY, "must be EU, INT or a two-letter country code such as RU or DE"))
    .min(1, "needs at least one country, EU or INT"),
  type: z.enum(PROGRAMME_TYPES, { message: `must be one of: ${PROGRAMME_TYPES.join(", ")}` }),
  eligibility: localizedText,
  url: z
    .string()
    .max(500, "must be at most 500 characters")
    .regex(/^https:\/\/[^\s/]+\.[^\s]+$/, "must be a public https:// address"),
  next_deadline: z
    .string()
    .refine(isDay, "must be a date written YYYY-MM-DD")
    .nullable()
    .optional(),
  status: z.enum(PROGRAMME_STATUSES, {
    message: `must be one of: ${PROGRAMME_STATUSES.join(", ")}`,
  }),
  status_note: localizedText.optional(),
});
export type Programme = z.infer<typeof programmeSchema>;

export const catalogueSchema = z
  .strictObject({ programmes: z.array(programmeSchema).min(1, "needs at least one programme") })
  .superRefine((catalogue, ctx) => {
    const seen = new Set<string>();
    catalogue.programmes.forEach((p, index) => {
      if (seen.has(p.code))
        ctx.addIssue({
          code: "custom",
          path: ["programmes", index, "code"],
          message: `duplicate programme code "${p.code}"`,
        });
      seen.add(p.code);
    });
  });

/** The catalogue file's programmes, or its problems located by line and path. */
export function parseCatalogue(
  text: string,
  file: string,
): { programmes: Programme[]; problems: Problem[] } {
  const { data, problems } = parseYamlWithSchema(catalogueSchema, text, file);
  return { programmes: data?.programmes ?? [], problems };
}
