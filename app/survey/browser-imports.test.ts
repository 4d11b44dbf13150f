import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const APP = path.resolve(__dirname, "..");

/** The modules a file imports at run time (type-only imports and `import()` left out). */
function runtimeImports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const found: string[] = [];
  const statements =
    /^(?:import|export)\s+([^;]*?)\s*from\s+["']([^"']+)["']|^import\s+["']([^"']+)["']/gm;
  for (const m of text.matchAll(statements)) {
    if (m[3]) {
      found.push(m[3]);
      continue;
    }
    const clause = m[1].trim();
    if (/^type\b/.test(clause)) continue;
    const braces = /^\{([^}]*)\}$/.exec(clause);
    if (braces) {
      const names = braces[1]
        .split(",")
        .map((n) => n.trim())
        .filter(Boolean);
      if (names.length > 0 && names.every((n) => /^type\s/.test(n))) continue;
    }
    found.push(m[2]);
  }
  return found;
}

function resolveModule(from: string, spec: string): string | null {
  if (!spec.startsWith(".") && !spec.startsWith("~/")) return null;
  const base = spec.startsWith("~/")
    ? path.join(APP, spec.slice(2))
    : path.resolve(path.dirname(from), spec);
  for (const candidate of [`${base}.ts`, `${base}.tsx`, path.join(base, "index.ts")]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`cannot resolve ${spec} from ${from}`);
}

/** Every module reached from `entries` through run-time imports, and the packages they use. */
function closure(entries: string[]): { modules: string[]; packages: Set<string> } {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const queue = entries.map((e) => path.join(APP, e));
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const spec of runtimeImports(file)) {
      const target = resolveModule(file, spec);
      if (target) queue.push(target);
      else packages.add(spec);
    }
  }
  return { modules: [...seen].map((f) => path.relative(APP, f)), packages };
}

describe("browser modules that do not validate", () => {
  it("load no zod, no schema module and no validation messages", () => {
    // The messages travel with the validation: a module shared with it would bring them along.
    const { modules, packages } = closure([
      "survey/question-types.ts",
      "survey/visibility.ts",
      "survey/form-data.ts",
      "survey/definition.ts",
      "survey/storage.ts",
      "survey/export.ts",
      "components/questions/index.ts",
      "components/survey/answer-review.tsx",
      "components/survey/page-form.tsx",
    ]);
    expect(modules.length).toBeGreaterThan(20);
    expect([...packages].filter((p) => p === "zod" || p.startsWith("zod/"))).toEqual([]);
    expect(
      modules.filter((m) =>
        /(\.schema\.ts|survey\/(registry|schema|answer-schema|primitives|messages)\.ts|page-validation\.ts)$/.test(
          m.split(path.sep).join("/"),
        ),
      ),
    ).toEqual([]);
  });

  it("the question page's validation loads zod (lazily, see page-form.tsx)", () => {
    const { packages } = closure(["components/survey/page-validation.ts"]);
    expect(packages.has("zod")).toBe(true);
    const form = readFileSync(path.join(APP, "components/survey/page-form.tsx"), "utf8");
    expect(form).toMatch(/import\("\.\/page-validation"\)/);
  });
});
