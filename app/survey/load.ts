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

/**
 * Loading questionnaires from the file system: `surveys/*.yaml`, with shared blocks in
 * `surveys/blocks/*.yaml`. Used by `npm run surveys:check`, the synchronisation and tests.
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

function checkFiles(
  surveyFiles: readonly string[],
  blocksDir: string,
  blockFiles: readonly string[],
): LoadResult {
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
    const parsed = parseSurveyWithBlocks(source.text, file, library.lookup, [
      ...library.files.keys(),
    ]);
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

  const stale = [...surveyFiles, ...blockFiles].flatMap((file) => {
    const source = readSource(file);
    return "text" in source ? staleTranslationProblems(source.text, file) : [];
  });
  return {
    surveys,
    problems: sortProblems([...library.problems, ...problems]),
    stale: sortProblems(stale),
  };
}

/**
 * Loads every survey of `dir` (`dir/*.yaml`) with the blocks of `dir/blocks`, and checks all
 * block files too, whether included or not. Slugs must be unique in the directory.
 */
export function loadSurveyDirectory(dir: string): LoadResult {
  const blocksDir = path.join(dir, "blocks");
  return checkFiles(yamlFilesIn(dir), blocksDir, yamlFilesIn(blocksDir));
}

/**
 * Checks the given files: files inside `blocksDir` are checked as blocks, the others as
 * surveys whose includes come from `blocksDir`.
 */
export function checkSurveyFiles(files: readonly string[], blocksDir: string): LoadResult {
  const root = path.resolve(blocksDir) + path.sep;
  const isBlock = (file: string) => path.resolve(file).startsWith(root);
  return checkFiles(
    files.filter((file) => !isBlock(file)),
    blocksDir,
    files.filter(isBlock),
  );
}
