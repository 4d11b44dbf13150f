import { type RefObject, useCallback, useEffect, useRef, useState } from "react";
import type { Formatters } from "./format";

/*
 * Tagging free-text answers several at a time. Without JavaScript the page is plain forms: each
 * answer's checkbox belongs to the bulk form (the `form` attribute), "select all" is a link.
 * With JavaScript, the keys below move between answers, select them and apply or remove the
 * chosen themes, and the number of selected answers is announced.
 */

export const BULK_FORM_ID = "bulk-tag";
const ITEM = ".text-list .text-item";
const ANSWER_BOXES = `input[type="checkbox"][name="answers"][form="${BULK_FORM_ID}"]`;

type Intent = "bulk-tag" | "bulk-untag";

export const SHORTCUTS = [
  { keys: ["J"], action: "next" },
  { keys: ["K"], action: "previous" },
  { keys: ["X"], action: "select" },
  { keys: ["A"], action: "selectAll" },
  { keys: ["T"], action: "tag" },
  { keys: ["R"], action: "untag" },
  { keys: ["/"], action: "search" },
  { keys: ["?"], action: "help" },
] as const;

/** Whether a key pressed here is text being typed (never taken as a shortcut). */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement)
    return !["checkbox", "radio", "button", "submit", "reset"].includes(target.type);
  return false;
}

function answerBoxes(): HTMLInputElement[] {
  return [...document.querySelectorAll<HTMLInputElement>(ANSWER_BOXES)];
}

export interface TextTagging {
  /** Answers selected now (null before hydration: the server cannot know). */
  selected: number | null;
  allSelected: boolean;
  /** A message for the reader after a shortcut that could not act. */
  hint: string;
  toggleAll: () => void;
}

/**
 * Keyboard shortcuts and the selection count of the free-text page. `resetKey` changes when a
 * new page of answers is shown.
 */
export function useTextTagging({
  form,
  helpRef,
  searchId,
  resetKey,
  f,
}: {
  form: RefObject<HTMLFormElement>;
  helpRef: RefObject<HTMLDetailsElement>;
  searchId: string;
  resetKey: string;
  f: Formatters;
}): TextTagging {
  const { t } = f;
  const [selected, setSelected] = useState<number | null>(null);
  const [total, setTotal] = useState(0);
  const [hint, setHint] = useState("");
  const current = useRef(-1);

  const count = useCallback(() => {
    const boxes = answerBoxes();
    setTotal(boxes.length);
    setSelected(boxes.filter((b) => b.checked).length);
  }, []);

  const toggleAll = useCallback(() => {
    const boxes = answerBoxes();
    const all = boxes.length > 0 && boxes.every((b) => b.checked);
    for (const b of boxes) b.checked = !all;
    count();
  }, [count]);

  // A new list of answers (another page, or the same view after tagging): start at its top.
  useEffect(() => {
    count();
    setHint("");
    current.current = -1;
  }, [count, resetKey]);

  useEffect(() => {
    const onChange = (e: Event) => {
      if (e.target instanceof HTMLInputElement && e.target.matches(ANSWER_BOXES)) count();
    };
    document.addEventListener("change", onChange);
    return () => document.removeEventListener("change", onChange);
  }, [count]);

  useEffect(() => {
    const items = () => [...document.querySelectorAll<HTMLElement>(ITEM)];
    const currentIndex = (list: HTMLElement[]) => {
      const here = document.activeElement?.closest<HTMLElement>(ITEM);
      const i = here ? list.indexOf(here) : -1;
      if (i >= 0) return i;
      return current.current < list.length ? current.current : list.length - 1;
    };
    const moveTo = (list: HTMLElement[], i: number) => {
      if (i < 0 || i >= list.length) return;
      current.current = i;
      list[i].focus();
    };
    const submit = (intent: Intent) => {
      const bulk = form.current;
      if (!bulk) return;
      const list = items();
      if (!answerBoxes().some((b) => b.checked)) {
        const i = currentIndex(list);
        const box = i >= 0 ? list[i].querySelector<HTMLInputElement>(ANSWER_BOXES) : null;
        if (!box) {
          setHint(t("dashboard.texts.shortcuts.needAnswer"));
          return;
        }
        box.checked = true;
        count();
      }
      const themes = bulk.querySelectorAll<HTMLInputElement>('input[name="themes"]');
      const newTheme = bulk.querySelector<HTMLInputElement>('input[name="new_theme"]');
      const chosen =
        [...themes].some((x) => x.checked) ||
        (intent === "bulk-tag" && Boolean(newTheme?.value.trim()));
      if (!chosen) {
        setHint(t("dashboard.texts.shortcuts.needTheme"));
        (themes[0] ?? newTheme)?.focus();
        return;
      }
      setHint("");
      const button = bulk.querySelector<HTMLButtonElement>(
        `button[name="intent"][value="${intent}"]`,
      );
      bulk.requestSubmit(button);
    };

    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      const list = items();
      // Letters by their place on the keyboard, so that they work in a Russian layout too.
      const letter = e.shiftKey ? "" : e.code;
      if (letter === "KeyJ") moveTo(list, Math.min(currentIndex(list) + 1, list.length - 1));
      else if (letter === "KeyK") moveTo(list, Math.max(currentIndex(list) - 1, 0));
      else if (letter === "KeyX") {
        const i = currentIndex(list);
        const box = i >= 0 ? list[i].querySelector<HTMLInputElement>(ANSWER_BOXES) : null;
        if (!box) setHint(t("dashboard.texts.shortcuts.needAnswer"));
        else {
          box.checked = !box.checked;
          current.current = i;
          count();
        }
      } else if (letter === "KeyA") toggleAll();
      else if (letter === "KeyT") submit("bulk-tag");
      else if (letter === "KeyR") submit("bulk-untag");
      // Signs by the character typed, wherever the layout has it.
      else if (e.key === "/") document.getElementById(searchId)?.focus();
      else if (e.key === "?") {
        const help = helpRef.current;
        if (!help) return;
        help.open = true;
        help.querySelector("summary")?.focus();
      } else return;
      e.preventDefault();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [count, form, helpRef, searchId, t, toggleAll]);

  return { selected, allSelected: total > 0 && selected === total, hint, toggleAll };
}

/** The shortcuts, as a table in a disclosure that the "?" key opens. */
export function ShortcutHelp({
  helpRef,
  f,
}: {
  helpRef: RefObject<HTMLDetailsElement>;
  f: Formatters;
}) {
  const { t } = f;
  return (
    <details className="shortcut-help no-print" ref={helpRef}>
      <summary>{t("dashboard.texts.shortcuts.heading")}</summary>
      <p>{t("dashboard.texts.shortcuts.intro")}</p>
      <table>
        <caption className="visually-hidden">{t("dashboard.texts.shortcuts.heading")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("dashboard.texts.shortcuts.key")}</th>
            <th scope="col">{t("dashboard.texts.shortcuts.action")}</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.action}>
              <th scope="row">
                {s.keys.map((k) => (
                  <kbd key={k}>{k}</kbd>
                ))}
              </th>
              <td>{t(`dashboard.texts.shortcuts.${s.action}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
