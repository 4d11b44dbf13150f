import { BlockList } from "node:net";
import type { Express, Request, RequestHandler } from "express";
import type { Logger } from "~/server/logger.server";

/**
 * Which connections may tell the app, through X-Forwarded-For (-Proto, -Host), who the client
 * is: the TRUST_PROXY setting, with Express's `trust proxy` meaning (`false`: nobody, the
 * address of the connection is the client; a number: that many proxies in front of the app; a
 * list of addresses, subnets or the names loopback, linklocal, uniquelocal: proxies at those
 * addresses). Express (proxy-addr) does the parsing and the walk along X-Forwarded-For.
 */
export type TrustProxy = false | number | string[];

export function applyTrustProxy(app: Express, setting: TrustProxy): void {
  app.set("trust proxy", setting);
}

/**
 * The client address used for rate limits and the audit log: the connection's address, or the
 * address a trusted proxy forwarded (Express's req.ip under the `trust proxy` setting).
 */
export function clientAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? "unknown";
}

/**
 * The X-Forwarded-Host of a trusted proxy (its first value), else undefined: the same decision
 * Express makes for req.hostname.
 */
export function trustedForwardedHost(req: Request): string | undefined {
  const trust = req.app.get("trust proxy fn") as ((addr: string | undefined, i: number) => boolean) | undefined;
  if (!trust || !trust(req.socket.remoteAddress, 0)) return undefined;
  return req.get("X-Forwarded-Host")?.split(",")[0]?.trim() || undefined;
}

/** Loopback and private ranges: where a reverse proxy in front of the app usually sits. */
const PROXY_RANGES = (() => {
  const list = new BlockList();
  for (const [net, prefix] of [["127.0.0.0", 8], ["10.0.0.0", 8], ["172.16.0.0", 12], ["192.168.0.0", 16], ["169.254.0.0", 16]] as const) {
    list.addSubnet(net, prefix, "ipv4");
  }
  list.addAddress("::1", "ipv6");
  list.addSubnet("fc00::", 7, "ipv6");
  list.addSubnet("fe80::", 10, "ipv6");
  return list;
})();

/** Whether a connection's address is a loopback or private one (IPv4-mapped IPv6 as its IPv4 address). */
export function isLoopbackOrPrivate(address: string | undefined): boolean {
  if (!address) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return PROXY_RANGES.check(mapped[1], "ipv4");
  try {
    return PROXY_RANGES.check(address, address.includes(":") ? "ipv6" : "ipv4");
  } catch {
    return false;
  }
}

export const UNTRUSTED_PROXY_WARNING =
  "X-Forwarded-For arrived from a loopback or private address, but TRUST_PROXY is unset: every client behind that proxy shares its address, sign-in locks and rate limits. Set TRUST_PROXY=loopback (or the proxy's addresses, or the number of proxies in front of the app).";

/**
 * With TRUST_PROXY unset, warns once (per server, that is per process) when a request with
 * X-Forwarded-For comes from a loopback or private address: most likely the app runs behind a
 * reverse proxy that nobody declared, so every client would have the proxy's address.
 */
export function warnUndeclaredProxy(setting: TrustProxy, logger: Pick<Logger, "warn">): RequestHandler {
  let warned = setting !== false;
  return (req, _res, next) => {
    if (!warned && req.headers["x-forwarded-for"] !== undefined && isLoopbackOrPrivate(req.socket.remoteAddress)) {
      warned = true;
      logger.warn(UNTRUSTED_PROXY_WARNING, { peer: req.socket.remoteAddress });
    }
    next();
  };
}

/**
 * The absolute URL of a request, as the pages see it (protocol, host and port as Express decides
 * them under TRUST_PROXY, then the path and query), or null when the Host (or a trusted
 * X-Forwarded-Host) cannot make one: `Host: a b`, `Host: [::1`, a port out of range.
 */
export function requestUrl(req: Request): URL | null {
  const port = (value: string | undefined) => {
    const n = Number.parseInt(value?.split(":")[1] ?? "", 10);
    return Number.isSafeInteger(n) ? n : undefined;
  };
  const p = port(trustedForwardedHost(req) ?? req.get("host"));
  try {
    return new URL(`${req.protocol}://${req.hostname}${p ? `:${p}` : ""}${req.originalUrl}`);
  } catch {
    return null;
  }
}
