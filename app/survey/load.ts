import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { SurveyDefinition } from "./schema";
import {
  type BlockLookup,
  canonicalJson,
  type ParsedBlock,
  parseBlockSource,
  parseSurveyWithBlocks,
  type Problem,
  sortProblems,
  staleTranslationProblems,
} from "./source";
import {
  NEED_TAXONOMY_FILE,
  type NeedTaxonomy,
  parseTaxonomySource,
  taxonomyIssues,
} from "./taxonomy";

/**
 * Loading questionnaires from the file system: `surveys/*.yaml`, with shared blocks in
 * `surveys/blocks/*.yaml`, and the need taxonomy in `surveys/shared/need-taxonomy.yaml` (each
 * need category must fit it, taxonomy.ts; a directory without that file has no taxonomy). Used by `npm run surveys:check`, the synchronisation and tests.
 */

export {
  parseSurveySource,
  parseBlockSource,
  canonicalJson,
  type Problem,
  type SourceFile,
} from "./source";

export interface LoadedSurvey {
  file: string;
  definition: SurveyDefinition;
  /** SHA-256 (hex) of the canonical JSON of the expanded definition: the version identity. */
  hash: string;
}

export interface LoadResult {
  /** The surveys without problems. */
  surveys: LoadedSurvey[];
  problems: Problem[];
  /** Stale translations of the files checked: warnings (errors with `surveys:check --strict`). */
  stale: Problem[];
  /** The need taxonomy, null when the directory has none or it has problems. */
  taxonomy: NeedTaxonomy | null;
}

const YAML_FILE = /\.ya?ml$/;

/** SHA-256 hex of the definition's canonical JSON: formatting of the YAML does not change it. */
export function definitionHash(definition: SurveyDefinition): string {
  return createHash("sha256").update(canonicalJson(definition)).digest("hex");
}

function yamlFilesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && YAML_FILE.test(entry.name))
    .map((entry) => path.join(dir, entry.name))
    .sort();
}

function blockName(file: string): string {
  return path.basename(file).replace(YAML_FILE, "");
}

function readSource(file: string): { text: string } | { problem: Problem } {
  try {
    return { text: readFileSync(file, "utf8") };
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === "ENOENT"
        ? "no such file"
        : (error as Error).message;
    return { problem: { file, line: 1, path: "", message: `cannot read the file: ${reason}` } };
  }
}

/** Parses each block of `blocksDir` at most once, collecting its problems once. */
function blockLibrary(blocksDir: string) {
  const files = new Map(yamlFilesIn(blocksDir).map((file) => [blockName(file), file]));
  const parsed = new Map<string, ParsedBlock>();
  const problems: Problem[] = [];
  const lookup: BlockLookup = (name) => {
    const file = files.get(name);
    if (!file) return null;
    let block = parsed.get(name);
    if (!block) {
      const source = readSource(file);
      block =
        "text" in source
          ? parseBlockSource(source.text, file)
          : { ...parseBlockSource("", file), problems: [source.problem] };
      parsed.set(name, block);
      problems.push(...block.problems);
    }
    return block;
  };
  return { files, lookup, problems };
}

/** The taxonomy file of a surveys directory, with its problems; no taxonomy when it is absent. */
export function loadTaxonomy(file: string): { taxonomy: NeedTaxonomy | null; problems: Problem[] } {
  if (!existsSync(file)) return { taxonomy: null, problems: [] };
  const source = readSource(file);
  if ("problem" in source) return { taxonomy: null, problems: [source.problem] };
  return parseTaxonomySource(source.text, file);
}

function checkFiles(
  surveyFiles: readonly string[],
  blocksDir: string,
  blockFiles: readonly string[],
  taxonomyFile: string,
): LoadResult {
  const loadedTaxonomy = loadTaxonomy(taxonomyFile);
  const { taxonomy } = loadedTaxonomy;
  const check = taxonomy ? (d: SurveyDefinition) => taxonomyIssues(d, taxonomy) : undefined;
  const library = blockLibrary(blocksDir);
  const requested = new Set(blockFiles.map((file) => path.resolve(file)));
  for (const [name, file] of library.files)
    if (requested.has(path.resolve(file))) library.lookup(name);

  const surveys: LoadedSurvey[] = [];
  const problems: Problem[] = [];
  const slugs = new Map<string, string>();
  for (const file of surveyFiles) {
    const source = readSource(file);
    if ("problem" in source) {
      problems.push(source.problem);
      continue;
    }
    const parsed = parseSurveyWithBlocks(
      source.text,
      file,
      library.lookup,
      [...library.files.keys()],
      check,
    );
    problems.push(...parsed.problems);
    if (!parsed.definition) continue;
    const { slug } = parsed.definition;
    const other = slugs.get(slug);
    if (other) {
      problems.push({
        file,
        line: parsed.lineOf(["slug"]),
        path: "slug",
        message: `slug "${slug}" is already used by ${other}`,
      });
      continue;
    }
    slugs.set(slug, file);
    surveys.push({ file, definition: parsed.definition, hash: definitionHash(parsed.definition) });
  }

  const checked = existsSync(taxonomyFile) ? [taxonomyFile] : [];
  const stale = [...surveyFiles, ...blockFiles, ...checked].flatMap((file) => {
    const source = readSource(file);
    return "text" in source ? staleTranslationProblems(source.text, file) : [];
  });
  return {
    surveys,
    problems: sortProblems([...loadedTaxonomy.problems, ...library.problems, ...problems]),
    stale: sortProblems(stale),
    taxonomy,
  };
}

/**
 * Loads every survey of `dir` (`dir/*.yaml`) with the blocks of `dir/blocks`, and checks all
 * block files too, whether included or not. Slugs must be unique in the directory.
 */
export function loadSurveyDirectory(dir: string): LoadResult {
  const blocksDir = path.join(dir, "blocks");
  return checkFiles(
    yamlFilesIn(dir),
    blocksDir,
    yamlFilesIn(blocksDir),
    path.join(dir, NEED_TAXONOMY_FILE),
  );
}

/**
 * Checks the given files: files inside `blocksDir` are checked as blocks, the others as
 * surveys whose includes come from `blocksDir`.
 */
export function checkSurveyFiles(files: readonly string[], blocksDir: string): LoadResult {
  const root = path.resolve(blocksDir) + path.sep;
  const isBlock = (file: string) => path.resolve(file).startsWith(root);
  // The taxonomy sits beside the blocks directory; it is checked with every survey.
  const taxonomyFile = path.join(path.dirname(path.resolve(blocksDir)), NEED_TAXONOMY_FILE);
  const isTaxonomy = (file: string) => path.resolve(file) === taxonomyFile;
  return checkFiles(
    files.filter((file) => !isBlock(file) && !isTaxonomy(file)),
    blocksDir,
    files.filter(isBlock),
    taxonomyFile,
  );
}
