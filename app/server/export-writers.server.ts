import type { Cell } from "./export-plan";
import { csvWriter } from "./spreadsheet.server";

/**
 * Writers that turn rows into the bytes of a file as a web ReadableStream, pulled by the HTTP
 * response: nothing is produced faster than the client reads it.
 */

/** Bytes gathered before a chunk is handed to the response. */
const CHUNK_BYTES = 64 * 1024;

/**
 * A pull-based web stream of an async iterable of bytes or text, in chunks of about 64 KiB.
 * Cancelling the stream (the client went away) ends the iteration, which stops its source.
 */
export function webStreamOf(
  source: AsyncIterable<Uint8Array | string>,
  onError?: (error: unknown) => void,
): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const parts: Buffer[] = [];
      let size = 0;
      try {
        while (size < CHUNK_BYTES) {
          const { value, done } = await iterator.next();
          if (done) {
            if (size > 0) controller.enqueue(Buffer.concat(parts, size));
            controller.close();
            return;
          }
          const bytes = typeof value === "string" ? Buffer.from(value, "utf8") : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
          parts.push(bytes);
          size += bytes.length;
        }
      } catch (error) {
        onError?.(error);
        throw error;
      }
      controller.enqueue(Buffer.concat(parts, size));
      // Let the event loop run (socket writes, other requests) between chunks: a reader that
      // does not wait for the socket to drain would otherwise take chunk after chunk in one go.
      await new Promise<void>((resolve) => setImmediate(resolve));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

/**
 * A CSV file written by the one spreadsheet writer (spreadsheet.server.ts: byte-order mark,
 * header row, CRLF, quoting of `,` `;` `"` CR LF tab, formulas neutralised, numbers as numbers).
 *
 * `lines` is given the writer's line function and yields the text of the file's records, a
 * batch of lines at a time: each line is built once, and each batch costs one stream write.
 */
export function csvStream(
  columns: readonly string[],
  lines: (line: (cells: readonly Cell[]) => string) => AsyncIterable<string>,
  onError?: (error: unknown) => void,
): ReadableStream<Uint8Array> {
  const writer = csvWriter(columns);
  async function* text(): AsyncGenerator<string> {
    // No records: the byte-order mark and the header row alone.
    yield writer.start();
    yield* lines(writer.line);
  }
  return webStreamOf(text(), onError);
}

/** A JSON document written piece by piece: `parts` yields its text in order. */
export function jsonStream(parts: AsyncIterable<string>, onError?: (error: unknown) => void): ReadableStream<Uint8Array> {
  return webStreamOf(parts, onError);
}
