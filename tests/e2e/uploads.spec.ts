import { type Browser, expect, type Page, test } from "@playwright/test";
import { expectNoAxeViolations } from "./axe";
import { E2E_ACCOUNTS } from "./accounts";
import { restoreSession } from "./sessions";

// Uploaded files that are not UTF-8 are refused with a message on how to save them as UTF-8,
// in English and Russian, with and without JavaScript; what was typed on the page stays.

const coordinator = E2E_ACCOUNTS.energy;
const invitations = "/staff/groups/energy/surveys/energy-needs-2026/invitations";
/** Names with accents in Latin-1 (Windows-1252), as Excel's "CSV (Comma delimited)" saves them. */
const latin1Csv = {
  name: "invitees.csv",
  mimeType: "text/csv",
  buffer: Buffer.from("name,email\nJosé Müller,jose@example.org\n", "latin1"),
};
const pasted = "name,email\nTyped Person,typed@example.org";

async function signedIn(browser: Browser, javaScriptEnabled: boolean): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled });
  const page = await context.newPage();
  await restoreSession(page, coordinator.email);
  return page;
}

for (const javaScriptEnabled of [true, false]) {
  test(`a Latin-1 invitee file is refused in English and Russian, the pasted text kept (JavaScript ${javaScriptEnabled ? "on" : "off"})`, async ({ browser }) => {
    const page = await signedIn(browser, javaScriptEnabled);
    await page.goto(`${invitations}?lang=en`);
    await page.getByLabel("Or paste the CSV").fill(pasted);
    await page.getByLabel("CSV file", { exact: true }).setInputFiles(latin1Csv);
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await expect(page.getByRole("alert")).toContainText("The file is not UTF-8 text");
    await expect(page.getByRole("alert")).toContainText("CSV UTF-8 (Comma delimited)");
    await expect(page.getByLabel("Or paste the CSV")).toHaveValue(pasted);
    await expect(page.getByText("José")).toHaveCount(0);
    if (javaScriptEnabled) await expectNoAxeViolations(page);

    await page.goto(`${invitations}?lang=ru`);
    await page.getByLabel("Или вставьте содержимое CSV").fill(pasted);
    await page.getByLabel("CSV-файл", { exact: true }).setInputFiles(latin1Csv);
    await page.getByRole("button", { name: "Импортировать", exact: true }).click();
    await expect(page.getByRole("alert")).toContainText("Файл не в кодировке UTF-8");
    await expect(page.getByLabel("Или вставьте содержимое CSV")).toHaveValue(pasted);
    if (javaScriptEnabled) await expectNoAxeViolations(page);
    await page.context().close();
  });
}

test("a Latin-1 questionnaire file is refused on the new-survey page, the editor text kept", async ({ browser }) => {
  const page = await signedIn(browser, false);
  await page.goto("/staff/groups/energy/surveys/new?lang=en");
  const editor = page.getByLabel("Questionnaire (YAML)");
  const typed = `${await editor.inputValue()}\n# typed here`;
  await editor.fill(typed);
  await page.getByLabel("Or upload a file").setInputFiles({
    name: "latin1.yaml",
    mimeType: "application/yaml",
    buffer: Buffer.from("slug: latin1\ntitle: { en: Página, ru: Página }\n", "latin1"),
  });
  await page.getByRole("button", { name: "Create the survey" }).click();
  await expect(page.getByRole("alert")).toContainText("The file latin1.yaml is not UTF-8 text");
  await expect(editor).toHaveValue(typed.replace(/\r\n/g, "\n"));
  await page.context().close();
});
