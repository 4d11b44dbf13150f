import { expect, test } from "@playwright/test";
import { E2E_ACCOUNTS } from "./accounts";
import { restoreSession } from "./sessions";

// Runs against the production build: the questionnaire check runs in the worker thread that
// scripts/build-server.mjs bundles. Nothing is stored here (every text is refused).
const edit = "/staff/groups/energy/surveys/energy-needs-2026/edit";

/** A valid-looking questionnaire of `size` characters, under a slug that is not the survey's. */
function largeText(size: number): string {
  let text =
    "slug: another-slug\nworkingGroup: energy\ntitle: { en: Large, ru: Большая }\npages:\n";
  for (let p = 0; text.length < size; p++) {
    text += `  - key: p${p}\n    title: { en: Page ${p}, ru: Страница ${p} }\n    questions:\n`;
    for (let q = 0; q < 10; q++) {
      text += `      - key: q${p}_${q}\n        type: single_choice\n        label: { en: Question ${q}, ru: Вопрос ${q} }\n        options:\n`;
      for (let o = 0; o < 8; o++)
        text += `          - { code: o${o}, label: { en: Option ${o}, ru: Вариант ${o} } }\n`;
    }
  }
  return text;
}

test("questionnaire texts: deep nesting and another working group are refused, and the server answers while a large text is checked", async ({
  page,
  baseURL,
}) => {
  await restoreSession(page, E2E_ACCOUNTS.admin.email);

  await page.goto(`${edit}?lang=en`);
  const editor = page.getByLabel("Questionnaire (YAML)");
  const current = await editor.inputValue();
  const problems = page.getByRole("alert").filter({ hasText: "The questionnaire has 1 problem" });

  await page.getByLabel("Or upload a file").setInputFiles({
    name: "deep.yaml",
    mimeType: "application/yaml",
    buffer: Buffer.from(
      `slug: deep\nworkingGroup: energy\npages: ${"[".repeat(200_000)}${"]".repeat(200_000)}\n`,
    ),
  });
  await page.getByRole("button", { name: "Save as a new version" }).click();
  await expect(problems).toContainText("Line 3");
  await expect(problems).toContainText("nested more than 64 levels deep");

  await page.goto(`${edit}?lang=en`);
  await editor.fill(current.replace(/^workingGroup: energy$/m, "workingGroup: health"));
  await page.getByRole("button", { name: "Save as a new version" }).click();
  await expect(problems).toContainText("workingGroup");
  await expect(problems).toContainText('must stay "energy"');

  // /healthz keeps answering while a large text is posted and checked.
  let done = false;
  const started = Date.now();
  const posting = page.request
    .post(edit, { multipart: { source: largeText(400_000) }, headers: { Origin: baseURL ?? "" } })
    .finally(() => (done = true));
  const latencies: number[] = [];
  while (!done) {
    const asked = Date.now();
    const health = await page.request.get("/healthz");
    expect(health.status()).toBe(200);
    if (!done) latencies.push(Date.now() - asked);
  }
  const reply = await posting;
  const duration = Date.now() - started;
  expect(reply.status()).toBe(400);
  expect(await reply.text()).toMatch(/must stay (&quot;|\\")energy-needs-2026/);
  // A server blocked by the check would answer once, after it. The median, not the slowest
  // answer: on two busy cores one answer may wait for the scheduler, whatever the server does.
  expect(latencies.length).toBeGreaterThanOrEqual(3);
  const sorted = [...latencies].sort((a, b) => a - b);
  expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan(duration / 3);
});
