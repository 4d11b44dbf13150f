import { describe, expect, it } from "vitest";
import { translator } from "~/i18n/catalog";
import type { Locale } from "~/i18n/translate";
import { formatters } from "./format";
import { generatedSummary, summaryParagraphs } from "./summary";
import type { GroupDashboard, MeanStat, NeedRank } from "./views";

const stat = (mean: number): MeanStat => ({
  n: 10,
  mean,
  sd: 1,
  ciLower: mean - 1,
  ciUpper: mean + 1,
  small: false,
});

const need = (
  category: string,
  priority: number | null,
  respondents: NeedRank["respondents"] = 10,
): NeedRank => ({
  category,
  label: { en: `Need ${category}`, ru: `Потребность ${category}` },
  respondents,
  entries: respondents,
  urgency: null,
  importance: null,
  priority: priority === null ? null : stat(priority),
});

function dashboard(overrides: Partial<GroupDashboard> = {}): GroupDashboard {
  return {
    coverage: "ok",
    participation: {
      invited: 0,
      started: 21,
      submitted: 21,
      completionRate: 1,
      responseRate: null,
      matching: 21,
      weeks: [],
    },
    needs: [
      {
        key: "needs",
        label: { en: "Needs" },
        answered: 21,
        matrix: [],
        byCountryGroup: { short_term: [], medium_term: [], all: [] },
        ranked: {
          short_term: [
            need("a", 80),
            need("b", 70.25),
            need("c", 60),
            need("d", 50),
            need("e", null, "suppressed"),
          ],
          medium_term: [need("b", 65)],
          all: [],
        },
      },
    ],
    borich: [
      {
        key: "skills",
        label: { en: "Skills" },
        meanImportance: null,
        meanCurrent: null,
        meanDiscrepancy: null,
        statements: [
          {
            statement: "s1",
            label: { en: "Data sharing", ru: "Обмен данными" },
            respondents: 10,
            importance: null,
            current: null,
            discrepancy: null,
            mwds: 3.456,
            quadrant: null,
            locus: null,
          },
          {
            statement: "s2",
            label: { en: "Hidden" },
            respondents: "suppressed",
            importance: null,
            current: null,
            discrepancy: null,
            mwds: null,
            quadrant: null,
            locus: null,
          },
        ],
      },
    ],
    ...overrides,
  } as GroupDashboard;
}

const write = (d: GroupDashboard, locale: Locale = "en") =>
  generatedSummary(d, formatters(locale, translator(locale), 5));

describe("the generated executive summary", () => {
  it("names the sample, the top three needs of each horizon and the strongest gaps, from shown figures only", () => {
    const text = write(dashboard());
    expect(summaryParagraphs(text)).toEqual([
      "The figures rest on 21 submitted responses.",
      "Short term (up to 2 years): the top needs are Need a (priority 80.0), Need b (priority 70.3), and Need c (priority 60.0). " +
        "Medium term (2–5 years): the top need is Need b (priority 65.0).",
      "The strongest gap between importance and current level (Borich MWDS) is Data sharing (3.46).",
    ]);
  });

  it("gives the response rate only when there were invitations", () => {
    const p = { ...dashboard().participation, invited: 40, responseRate: 0.525 };
    expect(write(dashboard({ participation: p }))).toContain(
      "52.5% of the 40 invited members responded.",
    );
    expect(write(dashboard())).not.toContain("invited");
  });

  it("uses the Russian plural forms", () => {
    const at = (n: number, invited: number) =>
      write(
        dashboard({
          participation: { ...dashboard().participation, matching: n, invited, responseRate: 0.5 },
        }),
        "ru",
      );
    expect(at(21, 1)).toContain("Показатели основаны на 21 полученном ответе.");
    expect(at(21, 1)).toContain("из 1 приглашённого участника");
    expect(at(3, 4)).toContain("Показатели основаны на 3 полученных ответах.");
    expect(at(3, 4)).toContain("из 4 приглашённых участников");
    expect(at(25, 11)).toContain("Показатели основаны на 25 полученных ответах.");
    const ru = write(dashboard(), "ru");
    expect(ru).toContain(
      "Краткосрочные (до 2 лет): главные потребности — Потребность a (приоритет 80,0)",
    );
    expect(ru).toContain(
      "Среднесрочные (2–5 лет): главная потребность — Потребность b (приоритет 65,0).",
    );
    expect(ru).toContain(
      "Наибольший разрыв между важностью и текущим уровнем (MWDS по Боричу): Обмен данными (3,46).",
    );
  });

  it("says only that figures are withheld when the view is too small", () => {
    const text = write(dashboard({ coverage: "small" }));
    expect(text).toBe(
      "The figures of this view are not shown: fewer than 5 respondents are in it or left out of it (small-group protection).",
    );
    expect(text).not.toMatch(/Need a|21/);
  });
});
