import * as z from "zod";
import { didYouMean } from "./paths";
import { code, localizedText } from "./primitives";
import type { SurveyDefinition } from "./schema";
import { type Problem, parseYamlWithSchema } from "./source";

/**
 * The programme's need taxonomy: the need categories shared by every working group
 * (surveys/shared/need-taxonomy.yaml). A need list's category is either one of these codes or a
 * category of the group's own with `parent:` one of them, so that needs can be compared across
 * groups on the shared categories. Pure: load.ts reads the file.
 */

/** Where the taxonomy lives, relative to the surveys directory. */
export const NEED_TAXONOMY_FILE = "shared/need-taxonomy.yaml";

export const sharedCategorySchema = z.strictObject({
  code,
  label: localizedText,
  description: localizedText,
});

export const needTaxonomySchema = z.strictObject({
  categories: z
    .array(sharedCategorySchema)
    .min(1, "needs at least one category")
    .superRefine((entries, ctx) => {
      const seen = new Set<string>();
      entries.forEach((entry, index) => {
        if (seen.has(entry.code))
          ctx.addIssue({
            code: "custom",
            path: [index, "code"],
            message: `duplicate category code "${entry.code}"`,
          });
        seen.add(entry.code);
      });
    }),
});

export type NeedTaxonomy = z.output<typeof needTaxonomySchema>;
export type SharedCategory = NeedTaxonomy["categories"][number];

/** Parses and validates the taxonomy's YAML text; `taxonomy` is null when there are problems. */
export function parseTaxonomySource(
  text: string,
  file: string,
): { taxonomy: NeedTaxonomy | null; problems: Problem[] } {
  const { data, problems } = parseYamlWithSchema(needTaxonomySchema, text, file);
  return { taxonomy: data, problems };
}

/** A need category as definitions and merged dashboard questions hold it. */
export interface CategoryWithParent {
  code: string;
  parent?: string;
}

/**
 * The shared category a need category counts in: itself when its code is a shared one, else its
 * parent; null when neither is in the taxonomy (a category of an older version without parent).
 */
export function sharedCategoryOf(
  category: CategoryWithParent,
  taxonomy: Pick<NeedTaxonomy, "categories">,
): string | null {
  const codes = taxonomy.categories.map((c) => c.code);
  if (codes.includes(category.code)) return category.code;
  return category.parent !== undefined && codes.includes(category.parent) ? category.parent : null;
}

/**
 * The need categories of a definition that do not fit the taxonomy, located by path: an unknown
 * parent, a parent on a shared category, or (with `requireShared`, as `surveys:check` does for
 * the bundled questionnaires) a category of the group's own without a parent.
 */
export function taxonomyIssues(
  definition: Pick<SurveyDefinition, "pages">,
  taxonomy: Pick<NeedTaxonomy, "categories">,
  { requireShared = true }: { requireShared?: boolean } = {},
): Array<{ path: PropertyKey[]; message: string }> {
  const codes = taxonomy.categories.map((c) => c.code);
  const list = codes.join(", ");
  const issues: Array<{ path: PropertyKey[]; message: string }> = [];
  definition.pages.forEach((page, p) =>
    page.questions.forEach((q, i) => {
      if (q.type !== "need_list") return;
      q.categories.forEach((category, c) => {
        const at = ["pages", p, "questions", i, "categories", c];
        if (category.parent !== undefined) {
          if (codes.includes(category.code))
            issues.push({
              path: [...at, "parent"],
              message: `"${category.code}" is a shared need category itself and takes no parent`,
            });
          else if (!codes.includes(category.parent))
            issues.push({
              path: [...at, "parent"],
              message: `unknown shared need category "${category.parent}"${didYouMean(category.parent, codes)}; expected one of: ${list}`,
            });
        } else if (requireShared && !codes.includes(category.code)) {
          issues.push({
            path: [...at, "code"],
            message: `"${category.code}" is not a shared need category: give it a parent (one of: ${list}) or use a shared code`,
          });
        }
      });
    }),
  );
  return issues;
}
