import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { BLOCK_NAME_PATTERN } from "~/survey/constants";
import {
  definitionHash,
  loadTaxonomy,
  parseSurveySource,
  type Problem,
  type SourceFile,
} from "~/survey/load";
import { NEED_TAXONOMY_FILE, taxonomyIssues } from "~/survey/taxonomy";
import type { SurveyDefinition } from "~/survey/schema";

/**
 * Checking questionnaire text that staff type or upload, with the same schema and rules as
 * `npm run surveys:check`. Requests check it off the main thread (`checkSourceOffThread`): a
 * worker thread parses and validates, with a time limit, so that no file however large or
 * contrived holds up the requests of other users while it is read.
 */

/** Shared blocks that `- include:` refers to. */
export const BLOCKS_DIR = path.resolve("surveys", "blocks");

/**
 * A check that takes longer is stopped, and the text refused. A valid questionnaire of 1 MB
 * (the upload limit) takes about 1 s, 5 to 10 s on a machine under heavy load.
 */
export const SOURCE_CHECK_TIME_LIMIT_MS = 30_000;

/** Memory a check may use; a text that needs more is refused. */
const WORKER_MEMORY_MB = 512;

/** Looks shared blocks up in `dir` by name (`respondent-profile` -> dir/respondent-profile.yaml). */
export function blockResolver(dir: string = BLOCKS_DIR): (name: string) => SourceFile | null {
  return (name) => {
    if (!BLOCK_NAME_PATTERN.test(name)) return null;
    for (const ext of [".yaml", ".yml"]) {
      const file = path.join(dir, name + ext);
      if (existsSync(file))
        return {
          file: path.relative(process.cwd(), file) || file,
          text: readFileSync(file, "utf8"),
        };
    }
    return null;
  };
}

export interface CheckedSource {
  definition: SurveyDefinition | null;
  hash: string | null;
  /** Problems with line and path, as `npm run surveys:check` reports them. */
  problems: Problem[];
}

/**
 * Parses and validates YAML text in the calling thread. Requests use `checkSourceOffThread`,
 * which runs this in a worker thread.
 */
export function checkSource(
  text: string,
  fileName: string,
  blocksDir: string = BLOCKS_DIR,
): CheckedSource {
  // The need taxonomy beside the blocks: a need category's parent must be one of its codes. A
  // category without a parent is accepted here (it counts in no shared category).
  const { taxonomy } = loadTaxonomy(path.join(path.dirname(blocksDir), NEED_TAXONOMY_FILE));
  const { definition, problems } = parseSurveySource(
    text,
    fileName,
    blockResolver(blocksDir),
    taxonomy ? (d) => taxonomyIssues(d, taxonomy, { requireShared: false }) : undefined,
  );
  return { definition, hash: definition ? definitionHash(definition) : null, problems };
}

/** What the worker is asked and what it answers (survey-check.worker.ts). */
export interface CheckRequest {
  text: string;
  fileName: string;
  blocksDir: string;
}
export type CheckReply = { ready: true } | { result: CheckedSource } | { error: string };

function refused(fileName: string, message: string): CheckedSource {
  return {
    definition: null,
    hash: null,
    problems: [{ file: fileName, line: 1, path: "", message }],
  };
}

// ---------------------------------------------------------------------------------------------
// The worker thread

const WORKER_NAME = "survey-check.worker";

/**
 * Where the worker's code is. From the sources (development server, tests, scripts: this file
 * is a .ts module) the .ts worker beside it, loaded through tsx. In the production build this
 * module is bundled into the Remix server build (build/server/index.js, or a chunk of it in
 * build/server/assets/) and scripts/build-server.mjs emits the worker as
 * build/server/survey-check.worker.js.
 */
function workerEntry(): URL {
  const here = fileURLToPath(import.meta.url);
  const dir = path.dirname(here);
  if (here.endsWith(".ts")) {
    const target = pathToFileURL(path.join(dir, `${WORKER_NAME}.ts`)).href;
    // tsx's loader entry (dist/loader.mjs) sits beside its programmatic API (dist/esm/api).
    const tsx = path.dirname(createRequire(import.meta.url).resolve("tsx"));
    const api = pathToFileURL(path.join(tsx, "esm", "api", "index.mjs")).href;
    const code = `const { tsImport } = await import(${JSON.stringify(api)});
await tsImport(${JSON.stringify(target)}, ${JSON.stringify(target)});`;
    return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
  }
  const candidates = [dir, path.dirname(dir), path.join(dir, "server")].map((d) =>
    path.join(d, `${WORKER_NAME}.js`),
  );
  const found = candidates.find((file) => existsSync(file));
  if (!found)
    throw new Error(
      `the survey check worker is missing: ${candidates.join(" or ")} (run npm run build)`,
    );
  return pathToFileURL(found);
}

interface Job {
  request: CheckRequest;
  timeLimitMs: number;
  resolve: (result: CheckedSource) => void;
  reject: (error: unknown) => void;
}

let started: Promise<Worker> | null = null;
let current: Worker | null = null;
const queue: Job[] = [];
let running = false;

/** The worker, started when needed (and again after it stopped); it never keeps the process alive. */
function currentWorker(): Promise<Worker> {
  if (started) return started;
  const starting = new Promise<Worker>((resolve, reject) => {
    const w = new Worker(workerEntry(), {
      resourceLimits: { maxOldGenerationSizeMb: WORKER_MEMORY_MB },
    });
    w.unref();
    current = w;
    let failure: Error | null = null;
    w.on("error", (error) => (failure = error));
    w.once("exit", (code) => {
      if (current === w) {
        current = null;
        started = null;
      }
      // No effect once it has started.
      reject(failure ?? new Error(`the survey check worker stopped (exit code ${code})`));
    });
    w.once("message", (reply: CheckReply) => {
      if ("ready" in reply) resolve(w);
    });
  });
  started = starting;
  starting.catch(() => {
    if (started === starting) started = null;
  });
  return starting;
}

/** Stops a worker whose check went wrong; the next check starts a new one. */
function retire(w: Worker): void {
  if (current === w) {
    current = null;
    started = null;
  }
  void w.terminate();
}

async function runJob(job: Job): Promise<CheckedSource> {
  const w = await currentWorker();
  const fileName = job.request.fileName;
  return new Promise<CheckedSource>((resolve) => {
    const finish = (result: CheckedSource) => {
      clearTimeout(timer);
      w.off("message", onMessage);
      w.off("error", onError);
      w.off("exit", onExit);
      resolve(result);
    };
    const onMessage = (reply: CheckReply) => {
      if ("result" in reply) finish(reply.result);
      else if ("error" in reply)
        finish(refused(fileName, `the file could not be checked: ${reply.error}`));
    };
    const onError = (error: Error & { code?: string }) => {
      retire(w);
      finish(
        refused(
          fileName,
          error.code === "ERR_WORKER_OUT_OF_MEMORY"
            ? "the file could not be checked: it needs more memory than a questionnaire may use"
            : `the file could not be checked: ${error.message}`,
        ),
      );
    };
    const onExit = (code: number) => {
      retire(w);
      finish(
        refused(fileName, `the file could not be checked: the check stopped (exit code ${code})`),
      );
    };
    const timer = setTimeout(() => {
      retire(w);
      finish(
        refused(
          fileName,
          `checking the file took longer than ${job.timeLimitMs / 1000} s and was stopped; a questionnaire this large or this complex cannot be stored (split it or simplify it)`,
        ),
      );
    }, job.timeLimitMs);
    w.on("message", onMessage);
    w.once("error", onError);
    w.once("exit", onExit);
    w.postMessage(job.request);
  });
}

async function drain(): Promise<void> {
  if (running) return;
  running = true;
  try {
    for (let job = queue.shift(); job; job = queue.shift()) {
      try {
        job.resolve(await runJob(job));
      } catch (error) {
        job.reject(error);
      }
    }
  } finally {
    running = false;
  }
}

/**
 * How many checks may wait while one runs. Beyond it a check is refused at once ("the checker
 * is busy"), so that uploads sent faster than they can be checked do not pile up in memory.
 */
export const MAX_QUEUED_CHECKS = 4;

export const CHECKER_BUSY = "The checker is busy, try again in a minute.";

/**
 * As `checkSource`, in a worker thread: the main thread stays free to answer other requests
 * while the text is parsed. Checks run one after the other; one that takes longer than
 * `timeLimitMs` (counted from when the worker starts it) is stopped and the text refused with
 * a problem that says so. At most MAX_QUEUED_CHECKS wait; a further one is refused with
 * CHECKER_BUSY. A waiting check whose `signal` aborts (its request was abandoned) leaves the queue.
 */
export function checkSourceOffThread(
  text: string,
  fileName: string,
  options: { blocksDir?: string; timeLimitMs?: number; signal?: AbortSignal } = {},
): Promise<CheckedSource> {
  if (queue.length >= MAX_QUEUED_CHECKS) return Promise.resolve(refused(fileName, CHECKER_BUSY));
  if (options.signal?.aborted) return Promise.resolve(refused(fileName, "the check was cancelled"));
  return new Promise<CheckedSource>((resolve, reject) => {
    const job: Job = {
      request: { text, fileName, blocksDir: options.blocksDir ?? BLOCKS_DIR },
      timeLimitMs: options.timeLimitMs ?? SOURCE_CHECK_TIME_LIMIT_MS,
      resolve,
      reject,
    };
    options.signal?.addEventListener(
      "abort",
      () => {
        const i = queue.indexOf(job);
        if (i === -1) return; // already running (or done): it finishes as usual
        queue.splice(i, 1);
        resolve(refused(fileName, "the check was cancelled"));
      },
      { once: true },
    );
    queue.push(job);
    void drain();
  });
}
