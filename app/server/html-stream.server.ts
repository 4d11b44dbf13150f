import { Transform, type TransformCallback } from "node:stream";

/**
 * The size of the buffers React 18.3's streaming renderer (`renderToPipeableStream`) fills and
 * writes. When the next character of a text does not fit into the bytes left in a buffer (a
 * two-, three- or four-byte UTF-8 character such as "–" or a Cyrillic letter), React writes the
 * whole buffer anyway, so its unused last one to three bytes go out as NUL bytes in the middle
 * of the page ("микроорг\0анизмов"). React 19 writes only the filled part.
 */
export const RENDERER_VIEW_SIZE = 2048;

/** The most unused bytes a buffer can end with: a UTF-8 character has at most four bytes. */
const MAX_GAP = 3;

/**
 * A pass-through for the renderer's output that drops those unused bytes: only from a chunk of
 * exactly one buffer's size, and only the NUL bytes at its very end (at most three). Every other
 * byte passes unchanged and backpressure is kept (it is a stream transform, not a buffer of the
 * whole page). A page's own text never ends a buffer with NUL: HTML text has no NUL characters.
 */
export function withoutRendererGaps(): Transform {
  return new Transform({
    transform(chunk: Buffer | Uint8Array, _encoding: BufferEncoding, done: TransformCallback) {
      done(null, trimRendererGap(chunk));
    },
  });
}

/** A renderer chunk without the unused NUL bytes at the end of a full buffer. */
export function trimRendererGap(chunk: Uint8Array): Uint8Array {
  if (chunk.byteLength !== RENDERER_VIEW_SIZE) return chunk;
  let end = chunk.byteLength;
  while (end > chunk.byteLength - MAX_GAP && chunk[end - 1] === 0) end--;
  return end === chunk.byteLength ? chunk : chunk.subarray(0, end);
}
