import { expect, type Locator } from "@playwright/test";

/**
 * Opens a chart's "Show table" (a `<details>`) as a reader does. With JavaScript, a chart's table
 * is open until the page has hydrated (until then it is the only form of the figures) and closes
 * once the chart can be drawn: a click before that would close it. So the settled, closed state
 * comes first, then the click.
 */
export async function openTable(details: Locator): Promise<void> {
  await expect(details).toHaveJSProperty("open", false);
  await details.locator(":scope > summary").click();
  await expect(details).toHaveJSProperty("open", true);
}
