/**
 * HTTP/1.1 over a plain TCP connection, for checks where Node's HTTP client would hide what the
 * server did: a reply sent while the body is still being written, several requests on one
 * connection, a connection that ends with a reset. What the server sends is always read and
 * parsed, whatever happens to the writing; a write error is reported next to the replies,
 * never instead of them.
 */
import { connect } from "node:net";

export interface RawReply {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
}

export interface RawExchange {
  replies: RawReply[];
  /** The connection's error (a reset, a write to a closed connection), if any. */
  error: NodeJS.ErrnoException | null;
  /** Whether the server closed the connection (rather than the client, after the expected replies). */
  closedByServer: boolean;
}

/** An HTTP/1.1 request as bytes. */
export function rawRequest(
  method: string,
  path: string,
  headers: Record<string, string>,
  body: string | Buffer = "",
): Buffer {
  const head = [`${method} ${path} HTTP/1.1`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), "", ""].join("\r\n");
  return Buffer.concat([Buffer.from(head, "latin1"), Buffer.isBuffer(body) ? body : Buffer.from(body)]);
}

/** A request whose body is sent with `Transfer-Encoding: chunked` (one chunk). */
export function chunkedBody(body: string): string {
  return body.length ? `${Buffer.byteLength(body).toString(16)}\r\n${body}\r\n0\r\n\r\n` : "0\r\n\r\n";
}

/**
 * Sends `data` on a new connection to host:port and collects the replies: resolves when
 * `expect` complete replies have arrived (the client then closes), or when the connection is
 * closed (by the server, or by an error).
 */
export function rawExchange(host: string, port: number, data: Buffer, options: { expect?: number } = {}): Promise<RawExchange> {
  const expect = options.expect ?? 1;
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let received = Buffer.alloc(0);
    let error: NodeJS.ErrnoException | null = null;
    let done = false;
    const finish = (closedByServer: boolean) => {
      if (done) return;
      done = true;
      const { replies } = parseReplies(received, closedByServer);
      socket.destroy();
      resolve({ replies, error, closedByServer });
    };
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (parseReplies(received, false).replies.length >= expect) finish(false);
    });
    socket.on("error", (e: NodeJS.ErrnoException) => {
      error ??= e;
    });
    socket.on("end", () => finish(true));
    socket.on("close", () => finish(true));
    socket.write(data, () => {
      // Written (or failed: the error is reported by the "error" event).
    });
  });
}

/** The complete HTTP/1.1 replies at the start of `bytes` (a reply without a length ends with the connection). */
export function parseReplies(bytes: Buffer, ended: boolean): { replies: RawReply[]; rest: Buffer } {
  const replies: RawReply[] = [];
  let rest = bytes;
  for (;;) {
    const headEnd = rest.indexOf("\r\n\r\n");
    if (headEnd < 0) break;
    const lines = rest.subarray(0, headEnd).toString("latin1").split("\r\n");
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0])?.[1] ?? 0);
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const i = line.indexOf(":");
      if (i > 0) {
        const name = line.slice(0, i).trim().toLowerCase();
        headers[name] = headers[name] ? `${headers[name]}, ${line.slice(i + 1).trim()}` : line.slice(i + 1).trim();
      }
    }
    let body: Buffer;
    let after = rest.subarray(headEnd + 4);
    if (headers["transfer-encoding"]?.toLowerCase().includes("chunked")) {
      const parts: Buffer[] = [];
      let complete = false;
      for (;;) {
        const lineEnd = after.indexOf("\r\n");
        if (lineEnd < 0) break;
        const size = Number.parseInt(after.subarray(0, lineEnd).toString("latin1"), 16);
        if (!Number.isFinite(size) || after.length < lineEnd + 2 + size + 2) break;
        parts.push(after.subarray(lineEnd + 2, lineEnd + 2 + size));
        after = after.subarray(lineEnd + 2 + size + 2);
        if (size === 0) {
          complete = true;
          break;
        }
      }
      if (!complete) break;
      body = Buffer.concat(parts);
    } else if (headers["content-length"] !== undefined) {
      const length = Number(headers["content-length"]);
      if (after.length < length) break;
      body = after.subarray(0, length);
      after = after.subarray(length);
    } else if (status === 204 || status === 304 || (status >= 100 && status < 200)) {
      body = Buffer.alloc(0);
    } else {
      if (!ended) break;
      body = after;
      after = Buffer.alloc(0);
    }
    replies.push({ status, headers, body: body.toString("utf8") });
    rest = after;
  }
  return { replies, rest };
}
