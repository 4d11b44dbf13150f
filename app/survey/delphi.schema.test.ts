import { describe, expect, it } from "vitest";
import { parseSurveySource } from "./source";

/** A questionnaire with a scale and a matrix, then the given `delphi:` block (from line 19). */
const SURVEY = (delphi: string) => `slug: panel
workingGroup: health
title: { en: Panel, ru: Панель }
pages:
  - key: p1
    title: { en: Page, ru: Страница }
    questions:
      - key: priority
        type: scale
        label: { en: Priority, ru: Приоритет }
      - key: fit
        type: matrix
        label: { en: Fit, ru: Соответствие }
        rows:
          - { code: grants, label: { en: Grants, ru: Гранты } }
          - { code: mobility, label: { en: Mobility, ru: Мобильность } }
        scale: { min: 1, max: 5 }
delphi:
${delphi}`;

/** `line: path: message` of each problem, as surveys:check prints them. */
function problems(delphi: string): string[] {
  return parseSurveySource(SURVEY(delphi), "panel.yaml", () => null).problems.map(
    (p) => `${p.line}: ${p.path}: ${p.message}`,
  );
}

describe("the delphi key of a questionnaire file", () => {
  it("accepts declared rounds and fills in their defaults", () => {
    const { definition, problems: found } = parseSurveySource(
      SURVEY(`  consensus: { maxIqr: 1, minWithin: 0.75 }
  rounds:
    - round: 2
      items: [priority, fit.grants]
      opensAt: 2026-03-01
      closesAt: 2026-03-15T18:00
`),
      "panel.yaml",
      () => null,
    );
    expect(found).toEqual([]);
    expect(definition?.delphi).toEqual({
      consensus: { maxIqr: 1, minWithin: 0.75 },
      reasons: "required",
      rounds: [
        {
          round: 2,
          items: ["priority", "fit.grants"],
          opensAt: "2026-03-01",
          closesAt: "2026-03-15T18:00",
          participants: "previous",
          newcomers: false,
        },
      ],
    });
  });

  it("names the line and path of each mistake: reasons, round 1, dates, participants", () => {
    expect(
      problems(`  reasons: sometimes
  rounds:
    - round: 1
      items: [priority]
      opensAt: 2026-03-01
    - round: 2
      items: [fit.mobility]
      opensAt: 2026-03-10
      closesAt: 2026-03-01
    - round: 3
      items: [priority]
      opensAt: 2026-04-01
      participants: everyone
`),
    ).toEqual([
      "19: delphi.reasons: must be one of: required, optional, off",
      "21: delphi.rounds[0].round: rounds are numbered from 2 (round 1 is the questionnaire)",
      "27: delphi.rounds[1].closesAt: closesAt must be after opensAt (2026-03-10)",
      "31: delphi.rounds[2].participants: must be one of: previous, invited",
    ]);
  });

  it("refuses a round declared twice", () => {
    expect(
      problems(`  rounds:
    - round: 2
      items: [priority]
      opensAt: 2026-03-01
    - round: 2
      items: [fit.grants]
      opensAt: 2026-04-01
`),
    ).toEqual(["23: delphi.rounds[1].round: round 2 is declared twice"]);
  });

  it("refuses an item that no round can re-rate, once the rest is valid", () => {
    expect(
      problems(`  rounds:
    - round: 2
      items: [priority, fit.travel]
      opensAt: 2026-03-01
`),
    ).toEqual([
      expect.stringMatching(
        /^21: delphi\.rounds\[0\]\.items\[1\]: "fit\.travel" is not an item a round can re-rate/,
      ),
    ]);
  });
});
