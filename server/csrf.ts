import type { RequestHandler } from "express";
import { trustedForwardedHost } from "./proxy";

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export interface OriginCheckInput {
  method: string;
  /** The Origin header, if any. */
  origin?: string | null;
  /** The Referer header, if any (used only when there is no Origin). */
  referer?: string | null;
  /** Hosts (`name[:port]`) the request was addressed to: the Host header, and X-Forwarded-Host behind a trusted proxy. */
  hosts: (string | null | undefined)[];
  /** The app's public address (PUBLIC_URL), whose origin is always accepted. */
  publicUrl?: string | null;
}

function originOf(url: string): URL | null {
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:" ? u : null;
  } catch {
    return null;
  }
}

/**
 * Whether a request must be refused as cross-site: a state-changing method whose Origin (or
 * Referer when Origin is absent) is neither the host the request was sent to nor PUBLIC_URL.
 * Requests with neither header (command-line clients, monitoring) are allowed; an Origin of
 * `null` or one that cannot be parsed is refused.
 */
export function isCrossSiteRequest(input: OriginCheckInput): boolean {
  if (!UNSAFE_METHODS.has(input.method.toUpperCase())) return false;
  const source = input.origin ?? input.referer ?? null;
  if (source === null || source === "") return false;
  const from = originOf(source);
  if (!from) return true;
  const hosts = input.hosts
    .filter((h): h is string => Boolean(h))
    .map((h) => h.trim().toLowerCase());
  if (hosts.includes(from.host.toLowerCase())) return false;
  const own = input.publicUrl ? originOf(input.publicUrl) : null;
  return !(own && own.origin === from.origin);
}

/** Express middleware refusing cross-site state-changing requests with 403. */
export function csrfOriginCheck(options: { publicUrl?: string | null } = {}): RequestHandler {
  return (req, res, next) => {
    const forwardedHost = trustedForwardedHost(req);
    const refused = isCrossSiteRequest({
      method: req.method,
      origin: req.get("Origin"),
      referer: req.get("Referer"),
      hosts: [req.get("Host"), forwardedHost],
      publicUrl: options.publicUrl,
    });
    if (!refused) return next();
    res.status(403).type("text/plain").send("Cross-site request refused");
  };
}
