/**
 * `@patron/core`: the runtime-free heart of Patron. Schemas, the upsert rules, the store contract,
 * and the HTTP app, built on Web standards only.
 */

export * from "./client.js";
export * from "./customer.js";
export * from "./errors.js";
export * from "./http/app.js";
export { buildOpenApiDocument } from "./http/openapi.js";
export * from "./ids.js";
export * from "./limits.js";
export * from "./memory-store.js";
export * from "./schemas/profile.js";
export * from "./schemas/request.js";
export * from "./service.js";
export * from "./store.js";
export * from "./tokens.js";
export * from "./upsert.js";
export * from "./validation.js";
