/**
 * `@patron/core/records`: what a store backend needs at run time, without zod or Hono. The record
 * types, `reviveCustomer` and the `CustomerStore` contract types; backends that ship to browsers
 * import from here to stay small.
 */
export * from "./customer.js";
export type { ErrorCode, FieldIssue, Problem } from "./errors.js";
export { LIMITS } from "./limits.js";
export type * from "./schemas/profile.js";
export type { CustomerStore, ListOptions, UpsertIntent } from "./store.js";
export type { DeclarationView, UpsertPlan } from "./upsert.js";
