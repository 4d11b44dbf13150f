import type * as z from "zod";
import { didYouMean, type Path } from "./paths";
import type { Condition } from "./primitives";
import { type Question, questionTypeOf } from "./question-types";

/**
 * Cross-field rules of a list of pages that single fields cannot express: unique page and
 * question keys, and `showIf` conditions that refer to an earlier question and compare its
 * answer with something it can have.
 */

export interface CheckIssue {
  /** Relative to the list of pages: `[pageIndex, "questions", questionIndex, …]`. */
  path: PropertyKey[];
  message: string;
  /** Where the clashing earlier definition is, for duplicates. */
  related?: PropertyKey[];
}

interface PageLike {
  key: string;
  questions: readonly Question[];
}

interface Declared {
  question: Question;
  order: number;
  path: PropertyKey[];
}

export function pageListIssues(pages: readonly PageLike[]): CheckIssue[] {
  const issues: CheckIssue[] = [];
  const pageKeys = new Map<string, number>();
  pages.forEach((page, pageIndex) => {
    const first = pageKeys.get(page.key);
    if (first !== undefined) {
      issues.push({
        path: [pageIndex, "key"],
        message: `duplicate page key "${page.key}"`,
        related: [first, "key"],
      });
    } else pageKeys.set(page.key, pageIndex);
  });

  const declared = new Map<string, Declared>();
  const ordered: Declared[] = [];
  pages.forEach((page, pageIndex) =>
    page.questions.forEach((question, questionIndex) => {
      const path = [pageIndex, "questions", questionIndex];
      const entry = { question, order: ordered.length, path };
      ordered.push(entry);
      const first = declared.get(question.key);
      if (first) {
        issues.push({
          path: [...path, "key"],
          message: `duplicate question key "${question.key}"`,
          related: [...first.path, "key"],
        });
      } else declared.set(question.key, entry);
    }),
  );

  for (const entry of ordered) {
    if (entry.question.showIf) {
      checkCondition(entry.question.showIf, [...entry.path, "showIf"], entry, declared, issues);
    }
  }
  return issues;
}

function checkCondition(
  condition: Condition,
  path: PropertyKey[],
  owner: Declared,
  declared: ReadonlyMap<string, Declared>,
  issues: CheckIssue[],
): void {
  if ("not" in condition)
    return checkCondition(condition.not, [...path, "not"], owner, declared, issues);
  if ("all" in condition || "any" in condition) {
    const [operator, operands] =
      "all" in condition ? ["all", condition.all] : ["any", condition.any];
    operands.forEach((operand, index) =>
      checkCondition(operand, [...path, operator, index], owner, declared, issues),
    );
    return;
  }
  const key = condition.question;
  const questionPath = [...path, "question"];
  if (key === owner.question.key) {
    issues.push({ path: questionPath, message: "showIf refers to the question itself" });
    return;
  }
  const target = declared.get(key);
  if (!target) {
    issues.push({
      path: questionPath,
      message: `showIf refers to unknown question "${key}"${didYouMean(key, declared.keys())}`,
    });
    return;
  }
  if (target.order > owner.order) {
    issues.push({
      path: questionPath,
      message: `showIf refers to "${key}", which comes later in the survey; conditions may only use earlier questions`,
    });
    return;
  }
  if ("answered" in condition) return;

  const [operator, values]: [string, Array<string | number>] =
    "equals" in condition ? ["equals", [condition.equals]] : ["oneOf", condition.oneOf];
  const valuePath = (index: number) =>
    operator === "equals" ? [...path, "equals"] : [...path, "oneOf", index];
  const support = questionTypeOf(target.question).condition;
  const type = target.question.type;
  if (!support) {
    issues.push({
      path: [...path, operator],
      message: `showIf cannot use ${operator} with "${key}" (a ${type} question); use answered: true`,
    });
    return;
  }
  values.forEach((value, index) => {
    if (support.operand === "number") {
      if (typeof value !== "number") {
        issues.push({
          path: valuePath(index),
          message: `"${key}" is a ${type} question: compare it with a number, not "${value}"`,
        });
      }
      return;
    }
    const codes = support.codes(target.question);
    if (!codes.includes(String(value))) {
      const what = type === "country" ? "an ISO country code" : `an option code of "${key}"`;
      issues.push({
        path: valuePath(index),
        message: `"${value}" is not ${what}${didYouMean(String(value), codes)}`,
      });
    }
  });
}

/** Reports check issues from a zod refinement, under `prefix`. */
export function addCheckIssues(
  ctx: z.RefinementCtx,
  issues: readonly CheckIssue[],
  prefix: Path = [],
): void {
  for (const issue of issues) {
    ctx.addIssue({
      code: "custom",
      path: [...prefix, ...issue.path],
      message: issue.message,
      ...(issue.related ? { params: { related: [...prefix, ...issue.related] } } : {}),
    });
  }
}
