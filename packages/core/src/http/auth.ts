import { PatronError } from "../errors.js";
import type { CustomerStore } from "../store.js";
import { hashToken, isTokenShaped } from "../tokens.js";

const BEARER = /^Bearer[ ]+(\S+)[ ]*$/i;

/** How long a resolved token is trusted before the store is asked again. */
const CACHE_TTL_MS = 60_000;
const CACHE_MAX_ENTRIES = 10_000;

/**
 * Resolves bearer tokens to their store id. Tokens are looked up by SHA-256 hash only. Resolved
 * tokens are cached briefly, by the token itself, so a busy server neither hashes nor queries its
 * database on every request; the cache lives in memory only, like the request that carried it.
 *
 * Limitation: a token removed from the database directly keeps working on a running server for
 * up to a minute, until its cache entry expires.
 */
export class TokenResolver {
  readonly #store: CustomerStore;
  readonly #cache = new Map<string, { storeId: string; expiresAt: number }>();

  constructor(store: CustomerStore) {
    this.#store = store;
  }

  /** The store id a header's token belongs to, or an `unauthorized` error. */
  async resolve(authorization: string | undefined): Promise<string> {
    const token = authorization?.match(BEARER)?.[1];
    if (!token) {
      throw new PatronError("unauthorized", {
        detail: "Send the store token as 'Authorization: Bearer <token>'",
      });
    }
    if (!isTokenShaped(token)) {
      throw new PatronError("unauthorized", { detail: "The token is malformed" });
    }
    const now = Date.now();
    const cached = this.#cache.get(token);
    if (cached && cached.expiresAt > now) return cached.storeId;

    const record = await this.#store.findToken(await hashToken(token));
    if (!record) throw new PatronError("unauthorized", { detail: "The token is not valid" });
    if (this.#cache.size >= CACHE_MAX_ENTRIES) this.#cache.clear();
    this.#cache.set(token, { storeId: record.storeId, expiresAt: now + CACHE_TTL_MS });
    return record.storeId;
  }
}
