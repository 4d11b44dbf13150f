import path from "node:path";
import { loadTaxonomy } from "~/survey/load";
import { NEED_TAXONOMY_FILE, type NeedTaxonomy } from "~/survey/taxonomy";

/**
 * The programme's need taxonomy (surveys/shared/need-taxonomy.yaml, app/survey/taxonomy.ts), read
 * once per process: the overview ranks needs on its categories and the needs export names the
 * shared category of every need entry. The file is checked by `npm run surveys:check`; a file
 * with problems stops the reader with them, as a questionnaire with problems is not loaded.
 */

export const NEED_TAXONOMY_PATH = path.resolve("surveys", NEED_TAXONOMY_FILE);

let loaded: NeedTaxonomy | null = null;

export function needTaxonomy(): NeedTaxonomy {
  if (loaded) return loaded;
  const { taxonomy, problems } = loadTaxonomy(NEED_TAXONOMY_PATH);
  if (problems.length > 0)
    throw new Error(
      `the need taxonomy has problems:\n${problems.map((p) => `${p.file}:${p.line}: ${p.path}: ${p.message}`).join("\n")}`,
    );
  loaded = taxonomy ?? { categories: [] };
  return loaded;
}
