// A two-round Delphi with fourteen invited participants: the coordinator publishes a
// questionnaire, imports the invitees and starts round 2 from the Consensus tab; twelve answer
// round 2 (three through the browser, with and without JavaScript). What a participant sees in
// round 2 and the consensus figures are checked against a recomputation from the answers export,
// and the questionnaire's own data export carries the same round-2 ratings.
import { expect, type APIRequestContext, type Page, test } from "@playwright/test";
import { E2E_ACCOUNTS } from "./accounts";
import { expectNoAxeViolations } from "./axe";
import { waitForHydration } from "./respond-helpers";
import { restoreSession } from "./sessions";

const coordinator = E2E_ACCOUNTS.surveyManager;
const group = coordinator.groups[0];

const COFUNDING = "How important is aligned co-funding of joint calls?";
const VISITS = "How important are funded research visits?";

function questionnaire(slug: string): string {
  return `slug: ${slug}
workingGroup: ${group}
accessMode: invitation_only
estimatedMinutes: 2
title:
  en: Delphi test of the working group
  ru: Дельфи-опрос рабочей группы
pages:
  - key: priorities
    title: { en: Priorities, ru: Приоритеты }
    questions:
      - key: delphi_cofunding
        type: scale
        required: true
        min: 1
        max: 5
        label:
          en: "${COFUNDING}"
          ru: "Насколько важно согласованное софинансирование совместных конкурсов?"
      - key: delphi_visits
        type: scale
        required: true
        min: 1
        max: 5
        label:
          en: "${VISITS}"
          ru: "Насколько важны финансируемые исследовательские визиты?"
`;
}

// Round-1 ratings of the fourteen invitees, in import order.
const ROUND1 = {
  delphi_cofunding: [4, 4, 4, 3, 5, 4, 2, 4, 5, 3, 4, 1, 4, 3],
  delphi_visits: [1, 5, 2, 4, 3, 5, 1, 2, 4, 3, 5, 2, 4, 1],
};
// Round-2 ratings of participants 3 to 11 (posted as the round page's form); 0 to 2 answer in
// the browser below, 12 and 13 do not answer round 2.
const ROUND2_POSTED: Record<number, { delphi_cofunding: number; delphi_visits: number }> = {
  3: { delphi_cofunding: 4, delphi_visits: 4 },
  4: { delphi_cofunding: 4, delphi_visits: 3 },
  5: { delphi_cofunding: 4, delphi_visits: 4 },
  6: { delphi_cofunding: 3, delphi_visits: 2 },
  7: { delphi_cofunding: 4, delphi_visits: 2 },
  8: { delphi_cofunding: 5, delphi_visits: 4 },
  9: { delphi_cofunding: 4, delphi_visits: 3 },
  10: { delphi_cofunding: 4, delphi_visits: 4 },
  11: { delphi_cofunding: 3, delphi_visits: 2 },
};

/** Quantile with the interpolation of Postgres percentile_cont. */
function quantile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  const pos = p * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

function figuresOf(values: number[]) {
  const median = quantile(values, 0.5);
  const q1 = quantile(values, 0.25);
  const q3 = quantile(values, 0.75);
  const within = values.filter((v) => Math.abs(v - median) <= 1).length / values.length;
  return { n: values.length, median, q1, q3, iqr: q3 - q1, within };
}

const num = (v: number) => new Intl.NumberFormat("en", { maximumFractionDigits: 2 }).format(v);
const pct = (v: number) =>
  new Intl.NumberFormat("en", { style: "percent", maximumFractionDigits: 0 }).format(v);

/** A CSV file of the app (BOM, comma, double quotes) as objects by header. */
function parseCsv(text: string): Array<Record<string, string>> {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const s = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n") {
      row.push(field.replace(/\r$/, ""));
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length > 0) rows.push([...row, field]);
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ""])));
}

async function signIn(page: Page) {
  await restoreSession(page, coordinator.email);
}

async function submitRoundOne(request: APIRequestContext, slug: string, token: string, i: number) {
  const res = await request.post(`/api/surveys/${slug}/responses`, {
    data: {
      idempotencyKey: `delphi-e2e-${i}-${token.slice(0, 8)}`,
      locale: i % 2 === 0 ? "en" : "ru",
      invitationToken: token,
      answers: {
        delphi_cofunding: ROUND1.delphi_cofunding[i],
        delphi_visits: ROUND1.delphi_visits[i],
      },
    },
  });
  expect(res.status(), await res.text()).toBe(201);
}

test("a two-round Delphi: participants see the panel's result, consensus matches the export", async ({
  page,
  browser,
  baseURL,
}) => {
  test.setTimeout(300_000);
  const slug = `e2e-delphi-${Date.now().toString(36)}`;
  const base = `/staff/groups/${group}/surveys/${slug}`;
  await signIn(page);

  // The questionnaire, published, with fourteen invitees.
  await page.goto(`/staff/groups/${group}/surveys/new?lang=en`);
  await page.getByLabel("Or upload a file").setInputFiles({
    name: `${slug}.yaml`,
    mimeType: "application/yaml",
    buffer: Buffer.from(questionnaire(slug)),
  });
  await page.getByRole("button", { name: "Create the survey" }).click();
  await expect(page.getByText("The survey has been created as a draft (version 1).")).toBeVisible();
  await page.goto(`${base}?lang=en`);
  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByText("The survey has been published.")).toBeVisible();

  await page.goto(`${base}/invitations?lang=en`);
  const lines = Array.from(
    { length: 14 },
    (_, i) =>
      `Panel Member ${i};member${i}@delphi.example;${i % 2 ? "RU" : "FR"};Institute ${i};${i % 2 ? "ru" : "en"}`,
  );
  await page.getByLabel("CSV file", { exact: true }).setInputFiles({
    name: "invitees.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(`\uFEFFName;E-mail;Country;Organisation;Language\n${lines.join("\n")}\n`),
  });
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(page.getByText("14 invitees imported.")).toBeVisible();
  await page.getByText("Show the 14 links").click();
  const tokens: string[] = [];
  for (let i = 0; i < 14; i++) {
    const link = (await page
      .getByRole("row")
      .filter({ hasText: `member${i}@delphi.example` })
      .locator(".personal-link")
      .textContent())!.trim();
    tokens.push(link.replace(/^.*\/i\//, ""));
  }

  // Round 1: every invitee answers through the JSON API.
  for (let i = 0; i < 14; i++) await submitRoundOne(page.request, slug, tokens[i], i);

  // Round 2 starts from the Consensus tab: both items, reasons required outside the IQR.
  await page.goto(`${base}/consensus?lang=en`);
  await page.getByRole("checkbox", { name: new RegExp(COFUNDING.replace(/\?/g, "\\?")) }).check();
  await page.getByRole("checkbox", { name: new RegExp(VISITS.replace(/\?/g, "\\?")) }).check();
  await page.getByLabel("Everyone who submitted round 1").check();
  await page.getByLabel("Required", { exact: true }).check();
  await page.getByRole("button", { name: "Start round 2" }).click();
  await expect(page.getByText("Round 2 has started.")).toBeVisible();

  const r1 = {
    delphi_cofunding: figuresOf(ROUND1.delphi_cofunding),
    delphi_visits: figuresOf(ROUND1.delphi_visits),
  };

  // Participant 0, with JavaScript: the panel's round-1 result beside each item, their own answer.
  const jsContext = await browser.newContext({ locale: "en-GB" });
  const p0 = await jsContext.newPage();
  await p0.goto(`/i/${tokens[0]}?lang=en`);
  await p0.getByRole("link", { name: /Round 2 of this survey is open/ }).click();
  await expect(p0.getByRole("heading", { level: 1 })).toHaveText(
    "Round 2: Delphi test of the working group",
  );
  await waitForHydration(p0);
  for (const [key, label] of [
    ["delphi_cofunding", COFUNDING],
    ["delphi_visits", VISITS],
  ] as const) {
    const item = p0.getByRole("region", { name: label });
    const feedback = item.getByRole("complementary", { name: "Panel result in round 1" });
    const f = r1[key];
    await expect(feedback.locator("dt", { hasText: /^Answers$/ }).locator("+ dd")).toHaveText(
      String(f.n),
    );
    await expect(feedback.locator("dt", { hasText: /^Median$/ }).locator("+ dd")).toHaveText(
      num(f.median),
    );
    await expect(
      feedback.locator("dt", { hasText: /interquartile range/ }).locator("+ dd"),
    ).toHaveText(`${num(f.q1)}–${num(f.q3)}`);
    const table = feedback.getByRole("table", { name: "How the panel rated this item in round 1" });
    const counts = [1, 2, 3, 4, 5].map((v) => String(ROUND1[key].filter((x) => x === v).length));
    await expect(table.locator("tbody td")).toHaveText(counts);
    await expect(feedback).toContainText(`Your answer in round 1: ${ROUND1[key][0]}`);
    // The previous answer is the default choice.
    await expect(
      item.getByRole("radio", { name: String(ROUND1[key][0]), exact: true }),
    ).toBeChecked();
  }
  await expectNoAxeViolations(p0);
  // Keeping 1 on visits (outside 2–4) without a reason: asked for one, nothing lost.
  await p0.getByRole("button", { name: "Submit my answers" }).click();
  const summary = p0.getByRole("alert").filter({ hasText: "Please correct these answers:" });
  await expect(summary).toContainText(
    `${VISITS}: Your rating lies outside the panel's interquartile range (${num(r1.delphi_visits.q1)}–${num(r1.delphi_visits.q3)}): give a short reason.`,
  );
  const visits0 = p0.getByRole("region", { name: VISITS });
  await expect(visits0.getByRole("radio", { name: "1", exact: true })).toBeChecked();
  await visits0.getByRole("textbox").fill("Visits are funded nationally in our country.");
  await p0.getByRole("button", { name: "Submit my answers" }).click();
  await expect(p0.getByRole("status")).toContainText("Your answers to round 2 are saved");
  await expect(visits0.getByRole("textbox")).toHaveValue(
    "Visits are funded nationally in our country.",
  );
  await jsContext.close();

  // Participants 1 and 2, without JavaScript: 1 moves towards the median, 2 gives a reason.
  const noJs = await browser.newContext({ javaScriptEnabled: false, locale: "en-GB" });
  const p1 = await noJs.newPage();
  await p1.goto(`/r/${tokens[1]}/round?lang=en`);
  await expect(
    p1.getByRole("region", { name: COFUNDING }).getByRole("radio", { name: "4", exact: true }),
  ).toBeChecked();
  await expect(p1.getByRole("region", { name: VISITS })).toContainText("Your answer in round 1: 5");
  await p1
    .getByRole("region", { name: VISITS })
    .getByRole("radio", { name: "4", exact: true })
    .check();
  await p1.getByRole("button", { name: "Submit my answers" }).click();
  await expect(p1.getByRole("status")).toContainText("Your answers to round 2 are saved");
  const p2 = await noJs.newPage();
  await p2.goto(`/r/${tokens[2]}/round?lang=en`);
  await p2
    .getByRole("region", { name: COFUNDING })
    .getByRole("radio", { name: "2", exact: true })
    .check();
  await p2.getByRole("button", { name: "Submit my answers" }).click();
  await expect(p2.getByRole("alert")).toContainText("give a short reason");
  await expect(
    p2.getByRole("region", { name: COFUNDING }).getByRole("radio", { name: "2", exact: true }),
  ).toBeChecked();
  await p2.getByRole("region", { name: COFUNDING }).getByRole("textbox").fill("Too early for us.");
  await p2.getByRole("button", { name: "Submit my answers" }).click();
  await expect(p2.getByRole("status")).toContainText("Your answers to round 2 are saved");
  await noJs.close();

  // Participants 3 to 11 post the round's form (the same request a browser without JavaScript sends).
  for (const [i, r] of Object.entries(ROUND2_POSTED)) {
    const f = r1;
    const form: Record<string, string> = {};
    for (const key of ["delphi_cofunding", "delphi_visits"] as const) {
      form[`rating:${key}`] = String(r[key]);
      const outside = r[key] < f[key].q1 || r[key] > f[key].q3;
      form[`reason:${key}`] = outside ? `Reason of participant ${i}` : "";
    }
    const res = await page.request.post(`/r/${tokens[Number(i)]}/round?lang=en`, {
      form,
      headers: { Origin: baseURL! },
      maxRedirects: 0,
    });
    expect(res.status(), await res.text()).toBe(302);
  }

  // The consensus page's figures agree with a recomputation from the answers export.
  const answers = parseCsv(
    await (await page.request.get(`${base}/consensus.csv?table=answers`)).text(),
  );
  const table = parseCsv(await (await page.request.get(`${base}/consensus.csv`)).text());
  const data = parseCsv(await (await page.request.get(`${base}/export.csv`)).text());
  await page.goto(`${base}/consensus?lang=en`);
  for (const [key, label] of [
    ["delphi_cofunding", COFUNDING],
    ["delphi_visits", VISITS],
  ] as const) {
    const byRound = (round: number) =>
      new Map(
        answers
          .filter((a) => a.item === key && a.round === String(round))
          .map((a) => [a.participant, Number(a.value)] as const),
      );
    const one = byRound(1);
    const two = byRound(2);
    expect([...one.values()].sort()).toEqual([...ROUND1[key]].sort());
    expect(two.size).toBe(12);
    const pairs = [...two.keys()].filter((p) => one.has(p));
    const changed = pairs.filter((p) => one.get(p) !== two.get(p)).length / pairs.length;
    const figures = [figuresOf([...one.values()]), figuresOf([...two.values()])];
    // The data export has each response's round-2 rating in the column <item>__r2.
    const column = `${key}__r2`;
    expect(
      new Map(
        data.filter((r) => r[column] !== "").map((r) => [r.response_id, Number(r[column])] as const),
      ),
    ).toEqual(two);
    expect(figuresOf(data.filter((r) => r[column] !== "").map((r) => Number(r[column])))).toEqual(
      figures[1],
    );

    const rows = page
      .getByRole("table", { name: `Figures by round: ${label}` })
      .locator("tbody tr");
    await expect(rows).toHaveCount(2);
    for (const round of [1, 2]) {
      const f = figures[round - 1];
      const csv = table.find((r) => r.item === key && r.round === String(round))!;
      expect(Number(csv.n)).toBe(f.n);
      expect(Number(csv.median)).toBeCloseTo(f.median, 6);
      expect(Number(csv.q1)).toBeCloseTo(f.q1, 6);
      expect(Number(csv.q3)).toBeCloseTo(f.q3, 6);
      expect(Number(csv.iqr)).toBeCloseTo(f.iqr, 6);
      expect(Number(csv.within_1)).toBeCloseTo(f.within, 4);
      const consensus = f.iqr <= 1 && f.within >= 0.7;
      const expected = [
        String(f.n),
        num(f.median),
        `${num(f.q1)}–${num(f.q3)}`,
        num(f.iqr),
        pct(f.within),
        consensus ? "yes" : "no",
        round === 2 ? pct(changed) : "–",
        round === 2 ? num(f.iqr - figures[0].iqr) : "–",
      ];
      await expect(
        rows
          .nth(round - 1)
          .locator("td")
          .nth(0),
      ).toHaveText(expected[0]);
      await expect(rows.nth(round - 1).locator("td")).toHaveText([
        ...expected,
        round === 2 ? /\d/ : "–",
      ]);
      if (round === 2) expect(Number(csv.changed)).toBeCloseTo(changed, 4);
    }
  }
  // Reasons are shown without names; the rounds table counts twelve round-2 submissions.
  await expect(page.getByText("Visits are funded nationally in our country.")).toBeAttached();
  await expect(page.locator("main")).not.toContainText("Panel Member");
  await expect(
    page.getByRole("table", { name: "Rounds" }).getByRole("row").filter({ hasText: /^2/ }),
  ).toContainText("12");
  await expectNoAxeViolations(page);

  // The working group's dashboard and printed report show the same section, with the same figures.
  const cofundingRound2 = await page
    .getByRole("table", { name: `Figures by round: ${COFUNDING}` })
    .locator("tbody tr")
    .nth(1)
    .locator("th, td")
    .allTextContents();
  for (const path of [`/staff/groups/${group}`, `/staff/groups/${group}/report`]) {
    await page.goto(`${path}?survey=${slug}&lang=en`);
    const section = page.getByRole("region", { name: "Consensus", exact: true });
    await expect(section).toBeVisible();
    // On the dashboard the section's figures load when it is reached.
    await section.scrollIntoViewIfNeeded();
    await expect(
      page.getByRole("link", { name: "Consensus", exact: true }).first(),
    ).toHaveAttribute("href", "#consensus");
    await expect(
      section
        .getByRole("table", { name: `Figures by round: ${COFUNDING}` })
        .locator("tbody tr")
        .nth(1)
        .locator("th, td"),
    ).toHaveText(cofundingRound2);
  }
  await expectNoAxeViolations(page, { include: "#consensus" });
});

test("a survey without later rounds has no consensus section on the dashboard", async ({
  page,
}) => {
  await signIn(page);
  await page.goto(`/staff/groups/${group}?survey=mobility-needs-2026&lang=en`);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.locator("#consensus")).toHaveCount(0);
  await expect(page.getByRole("region", { name: "Consensus", exact: true })).toHaveCount(0);
});
