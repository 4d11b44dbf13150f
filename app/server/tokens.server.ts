import { createHash, randomBytes } from "node:crypto";

/**
 * Link tokens: personal invitation links (`/i/<token>`) and the resume links of anonymous
 * responses (`/r/<token>`). A token is 32 random bytes in base64url (43 characters); the
 * database stores only its SHA-256, so a copy of the database (with or without the server's
 * secret) opens no response. See docs/decisions/001-personal-links.md and
 * docs/decisions/012-resume-links-and-shared-computers.md.
 */

/** Tokens are 43 base64url characters. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A fresh random token and the hash to store instead of it. */
export function newToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: hashToken(token) };
}

/** SHA-256 (hex) of a token: what the database stores instead of the token. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}
