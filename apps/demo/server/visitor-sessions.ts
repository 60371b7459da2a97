import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** Which page a visitor session was issued to; it decides which API calls the session may make. */
export type SessionScope = "storefront" | "admin";

/** What a visitor session token carries, signed so the browser cannot change it. */
export interface VisitorSession {
  scope: SessionScope;
  /** Expiry, in milliseconds since the epoch. */
  expiresAt: number;
}

/** Issues and checks the short-lived tokens the demo's pages hold instead of a store token. */
export interface VisitorSessions {
  issue(scope: SessionScope): { token: string; expiresAt: string };
  /** The session a token stands for, or `null` when it is forged, malformed or expired. */
  verify(token: string): VisitorSession | null;
}

const PREFIX = "ses_";
const SCOPES: readonly SessionScope[] = ["storefront", "admin"];

/**
 * Visitor sessions as signed tokens: `ses_<payload>.<HMAC-SHA256>`, both base64url. They are
 * stateless, so checking one costs a hash and no lookup.
 *
 * Limitation: the signing key is drawn at startup, so a restart invalidates every session. The
 * pages ask for a new one when the server answers 401, so nothing is lost, but a real
 * integration would tie these to its own login and keep the key across restarts.
 */
export function createVisitorSessions(
  options: { ttlMs?: number; now?: () => number } = {},
): VisitorSessions {
  const key = randomBytes(32);
  const ttlMs = options.ttlMs ?? 60 * 60_000;
  const now = options.now ?? Date.now;
  const sign = (payload: string) => createHmac("sha256", key).update(payload).digest();

  return {
    issue(scope) {
      const session: VisitorSession = { scope, expiresAt: now() + ttlMs };
      // A random part keeps two sessions issued in the same millisecond distinct.
      const payload = Buffer.from(
        JSON.stringify({ ...session, nonce: randomBytes(9).toString("base64url") }),
      ).toString("base64url");
      const token = `${PREFIX}${payload}.${sign(payload).toString("base64url")}`;
      return { token, expiresAt: new Date(session.expiresAt).toISOString() };
    },

    verify(token) {
      if (!token.startsWith(PREFIX)) return null;
      const [payload, signature, extra] = token.slice(PREFIX.length).split(".");
      if (!payload || !signature || extra !== undefined) return null;
      const expected = sign(payload);
      const given = Buffer.from(signature, "base64url");
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;

      const session = parsePayload(payload);
      if (!session || session.expiresAt <= now()) return null;
      return session;
    },
  };
}

function parsePayload(payload: string): VisitorSession | null {
  try {
    const value = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as unknown;
    if (typeof value !== "object" || value === null) return null;
    const { scope, expiresAt } = value as Record<string, unknown>;
    if (!SCOPES.includes(scope as SessionScope) || typeof expiresAt !== "number") return null;
    return { scope: scope as SessionScope, expiresAt };
  } catch {
    return null;
  }
}

/** Whether a string names a session scope. */
export function isSessionScope(value: unknown): value is SessionScope {
  return SCOPES.includes(value as SessionScope);
}
