// The bytes of a page as the server sent them: pages must never carry NUL bytes (React 18.3's
// streaming renderer left some at the end of its buffers, inside Russian words and beside “–”;
// app/server/html-stream.server.ts drops them). Any spec can check the pages it visits.
import { expect } from "@playwright/test";

interface PageResponse {
  url(): string;
  status(): number;
  body(): Promise<Buffer>;
}

/** Fails, naming the page and the place, when the page's bytes contain a NUL byte. */
export async function expectNoNulBytes(response: PageResponse | null, what = ""): Promise<void> {
  expect(response, `no response for ${what}`).not.toBeNull();
  const body = await response!.body();
  const at = body.indexOf(0);
  const context = at < 0 ? "" : body.subarray(Math.max(0, at - 40), at + 40).toString("utf8");
  expect({ page: what || response!.url(), nulAt: at, context }).toEqual({
    page: what || response!.url(),
    nulAt: -1,
    context: "",
  });
}
