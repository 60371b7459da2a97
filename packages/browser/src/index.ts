/**
 * `@patron/browser`: Patron in the browser. An IndexedDB store, a client whose upserts survive
 * going offline, and the page side of the Patron Service Worker.
 */
export * from "./client.js";
export * from "./register.js";
export * from "./store.js";
