import { findQuestion } from "~/survey/definition";
import { fieldErrors, fieldsGetAll } from "~/survey/form-data";
import type { Locale } from "~/survey/locale";
import { localize } from "~/survey/locale";
import type { Path } from "~/survey/paths";
import type { FormFields } from "~/survey/question-type";
import type { Page, SurveyDefinition } from "~/survey/schema";
import { needEntrySlots } from "~/survey/types/need-list";

/** Most values one field name may carry (checkboxes of a long list); more are ignored. */
const MAX_VALUES_PER_FIELD = 300;

/**
 * The fields of `questionKeys` in a submitted form (`q.<key>` and `q.<key>.…`), exactly as
 * typed. Other names (the intent, forged names of other questions) are left out.
 */
export function fieldsFromForm(
  form: { forEach(callback: (value: FormDataEntryValue, name: string) => void): void },
  questionKeys: ReadonlySet<string>,
): FormFields {
  const fields: FormFields = {};
  form.forEach((value, name) => {
    if (typeof value !== "string" || !name.startsWith("q.")) return;
    const key = name.slice(2).split(".")[0];
    if (!questionKeys.has(key)) return;
    const list = (fields[name] ??= []);
    if (list.length < MAX_VALUES_PER_FIELD) list.push(value);
  });
  return fields;
}

/**
 * Messages by form field name for the issues of a page schema. A need entry's issues name its
 * position among the entries; the form has it in a slot that may differ (gaps, blank slots).
 */
export function pageFieldErrors(
  def: Pick<SurveyDefinition, "pages">,
  issues: ReadonlyArray<{ path: Path; message: string }>,
  fields: Readonly<FormFields>,
): Record<string, string> {
  const getAll = fieldsGetAll(fields);
  const slotsByKey = new Map<string, number[]>();
  const remapped = issues.map((issue) => {
    const [key, index, ...rest] = issue.path;
    if (typeof key !== "string" || typeof index !== "number")
      return { path: [...issue.path], message: issue.message };
    const question = findQuestion(def, key);
    if (question?.type !== "need_list") return { path: [...issue.path], message: issue.message };
    let slots = slotsByKey.get(key);
    if (!slots) {
      slots = needEntrySlots(question, getAll);
      slotsByKey.set(key, slots);
    }
    return { path: [key, slots[index] ?? index, ...rest], message: issue.message };
  });
  return fieldErrors(def, remapped);
}

/** The id an error links to: the field itself, or the need entry for an issue with its id. */
export function errorTarget(name: string): string {
  return name.endsWith(".id") ? name.slice(0, -3) : name;
}

/**
 * How the error summary names a field: the question, and the row, item, statement or need
 * entry the field belongs to.
 */
export function fieldLabel(
  page: Pick<Page, "questions">,
  name: string,
  locale: Locale,
  needEntry: (key: string, slot: number) => string,
): string {
  const [, key, part, field] = name.split(".");
  const question = page.questions.find((q) => q.key === key);
  if (!question) return "";
  const label = localize(question.label, locale);
  if (part === undefined) return label;
  const entries =
    question.type === "matrix"
      ? question.rows
      : question.type === "ranking"
        ? question.items
        : question.type === "borich"
          ? question.statements
          : null;
  const entry = entries?.find((e) => e.code === part);
  if (entry) return `${label} — ${localize(entry.label, locale)}`;
  if (question.type === "need_list" && /^\d+$/.test(part) && field !== undefined) {
    return `${label} — ${needEntry(key, Number(part))}`;
  }
  return label;
}
