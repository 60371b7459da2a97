import {
  type CustomerRecord,
  type CustomFieldValue,
  type FieldDeclaration,
  LIMITS,
  reviveCustomer,
} from "@patron/core";

/**
 * How Patron lays its records out in Deno KV. Every key starts with a prefix (`["patron"]` by
 * default) so Patron can share a database with other data.
 *
 * | key | value |
 * |---|---|
 * | `[...prefix, "store", storeId]` | the {@link StoreRecord} |
 * | `[...prefix, "token", sha256Hex]` | the {@link TokenRecord} |
 * | `[...prefix, "customer", storeId, email]` | the customer without its custom fields |
 * | `[...prefix, "customer_id", storeId, customerId]` | the email: lists customers by id |
 * | `[...prefix, "field", storeId, customerId, name]` | one custom field value |
 * | `[...prefix, "declarations", storeId, chunk]` | {@link DECLARATIONS_PER_CHUNK} declarations |
 *
 * Custom field values live in their own entries because a profile may hold 1,000 values of up to
 * 10,000 characters, far beyond KV's 64 KiB per value; an upsert then rewrites only the values
 * it changes. Declarations live in a few chunks, oldest first, so one `getMany` reads the
 * customer and every declaration as one consistent snapshot, and two writers declaring fields at
 * once always touch the same chunk and cannot both commit.
 */
export class KvLayout {
  readonly #prefix: Deno.KvKey;

  constructor(prefix: Deno.KvKey) {
    this.#prefix = prefix;
  }

  store(storeId: string): Deno.KvKey {
    return [...this.#prefix, "store", storeId];
  }

  token(hash: string): Deno.KvKey {
    return [...this.#prefix, "token", hash];
  }

  customer(storeId: string, email: string): Deno.KvKey {
    return [...this.#prefix, "customer", storeId, email];
  }

  customerIds(storeId: string): Deno.KvKey {
    return [...this.#prefix, "customer_id", storeId];
  }

  customerId(storeId: string, customerId: string): Deno.KvKey {
    return [...this.customerIds(storeId), customerId];
  }

  fields(storeId: string, customerId: string): Deno.KvKey {
    return [...this.#prefix, "field", storeId, customerId];
  }

  field(storeId: string, customerId: string, name: string): Deno.KvKey {
    return [...this.fields(storeId, customerId), name];
  }

  /** Every declaration chunk key of a store, in order. */
  declarationChunks(storeId: string): Deno.KvKey[] {
    return Array.from({ length: DECLARATION_CHUNKS }, (_, chunk) => [
      ...this.#prefix,
      "declarations",
      storeId,
      chunk,
    ]);
  }

  /** The key that reports whether the database answers; it is only ever read. */
  ping(): Deno.KvKey {
    return [...this.#prefix, "ping"];
  }
}

/**
 * Declarations per chunk entry. 125 declarations with the longest names (128 characters stored
 * as two-byte strings) take about 40 KB, well inside KV's 64 KiB per value.
 */
export const DECLARATIONS_PER_CHUNK = 125;

/** Enough chunks for a full store; 8 chunks plus the customer fit one 10-key `getMany`. */
export const DECLARATION_CHUNKS = Math.ceil(LIMITS.declarationsPerStore / DECLARATIONS_PER_CHUNK);

/** A customer as its main entry holds it: everything except the custom field values. */
export type CustomerCore = Omit<CustomerRecord, "customFields">;

/** Splits a record into its main entry; the custom fields are written entry by entry. */
export function toCore(customer: CustomerRecord): CustomerCore {
  const core: CustomerCore = {
    id: customer.id,
    email: customer.email,
    phoneNumbers: customer.phoneNumbers,
    createdAt: customer.createdAt,
    updatedAt: customer.updatedAt,
  };
  if (customer.firstName !== undefined) core.firstName = customer.firstName;
  if (customer.lastName !== undefined) core.lastName = customer.lastName;
  if (customer.location !== undefined) core.location = customer.location;
  return core;
}

/** Joins a main entry and its field entries into the record core works with. */
export function fromEntries(
  core: CustomerCore,
  fields: Deno.KvEntry<CustomFieldValue>[],
): CustomerRecord {
  // A prototype-free target, so a field named `__proto__` is assigned as data.
  const customFields: Record<string, CustomFieldValue> = Object.create(null);
  for (const entry of fields) customFields[entry.key[entry.key.length - 1] as string] = entry.value;
  return reviveCustomer({ ...core, customFields });
}

/** The declarations of a store, oldest first, from its chunk entries. */
export function flattenChunks(chunks: Deno.KvEntryMaybe<FieldDeclaration[]>[]): FieldDeclaration[] {
  return chunks.flatMap((chunk) => chunk.value ?? []);
}
