import { PatronError } from "../errors.js";
import type { CustomerStore } from "../store.js";
import { hashToken, isTokenShaped } from "../tokens.js";

const BEARER = /^Bearer[ ]+(\S+)[ ]*$/i;

/** How long a resolved token is trusted before the store is asked again. */
const CACHE_TTL_MS = 60_000;
const CACHE_MAX_ENTRIES = 10_000;

/**
 * Resolves bearer tokens to their store id. Tokens are compared by SHA-256 hash only. Resolved
 * hashes are cached briefly so a busy server does not query its database for every request.
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
    const hash = await hashToken(token);
    const now = Date.now();
    const cached = this.#cache.get(hash);
    if (cached && cached.expiresAt > now) return cached.storeId;

    const record = await this.#store.findToken(hash);
    if (!record) throw new PatronError("unauthorized", { detail: "The token is not valid" });
    if (this.#cache.size >= CACHE_MAX_ENTRIES) this.#cache.clear();
    this.#cache.set(hash, { storeId: record.storeId, expiresAt: now + CACHE_TTL_MS });
    return record.storeId;
  }
}
