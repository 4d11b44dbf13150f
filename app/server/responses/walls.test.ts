import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const APP = path.resolve(__dirname, "../..");

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith(".test.ts") ? [full] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+["']([^"']+)["']/gm)].map((m) => m[1]);
}

describe("what routes and server modules import", () => {
  it("no route module takes form values or page buttons from the components", () => {
    const offenders = filesUnder(path.join(APP, "routes")).flatMap((file) =>
      importsOf(file)
        .filter((spec) => /components\/.*(intents|form-values)$/.test(spec))
        .map((spec) => `${path.relative(APP, file)}: ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it("no server module imports a component", () => {
    const offenders = filesUnder(path.join(APP, "server")).flatMap((file) =>
      importsOf(file)
        .filter((spec) => /(^~\/|\.\.\/)components\//.test(spec))
        .map((spec) => `${path.relative(APP, file)}: ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it("the questionnaire page's action leaves its buttons to app/server/responses", () => {
    const route = readFileSync(path.join(APP, "routes", "r.$token.p.$page.tsx"), "utf8");
    expect(route).toMatch(/pageAction\(/);
    expect(importsOf(path.join(APP, "routes", "r.$token.p.$page.tsx"))).not.toContain(
      "~/survey/intents",
    );
  });
});
