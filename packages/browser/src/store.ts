/**
 * `@patron/browser/store`: the IndexedDB `CustomerStore`, for local-first pages that run the
 * core's upsert rules themselves.
 */
export { DEFAULT_DATABASE_NAME, IndexedDBStore } from "./indexeddb-store.js";
