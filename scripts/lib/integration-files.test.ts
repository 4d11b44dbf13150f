import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DRIVER_SPECIFIC_FILES } from "./integration-files.mjs";

describe("integration files run on PGlite when Postgres is given", () => {
  it("names existing test files", () => {
    for (const file of DRIVER_SPECIFIC_FILES) expect(existsSync(file), file).toBe(true);
  });

  it("include every file that opens an embedded database of its own", () => {
    const opening = readdirSync("tests/integration")
      .filter((f) => f.endsWith(".test.ts"))
      .map((f) => `tests/integration/${f}`)
      .filter((f) => /driver: "pglite"|DATA_DIR: dataDir/.test(readFileSync(f, "utf8")));
    expect(opening.length).toBeGreaterThan(0);
    for (const file of opening) expect(DRIVER_SPECIFIC_FILES).toContain(file);
  });
});
