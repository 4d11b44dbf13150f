import { parse, stringify } from "yaml";
import type { Db } from "#db/client";
import type { BlockPage, Data, SurveyData } from "~/survey/builder";
import { questionSchema, type Question } from "~/survey/schema";
import { recordTranslations } from "~/survey/translations";
import { blockResolver } from "./survey-check.server";
import {
  type Actor,
  getWorkingVersion,
  type ManagedSurvey,
  type SaveResult,
  saveSurveyVersion,
} from "./survey-admin.server";

/**
 * The survey builder's server side: the survey file it starts from (the draft, or the current
 * version), the shared blocks it shows, the preview of a question, and saving, which writes
 * the builder's data as YAML and stores it through `saveSurveyVersion` like the YAML editor
 * (a draft for a survey that has been published).
 */

/** The survey file of a stored version's YAML, as plain data; null if it is not one. */
export function surveyData(sourceYaml: string): SurveyData | null {
  try {
    const data: unknown = parse(sourceYaml, { maxAliasCount: 1000 });
    if (typeof data !== "object" || data === null || Array.isArray(data)) return null;
    const pages = (data as Data).pages;
    return Array.isArray(pages) ? (data as SurveyData) : null;
  } catch {
    return null;
  }
}

/** The pages of the shared blocks a survey includes, by block name (unknown blocks left out). */
export function includedBlocks(survey: SurveyData, blocksDir?: string): Record<string, BlockPage> {
  const resolve = blockResolver(blocksDir);
  const blocks: Record<string, BlockPage> = {};
  for (const page of survey.pages) {
    if (typeof page.include !== "string") continue;
    const source = resolve(page.include);
    if (!source) continue;
    try {
      const data = parse(source.text) as Partial<BlockPage> | null;
      if (data && typeof data.key === "string" && Array.isArray(data.questions))
        blocks[page.include] = {
          key: data.key,
          title: (data.title ?? { en: data.key, ru: data.key }) as Record<string, string>,
          questions: data.questions as Data[],
        };
    } catch {
      // A block that does not parse is reported when the survey is saved.
    }
  }
  return blocks;
}

export interface BuilderStart {
  survey: SurveyData;
  version: number;
  draft: boolean;
}

/** What the builder starts from: the working version's survey file. */
export async function builderStart(db: Db, survey: ManagedSurvey): Promise<BuilderStart | null> {
  const working = await getWorkingVersion(db, survey);
  const data = working ? surveyData(working.sourceYaml) : null;
  if (!working || !data) return null;
  return { survey: data, version: working.version, draft: working.draft };
}

/** A question as respondents would see it, or null while it is not valid. */
export function previewQuestion(question: Data | null): Question | null {
  if (!question) return null;
  const result = questionSchema.safeParse(question);
  return result.success ? result.data : null;
}

/** The builder's data as YAML, keeping the editor-schema comment of the text it came from. */
export function builderYaml(data: SurveyData, previousYaml: string): string {
  const header = /^# yaml-language-server:[^\n]*\n/.exec(previousYaml)?.[0] ?? "";
  return header + stringify(data, { lineWidth: 0 });
}

/**
 * Saves the builder's data: translation records are written for the texts that changed
 * (translations.ts), the data becomes YAML, and the YAML is stored as the editor stores it.
 */
export async function saveFromBuilder(
  db: Db,
  input: {
    survey: ManagedSurvey;
    data: SurveyData;
    confirmKeys?: string | null;
    signal?: AbortSignal;
  },
  actor: Actor,
): Promise<SaveResult> {
  const working = await getWorkingVersion(db, input.survey);
  const previous = working ? surveyData(working.sourceYaml) : null;
  const recorded = recordTranslations(previous ?? {}, input.data) as SurveyData;
  const text = builderYaml(recorded, working?.sourceYaml ?? "");
  return saveSurveyVersion(
    db,
    {
      survey: input.survey,
      text,
      origin: "editor",
      fileName: `${input.survey.slug}.yaml`,
      confirmKeys: input.confirmKeys,
      signal: input.signal,
    },
    actor,
  );
}
