import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "./env.server";

const dataDir = () => mkdtempSync(path.join(tmpdir(), "needsmap-env-"));

function problems(raw: Record<string, string>): string[] {
  try {
    parseEnv({ DATA_DIR: dataDir(), ...raw });
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe("configuration", () => {
  it("has working defaults: embedded database, port 3000, generated development secret", () => {
    const dir = dataDir();
    const env = parseEnv({ DATA_DIR: dir });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.PORT).toBe(3000);
    expect(env.LOG_LEVEL).toBe("info");
    expect(env.MIN_CELL_SIZE).toBe(5);
    expect(env.sessionSecretGenerated).toBe(true);
    expect(env.SESSION_SECRET).toHaveLength(64);
    // The generated secret is kept, so sessions survive a restart.
    expect(readFileSync(path.join(dir, "session-secret"), "utf8")).toBe(env.SESSION_SECRET);
    expect(parseEnv({ DATA_DIR: dir }).SESSION_SECRET).toBe(env.SESSION_SECRET);
  });

  it("treats empty variables as unset", () => {
    expect(parseEnv({ DATA_DIR: dataDir(), DATABASE_URL: "", PORT: "" }).PORT).toBe(3000);
  });

  it("names the variable and the problem for bad values", () => {
    expect(problems({ PORT: "eighty" })).toEqual(["PORT must be a number"]);
    expect(problems({ PORT: "70000" })).toEqual(["PORT must be between 1 and 65535"]);
    expect(problems({ DATABASE_URL: "mysql://x@y/z" })[0]).toMatch(/^DATABASE_URL must be a postgres:\/\//);
    expect(problems({ LOG_LEVEL: "loud" })[0]).toMatch(/^LOG_LEVEL /);
    expect(problems({ SESSION_SECRET: "short" })).toEqual(["SESSION_SECRET must be at least 32 characters long"]);
    expect(problems({ SMTP_URL: "http://mail" })).toEqual(["SMTP_URL must start with smtp:// or smtps://"]);
  });

  it("gives requests 10 seconds to finish on a stop request unless SHUTDOWN_TIMEOUT says otherwise", () => {
    expect(parseEnv({ DATA_DIR: dataDir() }).SHUTDOWN_TIMEOUT).toBe(10);
    expect(parseEnv({ DATA_DIR: dataDir(), SHUTDOWN_TIMEOUT: "25" }).SHUTDOWN_TIMEOUT).toBe(25);
    expect(problems({ SHUTDOWN_TIMEOUT: "ten" })).toEqual(["SHUTDOWN_TIMEOUT must be a number of seconds"]);
    expect(problems({ SHUTDOWN_TIMEOUT: "2.5" })).toEqual(["SHUTDOWN_TIMEOUT must be a whole number of seconds"]);
    expect(problems({ SHUTDOWN_TIMEOUT: "0" })).toEqual(["SHUTDOWN_TIMEOUT must be between 1 and 600 seconds"]);
  });

  it("requires SESSION_SECRET in production", () => {
    expect(problems({ NODE_ENV: "production" })[0]).toMatch(/^SESSION_SECRET is required in production/);
    const env = parseEnv({ NODE_ENV: "production", SESSION_SECRET: "x".repeat(40), DATA_DIR: dataDir() });
    expect(env.sessionSecretGenerated).toBe(false);
  });

  it("accepts a Postgres connection string", () => {
    const env = parseEnv({ DATA_DIR: dataDir(), DATABASE_URL: "postgresql://u:p@db.example.org:5432/needsmap" });
    expect(env.DATABASE_URL).toBe("postgresql://u:p@db.example.org:5432/needsmap");
  });

  it("DATABASE_REPLICA_URL: a Postgres standby of DATABASE_URL, behind by at most REPLICA_MAX_LAG seconds (10)", () => {
    const primary = "postgresql://u:p@db.example.org:5432/needsmap";
    const replica = "postgresql://u:p@replica.example.org:5432/needsmap";
    const env = parseEnv({ DATA_DIR: dataDir(), DATABASE_URL: primary, DATABASE_REPLICA_URL: replica });
    expect(env.DATABASE_REPLICA_URL).toBe(replica);
    expect(env.REPLICA_MAX_LAG).toBe(10);
    expect(parseEnv({ DATA_DIR: dataDir(), DATABASE_URL: primary, REPLICA_MAX_LAG: "2.5" }).REPLICA_MAX_LAG).toBe(2.5);
    expect(problems({ DATABASE_URL: primary, DATABASE_REPLICA_URL: "mysql://x@y/z" })[0]).toMatch(
      /^DATABASE_REPLICA_URL must be a postgres:\/\//,
    );
    expect(problems({ DATABASE_URL: primary, REPLICA_MAX_LAG: "0" })).toEqual([
      "REPLICA_MAX_LAG must be between 1 and 3600 seconds",
    ]);
    expect(problems({ DATABASE_REPLICA_URL: replica })[0]).toMatch(/^DATABASE_REPLICA_URL needs DATABASE_URL/);
  });

  it("TRUST_PROXY: unset trusts no proxy; a hop count or a list of proxy addresses as Express's trust proxy", () => {
    const trust = (v?: string) => parseEnv({ DATA_DIR: dataDir(), ...(v === undefined ? {} : { TRUST_PROXY: v }) }).TRUST_PROXY;
    expect(trust()).toBe(false);
    expect(trust("")).toBe(false);
    expect(trust("false")).toBe(false);
    expect(trust("1")).toBe(1);
    expect(trust(" loopback, 10.0.0.0/8 ,192.168.1.5, fc00::/7 ")).toEqual(["loopback", "10.0.0.0/8", "192.168.1.5", "fc00::/7"]);
  });

  it("TRUST_PROXY: a value Express would not understand, or true, is refused with the reason", () => {
    expect(problems({ TRUST_PROXY: "10.0.0.300" })).toEqual([
      "TRUST_PROXY must be a number of proxies or a comma-separated list of proxy addresses or subnets (invalid IP address: 10.0.0.300)",
    ]);
    expect(problems({ TRUST_PROXY: "10.0.0.0/40" })[0]).toMatch(/^TRUST_PROXY must be .*invalid range on address/);
    expect(problems({ TRUST_PROXY: "proxy.example.org" })[0]).toMatch(/^TRUST_PROXY must be .*invalid IP address: proxy.example.org/);
    expect(problems({ TRUST_PROXY: "true" })[0]).toMatch(/^TRUST_PROXY must not be true: that would believe an X-Forwarded-For sent by anyone/);
  });
});
