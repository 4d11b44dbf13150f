import type { FormFields } from "~/survey/question-type";
import { fieldName } from "~/survey/question-type";
import type { Question } from "~/survey/question-types";
import { NEED_FORM_SLOTS } from "~/survey/types/need-list";

/**
 * The buttons of a questionnaire page. Every button is a submit button named `intent`, so the
 * page works as a plain form; with JavaScript some are handled in the page instead.
 *
 *   next, review        validate the page, save it and go on (to the next page / the review)
 *   back, save          save without validating and go back / to the "saved" page
 *   autosave            save without validating, stay (sent in the background)
 *   lang:<xx>           save without validating and show the page in another language
 *   need:add:<key>      add an empty need entry (saves what is there)
 *   need:remove:<key>:<slot>   remove a need entry
 *   rank:up:<key>:<item>, rank:down:<key>:<item>   move a ranking item
 *   submit              (review page) submit the response
 */
export type Intent =
  | { kind: "next" }
  | { kind: "review" }
  | { kind: "back" }
  | { kind: "save" }
  | { kind: "autosave" }
  | { kind: "lang"; locale: string }
  | { kind: "need:add"; key: string }
  | { kind: "need:remove"; key: string; slot: number }
  | { kind: "rank"; key: string; item: string; direction: "up" | "down" };

const KEY = "[a-z][a-z0-9_]{0,62}";
const CODE = "[a-z0-9][a-z0-9_]{0,62}";

/** The intent a button sent, or null when the value is not one of the above. */
export function parseIntent(value: unknown): Intent | null {
  if (typeof value !== "string") return null;
  switch (value) {
    case "next":
    case "review":
    case "back":
    case "save":
    case "autosave":
      return { kind: value };
  }
  let m = /^lang:([a-z]{2})$/.exec(value);
  if (m) return { kind: "lang", locale: m[1] };
  m = new RegExp(`^need:add:(${KEY})$`).exec(value);
  if (m) return { kind: "need:add", key: m[1] };
  m = new RegExp(`^need:remove:(${KEY}):(\\d{1,2})$`).exec(value);
  if (m) return { kind: "need:remove", key: m[1], slot: Number(m[2]) };
  m = new RegExp(`^rank:(up|down):(${KEY}):(${CODE})$`).exec(value);
  if (m) return { kind: "rank", direction: m[1] as "up" | "down", key: m[2], item: m[3] };
  return null;
}

export const needIntent = {
  add: (key: string) => `need:add:${key}`,
  remove: (key: string, slot: number) => `need:remove:${key}:${slot}`,
};
export const rankIntent = (direction: "up" | "down", key: string, item: string) =>
  `rank:${direction}:${key}:${item}`;

/** Slots of a need list that hold any value (the id alone does not count). */
export function filledNeedSlots(key: string, fields: Readonly<FormFields>): number[] {
  const slots = new Set<number>();
  const prefix = `${fieldName(key)}.`;
  for (const [name, values] of Object.entries(fields)) {
    if (!name.startsWith(prefix)) continue;
    const [slot, field] = name.slice(prefix.length).split(".");
    if (field === "id" || !/^\d+$/.test(slot)) continue;
    if (values.some((v) => v.trim() !== "")) slots.add(Number(slot));
  }
  return [...slots].filter((s) => s < NEED_FORM_SLOTS).sort((a, b) => a - b);
}

/** The fields without those of one need slot. */
export function removeNeedSlot(
  key: string,
  slot: number,
  fields: Readonly<FormFields>,
): FormFields {
  const prefix = `${fieldName(key, slot)}.`;
  return Object.fromEntries(Object.entries(fields).filter(([name]) => !name.startsWith(prefix)));
}

/** Items in the order of their ranks (unranked ones after, in the order of the question). */
export function rankOrder(items: readonly string[], rankOf: (item: string) => string): string[] {
  const rank = (item: string) => {
    const n = Number(rankOf(item));
    return rankOf(item).trim() !== "" && Number.isFinite(n) ? n : Number.POSITIVE_INFINITY;
  };
  return items
    .map((item, index) => ({ item, index, rank: rank(item) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((x) => x.item);
}

/** The order after moving `item` one place up or down. */
export function moveInOrder(
  order: readonly string[],
  item: string,
  direction: "up" | "down",
): string[] {
  const list = [...order];
  const at = list.indexOf(item);
  const to = direction === "up" ? at - 1 : at + 1;
  if (at < 0 || to < 0 || to >= list.length) return list;
  [list[at], list[to]] = [list[to], list[at]];
  return list;
}

/**
 * The ranks after moving `item` one place up or down (`rankOf` gives the current ones, "" for an
 * unranked item). The items are shown ranked first, in the order of their ranks, then the
 * unranked ones. A move ranks the moved item and every item above it, numbered from 1 in the
 * new order; the items below it that had no rank keep none. So a press never ranks items the
 * respondent has not placed: one press on an unranked list ranks two items, not all of them.
 */
export function ranksAfterMove(
  items: readonly string[],
  rankOf: (item: string) => string,
  item: string,
  direction: "up" | "down",
): Record<string, string> {
  const order = rankOrder(items, rankOf);
  const ranked = order.filter((code) => rankOf(code).trim() !== "").length;
  const at = order.indexOf(item);
  const moved = moveInOrder(order, item, direction);
  if (at < 0 || moved.every((code, i) => code === order[i]))
    return Object.fromEntries(items.map((code) => [code, rankOf(code)]));
  const placed = Math.max(ranked, Math.max(at, moved.indexOf(item)) + 1);
  return Object.fromEntries(
    moved.map((code, index) => [code, index < placed ? String(index + 1) : ""]),
  );
}

/** The fields of a ranking after a move (see `ranksAfterMove`). */
export function applyRankMove(
  question: Extract<Question, { type: "ranking" }>,
  fields: Readonly<FormFields>,
  item: string,
  direction: "up" | "down",
): FormFields {
  const codes = question.items.map((i) => i.code);
  if (!codes.includes(item)) return { ...fields };
  const ranks = ranksAfterMove(
    codes,
    (code) => fields[fieldName(question.key, code)]?.[0] ?? "",
    item,
    direction,
  );
  const next: FormFields = { ...fields };
  for (const code of codes) next[fieldName(question.key, code)] = [ranks[code]];
  return next;
}
