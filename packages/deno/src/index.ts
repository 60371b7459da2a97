/**
 * `@patron/deno`: Patron on Deno. A Deno KV store (a local file, `:memory:`, or Deno Deploy's
 * replicated KV) and an HTTP server on `Deno.serve` with request logging and graceful shutdown.
 * The `patron` CLI in `cli.ts` is built on these same parts.
 *
 * @example
 * import { openKvStore, serve } from "@patron/deno";
 * await serve({ store: await openKvStore("./patron.kv") });
 *
 * @module
 */
export { KvStore, type KvStoreOptions, openKvStore } from "./kv-store.ts";
export { createLogger, type Logger, requestLogHooks } from "./logger.ts";
export { type PatronServer, type ServeOptions, serve } from "./serve.ts";
