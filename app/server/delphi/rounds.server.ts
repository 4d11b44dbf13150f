import * as z from "zod";
import type { Db } from "#db/client";
import type { DelphiParticipants, DelphiReasons } from "#db/schema";
import { audit } from "~/server/audit.server";
import type { Actor, ManagedSurvey } from "~/server/survey-admin.server";
import { parseDateField } from "~/server/survey-admin.server";
import { refreshSharedCategories } from "~/server/surveys.server";
import {
  DELPHI_PARTICIPANTS,
  DELPHI_REASONS,
  type DelphiRoundDeclaration,
  delphiItems,
} from "~/survey/delphi";
import { parseSurveyDefinition, type SurveyDefinition } from "~/survey/schema";

/**
 * Delphi rounds of a survey (docs/decisions/037-delphi-rounds.md): round 1 is the
 * questionnaire; a coordinator (or the questionnaire file) starts round 2, 3, … with the items
 * to re-rate, the dates and who takes part. Each round is a survey version marked with its
 * round number, holding the definition the items were taken from; it never becomes the survey's
 * current version, so the questionnaire, its dashboards and its exports stay those of round 1.
 */

export interface DelphiRound {
  id: number;
  surveyId: number;
  round: number;
  versionId: number;
  items: string[];
  opensAt: Date;
  closesAt: Date | null;
  participants: DelphiParticipants;
  newcomers: boolean;
  reasons: DelphiReasons;
  def: SurveyDefinition;
}

export function roundIsOpen(
  round: Pick<DelphiRound, "opensAt" | "closesAt">,
  now: Date = new Date(),
): boolean {
  return round.opensAt <= now && (round.closesAt === null || round.closesAt > now);
}

/** The survey's later rounds, in order. */
export async function listRounds(db: Db, surveyId: number): Promise<DelphiRound[]> {
  const rows = await db
    .selectFrom("delphi_rounds as d")
    .innerJoin("survey_versions as v", "v.id", "d.survey_version_id")
    .select([
      "d.id",
      "d.survey_id",
      "d.round",
      "d.survey_version_id",
      "d.items",
      "d.opens_at",
      "d.closes_at",
      "d.participants",
      "d.newcomers",
      "d.reasons",
      "v.definition",
    ])
    .where("d.survey_id", "=", surveyId)
    .orderBy("d.round")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    surveyId: r.survey_id,
    round: r.round,
    versionId: r.survey_version_id,
    items: r.items,
    opensAt: r.opens_at,
    closesAt: r.closes_at,
    participants: r.participants,
    newcomers: r.newcomers,
    reasons: r.reasons,
    def: r.definition as SurveyDefinition,
  }));
}

/** The round open now (the latest one, when several are). */
export function openRound(rounds: readonly DelphiRound[], now = new Date()): DelphiRound | null {
  return [...rounds].reverse().find((r) => roundIsOpen(r, now)) ?? null;
}

/** The form of "Start round N" on the survey's consensus page. */
export const startRoundSchema = z
  .object({
    items: z.array(z.string().max(200)).min(1, "items"),
    opensAt: z.string(),
    closesAt: z.string(),
    participants: z.enum(DELPHI_PARTICIPANTS, { error: "participants" }),
    newcomers: z.boolean(),
    reasons: z.enum(DELPHI_REASONS, { error: "reasons" }),
  })
  .strict();

export type StartRoundInput = z.input<typeof startRoundSchema>;
export type StartRoundError =
  | "items"
  | "unknown_item"
  | "opensAt"
  | "closesAt"
  | "dates"
  | "participants"
  | "reasons"
  | "no_version";

export type StartRoundResult =
  | { ok: true; round: number }
  | {
      ok: false;
      errors: Partial<
        Record<
          "items" | "opensAt" | "closesAt" | "participants" | "reasons" | "form",
          StartRoundError
        >
      >;
    };

/**
 * Starts the survey's next round: a survey version marked as that round (a copy of the current
 * definition, not made current) and its settings. Audit-logged.
 */
export async function startRound(
  db: Db,
  survey: Pick<ManagedSurvey, "id" | "slug" | "currentVersionId">,
  input: StartRoundInput,
  actor: Actor,
  now: Date = new Date(),
): Promise<StartRoundResult> {
  const parsed = startRoundSchema.safeParse(input);
  const errors: Extract<StartRoundResult, { ok: false }>["errors"] = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? "form") as keyof typeof errors;
      errors[field] = field === "items" ? "items" : (field as StartRoundError);
    }
    return { ok: false, errors };
  }
  const value = parsed.data;
  const opens = value.opensAt.trim() === "" ? now : parseDateField(value.opensAt);
  const closes = parseDateField(value.closesAt);
  if (opens === "invalid" || opens === null) errors.opensAt = "opensAt";
  if (closes === "invalid") errors.closesAt = "closesAt";
  if (opens instanceof Date && closes instanceof Date && closes <= opens) errors.closesAt = "dates";
  if (survey.currentVersionId === null) errors.form = "no_version";
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom("survey_versions")
      .select(["definition", "content_hash", "source_yaml", "origin"])
      .where("id", "=", survey.currentVersionId!)
      .executeTakeFirstOrThrow();
    const def = parseSurveyDefinition(current.definition);
    const known = new Set(delphiItems(def).map((i) => i.id));
    const items = [...new Set(value.items)];
    if (items.some((id) => !known.has(id))) {
      return { ok: false as const, errors: { items: "unknown_item" as const } };
    }
    return insertRound(trx as unknown as Db, survey, {
      current,
      items,
      opensAt: opens as Date,
      closesAt: (closes as Date | null) ?? null,
      participants: value.participants,
      newcomers: value.newcomers,
      reasons: value.reasons,
      actor,
    });
  });
}

async function insertRound(
  trx: Db,
  survey: Pick<ManagedSurvey, "id" | "slug">,
  r: {
    current: {
      definition: unknown;
      content_hash: string;
      source_yaml: string;
      origin: "file" | "editor" | "upload";
    };
    items: string[];
    opensAt: Date;
    closesAt: Date | null;
    participants: DelphiParticipants;
    newcomers: boolean;
    reasons: DelphiReasons;
    actor: Actor;
    round?: number;
  },
): Promise<StartRoundResult> {
  // One round started at a time per survey: concurrent starts wait here.
  await trx
    .selectFrom("surveys")
    .select("id")
    .where("id", "=", survey.id)
    .forUpdate()
    .executeTakeFirst();
  const last = await trx
    .selectFrom("delphi_rounds")
    .select((eb) => eb.fn.max("round").as("round"))
    .where("survey_id", "=", survey.id)
    .executeTakeFirst();
  const round = r.round ?? Math.max(1, Number(last?.round ?? 1)) + 1;
  const maxVersion = await trx
    .selectFrom("survey_versions")
    .select((eb) => eb.fn.max("version").as("version"))
    .where("survey_id", "=", survey.id)
    .executeTakeFirst();
  const version = await trx
    .insertInto("survey_versions")
    .values({
      survey_id: survey.id,
      version: Number(maxVersion?.version ?? 0) + 1,
      definition: JSON.stringify(r.current.definition),
      content_hash: r.current.content_hash,
      source_yaml: r.current.source_yaml,
      origin: r.current.origin,
      created_by: r.actor.user?.id ?? null,
      delphi_round: round,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await trx
    .insertInto("delphi_rounds")
    .values({
      survey_id: survey.id,
      round,
      survey_version_id: version.id,
      items: JSON.stringify(r.items),
      opens_at: r.opensAt,
      closes_at: r.closesAt,
      participants: r.participants,
      newcomers: r.newcomers,
      reasons: r.reasons,
      created_by: r.actor.user?.id ?? null,
    })
    .execute();
  await refreshSharedCategories(trx, [survey.id]);
  await audit(trx, {
    user: r.actor.user,
    actor: r.actor.user ? undefined : "system",
    action: "delphi.round_started",
    targetType: "survey",
    targetId: survey.id,
    details: {
      survey: survey.slug,
      round,
      items: r.items.length,
      opensAt: r.opensAt.toISOString(),
      closesAt: r.closesAt?.toISOString() ?? null,
      participants: r.participants,
      newcomers: r.newcomers,
      reasons: r.reasons,
    },
    ip: r.actor.ip ?? null,
  });
  return { ok: true, round };
}

/**
 * Rounds declared in the survey's questionnaire file (`delphi.rounds`) that do not exist yet
 * are started, in order, from the given version. A declared round whose number is not the
 * next one is left for a later synchronisation.
 */
export async function startDeclaredRounds(
  db: Db,
  survey: { id: number; slug: string },
  version: { id: number },
  def: SurveyDefinition,
): Promise<number[]> {
  if ((def.delphi?.rounds ?? []).length === 0) return [];
  return db
    .transaction()
    .execute((trx) => startDeclaredRoundsIn(trx as unknown as Db, survey, version, def));
}

/** As startDeclaredRounds, inside the caller's transaction (the synchronisation of files). */
export async function startDeclaredRoundsIn(
  trx: Db,
  survey: { id: number; slug?: string },
  version: { id: number },
  def: SurveyDefinition,
): Promise<number[]> {
  const declared: DelphiRoundDeclaration[] = def.delphi?.rounds ?? [];
  if (declared.length === 0) return [];
  const started: number[] = [];
  const existing = await trx
    .selectFrom("delphi_rounds")
    .select("round")
    .where("survey_id", "=", survey.id)
    .execute();
  let next = Math.max(1, ...existing.map((e) => e.round)) + 1;
  const current = await trx
    .selectFrom("survey_versions")
    .select(["definition", "content_hash", "source_yaml", "origin"])
    .where("id", "=", version.id)
    .executeTakeFirstOrThrow();
  for (const d of [...declared].sort((a, b) => a.round - b.round)) {
    if (d.round !== next) continue;
    await insertRound(
      trx,
      { id: survey.id, slug: survey.slug ?? def.slug },
      {
        current,
        items: d.items,
        opensAt: new Date(d.opensAt),
        closesAt: d.closesAt ? new Date(d.closesAt) : null,
        participants: d.participants,
        newcomers: d.newcomers,
        reasons: d.reasons ?? def.delphi?.reasons ?? "required",
        actor: { user: null },
        round: d.round,
      },
    );
    started.push(d.round);
    next++;
  }
  return started;
}
