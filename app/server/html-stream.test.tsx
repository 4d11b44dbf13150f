import { PassThrough, type Writable } from "node:stream";
import { renderToPipeableStream, renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { home } from "~/i18n/ru/home";
import { RENDERER_VIEW_SIZE, trimRendererGap, withoutRendererGaps } from "./html-stream.server";
import { WORKING_GROUPS } from "./working-groups.server";

/** The home page's Russian text and a dashboard-like table with dashes, after `pad` ASCII letters. */
function Page({ pad }: { pad: number }) {
  return (
    <main>
      <p>{"x".repeat(pad)}</p>
      <h1>{home.title}</h1>
      <p>{home.intro}</p>
      {WORKING_GROUPS.map((g) => (
        <section key={g.slug}>
          <h2>{g.name.ru}</h2>
          <p>{g.description.ru}</p>
        </section>
      ))}
      <table>
        <tbody>
          {Array.from({ length: 40 }, (_, i) => (
            <tr key={i}>
              <th scope="row">Категория {i} – «до 2 лет»</th>
              <td>{i % 3 === 0 ? "–" : i}</td>
              <td>менее 5</td>
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  );
}

/** Streams the page the way app/entry.server.tsx does, into `body`, and collects the bytes. */
function stream(pad: number, body: Writable & NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    body.on("data", (c: Buffer) => parts.push(c));
    body.on("end", () => resolve(Buffer.concat(parts)));
    body.on("error", reject);
    const { pipe } = renderToPipeableStream(<Page pad={pad} />, {
      onAllReady: () => pipe(body),
      onShellError: reject,
    });
  });
}

describe("HTML stream without the renderer's NUL padding", () => {
  it("pages with multi-byte text come out byte for byte as rendered to a string, without NUL bytes", async () => {
    let padded = 0;
    for (let pad = 0; pad < 12; pad++) {
      const expected = renderToString(<Page pad={pad} />);
      const raw = await stream(pad, new PassThrough());
      if (raw.includes(0)) padded++;
      const cleaned = await stream(pad, withoutRendererGaps());
      expect(cleaned.includes(0)).toBe(false);
      expect(cleaned.toString("utf8")).toBe(expected);
    }
    // React 18.3 does pad these pages: without the transform they would carry NUL bytes.
    expect(padded).toBeGreaterThan(0);
  });

  it("drops only the NUL bytes that end a full renderer buffer, at most three", () => {
    const full = new Uint8Array(RENDERER_VIEW_SIZE).fill(65);
    full.fill(0, RENDERER_VIEW_SIZE - 2);
    expect(trimRendererGap(full).byteLength).toBe(RENDERER_VIEW_SIZE - 2);
    const inside = new Uint8Array(RENDERER_VIEW_SIZE).fill(65);
    inside[100] = 0;
    expect(trimRendererGap(inside)).toBe(inside);
    const shorter = new Uint8Array([65, 0]);
    expect(trimRendererGap(shorter)).toBe(shorter);
    const zeros = new Uint8Array(RENDERER_VIEW_SIZE);
    expect(trimRendererGap(zeros).byteLength).toBe(RENDERER_VIEW_SIZE - 3);
  });
});
