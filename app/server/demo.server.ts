import { randomBytes } from "node:crypto";
import { type Insertable, sql } from "kysely";
import type { Db } from "#db/client";
import type { AnswerTable, ResponseTable } from "#db/schema";
import { buildSubmissionSchema } from "~/survey/answer-schema";
import { EU_MEMBER_STATES } from "~/survey/countries";
import { type Question, sampleAnswerOf } from "~/survey/registry";
import { allQuestions, type SurveyDefinition } from "~/survey/schema";
import { answersToRows, packedValuesText } from "~/survey/storage";
import { conditionHolds } from "~/survey/visibility";
import { profileColumns } from "./respondent-profile";

/** A small deterministic random generator (mulberry32), so demo data is the same every time. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)],
    chance: (p: number) => next() < p,
    /** An index drawn with the given weights. */
    weighted: (weights: readonly number[]) => {
      const total = weights.reduce((s, w) => s + w, 0);
      let r = next() * total;
      for (let i = 0; i < weights.length; i++) {
        r -= weights[i];
        if (r <= 0) return i;
      }
      return weights.length - 1;
    },
  };
}
export type Rng = ReturnType<typeof rng>;

function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

const OTHER_COUNTRIES = ["BY", "KZ", "CH", "NO", "GB", "RS", "AM", "UZ"];

const NEED_PHRASES: Record<"en" | "ru", ReadonlyArray<readonly [string, string]>> = {
  en: [
    ["Aligned national co-funding", "Both funders should commit budgets for the same call cycle so that consortia are not funded on one side only."],
    ["Guaranteed access time", "We need reserved access to the facility for the joint team, with a single application procedure."],
    ["Faster visa procedures", "Multiple-entry visas for project staff, issued within weeks rather than months."],
    ["Rules for sharing data", "A template agreement for exchanging research data that satisfies both legal frameworks."],
    ["Joint doctoral supervision", "Co-tutelle agreements and funding for PhD students spending time in both countries."],
    ["Partner search service", "An up-to-date database of groups with their expertise and equipment, searchable by topic."],
    ["Customs for samples", "A simplified procedure for shipping research samples and small equipment."],
    ["Longer project duration", "Four- to five-year projects so that results can be taken to pilot scale."],
  ],
  ru: [
    ["Согласованное национальное софинансирование", "Обе стороны должны выделять средства в одном цикле конкурса, чтобы консорциум не финансировался только с одной стороны."],
    ["Гарантированное время на установке", "Нужно зарезервированное время для совместной команды и единая процедура подачи заявок."],
    ["Ускорение визовых процедур", "Многократные визы для участников проекта, оформляемые за недели, а не месяцы."],
    ["Правила обмена данными", "Типовое соглашение об обмене научными данными, соответствующее законодательству обеих сторон."],
    ["Совместное руководство аспирантами", "Соглашения о двойном руководстве и финансирование стажировок аспирантов в обеих странах."],
    ["Сервис поиска партнёров", "Актуальная база научных групп с их компетенциями и оборудованием с поиском по теме."],
    ["Таможенное оформление образцов", "Упрощённый порядок пересылки научных образцов и небольшого оборудования."],
    ["Более длительные проекты", "Проекты на четыре–пять лет, чтобы результаты можно было довести до пилотного масштаба."],
  ],
};

const FREE_TEXT: Record<"en" | "ru", readonly string[]> = {
  en: [
    "The main obstacle is the mismatch of funding cycles between the two sides.",
    "Access to shared equipment would help our group most in the next two years.",
    "We would welcome a contact point that answers questions about visas and customs.",
    "Information about calls arrives too late to build a consortium.",
    "Joint workshops for early-career researchers have worked well and should continue.",
  ],
  ru: [
    "Главное препятствие — несовпадение сроков финансирования у двух сторон.",
    "Доступ к общему оборудованию больше всего помог бы нашей группе в ближайшие два года.",
    "Нужна контактная точка, которая отвечает на вопросы о визах и таможне.",
    "Информация о конкурсах приходит слишком поздно, чтобы успеть собрать консорциум.",
    "Совместные школы для молодых учёных хорошо себя показали, их стоит продолжать.",
  ],
};

/** A rating 1..5 leaning towards `centre`. */
function rating(r: Rng, centre: number, min = 1, max = 5): number {
  const v = Math.round(centre + (r.next() + r.next() + r.next() - 1.5) * 1.6);
  return Math.min(max, Math.max(min, v));
}

function dateBetween(r: Rng, min?: string, max?: string): string {
  const lo = min ? Date.parse(min) : Date.parse("2026-01-01");
  const hi = max ? Date.parse(max) : Date.parse("2028-12-31");
  return new Date(lo + r.next() * Math.max(0, hi - lo)).toISOString().slice(0, 10);
}

const LIKELY_COUNTRIES = [...EU_MEMBER_STATES, "RU", "RU", "RU"];

/**
 * A plausible answer to one question, drawn by its type (`sampleValue` in the registry);
 * `bias` gives each option or statement its own tendency.
 */
function sampleAnswer(q: Question, r: Rng, locale: "en" | "ru", country: string): unknown {
  return sampleAnswerOf(q, {
    ...r,
    bias: (code) => (hashString(q.key + ":" + code) % 1000) / 1000,
    rating: (centre, min, max) => rating(r, centre, min, max),
    date: (min, max) => dateBetween(r, min, max),
    freeText: () => r.pick(FREE_TEXT[locale]),
    needPhrase: () => {
      const [title, description] = r.pick(NEED_PHRASES[locale]);
      return [title, description];
    },
    country,
    countries: LIKELY_COUNTRIES,
  });
}

export interface SampledResponse {
  locale: "en" | "ru";
  country: string;
  /** Raw answers by question key, to be checked with the submission schema. */
  answers: Record<string, unknown>;
}

/**
 * One respondent's plausible answers: a language, a country (EU, Russia or other), and an
 * answer to every visible required question and to each visible optional one with probability
 * `optionalRate`.
 */
export function sampleResponse(
  def: Pick<SurveyDefinition, "pages">,
  r: Rng,
  { optionalRate = 0.8, questions = allQuestions(def) }: { optionalRate?: number; questions?: readonly Question[] } = {},
): SampledResponse {
  const locale = r.chance(0.55) ? "ru" : "en";
  const group = r.weighted([45, 42, 13]);
  const country = group === 0 ? r.pick(EU_MEMBER_STATES) : group === 1 ? "RU" : r.pick(OTHER_COUNTRIES);
  const raw: Record<string, unknown> = {};
  const byKey = new Map(questions.map((q) => [q.key, q]));
  const lookup = (key: string) => byKey.get(key);
  for (const q of questions) {
    // Only earlier visible questions have answers yet, so the condition alone decides
    // (the same result as isQuestionVisible, without re-walking the survey for every question).
    if (q.showIf && !conditionHolds(q.showIf, raw, lookup)) continue;
    if (!q.required && !r.chance(optionalRate)) continue;
    raw[q.key] = q.key === "country" ? country : sampleAnswer(q, r, locale, country);
  }
  return { locale, country, answers: raw };
}

export interface DemoOptions {
  /** Submitted responses per open survey. */
  perSurvey: number;
  seed?: number;
  /** Spread of submission dates, in days before now. */
  days?: number;
  batchSize?: number;
}

/**
 * Adds synthetic submitted responses to every open survey: plausible answers to every visible
 * question, checked with the same schema as real submissions, in English and Russian, from EU,
 * Russian and other countries, spread over recent weeks.
 */
export async function addDemoResponses(db: Db, options: DemoOptions): Promise<number> {
  const surveys = await db
    .selectFrom("surveys")
    .innerJoin("survey_versions", "survey_versions.id", "surveys.current_version_id")
    .select(["surveys.id", "surveys.slug", "survey_versions.id as version_id", "survey_versions.definition"])
    .where("surveys.status", "=", "open")
    .orderBy("surveys.id")
    .execute();
  let total = 0;
  for (const s of surveys) {
    const def = s.definition as SurveyDefinition;
    total += await addResponsesToSurvey(db, s.id, s.version_id, def, options);
  }
  return total;
}

export async function addResponsesToSurvey(
  db: Db,
  surveyId: number,
  versionId: number,
  def: SurveyDefinition,
  { perSurvey, seed = 1, days = 45, batchSize = 200 }: DemoOptions,
): Promise<number> {
  const r = rng(seed * 7919 + surveyId);
  const questions = allQuestions(def);
  const schema = { en: buildSubmissionSchema(def, "en"), ru: buildSubmissionSchema(def, "ru") };
  const now = Date.now();
  let done = 0;
  while (done < perSurvey) {
    const n = Math.min(batchSize, perSurvey - done);
    const responses: Insertable<ResponseTable>[] = [];
    const answerRows: Insertable<AnswerTable>[] = [];
    for (let i = 0; i < n; i++) {
      const { locale, answers: raw } = sampleResponse(def, r, { questions });
      const parsed = schema[locale].safeParse(raw);
      if (!parsed.success) {
        throw new Error(`demo answer rejected for ${def.slug}: ${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}`);
      }
      const answers = parsed.data;
      const id = crypto.randomUUID();
      const submitted = new Date(now - Math.pow(r.next(), 0.7) * days * 86_400_000);
      const started = new Date(submitted.getTime() - r.int(6, 40) * 60_000);
      const rows = answersToRows(def, answers);
      responses.push({
        id,
        survey_id: surveyId,
        survey_version_id: versionId,
        locale,
        status: "submitted" as const,
        idempotency_key: randomBytes(12).toString("hex"),
        reference: `D-${randomBytes(4).toString("hex").toUpperCase()}`,
        started_at: started,
        updated_at: submitted,
        submitted_at: submitted,
        ...profileColumns(answers),
        // What the exports read, packed as a submission packs it (storeSubmission).
        answer_values: packedValuesText(rows),
      });
      for (const row of rows) {
        answerRows.push({
          response_id: id,
          survey_id: surveyId,
          question_key: row.questionKey,
          item: row.item,
          option_code: row.optionCode,
          value_num: row.valueNum,
          value_text: row.valueText,
          value_json: row.valueJson === null || row.valueJson === undefined ? null : JSON.stringify(row.valueJson),
        });
      }
    }
    await db.transaction().execute(async (trx) => {
      await trx.insertInto("responses").values(responses).execute();
      for (let i = 0; i < answerRows.length; i += 2000) {
        await trx.insertInto("answers").values(answerRows.slice(i, i + 2000)).execute();
      }
    });
    done += n;
  }
  return done;
}

/** True when no response has been stored yet (a fresh database). */
export async function hasNoResponses(db: Db): Promise<boolean> {
  const row = await sql<{ any: boolean }>`select exists (select 1 from responses) as any`.execute(db);
  return !row.rows[0]?.any;
}
