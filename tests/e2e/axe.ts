// The accessibility check of the end-to-end tests: axe-core (WCAG 2.1 A and AA) run in the
// page itself. axe is put into a document once and reused while the document stays (the
// respondent pages and dashboards navigate without reloading), and it runs where it is, with
// `axe.run`: no blank page is opened for each check to assemble results, as @axe-core/playwright
// does to support frames (the app has none). Every spec checks through here.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { expect, type Page } from "@playwright/test";

export const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * The axe violations of the page (or of the part matching `include`) as short readable lines,
 * each starting with `label`; empty when there are none.
 */
export async function axeViolations(
  page: Page,
  label: string,
  options: { include?: string } = {},
): Promise<string[]> {
  const present = await page.evaluate(() => "axe" in window);
  if (!present) await page.evaluate(AXE_SOURCE);
  const violations: Violation[] = await page.evaluate(
    async ({ tags, include }) => {
      const axe = (window as unknown as { axe: AxeInPage }).axe;
      const results = await axe.run(include ? { include: [include] } : document, {
        runOnly: { type: "tag", values: tags },
        resultTypes: ["violations"],
      });
      return results.violations.map((v) => ({
        id: v.id,
        impact: v.impact ?? null,
        help: v.help,
        targets: v.nodes.map((n) => n.target.join(" ")),
      }));
    },
    { tags: WCAG_TAGS, include: options.include },
  );
  return violations.map(
    (v) => `${label}: ${v.id} (${v.impact}) ${v.help} — ${v.targets.slice(0, 5).join(", ")}`,
  );
}

/** Fails, listing them, when the page (or the part matching `include`) has axe violations. */
export async function expectNoAxeViolations(
  page: Page,
  options: { include?: string } = {},
): Promise<void> {
  expect(await axeViolations(page, page.url(), options)).toEqual([]);
}

/** The part of axe-core's API used here, as it is inside the page. */
interface AxeInPage {
  run(
    context: Document | { include: string[] },
    options: { runOnly: { type: "tag"; values: string[] }; resultTypes: string[] },
  ): Promise<{
    violations: Array<{
      id: string;
      impact?: string | null;
      help: string;
      nodes: Array<{ target: string[] }>;
    }>;
  }>;
}
