/**
 * The integrity check after a load run, read straight from the database: every acknowledged
 * submission is there exactly once, submitted, with exactly the answers that were sent.
 */
import type { Db } from "#db/client";
import { DRAFT_ITEM } from "~/server/responses";
import { parseSurveyDefinition, type SurveyDefinition } from "~/survey/schema";
import { answersFromRows, type KeyedAnswerRow } from "~/survey/storage";
import type { Ack } from "./respondents";

export interface IntegrityReport {
  acknowledged: number;
  found: number;
  missing: string[];
  duplicated: string[];
  notSubmitted: string[];
  wrongAnswers: Array<{ reference: string; detail: string }>;
  draftRowsInSubmitted: number;
  /** Submitted responses of the run that no client got an acknowledgement for (stored, not lost). */
  unacknowledgedSubmitted: number;
}

/** JSON with object keys sorted. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

function firstDifference(a: Record<string, unknown>, b: Record<string, unknown>): string {
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (canonical(a[key]) !== canonical(b[key])) {
      return `${key}: sent ${canonical(a[key]).slice(0, 120)}, stored ${canonical(b[key]).slice(0, 120)}`;
    }
  }
  return "";
}

export async function verifyIntegrity(db: Db, acks: readonly Ack[], surveySlugs: readonly string[], since: Date): Promise<IntegrityReport> {
  const report: IntegrityReport = {
    acknowledged: acks.length,
    found: 0,
    missing: [],
    duplicated: [],
    notSubmitted: [],
    wrongAnswers: [],
    draftRowsInSubmitted: 0,
    unacknowledgedSubmitted: 0,
  };
  const definitions = new Map<number, SurveyDefinition>();
  const defOf = async (versionId: number) => {
    let def = definitions.get(versionId);
    if (!def) {
      const row = await db.selectFrom("survey_versions").select("definition").where("id", "=", versionId).executeTakeFirstOrThrow();
      def = parseSurveyDefinition(row.definition);
      definitions.set(versionId, def);
    }
    return def;
  };

  for (const ack of acks) {
    const rows = await db
      .selectFrom("responses")
      .innerJoin("surveys", "surveys.id", "responses.survey_id")
      .select(["responses.id", "responses.status", "responses.survey_version_id", "responses.idempotency_key"])
      .where("surveys.slug", "=", ack.survey)
      .where((eb) => eb.or([eb("responses.reference", "=", ack.reference), eb("responses.idempotency_key", "=", ack.idempotencyKey)]))
      .execute();
    if (rows.length === 0) {
      report.missing.push(ack.reference);
      continue;
    }
    if (rows.length > 1) {
      report.duplicated.push(ack.reference);
      continue;
    }
    report.found++;
    const r = rows[0];
    if (r.status !== "submitted") {
      report.notSubmitted.push(ack.reference);
      continue;
    }
    const answerRows = await db
      .selectFrom("answers")
      .select(["question_key", "item", "option_code", "value_num", "value_text", "value_json"])
      .where("response_id", "=", r.id)
      .orderBy("id")
      .execute();
    report.draftRowsInSubmitted += answerRows.filter((a) => a.item === DRAFT_ITEM).length;
    const keyed: KeyedAnswerRow[] = answerRows.map((a) => ({
      questionKey: a.question_key,
      item: a.item,
      optionCode: a.option_code,
      valueNum: a.value_num,
      valueText: a.value_text,
      valueJson: a.value_json,
    }));
    const stored = answersFromRows(await defOf(r.survey_version_id), keyed);
    if (canonical(stored) !== canonical(ack.answers)) {
      report.wrongAnswers.push({ reference: ack.reference, detail: firstDifference(ack.answers, stored) });
    }
  }

  const acked = new Set(acks.map((a) => a.reference));
  const submitted = await db
    .selectFrom("responses")
    .innerJoin("surveys", "surveys.id", "responses.survey_id")
    .select("responses.reference")
    .where("surveys.slug", "in", [...surveySlugs])
    .where("responses.status", "=", "submitted")
    .where("responses.submitted_at", ">=", since)
    .execute();
  report.unacknowledgedSubmitted = submitted.filter((s) => s.reference && !acked.has(s.reference)).length;
  return report;
}

export function integrityViolations(r: IntegrityReport): string[] {
  const out: string[] = [];
  if (r.missing.length) out.push(`${r.missing.length} acknowledged submissions missing: ${r.missing.slice(0, 5).join(", ")}`);
  if (r.duplicated.length) out.push(`${r.duplicated.length} stored more than once: ${r.duplicated.slice(0, 5).join(", ")}`);
  if (r.notSubmitted.length) out.push(`${r.notSubmitted.length} acknowledged but not submitted: ${r.notSubmitted.slice(0, 5).join(", ")}`);
  if (r.wrongAnswers.length) {
    out.push(`${r.wrongAnswers.length} with other answers than sent: ${r.wrongAnswers.slice(0, 3).map((w) => `${w.reference} (${w.detail})`).join("; ")}`);
  }
  if (r.draftRowsInSubmitted) out.push(`${r.draftRowsInSubmitted} draft rows in submitted responses (partial)`);
  return out;
}
