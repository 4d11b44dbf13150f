import { randomBytes } from "node:crypto";

/**
 * Respondent tokens and references: plausibility of a token in a URL (before touching the
 * database), idempotency keys, and human references. The random link tokens themselves and
 * their hashes come from app/server/tokens.server.ts.
 */

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,100}$/;

/** Tokens in URLs: anything else is rejected before touching the database. */
export function isPlausibleToken(token: string | undefined): token is string {
  return typeof token === "string" && /^[A-Za-z0-9_-]{16,128}$/.test(token);
}

export function isIdempotencyKey(value: unknown): value is string {
  return typeof value === "string" && IDEMPOTENCY_KEY.test(value);
}

const REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; // Crockford base 32: no I, L, O, U

/** A human reference such as NM-7K3Q-9XD2 (40 random bits). */
export function newReference(): string {
  const bytes = randomBytes(8);
  let code = "";
  for (let i = 0; i < 8; i++) code += REFERENCE_ALPHABET[bytes[i] & 31];
  return `NM-${code.slice(0, 4)}-${code.slice(4)}`;
}
