import type { AddressInfo } from "node:net";
import express from "express";
import { describe, expect, it } from "vitest";
import { csrfOriginCheck, isCrossSiteRequest } from "./csrf";

const base = { hosts: ["needs.example.org"] };

describe("isCrossSiteRequest", () => {
  it("never refuses safe methods", () => {
    for (const method of ["GET", "HEAD", "OPTIONS"]) {
      expect(isCrossSiteRequest({ ...base, method, origin: "https://evil.example" })).toBe(false);
    }
  });

  it("accepts a POST from the request's own host", () => {
    expect(
      isCrossSiteRequest({ ...base, method: "POST", origin: "https://needs.example.org" }),
    ).toBe(false);
    expect(
      isCrossSiteRequest({ ...base, method: "post", origin: "http://NEEDS.example.org" }),
    ).toBe(false);
  });

  it("refuses a POST, PUT, PATCH or DELETE from another site", () => {
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
      expect(isCrossSiteRequest({ ...base, method, origin: "https://evil.example" })).toBe(true);
    }
  });

  it("compares the port too", () => {
    const hosts = ["localhost:3000"];
    expect(isCrossSiteRequest({ hosts, method: "POST", origin: "http://localhost:3000" })).toBe(
      false,
    );
    expect(isCrossSiteRequest({ hosts, method: "POST", origin: "http://localhost:5173" })).toBe(
      true,
    );
  });

  it("refuses a look-alike host", () => {
    expect(
      isCrossSiteRequest({
        ...base,
        method: "POST",
        origin: "https://needs.example.org.evil.example",
      }),
    ).toBe(true);
    expect(
      isCrossSiteRequest({
        ...base,
        method: "POST",
        origin: "https://evil.example/needs.example.org",
      }),
    ).toBe(true);
  });

  it("uses the Referer when there is no Origin", () => {
    expect(
      isCrossSiteRequest({
        ...base,
        method: "POST",
        referer: "https://needs.example.org/login?x=1",
      }),
    ).toBe(false);
    expect(
      isCrossSiteRequest({ ...base, method: "POST", referer: "https://evil.example/form" }),
    ).toBe(true);
  });

  it("prefers the Origin over the Referer", () => {
    expect(
      isCrossSiteRequest({
        ...base,
        method: "POST",
        origin: "https://evil.example",
        referer: "https://needs.example.org/",
      }),
    ).toBe(true);
  });

  it("allows requests with neither header (non-browser clients)", () => {
    expect(isCrossSiteRequest({ ...base, method: "POST" })).toBe(false);
    expect(isCrossSiteRequest({ ...base, method: "DELETE", origin: null, referer: null })).toBe(
      false,
    );
  });

  it("refuses an opaque or malformed origin", () => {
    expect(isCrossSiteRequest({ ...base, method: "POST", origin: "null" })).toBe(true);
    expect(isCrossSiteRequest({ ...base, method: "POST", origin: "not a url" })).toBe(true);
    expect(isCrossSiteRequest({ ...base, method: "POST", origin: "file:///etc/passwd" })).toBe(
      true,
    );
  });

  it("accepts PUBLIC_URL's origin, scheme included", () => {
    const input = {
      hosts: ["10.0.0.5:3000"],
      method: "POST",
      publicUrl: "https://needs.example.org/app",
    };
    expect(isCrossSiteRequest({ ...input, origin: "https://needs.example.org" })).toBe(false);
    expect(isCrossSiteRequest({ ...input, origin: "http://needs.example.org" })).toBe(true);
    expect(isCrossSiteRequest({ ...input, origin: "https://other.example.org" })).toBe(true);
  });

  it("accepts a forwarded host given by a trusted proxy", () => {
    const hosts = ["127.0.0.1:3000", "needs.example.org"];
    expect(isCrossSiteRequest({ hosts, method: "POST", origin: "https://needs.example.org" })).toBe(
      false,
    );
  });

  it("refuses when the request names no host at all and the origin is not PUBLIC_URL", () => {
    expect(
      isCrossSiteRequest({
        hosts: [undefined],
        method: "POST",
        origin: "https://needs.example.org",
      }),
    ).toBe(true);
  });
});

describe("csrfOriginCheck middleware", () => {
  it("answers 403 in plain text to a cross-site POST and lets same-site and header-less ones through", async () => {
    const app = express();
    app.use(csrfOriginCheck({ publicUrl: "https://needs.example.org" }));
    app.all("*", (_req, res) => {
      res.send("ok");
    });
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const cross = await fetch(`${base}/login`, {
        method: "POST",
        headers: { Origin: "https://evil.example" },
      });
      expect(cross.status).toBe(403);
      expect(cross.headers.get("content-type")).toMatch(/^text\/plain/);
      expect(await cross.text()).toBe("Cross-site request refused");

      const same = await fetch(`${base}/login`, { method: "POST", headers: { Origin: base } });
      expect(same.status).toBe(200);
      const viaPublicUrl = await fetch(`${base}/login`, {
        method: "POST",
        headers: { Origin: "https://needs.example.org" },
      });
      expect(viaPublicUrl.status).toBe(200);
      const get = await fetch(`${base}/login`, { headers: { Origin: "https://evil.example" } });
      expect(get.status).toBe(200);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
