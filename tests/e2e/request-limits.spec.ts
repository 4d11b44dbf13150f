import { expect, type Page, test } from "@playwright/test";
import { expectNoAxeViolations } from "./axe";
import { E2E_ACCOUNTS } from "./accounts";
import { restoreSession } from "./sessions";

// The energy coordinator: this spec only opens the upload form and creates nothing.
const coordinator = E2E_ACCOUNTS.energy;
const group = coordinator.groups[0];

/** A file over the server's 2 MB request limit. */
const TOO_LARGE = Buffer.alloc(3 * 1024 * 1024, "# a very long comment line\n");

async function signIn(page: Page) {
  await restoreSession(page, coordinator.email);
}

test("uploading a file over the request limit shows the page saying so, not a connection reset", async ({ browser }) => {
  test.setTimeout(240_000);
  // Without JavaScript the browser itself sends the form and shows the server's reply.
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page);
  for (let attempt = 1; attempt <= 3; attempt++) {
    await page.goto(`/staff/groups/${group}/surveys/new?lang=en`);
    await page.getByLabel("Or upload a file").setInputFiles({
      name: "questionnaire.yaml",
      mimeType: "application/yaml",
      buffer: TOO_LARGE,
    });
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST"),
      page.getByRole("button", { name: "Create the survey" }).click(),
    ]);
    expect(response.status(), `attempt ${attempt}`).toBe(413);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Request refused");
    await expect(page.getByText("The request body is larger than 2 MB.")).toBeVisible();
  }
  // axe runs as a script: on the same document in a page with JavaScript.
  const html = await page.content();
  const withScripts = await browser.newContext();
  const checker = await withScripts.newPage();
  await checker.setContent(html);
  await expectNoAxeViolations(checker);
  await withScripts.close();

  // The same page in Russian for a reader who chose Russian.
  await page.goto(`/staff/groups/${group}/surveys/new?lang=ru`);
  await page.getByLabel("Или загрузите файл").setInputFiles({ name: "анкета.yaml", mimeType: "application/yaml", buffer: TOO_LARGE });
  await page.getByRole("button", { name: "Создать опрос" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Запрос отклонён");
  await expect(page.getByText("Размер запроса больше 2 МБ.")).toBeVisible();
  await context.close();
});

test("staff pages are not kept in caches, static files are", async ({ page }) => {
  await signIn(page);
  const staff = await page.request.get(`/staff/groups/${group}`);
  expect(staff.status()).toBe(200);
  expect(staff.headers()["cache-control"]).toBe("private, no-store");
  const asset = /\/assets\/[\w.-]+\.js/.exec(await staff.text())?.[0];
  expect(asset).toBeTruthy();
  const assetResponse = await page.request.get(asset!);
  expect(assetResponse.headers()["cache-control"]).toContain("immutable");
});

test("with JavaScript, the page says the file is too large (the page's own error display, not a failure)", async ({ page }) => {
  test.setTimeout(240_000);
  await signIn(page);
  await page.goto(`/staff/groups/${group}/surveys/new?lang=en`);
  await page.getByLabel("Or upload a file").setInputFiles({ name: "questionnaire.yaml", mimeType: "application/yaml", buffer: TOO_LARGE });
  await page.getByRole("button", { name: "Create the survey" }).click();
  await expect(page.getByText("The request body is larger than 2 MB.")).toBeVisible();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("The request could not be processed");
});
