import type { AddressInfo } from "node:net";
import type { ActionFunctionArgs } from "@remix-run/node";
import { SMTPServer } from "smtp-server";
import type { Db } from "#db/client";
import { commitSession, createSession } from "~/server/auth.server";
import { saveAccount } from "~/server/users.server";
import type { AppContext } from "~/context";
import { testContext, testEnv } from "./remix";

/** Status, data and headers of whatever a loader or action returned: a Response or data(). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read into route data of several shapes
export function outcome(r: unknown): { status: number; data: any; headers: Headers } {
  if (r instanceof Response) return { status: r.status, data: null, headers: r.headers };
  const d = r as { type?: string; data: unknown; init?: ResponseInit | null };
  if (d && d.type === "DataWithResponseInit") {
    return { status: d.init?.status ?? 200, data: d.data, headers: new Headers(d.init?.headers) };
  }
  return { status: 200, data: r, headers: new Headers() };
}

/** The status of a loader or action call, whether it returned or threw a Response. */
export async function statusOf(p: Promise<unknown> | unknown): Promise<number> {
  try {
    return outcome(await p).status;
  } catch (e) {
    if (e instanceof Response) return e.status;
    throw e;
  }
}

export async function thrown(p: Promise<unknown>): Promise<Response> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(e instanceof Response)) throw new Error(`expected a thrown Response, got ${String(e)}`);
  return e;
}

/** Creates an account and returns a Cookie header value with a session of it. */
export async function accountWithSession(
  db: Db,
  email: string,
  role: "admin" | "coordinator",
  groups: string[],
): Promise<{ id: number; cookie: string }> {
  const r = await saveAccount(
    db,
    { email, password: "correct horse battery", role, groups, name: "" },
    { by: null, actor: "test" },
  );
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  const session = await createSession(db, r.id);
  const header = await commitSession(testEnv, session);
  return { id: r.id, cookie: header.split(";")[0] };
}

/** Arguments for an action posted as multipart/form-data (with files), as a browser would. */
export function multipartArgs(
  path: string,
  db: Db,
  fields: Record<string, string | { name: string; content: string | Uint8Array<ArrayBuffer>; type?: string }>,
  init: { params?: Record<string, string>; cookie?: string; context?: Partial<AppContext> } = {},
): ActionFunctionArgs {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) {
    if (typeof v === "string") form.append(k, v);
    else
      form.append(k, new File([v.content], v.name, { type: v.type ?? "application/octet-stream" }));
  }
  return {
    request: new Request(`http://localhost${path}`, {
      method: "POST",
      body: form,
      headers: { Origin: "http://localhost", ...(init.cookie ? { Cookie: init.cookie } : {}) },
    }),
    params: init.params ?? {},
    context: testContext(db, init.context),
  };
}

// ---------------------------------------------------------------------------------------------
// A local SMTP server

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  raw: string;
}

export interface TestSmtp {
  url: string;
  port: number;
  messages: ReceivedMail[];
  close(): Promise<void>;
}

function decodeQuotedPrintable(text: string): string {
  const bytes: number[] = [];
  const soft = text.replace(/=\r?\n/g, "");
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === "=" && /^[0-9A-F]{2}$/i.test(soft.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(soft[i], "utf8"));
  }
  return Buffer.from(bytes).toString("utf8");
}

function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(
      /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g,
      (_w, _charset: string, enc: string, data: string) =>
        enc.toUpperCase() === "B"
          ? Buffer.from(data, "base64").toString("utf8")
          : decodeQuotedPrintable(data.replace(/_/g, " ")),
    );
}

/** Headers and text of a simple (single-part) message as nodemailer sends it. */
export function parseMail(raw: string): { headers: Record<string, string>; text: string } {
  const split = raw.search(/\r?\n\r?\n/);
  const head = raw.slice(0, split).replace(/\r?\n[ \t]+/g, " ");
  const body = raw.slice(split).replace(/^\r?\n\r?\n/, "");
  const headers: Record<string, string> = {};
  for (const line of head.split(/\r?\n/)) {
    const i = line.indexOf(":");
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  const encoding = (headers["content-transfer-encoding"] ?? "7bit").toLowerCase();
  const text =
    encoding === "quoted-printable"
      ? decodeQuotedPrintable(body)
      : encoding === "base64"
        ? Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8")
        : body;
  return { headers, text: text.replace(/\r\n/g, "\n") };
}

/**
 * An SMTP server on 127.0.0.1 and a random port that keeps what it receives. With `fail`, it
 * refuses every message with a temporary error.
 */
export async function startSmtp(options: { fail?: boolean } = {}): Promise<TestSmtp> {
  const messages: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        if (options.fail) {
          const error = Object.assign(new Error("Mailbox temporarily unavailable"), {
            responseCode: 451,
          });
          callback(error);
          return;
        }
        const raw = Buffer.concat(chunks).toString("utf8");
        const { headers, text } = parseMail(raw);
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: decodeWords(headers.subject ?? ""),
          text,
          raw,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
