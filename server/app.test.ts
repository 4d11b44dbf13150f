import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type express from "express";
import { afterEach, describe, expect, it } from "vitest";
import type { Env } from "~/env.server";
import type { Logger } from "~/server/logger.server";
import { rawExchange, rawRequest } from "../tests/reliability/lib/raw-http";
import { createServerApp, type ServerAppOptions } from "./app";
import { isLoopbackOrPrivate } from "./proxy";
import type { RefusedBodyError } from "./refusal";
import { HSTS, MAX_REQUEST_BYTES } from "./security";

interface LogLine {
  level: "debug" | "info" | "warn" | "error";
  msg: string;
  fields?: Record<string, unknown>;
}

/** A logger that keeps its lines, to see at which level a request was logged. */
function memoryLogger(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: LogLine["level"]) => (msg: string, fields?: Record<string, unknown>) => {
    lines.push({ level, msg, fields });
  };
  return { lines, debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

/** Static files as the production build has them. */
function clientDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "needsmap-client-"));
  mkdirSync(path.join(dir, "assets"));
  writeFileSync(path.join(dir, "assets", "entry.client-abc123.js"), "console.log(1);\n");
  writeFileSync(path.join(dir, "favicon.ico"), "icon");
  return dir;
}

type Config = ServerAppOptions["config"];
const DEFAULT_CONFIG: Config = { NODE_ENV: "development", PUBLIC_URL: undefined, TRUST_PROXY: false };

const servers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((close) => close()));
});

/**
 * The server's Express app with a stand-in for the pages: it reads the whole body and answers
 * with the client address and the nonce the server computed for the request.
 */
async function start(config: Partial<Config> = {}, extra: Partial<ServerAppOptions> = {}) {
  const logger = memoryLogger();
  const app = createServerApp({
    config: { ...DEFAULT_CONFIG, ...config } as Pick<Env, "NODE_ENV" | "PUBLIC_URL" | "TRUST_PROXY">,
    logger,
    pages: (requestContext) => (req: express.Request, res: express.Response) => {
      let size = 0;
      const refused = res.locals.refusedBody as RefusedBodyError | undefined;
      const reply = () =>
        res.json({ ...requestContext(req, res), read: size, refused: refused ? { status: refused.status, message: refused.message } : null });
      // A refused body has been read already.
      if (req.readableEnded) return reply();
      req.on("data", (c: Buffer) => (size += c.length));
      req.on("end", reply);
    },
    ...extra,
  });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const port = (server.address() as AddressInfo).port;
  servers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { base: `http://127.0.0.1:${port}`, port, logger };
}

describe("client address (TRUST_PROXY)", () => {
  const ipSeen = async (base: string, forwardedFor: string) => {
    const res = await fetch(`${base}/s/x`, { headers: { "X-Forwarded-For": forwardedFor } });
    return ((await res.json()) as { clientIp: string }).clientIp;
  };

  it("unset: a spoofed X-Forwarded-For from a loopback peer does not change the address used for rate limits and the audit log", async () => {
    const s = await start({ TRUST_PROXY: false });
    expect(await ipSeen(s.base, "203.0.113.9")).toBe("127.0.0.1");
    expect(await ipSeen(s.base, "10.1.2.3, 203.0.113.9")).toBe("127.0.0.1");
  });

  it("a hop count: the address that many proxies in front of the app saw", async () => {
    const one = await start({ TRUST_PROXY: 1 });
    expect(await ipSeen(one.base, "198.51.100.7, 203.0.113.9")).toBe("203.0.113.9");
    const two = await start({ TRUST_PROXY: 2 });
    expect(await ipSeen(two.base, "198.51.100.7, 203.0.113.9")).toBe("198.51.100.7");
  });

  it("a list of proxy addresses: X-Forwarded-For is followed back only through listed proxies", async () => {
    const loopback = await start({ TRUST_PROXY: ["loopback"] });
    // The peer (127.0.0.1) is a listed proxy; 203.0.113.9 is not, so it is the client.
    expect(await ipSeen(loopback.base, "198.51.100.7, 203.0.113.9")).toBe("203.0.113.9");
    const chain = await start({ TRUST_PROXY: ["loopback", "203.0.113.0/24"] });
    expect(await ipSeen(chain.base, "198.51.100.7, 203.0.113.9")).toBe("198.51.100.7");
    const elsewhere = await start({ TRUST_PROXY: ["10.0.0.0/8"] });
    expect(await ipSeen(elsewhere.base, "203.0.113.9")).toBe("127.0.0.1");
  });
});

describe("a proxy in front of the app that TRUST_PROXY does not declare", () => {
  const warnings = (lines: LogLine[]) => lines.filter((l) => l.level === "warn");

  it("X-Forwarded-For from a loopback peer with TRUST_PROXY unset logs one warning naming TRUST_PROXY, however many requests", async () => {
    const s = await start({ TRUST_PROXY: false });
    for (let i = 0; i < 3; i++) await fetch(`${s.base}/s/x`, { headers: { "X-Forwarded-For": `203.0.113.${i}` } });
    expect(warnings(s.logger.lines)).toHaveLength(1);
    expect(warnings(s.logger.lines)[0].msg).toMatch(/set TRUST_PROXY=/i);
  });

  it("no warning without X-Forwarded-For, nor when TRUST_PROXY is set", async () => {
    const plain = await start({ TRUST_PROXY: false });
    await fetch(`${plain.base}/s/x`);
    expect(warnings(plain.logger.lines)).toEqual([]);
    const declared = await start({ TRUST_PROXY: ["loopback"] });
    await fetch(`${declared.base}/s/x`, { headers: { "X-Forwarded-For": "203.0.113.9" } });
    expect(warnings(declared.logger.lines)).toEqual([]);
  });

  it("loopback and private peers are recognised, IPv4-mapped too; public peers are not", () => {
    for (const a of ["127.0.0.1", "::1", "::ffff:127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "fd00::5", "::ffff:192.168.0.2"]) {
      expect(isLoopbackOrPrivate(a), a).toBe(true);
    }
    for (const a of ["203.0.113.9", "2001:db8::1", "::ffff:8.8.8.8", "172.32.0.1", undefined, "garbage"]) {
      expect(isLoopbackOrPrivate(a), String(a)).toBe(false);
    }
  });
});

describe("Strict-Transport-Security", () => {
  it("is sent with NODE_ENV=production, on pages and static files", async () => {
    const s = await start({ NODE_ENV: "production" }, { clientDir: clientDir() });
    for (const p of ["/", "/staff", "/assets/entry.client-abc123.js", "/favicon.ico"]) {
      const res = await fetch(`${s.base}${p}`);
      expect(res.status, p).toBe(200);
      expect(res.headers.get("Strict-Transport-Security"), p).toBe(HSTS);
    }
    expect(HSTS).toMatch(/^max-age=31536000\b/);
  });

  it("is not sent otherwise (a development server on plain HTTP)", async () => {
    const s = await start({ NODE_ENV: "development" }, { clientDir: clientDir() });
    const res = await fetch(`${s.base}/`);
    expect(res.headers.get("Strict-Transport-Security")).toBeNull();
    expect(res.headers.get("Content-Security-Policy")).toContain("frame-ancestors 'none'");
  });
});

describe("Cache-Control", () => {
  it("pages (staff, respondents' links, receipts, public) are private, no-store; static files keep their caching", async () => {
    const s = await start({ NODE_ENV: "production" }, { clientDir: clientDir() });
    for (const p of ["/", "/staff", "/staff/groups/energy/texts", "/r/abc/review", "/r/abc/done", "/i/abc", "/s/health-2026", "/api/surveys/x/responses"]) {
      const res = await fetch(`${s.base}${p}`);
      expect(res.headers.get("Cache-Control"), p).toBe("private, no-store");
    }
    const asset = await fetch(`${s.base}/assets/entry.client-abc123.js`);
    expect(asset.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    const icon = await fetch(`${s.base}/favicon.ico`);
    expect(icon.headers.get("Cache-Control")).toBe("public, max-age=3600");
  });
});

describe("malformed addresses and methods", () => {
  it.each(["/%", "/s/%E0%A4%A", "/staff/groups/%ff", "/assets/%", "/r/%zz/review"])(
    "GET %s answers 400 with a page saying so, logged at info level",
    async (p) => {
      const s = await start({ NODE_ENV: "production" }, { clientDir: clientDir() });
      const res = await fetch(`${s.base}${p}`, { headers: { Accept: "text/html" } });
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain("<h1>Request refused</h1>");
      expect(html).toContain("The address of this page is malformed");
      expect(s.logger.lines.filter((l) => l.level === "error" || l.level === "warn")).toEqual([]);
      expect(s.logger.lines).toContainEqual(
        expect.objectContaining({ level: "info", msg: "request refused", fields: expect.objectContaining({ status: 400 }) as unknown }),
      );
    },
  );

  it("in Russian for a Russian reader, and as JSON for the API", async () => {
    const s = await start();
    const ru = await fetch(`${s.base}/s/%E0%A4%A`, { headers: { "Accept-Language": "ru" } });
    expect(ru.status).toBe(400);
    expect(await ru.text()).toContain("Адрес страницы искажён");
    const api = await fetch(`${s.base}/api/surveys/%ff/responses`);
    expect(api.status).toBe(400);
    expect(await api.json()).toEqual({ error: expect.stringContaining("malformed") as unknown });
  });

  it("TRACE answers 405 with Allow, logged at info level", async () => {
    const method = "TRACE";
    const s = await start();
    for (const p of ["/", "/staff"]) {
      const { replies } = await rawExchange("127.0.0.1", s.port, rawRequest(method, p, { Host: "localhost", Connection: "close" }));
      expect(replies[0].status, p).toBe(405);
      expect(replies[0].headers.allow).toBe("GET, HEAD, POST");
      expect(replies[0].body).toContain("not supported");
    }
    expect(s.logger.lines.filter((l) => l.level === "error" || l.level === "warn")).toEqual([]);
    expect(s.logger.lines).toContainEqual(expect.objectContaining({ level: "info", msg: "request refused" }));
  });

  it.each(["a b", "[::1", "example.org:99999"])("Host: %s answers 400 with the malformed-address page, logged at info level", async (host) => {
    const s = await start({ NODE_ENV: "production" }, { clientDir: clientDir() });
    const { replies } = await rawExchange("127.0.0.1", s.port, rawRequest("GET", "/s/x", { Host: host, Accept: "text/html", Connection: "close" }));
    expect(replies[0].status).toBe(400);
    expect(replies[0].body).toContain("The address of this page is malformed");
    expect(s.logger.lines.filter((l) => l.level === "error" || l.level === "warn")).toEqual([]);
    expect(s.logger.lines).toContainEqual(
      expect.objectContaining({ level: "info", msg: "request refused", fields: expect.objectContaining({ status: 400, reason: "malformed host" }) as unknown }),
    );
  });

  it("refusals carry the security headers (CSP, nosniff, HSTS) like every other response", async () => {
    const s = await start({ NODE_ENV: "production" }, { clientDir: clientDir() });
    const replies = [
      (await rawExchange("127.0.0.1", s.port, rawRequest("GET", "/%", { Host: "localhost", Connection: "close" }))).replies[0],
      (await rawExchange("127.0.0.1", s.port, rawRequest("TRACE", "/", { Host: "localhost", Connection: "close" }))).replies[0],
      (await rawExchange("127.0.0.1", s.port, rawRequest("GET", "/", { Host: "a b", Connection: "close" }))).replies[0],
    ];
    expect(replies.map((r) => r.status)).toEqual([400, 405, 400]);
    for (const r of replies) {
      expect(r.headers["content-security-policy"]).toContain("default-src 'self'");
      expect(r.headers["x-content-type-options"]).toBe("nosniff");
      expect(r.headers["strict-transport-security"]).toBe(HSTS);
    }
  });

  it("well-formed addresses with percent-encoding still reach the pages", async () => {
    const s = await start();
    const res = await fetch(`${s.base}/s/%D1%8D%D0%BD%D0%B5%D1%80%D0%B3%D0%B8%D1%8F?q=%`);
    expect(res.status).toBe(200);
  });
});

describe("an over-limit body", () => {
  const FORM = "application/x-www-form-urlencoded";
  const over = "x".repeat(MAX_REQUEST_BYTES + 1024 * 1024);

  it("gets the whole 413 reply with its message every time, also when the client asks to close the connection", async () => {
    const s = await start();
    for (let i = 0; i < 10; i++) {
      const r = await rawExchange(
        "127.0.0.1",
        s.port,
        rawRequest("POST", "/staff/groups/energy/surveys/new", { Host: "localhost", "Content-Type": FORM, "Content-Length": String(over.length), Accept: "text/html", Connection: "close" }, over),
      );
      expect(r.error, `attempt ${i + 1}`).toBeNull();
      expect(r.replies[0]?.status, `attempt ${i + 1}`).toBe(413);
      expect(r.replies[0]?.body).toContain("The request body is larger than 2 MB.");
    }
  });

  it("is read to its end before the reply, so the connection stays usable for the next request", async () => {
    const s = await start();
    const r = await rawExchange(
      "127.0.0.1",
      s.port,
      Buffer.concat([
        rawRequest("POST", "/login", { Host: "localhost", "Content-Type": FORM, "Content-Length": String(over.length), Accept: "application/json" }, over),
        rawRequest("POST", "/login", { Host: "localhost", "Content-Type": FORM, "Transfer-Encoding": "chunked" }, "7\r\nemail=a\r\n0\r\n\r\n"),
        rawRequest("GET", "/login", { Host: "localhost", Connection: "close" }),
      ]),
      { expect: 3 },
    );
    expect(r.replies.map((x) => x.status)).toEqual([413, 411, 200]);
    expect(JSON.parse(r.replies[0].body)).toEqual({ error: expect.stringContaining("larger than 2 MB") as unknown });
    expect(r.replies[1].body).toContain("Content-Length");
  });

  it("sent by a page's JavaScript (a Remix data request) is read, and the route gets the refusal in the reader's language instead of the body", async () => {
    const s = await start();
    const r = await rawExchange(
      "127.0.0.1",
      s.port,
      rawRequest("POST", "/staff/groups/energy/surveys/new.data", { Host: "localhost", "Content-Type": FORM, "Content-Length": String(over.length), "Accept-Language": "ru", Connection: "close" }, over),
    );
    expect(r.replies[0]?.status).toBe(200);
    expect(JSON.parse(r.replies[0].body)).toMatchObject({ read: 0, refused: { status: 413, message: "Размер запроса больше 2 МБ. Если вы загружали файл, вернитесь и выберите файл меньшего размера." } });
  });
});

describe("compression", () => {
  /** The raw response (not inflated) of a gzip request: status, headers and body bytes. */
  async function gzipped(base: string, path: string) {
    const { request } = await import("node:http");
    return new Promise<{ encoding: string | undefined; body: Buffer }>((resolve, reject) => {
      request(`${base}${path}`, { headers: { "accept-encoding": "gzip" } }, (res) => {
        const parts: Buffer[] = [];
        res.on("data", (c: Buffer) => parts.push(c));
        res.on("end", () => resolve({ encoding: res.headers["content-encoding"], body: Buffer.concat(parts) }));
      })
        .on("error", reject)
        .end();
    });
  }
  const text = "response_id,question,value\r\n".repeat(2000);

  it("a download (an export) is deflated at zlib's fastest level, a page at the default level", async () => {
    const s = await start({}, {
      pages: () => (req: express.Request, res: express.Response) => {
        res.setHeader("Content-Type", "text/csv; charset=utf-8");
        if (req.path === "/file.csv") res.setHeader("Content-Disposition", 'attachment; filename="file.csv"');
        res.end(text);
      },
    });
    const file = await gzipped(s.base, "/file.csv");
    const page = await gzipped(s.base, "/page");
    expect(file.encoding).toBe("gzip");
    expect(page.encoding).toBe("gzip");
    // The gzip header's XFL byte: 4 for the fastest level, 0 for the default (RFC 1952).
    expect(file.body[8]).toBe(4);
    expect(page.body[8]).toBe(0);
    const { gunzipSync } = await import("node:zlib");
    expect(gunzipSync(file.body).toString()).toBe(text);
    expect(gunzipSync(page.body).toString()).toBe(text);
  });
});
