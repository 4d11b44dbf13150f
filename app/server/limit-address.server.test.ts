import { describe, expect, it } from "vitest";
import { limitAddress } from "./limit-address.server";

describe("limitAddress: the address a rate-limit counter is kept for", () => {
  it("counts IPv6 clients by their /64 prefix, however the address is written", () => {
    expect(limitAddress("2001:db8:1:2:aaaa:bbbb:cccc:dddd")).toBe("2001:db8:1:2::/64");
    expect(limitAddress("2001:db8:1:2::1")).toBe("2001:db8:1:2::/64");
    expect(limitAddress("2001:0DB8:0001:0002:0:0:0:ffff")).toBe("2001:db8:1:2::/64");
    expect(limitAddress("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(limitAddress("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(limitAddress("::1")).toBe("0:0:0:0::/64");
    expect(limitAddress("64:ff9b::192.0.2.1")).toBe("64:ff9b:0:0::/64");
  });

  it("two addresses of one /64 share a key; addresses of different /64s do not", () => {
    expect(limitAddress("2001:db8:1:2::5")).toBe(limitAddress("2001:db8:1:2:ffff::9"));
    expect(limitAddress("2001:db8:1:2::5")).not.toBe(limitAddress("2001:db8:1:3::5"));
  });

  it("keeps IPv4 and IPv4-mapped IPv6 addresses whole, so IPv4 clients never share a counter", () => {
    expect(limitAddress("192.0.2.1")).toBe("192.0.2.1");
    expect(limitAddress("::ffff:192.0.2.1")).toBe("::ffff:192.0.2.1");
    expect(limitAddress("::ffff:c000:201")).toBe("::ffff:c000:201");
    expect(limitAddress("::ffff:192.0.2.1")).not.toBe(limitAddress("::ffff:192.0.2.2"));
  });

  it("leaves a prefix it made, and what is not an address, unchanged", () => {
    expect(limitAddress("2001:db8:1:2::/64")).toBe("2001:db8:1:2::/64");
    expect(limitAddress(limitAddress("2001:db8:1:2::77"))).toBe("2001:db8:1:2::/64");
    expect(limitAddress("unknown")).toBe("unknown");
  });
});
