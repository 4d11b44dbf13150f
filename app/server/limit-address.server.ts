import { isIPv6 } from "node:net";

/**
 * The client address a rate-limit counter is kept for (sign-in counters, the respondent address
 * limit). An IPv6 client is counted by its /64 prefix: one home or office line gets a whole /64
 * and can take any address in it, so counting single addresses would let one client spread its
 * attempts over as many counters as it likes. IPv4 addresses, IPv4-mapped IPv6 addresses
 * (`::ffff:192.0.2.1`, how a dual-stack server sees IPv4 clients) and anything that is not an IP
 * address are kept whole. A prefix (`2001:db8:1:2::/64`) is returned unchanged.
 */
export function limitAddress(ip: string): string {
  const bare = ip.replace(/%.*$/, "");
  if (/^[0-9a-f:]+::\/64$/i.test(bare) && isIPv6(bare.slice(0, -3))) return bare.toLowerCase();
  if (!isIPv6(bare)) return ip;
  const groups = ipv6Groups(bare);
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  if (mapped) return ip;
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(":")}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address (with `::` expanded and a trailing IPv4 part as two groups). */
function ipv6Groups(address: string): number[] {
  const parse = (part: string): number[] =>
    part === ""
      ? []
      : part.split(":").flatMap((g) => {
          if (g.includes(".")) {
            const [a, b, c, d] = g.split(".").map(Number);
            return [(a << 8) | b, (c << 8) | d];
          }
          return [Number.parseInt(g, 16)];
        });
  const [head, tail] = address.split("::");
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}
