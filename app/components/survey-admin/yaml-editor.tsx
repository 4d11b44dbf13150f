import { type ReactNode, useCallback, useEffect, useRef, useState } from "react";
import { useI18n } from "~/i18n/react";

/** A problem of a questionnaire source, as the server reports it. */
export interface SourceProblem {
  file: string;
  line: number;
  path: string;
  message: string;
  column?: number;
}

/** How long typing must pause before the text is checked. */
const CHECK_DELAY_MS = 700;

type LiveState =
  | { kind: "idle" }
  | { kind: "checking" }
  | { kind: "done"; problems: SourceProblem[] }
  | { kind: "failed" };

/**
 * With JavaScript: checks the text a moment after typing pauses (a POST to `url`, answered
 * from the server's check worker) and says in a polite live region what the check found.
 */
function useLiveCheck(url: string | undefined) {
  const [state, setState] = useState<LiveState>({ kind: "idle" });
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const pending = useRef<AbortController | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
      pending.current?.abort();
    },
    [],
  );
  const schedule = useCallback(
    (text: string) => {
      if (!url) return;
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => {
        pending.current?.abort();
        const controller = new AbortController();
        pending.current = controller;
        setState({ kind: "checking" });
        fetch(url, {
          method: "POST",
          body: new URLSearchParams({ source: text }),
          signal: controller.signal,
          headers: { Accept: "application/json" },
        })
          .then(async (res) => {
            if (!res.ok) throw new Error(String(res.status));
            const body = (await res.json()) as { problems: SourceProblem[] };
            setState({ kind: "done", problems: body.problems });
          })
          .catch((error: unknown) => {
            if ((error as Error).name !== "AbortError") setState({ kind: "failed" });
          });
      }, CHECK_DELAY_MS);
    },
    [url],
  );
  return { state, schedule };
}

/** Where a problem is: "Line 3, column 5" or "Line 3" (or the block file it is in). */
export function ProblemPlace({ problem, mainFile }: { problem: SourceProblem; mainFile?: string }) {
  const { t } = useI18n();
  if (mainFile !== undefined && problem.file !== mainFile)
    return <>{t("manage.editor.problemInBlock", { file: problem.file, line: problem.line })}</>;
  return problem.column !== undefined ? (
    <>{t("builder.check.lineColumn", { line: problem.line, column: problem.column })}</>
  ) : (
    <>{t("manage.editor.problem", { line: problem.line })}</>
  );
}

/** Moves the caret of a textarea to the start of a 1-based line and scrolls it into view. */
export function goToLine(textareaId: string, line: number): void {
  const textarea = document.getElementById(textareaId);
  if (!(textarea instanceof HTMLTextAreaElement)) return;
  const lines = textarea.value.split("\n");
  const index = Math.max(0, Math.min(line, lines.length) - 1);
  const start = lines.slice(0, index).reduce((sum, l) => sum + l.length + 1, 0);
  textarea.focus();
  textarea.setSelectionRange(start, start + (lines[index]?.length ?? 0));
  const lineHeight = Number.parseFloat(getComputedStyle(textarea).lineHeight) || 20;
  textarea.scrollTop = Math.max(0, (index - 3) * lineHeight);
}

/**
 * The problems of a questionnaire above its editor: announced and focused when they appear;
 * each links to the editor (and, with JavaScript, selects its line).
 */
export function ProblemSummary({
  problems,
  textareaId,
  mainFile,
  trigger,
}: {
  problems: SourceProblem[];
  textareaId: string;
  /** Problems of other files (shared blocks) name their file. */
  mainFile?: string;
  trigger?: unknown;
}) {
  const { t } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (problems.length) ref.current?.focus();
  }, [problems.length, trigger]);
  if (problems.length === 0) return null;
  return (
    <div
      className="error-summary"
      role="alert"
      aria-labelledby="problems-title"
      tabIndex={-1}
      ref={ref}
    >
      <h2 id="problems-title">{t("manage.editor.problemsTitle", { count: problems.length })}</h2>
      <ul className="problem-list">
        {problems.map((p, i) => {
          const inOtherFile = mainFile !== undefined && p.file !== mainFile;
          return (
            <li key={i}>
              <a
                href={`#${textareaId}`}
                onClick={(e) => {
                  if (inOtherFile) return;
                  e.preventDefault();
                  goToLine(textareaId, p.line);
                }}
              >
                <ProblemPlace problem={p} mainFile={mainFile} />
                {p.path ? (
                  <>
                    , <code>{p.path}</code>
                  </>
                ) : null}
                : {p.message}
              </a>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/**
 * A plain textarea (works without JavaScript). With JavaScript it gets a line-number gutter
 * that scrolls with the text and marks the lines that have problems.
 */
export function YamlEditor({
  id,
  name,
  label,
  hint,
  defaultValue,
  problemLines = [],
  invalid,
  children,
  checkUrl,
  fileName,
}: {
  id: string;
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  defaultValue: string;
  problemLines?: number[];
  invalid?: boolean;
  children?: ReactNode;
  /** With JavaScript, the text is checked here as it is typed. */
  checkUrl?: string;
  fileName?: string;
}) {
  const { t } = useI18n();
  const [mounted, setMounted] = useState(false);
  const live = useLiveCheck(checkUrl);
  const [lineCount, setLineCount] = useState(() => defaultValue.split("\n").length);
  const gutter = useRef<HTMLDivElement>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  useEffect(() => setMounted(true), []);
  useEffect(() => {
    setLineCount(area.current?.value.split("\n").length ?? defaultValue.split("\n").length);
  }, [defaultValue]);
  const sync = useCallback(() => {
    if (gutter.current && area.current) gutter.current.scrollTop = area.current.scrollTop;
  }, []);
  const marked = new Set(problemLines);
  return (
    <div className={`field${invalid ? " field--invalid" : ""}`}>
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {children}
      <div className={`yaml-editor${mounted ? " yaml-editor--numbered" : ""}`}>
        {mounted ? (
          <div
            className="yaml-editor__gutter"
            ref={gutter}
            aria-hidden="true"
            title={t("manage.editor.lineNumbers")}
          >
            {Array.from({ length: lineCount }, (_, i) => (
              <span key={i} className={marked.has(i + 1) ? "yaml-editor__mark" : undefined}>
                {i + 1}
              </span>
            ))}
          </div>
        ) : null}
        <textarea
          id={id}
          name={name}
          ref={area}
          defaultValue={defaultValue}
          spellCheck={false}
          autoCapitalize="off"
          autoCorrect="off"
          wrap="off"
          rows={30}
          aria-describedby={hint ? `${id}-hint` : undefined}
          aria-invalid={invalid ? true : undefined}
          onInput={(e) => {
            setLineCount(e.currentTarget.value.split("\n").length);
            live.schedule(e.currentTarget.value);
          }}
          onScroll={sync}
        />
      </div>
      {checkUrl && mounted ? (
        <div className="live-check" role="status" aria-live="polite">
          {live.state.kind === "checking" ? (
            <p className="hint">{t("builder.check.checking")}</p>
          ) : live.state.kind === "failed" ? (
            <p className="hint">{t("builder.check.failed")}</p>
          ) : live.state.kind === "done" ? (
            live.state.problems.length === 0 ? (
              <p className="notice notice--ok">{t("builder.check.noProblems")}</p>
            ) : (
              <>
                <p>
                  <strong>
                    {t("manage.editor.problemsTitle", { count: live.state.problems.length })}
                  </strong>
                </p>
                <ul className="problem-list">
                  {live.state.problems.slice(0, 20).map((p, i) => (
                    <li key={i}>
                      <a
                        href={`#${id}`}
                        onClick={(e) => {
                          if (fileName !== undefined && p.file !== fileName) return;
                          e.preventDefault();
                          goToLine(id, p.line);
                        }}
                      >
                        <ProblemPlace problem={p} mainFile={fileName} />
                        {p.path ? (
                          <>
                            , <code>{p.path}</code>
                          </>
                        ) : null}
                        : {p.message}
                      </a>
                    </li>
                  ))}
                </ul>
              </>
            )
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
