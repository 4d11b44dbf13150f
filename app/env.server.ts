import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import express from "express";
import { z } from "zod";

/**
 * The application's configuration, read once from the environment and validated here.
 * No other module reads process.env.
 */
const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), {
      message: "must be a postgres:// or postgresql:// connection string (or unset for the embedded database)",
    })
    .refine((v) => v === undefined || URL.canParse(v), { message: "is not a valid URL" }),
  /**
   * A streaming standby of DATABASE_URL that dashboards, reports and exports read from while it
   * is current (docs/operations.md#read-replica).
   */
  DATABASE_REPLICA_URL: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), {
      message: "must be a postgres:// or postgresql:// connection string (or unset: everything reads DATABASE_URL)",
    })
    .refine((v) => v === undefined || URL.canParse(v), { message: "is not a valid URL" }),
  /** Seconds the read replica may be behind the primary before reads go back to the primary. */
  REPLICA_MAX_LAG: z.coerce
    .number({ message: "must be a number of seconds" })
    .min(1, { message: "must be between 1 and 3600 seconds" })
    .max(3600, { message: "must be between 1 and 3600 seconds" })
    .default(10),
  DATA_DIR: z.string().trim().min(1, { message: "must not be empty" }).default("./.data"),
  PORT: z.coerce
    .number({ message: "must be a number" })
    .int({ message: "must be a whole number" })
    .min(1, { message: "must be between 1 and 65535" })
    .max(65535, { message: "must be between 1 and 65535" })
    .default(3000),
  HOST: z.string().trim().min(1).default("0.0.0.0"),
  SESSION_SECRET: z
    .string()
    .optional()
    .refine((v) => v === undefined || v.length >= 32, { message: "must be at least 32 characters long" }),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  /** Breakdown cells with fewer respondents than this are suppressed on dashboards and reports. */
  MIN_CELL_SIZE: z.coerce.number({ message: "must be a number" }).int().min(1).max(100).default(5),
  /** Public address of the app, used in personal links and e-mails. */
  PUBLIC_URL: z
    .string()
    .optional()
    .refine((v) => !v || URL.canParse(v), { message: "must be an absolute URL such as https://needs.example.org" }),
  SMTP_URL: z
    .string()
    .optional()
    .refine((v) => !v || /^smtps?:\/\//.test(v), { message: "must start with smtp:// or smtps://" }),
  SMTP_FROM: z.string().optional(),
  /** Responses started or submitted per client address and hour; 0 turns the limit off (benchmarks). */
  RESPONSE_RATE_LIMIT: z.coerce.number({ message: "must be a number" }).int().min(0).default(300),
  /** Seconds that requests in progress get to finish when the server is asked to stop. */
  SHUTDOWN_TIMEOUT: z.coerce
    .number({ message: "must be a number of seconds" })
    .int({ message: "must be a whole number of seconds" })
    .min(1, { message: "must be between 1 and 600 seconds" })
    .max(600, { message: "must be between 1 and 600 seconds" })
    .default(10),
  /** Load synthetic demo responses into an empty embedded database at start. */
  DEMO_DATA: z.enum(["auto", "on", "off"]).default("auto"),
  /** Proxies whose X-Forwarded-For is believed (Express's `trust proxy`); unset: none. */
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((v, ctx): false | number | string[] => {
      const parsed = parseTrustProxy(v);
      if (typeof parsed === "object" && "problem" in parsed) {
        ctx.addIssue({ code: "custom", message: parsed.problem });
        return z.NEVER;
      }
      return parsed;
    }),
});

/**
 * TRUST_PROXY as Express's `trust proxy` setting: unset or `false` (the connection's address is
 * the client's), a hop count (`1`: the one proxy in front of the app), or a comma-separated list
 * of proxy addresses, subnets (`10.0.0.0/8`) and the names `loopback`, `linklocal`,
 * `uniquelocal`. The list is checked by Express itself (proxy-addr), so that what is accepted
 * here is exactly what the server understands. `true` (trust every client's X-Forwarded-For)
 * is refused: anyone could then choose the address rate limits and the audit log see.
 */
export function parseTrustProxy(raw: string | undefined): false | number | string[] | { problem: string } {
  const v = raw?.trim() ?? "";
  if (v === "" || v.toLowerCase() === "false") return false;
  if (/^\d+$/.test(v)) return Number(v);
  if (v.toLowerCase() === "true") {
    return {
      problem:
        "must not be true: that would believe an X-Forwarded-For sent by anyone; give the number of proxies in front of the app (e.g. 1) or their addresses (e.g. 10.0.0.5, 10.0.1.0/24, loopback)",
    };
  }
  const list = v.split(",").map((x) => x.trim()).filter(Boolean);
  try {
    express().set("trust proxy", list);
  } catch (e) {
    return {
      problem: `must be a number of proxies or a comma-separated list of proxy addresses or subnets (${(e as Error).message})`,
    };
  }
  return list;
}

export type Env = z.infer<typeof schema> & { SESSION_SECRET: string; sessionSecretGenerated: boolean };

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

function developmentSecret(dataDir: string): string {
  const file = path.join(dataDir, "session-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const secret = randomBytes(32).toString("hex");
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/** Parses a raw environment. Throws ConfigError naming each bad variable. */
export function parseEnv(raw: Record<string, string | undefined>): Env {
  const cleaned = Object.fromEntries(
    Object.entries(raw).map(([k, v]) => [k, v === "" ? undefined : v]),
  );
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((i) => `${i.path.join(".") || "environment"} ${i.message}`),
    );
  }
  const env = result.data;
  if (env.DATABASE_REPLICA_URL && !env.DATABASE_URL) {
    throw new ConfigError([
      "DATABASE_REPLICA_URL needs DATABASE_URL: a read replica is a standby of a PostgreSQL server, not of the embedded database",
    ]);
  }
  if (env.SESSION_SECRET) return { ...env, SESSION_SECRET: env.SESSION_SECRET, sessionSecretGenerated: false };
  if (env.NODE_ENV === "production") {
    throw new ConfigError([
      "SESSION_SECRET is required in production (at least 32 random characters, e.g. `openssl rand -hex 32`)",
    ]);
  }
  return { ...env, SESSION_SECRET: developmentSecret(env.DATA_DIR), sessionSecretGenerated: true };
}

let cached: Env | undefined;

/** The process's configuration, parsed on first use. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
