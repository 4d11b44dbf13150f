import {
  Composer,
  type CST,
  type Document,
  isMap,
  isScalar,
  isSeq,
  Lexer,
  LineCounter,
  Parser,
  YAMLParseError,
  type YAMLError,
} from "yaml";
import type * as z from "zod";
import { closestMatch, didYouMean, formatPath, type Path } from "./paths";
import { questionBase } from "./primitives";
import { isQuestionType, questionTypeSchemas } from "./registry";
import { findTexts, staleLocales } from "./translations";
import {
  blockFileSchema,
  includePageSchema,
  type Page,
  pageSchema,
  type PageInput,
  type SurveyFileInput,
  type SurveyDefinition,
  surveyDefinitionSchema,
  surveyFileSchema,
} from "./schema";

/**
 * Questionnaire sources: YAML text -> validated, expanded definition, with every problem
 * located by file, line and path. Pure (no file system): `load.ts` reads the files, the
 * browser editor passes text.
 */

export interface Problem {
  file: string;
  /** 1-based line of the node at `path`, or of its nearest existing parent. */
  line: number;
  /** Like `pages[2].questions[4].options[1].code`; empty for the file as a whole. */
  path: string;
  message: string;
  /** 1-based column, for YAML syntax errors. */
  column?: number;
}

export interface SourceFile {
  file: string;
  text: string;
}

/** A parsed YAML file that can tell the line of a path. */
export interface YamlSource {
  file: string;
  data: unknown;
  lineOf: (path: Path) => number;
  problemAt: (path: Path, message: string) => Problem;
}

export interface ParsedBlock {
  file: string;
  /** The block's page, or null when the file has problems. */
  page: Page | null;
  problems: Problem[];
  source: YamlSource;
}

export interface ParsedSurvey {
  file: string;
  definition: SurveyDefinition | null;
  problems: Problem[];
  /** The line of a path in the survey file (1 when the file could not be parsed). */
  lineOf: (path: Path) => number;
}

/** Looks up a shared block by name (`- include: <name>`), null when there is none. */
export type BlockLookup = (name: string) => ParsedBlock | null;

function pairKey(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

/**
 * How deeply lists and mappings may be nested inside each other. The bundled questionnaires
 * need about 10 levels; a text nested thousands of levels deep (`[[[[…]]]]`) would take the
 * YAML parser seconds, so it is refused as soon as the limit is passed.
 */
export const MAX_YAML_NESTING = 64;

/** Thrown while parsing when the nesting passes MAX_YAML_NESTING, at `offset`. */
class NestingTooDeep extends Error {
  constructor(readonly offset: number) {
    super("nesting too deep");
  }
}

/** The parser's tokens for `text`, stopping with NestingTooDeep past the nesting limit. */
function* depthLimitedTokens(
  parser: Parser,
  text: string,
  onNewLine: (offset: number) => void,
): Generator<CST.Token> {
  onNewLine(0);
  for (const lexeme of new Lexer().lex(text)) {
    yield* parser.next(lexeme);
    // The stack holds the document, then one entry per open collection (and the scalar).
    if (parser.stack.length > MAX_YAML_NESTING + 1) throw new NestingTooDeep(parser.offset);
  }
  yield* parser.end();
}

/** As `parseDocument` of the yaml package, but refusing excessive nesting early. */
function parseLimited(
  text: string,
  lines: LineCounter,
): { doc: Document; tooDeepAt: null } | { doc: null; tooDeepAt: number } {
  const parser = new Parser(lines.addNewLine);
  const composer = new Composer({ prettyErrors: false, uniqueKeys: true });
  let doc: Document | null = null;
  try {
    for (const next of composer.compose(
      depthLimitedTokens(parser, text, lines.addNewLine),
      true,
      text.length,
    )) {
      if (!doc) doc = next;
      else {
        doc.errors.push(
          new YAMLParseError(
            next.range.slice(0, 2) as [number, number],
            "MULTIPLE_DOCS",
            "the text holds more than one document (a `---` line starts another); a questionnaire is one document",
          ),
        );
        break;
      }
    }
  } catch (error) {
    if (error instanceof NestingTooDeep) return { doc: null, tooDeepAt: error.offset };
    throw error;
  }
  // compose(…, forceDoc = true) always yields a document at the end.
  return { doc: doc as Document, tooDeepAt: null };
}

/** What the parser expected where it stopped, by the kind of syntax error. */
function expectation(error: YAMLError, text: string, line: number): string {
  const lineText = (n: number) => text.split("\n")[n - 1] ?? "";
  const indent = (s: string) => s.length - s.trimStart().length;
  switch (error.code) {
    case "BAD_INDENT":
      if (/must be sufficiently indented and end with/.test(error.message)) {
        const closing = /end with a ([\]}])/.exec(error.message)?.[1] ?? "]";
        return `expected the ${closing === "]" ? "[ … ] list" : "{ … } mapping"} opened above to be closed with ${closing} before this line`;
      }
      for (let n = line - 1; n >= 1; n--) {
        const above = lineText(n);
        if (above.trim() === "" || above.trimStart().startsWith("#")) continue;
        // A mapping's entries start after the "- " of a list item that holds it.
        const mapping = /mapping items/.test(error.message);
        const column = indent(above) + 1 + (mapping && /^\s*- /.test(above) ? 2 : 0);
        return `expected this line to start in the same column as the other entries of its ${mapping ? "mapping" : "list"} (line ${n} has one at column ${column}); check the spaces at the start of the line`;
      }
      return "expected this line to start in the same column as the other entries of its list or mapping";
    case "TAB_AS_INDENT":
      return "expected spaces for indentation; YAML does not allow tabs";
    case "MISSING_CHAR":
      return /quote/.test(error.message)
        ? "expected the closing quote of the text opened above"
        : "expected a closing bracket or quote";
    case "MULTILINE_IMPLICIT_KEY":
    case "BLOCK_AS_IMPLICIT_KEY":
      return "expected `key: value` with a space after the colon, or the line indented like its neighbours (a line indented further than the one above is read as part of it)";
    case "DUPLICATE_KEY":
      return "expected each key once in a mapping";
    case "BAD_SCALAR_START":
      return "expected a text that does not start with a reserved character such as @ or ` (put the text in quotes)";
    case "BAD_DQ_ESCAPE":
      return "expected a valid escape in the double-quoted text (put a text with backslashes in single quotes)";
    case "MULTIPLE_DOCS":
      return "expected one document (remove the `---` line)";
    default:
      return "expected valid YAML at this point";
  }
}

/** The first YAML syntax error of a text: line, column, what the parser found and expected. */
function syntaxProblem(error: YAMLError, text: string, file: string, lines: LineCounter): Problem {
  const { line, col: at } = lines.linePos(error.pos[0]);
  // The parser points at the start of a misindented line: name where its text starts.
  const lineText = text.split("\n")[line - 1] ?? "";
  const col = Math.max(at, lineText.length - lineText.trimStart().length + 1);
  const found = error.message
    .split("\n")[0]
    .replace(/ at line \d+, column \d+:?$/, "")
    .replace(/\.$/, "");
  return {
    file,
    line,
    column: col,
    path: "",
    message: `YAML syntax error at line ${line}, column ${col}: ${found}; ${expectation(error, text, line)}`,
  };
}

function readYaml(text: string, file: string): { source: YamlSource; problems: Problem[] } {
  const lines = new LineCounter();
  const parsed = parseLimited(text, lines);
  if (parsed.doc === null) {
    const line = lines.linePos(parsed.tooDeepAt).line;
    return {
      source: {
        file,
        data: undefined,
        lineOf: () => line,
        problemAt: (path, message) => ({ file, line, path: formatPath(path), message }),
      },
      problems: [
        {
          file,
          line,
          path: "",
          message: `YAML: lists and mappings are nested more than ${MAX_YAML_NESTING} levels deep here (line ${line}); a questionnaire needs about 10 levels`,
        },
      ],
    };
  }
  const doc = parsed.doc;
  const lineAt = (offset: number) => lines.linePos(offset).line;

  const lineOf = (path: Path): number => {
    let node: unknown = doc.contents;
    let offset = (doc.contents?.range?.[0] as number | undefined) ?? 0;
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((item) => pairKey(item.key) === String(segment));
        if (!pair) break;
        offset = (isScalar(pair.key) && pair.key.range ? pair.key.range[0] : offset) as number;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === "number" && node.items[segment]) {
        node = node.items[segment];
        offset = (node as { range?: [number] }).range?.[0] ?? offset;
      } else break;
    }
    return lineAt(offset);
  };
  const problemAt = (path: Path, message: string): Problem => ({
    file,
    line: lineOf(path),
    path: formatPath(path),
    message,
  });

  // One syntax slip makes the parser misread everything after it: only the first error is
  // meaningful, and the schema is checked only once the text parses.
  const first = doc.errors[0];
  const problems: Problem[] = first
    ? [syntaxProblem(first, text, file, lines)]
    : doc.warnings.map((error: YAMLError) => ({
        file,
        line: lineAt(error.pos[0]),
        path: "",
        message: `YAML: ${error.message.split("\n")[0]}`,
      }));
  let data: unknown;
  if (doc.errors.length === 0) {
    try {
      data = doc.toJS({ maxAliasCount: 1000 });
    } catch (error) {
      problems.push({ file, line: 1, path: "", message: `YAML: ${(error as Error).message}` });
    }
  }
  return { source: { file, data, lineOf, problemAt }, problems };
}

/* ---------------------------------------------------------------------------------------- */
/* Zod issues -> problems                                                                   */

const KIND_NAMES: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  object: "a mapping (key: value)",
  array: "a list",
  record: "a mapping (key: value)",
};

function describeValue(value: unknown): string {
  if (value === null) return "an empty value";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `"${value}"`;
  return String(value);
}

const MISSING_FIELD = "missing required field";

/** Messages of the definition schemas for issues that carry no message of their own. */
const definitionErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined
        ? MISSING_FIELD
        : `expected ${KIND_NAMES[issue.expected] ?? issue.expected}, got ${describeValue(issue.input)}`;
    case "invalid_value":
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}`
        : `must be one of: ${issue.values.map((v) => String(v)).join(", ")}${
            typeof issue.input === "string"
              ? didYouMean(
                  issue.input,
                  issue.values.map((v) => String(v)),
                )
              : ""
          }`;
    case "too_small":
      if (issue.origin === "array") return `needs at least ${issue.minimum} entries`;
      if (issue.origin === "string") return `must be at least ${issue.minimum} characters`;
      return `must be at least ${issue.minimum}`;
    case "too_big":
      if (issue.origin === "array") return `allows at most ${issue.maximum} entries`;
      if (issue.origin === "string") return `must be at most ${issue.maximum} characters`;
      return `must be at most ${issue.maximum}`;
    case "not_multiple_of":
      return `must be a multiple of ${issue.divisor}`;
    default:
      return undefined;
  }
};

function valueAt(data: unknown, path: Path): unknown {
  let value = data;
  for (const segment of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

type RawIssue = z.core.$ZodIssue;

interface Located {
  path: PropertyKey[];
  message: string;
  related?: PropertyKey[];
  /** For an unknown field: the field it was probably meant to be. */
  suggestion?: string;
  /** For a missing field: its name. */
  missingField?: string;
  /** A cross-field rule failed: the shape of the data is right. */
  refinement?: boolean;
}

/** How far a union branch is from the shape of the input: lower is the better explanation. */
function shapeMismatch(branch: readonly RawIssue[], input: unknown): number {
  let score = 0;
  for (const issue of branch) {
    if (issue.path.length === 0 && issue.code === "invalid_type") score += 100;
    else if (issue.path.length === 0 && issue.code === "unrecognized_keys")
      score += issue.keys.length;
    else if (
      issue.path.length === 1 &&
      issue.code === "invalid_type" &&
      valueAt(input, issue.path) === undefined
    ) {
      score += 1;
    }
  }
  return score;
}

const COMMON_FIELDS = new Set(Object.keys(questionBase.shape));
const ALL_FIELDS = new Set<string>([
  ...Object.keys(surveyFileSchema.shape),
  ...Object.keys(pageSchema.shape),
  ...Object.keys(includePageSchema.shape),
  ...Object.values(questionTypeSchemas).flatMap((spec) => Object.keys(spec.schema.shape)),
  ...["code", "label", "question", "equals", "oneOf", "answered", "not", "all", "any"],
]);

function unknownField(key: string, owner: unknown): Pick<Located, "message" | "suggestion"> {
  const type = (owner as { type?: unknown } | null)?.type;
  const fields = isQuestionType(type)
    ? Object.keys(questionTypeSchemas[type].schema.shape)
    : ALL_FIELDS;
  if (isQuestionType(type) && ALL_FIELDS.has(key) && !COMMON_FIELDS.has(key)) {
    return { message: `"${key}" is not a field of ${type} questions` };
  }
  const suggestion = closestMatch(key, fields);
  return {
    message: `unknown field "${key}"${suggestion ? ` (did you mean "${suggestion}"?)` : ""}`,
    ...(suggestion ? { suggestion } : {}),
  };
}

/**
 * Drops "missing required field" when a misspelt field next to it was meant to be it: the
 * unknown-field message already says so.
 */
function withoutExplainedMissing(located: Located[]): Located[] {
  const suggested = new Set(
    located
      .filter((l) => l.suggestion !== undefined)
      .map((l) => formatPath([...l.path.slice(0, -1), l.suggestion as string])),
  );
  return located.filter((l) => l.missingField === undefined || !suggested.has(formatPath(l.path)));
}

function locateIssues(
  issues: readonly RawIssue[],
  data: unknown,
  prefix: PropertyKey[] = [],
): Located[] {
  const located: Located[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    const value = valueAt(data, path);
    switch (issue.code) {
      case "invalid_union": {
        if (issue.errors.length === 0) {
          const options = (issue as { options?: unknown[] }).options?.map(String) ?? [];
          const field = (issue as { discriminator?: string }).discriminator ?? "";
          const what = field === "type" ? "question type" : field;
          located.push({
            path,
            message:
              value === undefined
                ? `missing ${what} (one of: ${options.join(", ")})`
                : `unknown ${what} ${describeValue(value)}${
                    didYouMean(String(value), options) || ` (one of: ${options.join(", ")})`
                  }`,
          });
          break;
        }
        const best = issue.errors.reduce((a, b) =>
          shapeMismatch(b, value) < shapeMismatch(a, value) ||
          (shapeMismatch(b, value) === shapeMismatch(a, value) && b.length < a.length)
            ? b
            : a,
        );
        located.push(...locateIssues(best, data, path));
        break;
      }
      case "unrecognized_keys":
        for (const key of issue.keys)
          located.push({ path: [...path, key], ...unknownField(key, value) });
        break;
      case "invalid_type": {
        const field = path[path.length - 1];
        if (issue.message === MISSING_FIELD && field !== undefined) {
          located.push({
            path,
            message: `${MISSING_FIELD} "${String(field)}"`,
            missingField: String(field),
          });
        } else located.push({ path, message: issue.message });
        break;
      }
      case "invalid_key":
        located.push({ path, message: issue.issues[0]?.message ?? issue.message });
        break;
      default: {
        const related = (issue as { params?: { related?: PropertyKey[] } }).params?.related;
        located.push({
          path,
          message: issue.message,
          ...(related ? { related } : {}),
          ...(issue.code === "custom" ? { refinement: true } : {}),
        });
      }
    }
  }
  return located;
}

/** Parses `data` with `schema`, returning its output or the located issues. */
function validate<T>(
  schema: z.ZodType<T>,
  data: unknown,
): { success: true; data: T } | { success: false; issues: Located[] } {
  const result = schema.safeParse(data, { error: definitionErrorMap });
  return result.success
    ? { success: true, data: result.data }
    : { success: false, issues: withoutExplainedMissing(locateIssues(result.error.issues, data)) };
}

/** Problems without repeats, ordered by file and line. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems
    .filter((p) => {
      const id = JSON.stringify([p.file, p.line, p.path, p.message]);
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    })
    .sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
}

/* ---------------------------------------------------------------------------------------- */
/* Blocks and surveys                                                                        */

/** Parses and validates a block file (one page). */
export function parseBlockSource(text: string, file: string): ParsedBlock {
  const { source, problems } = readYaml(text, file);
  if (problems.length > 0) return { file, page: null, problems, source };
  const result = validate(blockFileSchema, source.data);
  if (!result.success) {
    return {
      file,
      page: null,
      problems: result.issues.map((i) => source.problemAt(i.path, i.message)),
      source,
    };
  }
  return { file, page: result.data, problems: [], source };
}

/**
 * Parses and validates any YAML file with `schema` (the programme catalogue, for one), with
 * problems located by line and path as for questionnaires. `data` is null when there are problems.
 */
export function parseYamlWithSchema<T>(
  schema: z.ZodType<T>,
  text: string,
  file: string,
): { data: T | null; problems: Problem[]; lineOf: (path: Path) => number } {
  const { source, problems } = readYaml(text, file);
  if (problems.length > 0) return { data: null, problems, lineOf: source.lineOf };
  const result = validate(schema, source.data);
  if (!result.success)
    return {
      data: null,
      problems: sortProblems(result.issues.map((i) => source.problemAt(i.path, i.message))),
      lineOf: source.lineOf,
    };
  return { data: result.data, problems: [], lineOf: source.lineOf };
}

/**
 * A further rule on a valid expanded definition (the need taxonomy, taxonomy.ts): its issues are
 * located like the schema's, by the path in the expanded definition.
 */
export type DefinitionCheck = (
  definition: SurveyDefinition,
) => Array<{ path: PropertyKey[]; message: string }>;

/** Where an expanded page comes from: the survey's own `pages[index]`, or an included block. */
interface PageOrigin {
  index: number;
  block?: string;
}

/**
 * Parses and validates a survey file, expands its includes with `lookupBlock` and checks the
 * expanded definition. Problems of included blocks are part of the result. `blockNames`, when
 * given, lets an unknown block name suggest the nearest one.
 */
export function parseSurveyWithBlocks(
  text: string,
  file: string,
  lookupBlock: BlockLookup,
  blockNames: readonly string[] = [],
  check?: DefinitionCheck,
): ParsedSurvey {
  const { source, problems } = readYaml(text, file);
  const fail = (found: readonly Problem[]): ParsedSurvey => ({
    file,
    definition: null,
    problems: sortProblems(found),
    lineOf: source.lineOf,
  });
  if (problems.length > 0) return fail(problems);

  // When only cross-field rules of the file failed, its shape is right: go on with the
  // expansion so that the rules of the whole survey are reported in the same run.
  const parsed = validate(surveyFileSchema, source.data);
  const fileProblems = parsed.success
    ? []
    : parsed.issues.map((i) => source.problemAt(i.path, i.message));
  if (!parsed.success && !parsed.issues.every((issue) => issue.refinement))
    return fail(fileProblems);
  const surveyFile = parsed.success ? parsed.data : (source.data as SurveyFileInput);

  const origins: PageOrigin[] = [];
  const included = new Map<string, number>();
  const expansionProblems: Problem[] = [];
  const pages: PageInput[] = [];
  surveyFile.pages.forEach((entry, index) => {
    if (!("include" in entry)) {
      pages.push(entry);
      origins.push({ index });
      return;
    }
    const path = ["pages", index, "include"];
    const name = entry.include;
    const block = lookupBlock(name);
    if (!block) {
      expansionProblems.push(
        source.problemAt(path, `unknown shared block "${name}"${didYouMean(name, blockNames)}`),
      );
    } else if (included.has(name)) {
      expansionProblems.push(
        source.problemAt(
          path,
          `block "${name}" is already included at pages[${included.get(name)}]`,
        ),
      );
    } else if (!block.page) {
      expansionProblems.push(...block.problems);
    } else {
      included.set(name, index);
      pages.push(block.page);
      origins.push({ index, block: name });
    }
  });
  if (expansionProblems.length > 0) return fail([...fileProblems, ...expansionProblems]);

  const { pages: _filePages, ...fields } = surveyFile;
  const validated = validate(surveyDefinitionSchema, { ...fields, pages });
  const ruleIssues = validated.success && check ? check(validated.data) : [];
  const checked: typeof validated =
    validated.success && ruleIssues.length > 0 ? { success: false, issues: ruleIssues } : validated;
  if (!checked.success) {
    // Survey-wide rules are reported in the survey file. A clash inside an included block
    // (the block is valid by itself) is reported at the include, naming the block's field.
    const locate = (
      path: PropertyKey[],
    ): { path: PropertyKey[]; block?: string; inBlock: PropertyKey[] } => {
      const origin =
        path[0] === "pages" && typeof path[1] === "number" ? origins[path[1]] : undefined;
      if (!origin) return { path, inBlock: [] };
      const rest = path.slice(2);
      return origin.block === undefined
        ? { path: ["pages", origin.index, ...rest], inBlock: [] }
        : { path: ["pages", origin.index], block: origin.block, inBlock: rest };
    };
    const firstAt = (at: ReturnType<typeof locate>) =>
      at.block === undefined
        ? `first at line ${source.lineOf(at.path)}`
        : `first in block "${at.block}", ${formatPath(at.inBlock)}`;
    return fail([
      ...fileProblems,
      ...checked.issues.map((issue) => {
        const at = locate(issue.path);
        const first = issue.related ? ` (${firstAt(locate(issue.related))})` : "";
        const where =
          at.block === undefined ? "" : `block "${at.block}", ${formatPath(at.inBlock)}: `;
        return source.problemAt(at.path, `${where}${issue.message}${first}`);
      }),
    ]);
  }
  if (fileProblems.length > 0) return fail(fileProblems);
  return { file, definition: checked.data, problems: [], lineOf: source.lineOf };
}

/**
 * Parses a survey from YAML text that need not come from disk (the browser editor).
 * `resolveBlock` returns the source of a shared block by name, or null if there is none.
 */
export function parseSurveySource(
  text: string,
  fileName: string,
  resolveBlock: (name: string) => SourceFile | null,
  check?: DefinitionCheck,
): { definition: SurveyDefinition | null; problems: Problem[] } {
  const cache = new Map<string, ParsedBlock | null>();
  const lookup: BlockLookup = (name) => {
    if (!cache.has(name)) {
      const block = resolveBlock(name);
      cache.set(name, block ? parseBlockSource(block.text, block.file) : null);
    }
    return cache.get(name) ?? null;
  };
  const { definition, problems } = parseSurveyWithBlocks(text, fileName, lookup, [], check);
  return { definition, problems };
}

/** The 1-based line of a top-level field (`slug:`) in YAML text, 1 if absent. */
export function topLevelLine(text: string, field: string): number {
  const index = text.split("\n").findIndex((l) => l.startsWith(`${field}:`));
  return index >= 0 ? index + 1 : 1;
}

/** JSON with object keys sorted at every level: equal definitions give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner === null || typeof inner !== "object" || Array.isArray(inner)) return inner;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(inner).sort())
      sorted[key] = (inner as Record<string, unknown>)[key];
    return sorted;
  });
}

/**
 * Stale translations of a questionnaire or block text (translations.ts), located like
 * problems: a translation whose source text changed after it was made or reviewed. None for
 * a text that does not parse (its problems are reported instead).
 */
export function staleTranslationProblems(text: string, file: string): Problem[] {
  const { source, problems } = readYaml(text, file);
  if (problems.length > 0) return [];
  return findTexts(source.data).flatMap(({ path, text: value }) =>
    staleLocales(value).map((r) =>
      source.problemAt(
        path,
        `stale translation: the "${r.target}" text translates an earlier "${r.source}" text; update it, or mark it as reviewed (npm run surveys:translations -- --reviewed ${file})`,
      ),
    ),
  );
}
