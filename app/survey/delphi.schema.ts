import * as z from "zod";
import { DELPHI_PARTICIPANTS, DELPHI_REASONS, type DelphiSettings, delphiItems } from "./delphi";
import type { Question } from "./question-types";

/**
 * The `delphi` key of a questionnaire file (docs/survey-format.md, "Delphi rounds"): the
 * consensus rule, whether reasons are asked, and rounds declared in the file.
 */

const dateOrDateTime = z
  .string()
  .refine(
    (value) =>
      /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(value) &&
      !Number.isNaN(Date.parse(value)),
    "must be a date (YYYY-MM-DD) or a date-time (YYYY-MM-DDTHH:MM, optionally with a time zone)",
  );

export const delphiRoundSchema = z
  .strictObject({
    round: z.int().min(2, "rounds are numbered from 2 (round 1 is the questionnaire)").max(20),
    items: z.array(z.string().max(200)).min(1, "needs at least 1 item to re-rate"),
    opensAt: dateOrDateTime,
    closesAt: dateOrDateTime.optional(),
    participants: z.enum(DELPHI_PARTICIPANTS).default("previous").meta({
      description: "previous: who submitted the previous round; invited: the invitation list",
    }),
    newcomers: z.boolean().default(false).meta({
      description: "Whether those who did not submit the previous round may join",
    }),
    reasons: z.enum(DELPHI_REASONS).optional(),
  })
  .superRefine((round, ctx) => {
    if (round.closesAt && Date.parse(round.opensAt) >= Date.parse(round.closesAt)) {
      ctx.addIssue({
        code: "custom",
        path: ["closesAt"],
        message: `closesAt must be after opensAt (${round.opensAt})`,
      });
    }
  });

export const delphiSchema = z
  .strictObject({
    consensus: z
      .strictObject({
        maxIqr: z.number().min(0).max(10).optional(),
        minWithin: z.number().min(0).max(1).optional(),
      })
      .optional(),
    reasons: z.enum(DELPHI_REASONS).default("required").meta({
      description:
        "A reason for a rating outside the previous round's IQR: required, optional or off",
    }),
    rounds: z.array(delphiRoundSchema).default([]),
  })
  .superRefine((delphi, ctx) => {
    const seen = new Set<number>();
    delphi.rounds.forEach((round, index) => {
      if (seen.has(round.round)) {
        ctx.addIssue({
          code: "custom",
          path: ["rounds", index, "round"],
          message: `round ${round.round} is declared twice`,
        });
      }
      seen.add(round.round);
    });
  })
  .meta({ description: "Delphi rounds: consensus rule, reasons and declared rounds" });

/**
 * Checks that every declared round names items of the survey (after blocks are included):
 * issues with their paths below `delphi`.
 */
export function checkDelphiItems(
  def: { pages: Array<{ questions: Question[] }>; delphi?: DelphiSettings },
  ctx: z.RefinementCtx,
): void {
  if (!def.delphi?.rounds) return;
  const known = new Set(delphiItems(def).map((item) => item.id));
  def.delphi.rounds.forEach((round, r) => {
    round.items.forEach((id, i) => {
      if (!known.has(id)) {
        ctx.addIssue({
          code: "custom",
          path: ["delphi", "rounds", r, "items", i],
          message: `"${id}" is not an item a round can re-rate (a scale question, a matrix row <key>.<row>, a Borich statement <key>.<statement>.importance|current, or a need priority <key>.<category>.<horizon>.urgency|importance)`,
        });
      }
    });
  });
}
