/**
 * `@patron/node`: Patron on Node.js. A SQLite store (the embedded default), a PostgreSQL store
 * for several servers sharing one database, the one function that picks a backend from a
 * location string, and an HTTP server with request logging and graceful shutdown. The `patron`
 * CLI is built on these same parts.
 */

export {
  DEMO_STORE_NAME,
  type DemoAccess,
  demoCommands,
  prepareDemo,
} from "./commands/demo.js";
export { createLogger, requestLogHooks } from "./logger.js";
export {
  DEFAULT_DATABASE,
  type NodeStore,
  type OpenStoreOptions,
  openStore,
  parseLocation,
  resolveLocation,
  type StoreLocation,
} from "./open-store.js";
export { PostgresStore, type PostgresStoreOptions } from "./postgres-store.js";
export { type PatronServer, type ServeOptions, serve } from "./serve.js";
export { SqliteStore, type SqliteStoreOptions } from "./sqlite-store.js";
