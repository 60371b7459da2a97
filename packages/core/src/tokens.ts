import { toHex } from "./ids.js";

const TOKEN_PREFIX = "pat_";
const TOKEN_PATTERN = /^pat_[A-Za-z0-9_-]{43}$/;

/** A new store token: `pat_` and 32 random bytes in base64url. Show it once; keep its hash. */
export function generateToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  const base64url = btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  return TOKEN_PREFIX + base64url;
}

/** Whether a string has the shape of a Patron token. */
export function isTokenShaped(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}

/** Lowercase hex SHA-256 of a token: the only form a token is stored in. */
export async function hashToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return toHex(new Uint8Array(digest));
}
