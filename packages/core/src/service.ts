import { type CustomerRecord, type StoreRecord, toProfile } from "./customer.js";
import { PatronError } from "./errors.js";
import { isId, newId } from "./ids.js";
import type { CustomerPage, CustomerProfile, UpsertResponse } from "./schemas/profile.js";
import { emailSchema, upsertRequestSchema } from "./schemas/request.js";
import type { CustomerStore } from "./store.js";
import { generateToken, hashToken } from "./tokens.js";
import { planUpsert } from "./upsert.js";
import { parseOrThrow } from "./validation.js";

/**
 * Validates a request body and applies it to the store atomically. Throws a {@link PatronError}
 * for invalid bodies (`validation_failed`) and type conflicts or full declaration tables (422).
 * This is the one path every upsert takes: HTTP, CLI import and the browser's Service Worker.
 */
export async function upsertCustomer(
  store: CustomerStore,
  storeId: string,
  body: unknown,
  now: Date = new Date(),
): Promise<UpsertResponse> {
  const request = parseOrThrow(upsertRequestSchema, body);
  const plan = await store.upsert({
    storeId,
    email: request.email,
    fieldNames: Object.keys(request.customFields ?? {}),
    plan: (current, declarations) => planUpsert(current, request, declarations, now),
  });

  if (plan.kind === "conflict") {
    const detail =
      plan.reason === "field_type_conflict"
        ? "Custom field values do not match their declared types"
        : "The store has reached its limit of custom field declarations";
    throw new PatronError(plan.reason, { detail, errors: plan.errors });
  }
  const created = plan.kind === "write" && plan.created;
  return { id: plan.customer.id, email: plan.customer.email, created };
}

/** The profile for an email (normalized first), or a `customer_not_found` error. */
export async function getCustomerProfile(
  store: CustomerStore,
  storeId: string,
  email: unknown,
): Promise<CustomerProfile> {
  const normalizedEmail = parseOrThrow(emailSchema, email, "invalid_query", "query");
  const customer = await store.getCustomer(storeId, normalizedEmail);
  if (!customer) {
    throw new PatronError("customer_not_found", { detail: "No customer has this email" });
  }
  return toProfile(customer);
}

/** One page of customers. The cursor is opaque to clients; today it is the last id on the page. */
export async function listCustomerProfiles(
  store: CustomerStore,
  storeId: string,
  options: { limit: number; cursor?: string | undefined },
): Promise<CustomerPage> {
  if (options.cursor !== undefined && !isId(options.cursor)) {
    throw new PatronError("invalid_query", {
      detail: "1 problem in the query",
      errors: [{ path: "cursor", code: "invalid_cursor", message: "Not a cursor from this API" }],
    });
  }
  // One extra row tells whether another page exists without a second query.
  const customers: CustomerRecord[] = await store.listCustomers(storeId, {
    limit: options.limit + 1,
    afterId: options.cursor,
  });
  const page = customers.slice(0, options.limit);
  const nextCursor = customers.length > options.limit ? page[page.length - 1]!.id : null;
  return { data: page.map(toProfile), nextCursor };
}

/** Creates a store (tenant) with a fresh id. */
export async function createStore(store: CustomerStore, name: string): Promise<StoreRecord> {
  const now = new Date();
  const record: StoreRecord = { id: newId(now), name, createdAt: now.toISOString() };
  await store.createStore(record);
  return record;
}

/**
 * Issues a token for a store and keeps only its hash. The returned token is the only copy:
 * show it to the user once.
 */
export async function issueToken(store: CustomerStore, storeId: string): Promise<string> {
  if (!(await store.getStore(storeId))) {
    throw new PatronError("not_found", { detail: `No store has the id ${storeId}` });
  }
  const token = generateToken();
  await store.saveToken({
    hash: await hashToken(token),
    storeId,
    createdAt: new Date().toISOString(),
  });
  return token;
}
