import type { Express, Request } from "express";

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
