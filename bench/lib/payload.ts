/**
 * Realistic responses, made with the demo-data generator (app/server/demo.server.ts) and checked
 * with the submission schema the server uses, so that every payload is accepted as it is.
 */
import type { Db } from "#db/client";
import { profileColumns } from "~/server/respondent-profile";
import { rng, sampleResponse } from "~/server/demo.server";
import { buildSubmissionSchema } from "~/survey/answer-schema";
import type { Condition } from "~/survey/primitives";
import type { Answers } from "~/survey/registry";
import { allQuestions, parseSurveyDefinition, type SurveyDefinition } from "~/survey/schema";
import { answersToRows, type KeyedAnswerRow } from "~/survey/storage";

/** The survey the submission benchmark posts to (and whose group dashboard and exports are timed). */
export const BENCH_SURVEY = "health-needs-2026";
/** Answered questions in each posted response. */
export const ANSWERED_QUESTIONS = 40;

export interface BenchSurvey {
  id: number;
  slug: string;
  versionId: number;
  groupId: number;
  groupSlug: string;
  def: SurveyDefinition;
}

export async function loadSurveys(db: Db): Promise<BenchSurvey[]> {
  const rows = await db
    .selectFrom("surveys")
    .innerJoin("survey_versions", "survey_versions.id", "surveys.current_version_id")
    .innerJoin("working_groups", "working_groups.id", "surveys.working_group_id")
    .select([
      "surveys.id",
      "surveys.slug",
      "survey_versions.id as version_id",
      "survey_versions.definition",
      "working_groups.id as group_id",
      "working_groups.slug as group_slug",
    ])
    .where("surveys.status", "=", "open")
    .orderBy("working_groups.sort_order")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    slug: r.slug,
    versionId: r.version_id,
    groupId: r.group_id,
    groupSlug: r.group_slug,
    def: parseSurveyDefinition(r.definition),
  }));
}

export interface Payload {
  locale: "en" | "ru";
  /** The answers as a client sends them, serialised. */
  answersJson: string;
  /** The answers after validation, as the server stores them. */
  answers: Answers;
  rows: KeyedAnswerRow[];
  profile: ReturnType<typeof profileColumns>;
}

function conditionKeys(c: Condition, into: Set<string>): void {
  if ("not" in c) conditionKeys(c.not, into);
  else if ("all" in c) c.all.forEach((x) => conditionKeys(x, into));
  else if ("any" in c) c.any.forEach((x) => conditionKeys(x, into));
  else into.add(c.question);
}

function validator(def: SurveyDefinition) {
  const schemas = { en: buildSubmissionSchema(def, "en"), ru: buildSubmissionSchema(def, "ru") };
  return (locale: "en" | "ru", raw: Record<string, unknown>): Answers => {
    const parsed = schemas[locale].safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(
        `generated answer rejected for ${def.slug}: ${issue?.path.join(".")}: ${issue?.message}`,
      );
    }
    return parsed.data;
  };
}

function payloadOf(
  def: SurveyDefinition,
  locale: "en" | "ru",
  raw: Record<string, unknown>,
  answers: Answers,
): Payload {
  return {
    locale,
    answersJson: JSON.stringify(raw),
    answers,
    rows: answersToRows(def, answers),
    profile: profileColumns(answers),
  };
}

/**
 * `count` different complete responses answering exactly `answered` questions: every visible
 * question is answered, then optional questions that no condition refers to are left out at
 * random until `answered` remain; draws with fewer visible questions are discarded.
 */
export function completeResponses(
  def: SurveyDefinition,
  count: number,
  seed = 1,
  answered = ANSWERED_QUESTIONS,
): Payload[] {
  const questions = allQuestions(def);
  const referenced = new Set<string>();
  for (const q of questions) if (q.showIf) conditionKeys(q.showIf, referenced);
  const droppable = new Set(
    questions.filter((q) => !q.required && !referenced.has(q.key)).map((q) => q.key),
  );
  const validate = validator(def);
  const r = rng(seed);
  const out: Payload[] = [];
  for (let draws = 0; out.length < count; draws++) {
    if (draws > count * 50)
      throw new Error(`${def.slug}: cannot draw responses with ${answered} answered questions`);
    const { locale, answers: raw } = sampleResponse(def, r, { optionalRate: 1, questions });
    let answers = validate(locale, raw);
    let keys = Object.keys(answers);
    if (keys.length < answered) continue;
    const candidates = keys.filter((k) => droppable.has(k));
    if (keys.length - candidates.length > answered) continue;
    while (keys.length > answered) {
      const i = Math.floor(r.next() * candidates.length);
      delete raw[candidates[i]];
      candidates.splice(i, 1);
      keys = keys.filter((k) => k in raw);
    }
    answers = validate(locale, raw);
    if (Object.keys(answers).length !== answered) continue;
    out.push(payloadOf(def, locale, raw, answers));
  }
  return out;
}

/** `count` different responses as the demo data has them (optional questions answered 80 % of the time). */
export function naturalResponses(def: SurveyDefinition, count: number, seed = 1): Payload[] {
  const questions = allQuestions(def);
  const validate = validator(def);
  const r = rng(seed);
  return Array.from({ length: count }, () => {
    const { locale, answers: raw } = sampleResponse(def, r, { questions });
    return payloadOf(def, locale, raw, validate(locale, raw));
  });
}
