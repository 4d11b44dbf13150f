import { Agent, createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createShutdown, holdStopRequestsWhileStarting } from "./shutdown";

const quiet = { info() {}, warn() {}, error() {} };

/** A server whose /slow requests wait until the test releases them. */
async function slowServer() {
  const waiting: Array<() => void> = [];
  let arrived: () => void = () => {};
  let nextArrival = new Promise<void>((r) => (arrived = r));
  const server = createServer((req, res) => {
    if (req.url === "/slow") {
      res.writeHead(200, { "Content-Type": "text/plain" });
      res.write("first half, ");
      waiting.push(() => res.end("second half"));
      arrived();
      nextArrival = new Promise<void>((r) => (arrived = r));
      return;
    }
    res.end("ok");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return { server, port, waiting, arrival: () => nextArrival };
}

function get(port: number, p: string, agent?: Agent) {
  return new Promise<{ status: number; body: string; connection: string | undefined }>((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path: p, agent }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

let servers: Server[] = [];
afterEach(() => {
  for (const s of servers) s.closeAllConnections();
  for (const s of servers) s.close();
  servers = [];
});

describe("graceful shutdown", () => {
  it("lets a request in progress finish with its whole body, refuses new connections, then closes the database and exits 0", async () => {
    const { server, port, waiting, arrival } = await slowServer();
    servers.push(server);
    const exits: number[] = [];
    let databaseClosed = false;
    const shutdown = createShutdown({
      server,
      logger: quiet,
      timeoutMs: 600_000,
      close: async () => {
        databaseClosed = true;
      },
      exit: (code) => exits.push(code),
    });

    const arrived = arrival();
    const inFlight = get(port, "/slow");
    await arrived;
    const stopped = shutdown.request("SIGTERM");

    await expect(get(port, "/")).rejects.toMatchObject({ code: "ECONNREFUSED" });
    expect(databaseClosed).toBe(false);
    expect(exits).toEqual([]);

    waiting.shift()?.();
    expect((await inFlight).body).toBe("first half, second half");
    expect(await stopped).toBe(0);
    expect(databaseClosed).toBe(true);
    expect(exits).toEqual([0]);
  });

  it("closes idle keep-alive connections at once and asks the ones in use to close after their response", async () => {
    const { server, port, waiting, arrival } = await slowServer();
    servers.push(server);
    const agent = new Agent({ keepAlive: true, maxSockets: 2 });
    const exits: number[] = [];
    const shutdown = createShutdown({ server, logger: quiet, timeoutMs: 600_000, close: async () => {}, exit: (c) => exits.push(c) });

    // One idle keep-alive connection, and one busy with a slow request.
    expect((await get(port, "/", agent)).connection).toBe("keep-alive");
    const arrived = arrival();
    const inFlight = get(port, "/slow", agent);
    await arrived;

    const stopped = shutdown.request("SIGTERM");
    waiting.shift()?.();
    expect((await inFlight).body).toBe("first half, second half");
    // Without closing the keep-alive connections the server would never finish closing.
    expect(await stopped).toBe(0);
    agent.destroy();
  });

  it("cuts requests still running at the deadline and exits 1 after closing the database", async () => {
    const { server, port, arrival } = await slowServer();
    servers.push(server);
    const exits: number[] = [];
    let databaseClosed = false;
    const shutdown = createShutdown({
      server,
      logger: quiet,
      timeoutMs: 10,
      close: async () => {
        databaseClosed = true;
      },
      exit: (code) => exits.push(code),
    });
    const arrived = arrival();
    const neverFinishes = get(port, "/slow").catch((e: unknown) => e);
    await arrived;
    expect(await shutdown.request("SIGTERM")).toBe(1);
    expect(await neverFinishes).toMatchObject({ code: expect.stringMatching(/ECONNRESET|ERR_STREAM_PREMATURE_CLOSE/) });
    expect(databaseClosed).toBe(true);
    expect(exits).toEqual([1]);
  });

  it("exits at once on a second stop request, but takes a repeat right after the first as the same request", async () => {
    const { server, port, waiting, arrival } = await slowServer();
    servers.push(server);
    const exits: number[] = [];
    let clock = 1_000;
    const shutdown = createShutdown({
      server,
      logger: quiet,
      timeoutMs: 600_000,
      close: async () => {},
      exit: (code) => exits.push(code),
      now: () => clock,
    });
    const arrived = arrival();
    const inFlight = get(port, "/slow").catch(() => null);
    await arrived;

    void shutdown.request("SIGINT");
    clock += 200; // npm passing the terminal's Ctrl-C on once more
    void shutdown.request("SIGINT");
    expect(exits).toEqual([]);

    clock += 5_000; // the user presses Ctrl-C again
    void shutdown.request("SIGINT");
    expect(exits).toEqual([130]);
    waiting.shift()?.();
    await inFlight;
  });
});

describe("stop requests while the server starts", () => {
  it("lets the start finish, then stops the server as usual", async () => {
    const { server } = await slowServer();
    servers.push(server);
    const exits: number[] = [];
    const starting = holdStopRequestsWhileStarting({ logger: quiet, exit: (c) => exits.push(c), listen: false });
    starting.request("SIGTERM");
    expect(exits).toEqual([]);
    expect(server.listening).toBe(true);

    let databaseClosed = false;
    const shutdown = createShutdown({
      server,
      logger: quiet,
      timeoutMs: 600_000,
      close: async () => {
        databaseClosed = true;
      },
      exit: (c) => exits.push(c),
    });
    expect(await starting.handOver(shutdown)).toBe(0);
    expect(server.listening).toBe(false);
    expect(exits).toEqual([0]);
    expect(databaseClosed).toBe(true);
  });

  it("exits at once on a second request during the start, not on npm's repeat of the first", () => {
    const exits: number[] = [];
    let clock = 0;
    const starting = holdStopRequestsWhileStarting({
      logger: quiet,
      exit: (c) => exits.push(c),
      now: () => clock,
      listen: false,
    });
    starting.request("SIGINT");
    clock += 100;
    starting.request("SIGINT");
    expect(exits).toEqual([]);
    starting.request("SIGTERM");
    expect(exits).toEqual([143]);
  });
});
