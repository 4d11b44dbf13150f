import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { everyType, EVERY_TYPE_YAML } from "./__fixtures__/every-type";
import { buildSubmissionSchema } from "./answer-schema";
import { answersFromFormData } from "./form-data";
import { allQuestions } from "./schema";
import { parseSurveySource } from "./source";
import { pruneHidden } from "./visibility";

/** Replaces the value at a random place of `data` by `replacement` (or deletes it). */
function mutate(data: unknown, choice: number, replacement: unknown): unknown {
  const places: Array<{ parent: Record<string, unknown> | unknown[]; key: string | number }> = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node))
      node.forEach((child, i) => (places.push({ parent: node, key: i }), walk(child)));
    else if (node && typeof node === "object") {
      for (const [key, child] of Object.entries(node)) {
        places.push({ parent: node as Record<string, unknown>, key });
        walk(child);
      }
    }
  };
  const copy = structuredClone(data);
  walk(copy);
  const place = places[choice % places.length];
  if (replacement === undefined && !Array.isArray(place.parent))
    delete place.parent[place.key as string];
  else (place.parent as Record<string | number, unknown>)[place.key] = replacement;
  return copy;
}

describe("robustness", () => {
  const base: unknown = parse(EVERY_TYPE_YAML);

  it("reports any damage to a valid survey as located problems, without throwing", () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.oneof(fc.constant(undefined), fc.jsonValue()),
        (choice, replacement) => {
          const text = stringify(mutate(base, choice, replacement));
          const { definition, problems } = parseSurveySource(text, "s.yaml", () => null);
          expect(definition === null).toBe(problems.length > 0);
          for (const problem of problems) {
            expect(problem.line).toBeGreaterThanOrEqual(1);
            expect(problem.message).not.toBe("");
          }
        },
      ),
      { numRuns: 150 },
    );
  }, 60_000);

  it("never throws on arbitrary form fields or answers", () => {
    const questions = allQuestions(everyType);
    const schema = buildSubmissionSchema(everyType, "ru");
    const fields = fc.dictionary(
      fc.constantFrom(
        "q.org_type",
        "q.instruments",
        "q.instruments.other",
        "q.barriers.visas",
        "q.priorities.data",
        "q.budget",
        "q.needs.0.title",
        "q.needs.0.urgency",
        "q.needs.5.id",
        "q.competences.ipr.current",
      ),
      fc.array(fc.string()),
    );
    fc.assert(
      fc.property(fields, fc.dictionary(fc.string(), fc.jsonValue()), (form, raw) => {
        const answers = answersFromFormData(questions, (name) => form[name] ?? []);
        schema.safeParse(answers);
        schema.safeParse(raw);
        pruneHidden(everyType, raw);
      }),
      { numRuns: 200 },
    );
  }, 60_000);
});
