/**
 * A small round-robin HTTP balancer for `--instances N`: each request goes to the next app
 * instance in turn over kept-alive connections, as nginx's default upstream does. It runs in
 * the benchmark's process; every instance count is measured through it, so that its own cost is
 * the same in each run.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { onCleanup } from "./util";

export interface Balancer {
  origin: string;
  close(): Promise<void>;
}

export async function startBalancer(origins: readonly string[]): Promise<Balancer> {
  const targets = origins.map((o) => new URL(o));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  let next = 0;
  const server = http.createServer((req, res) => {
    const target = targets[next];
    next = (next + 1) % targets.length;
    const upstream = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    agent.destroy();
  };
  const removeCleanup = onCleanup(`stop balancer on ${port}`, close);
  return {
    origin: `http://127.0.0.1:${port}`,
    close: async () => {
      removeCleanup();
      await close();
    },
  };
}
