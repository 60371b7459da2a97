import type { CustomerRecord, StoreRecord, TokenRecord } from "./customer.js";
import type { FieldDeclaration } from "./schemas/profile.js";
import type { DeclarationView, UpsertPlan } from "./upsert.js";

/**
 * One upsert handed to a store. The store reads the customer and the declarations, calls `plan`,
 * and persists the outcome atomically. `plan` is pure and may be called again if the store retries.
 */
export interface UpsertIntent {
  storeId: string;
  /** The normalized email: the key of the customer to read and write. */
  email: string;
  /** The custom field keys the request touches; the declarations the store must at least load. */
  fieldNames: readonly string[];
  plan(current: CustomerRecord | null, declarations: DeclarationView): UpsertPlan;
}

/** Paging through a store's customers, oldest first. */
export interface ListOptions {
  limit: number;
  /** Return only customers whose id sorts after this one. */
  afterId?: string;
}

/**
 * What a storage backend provides. All merge rules live in core; a backend stores records and
 * makes {@link CustomerStore.upsert} atomic. `@patron/core/testing` has the suite a backend must
 * pass unchanged.
 */
export interface CustomerStore {
  /**
   * Runs the intent's plan against the current state and, for a `write` plan, stores the customer
   * and the new declarations in one atomic step. If another writer got there first (the customer
   * or one of the declarations appeared meanwhile), the store must plan again on fresh state
   * rather than overwrite. Returns the plan that took effect.
   */
  upsert(intent: UpsertIntent): Promise<UpsertPlan>;
  /** The customer with this normalized email, or `null`. */
  getCustomer(storeId: string, email: string): Promise<CustomerRecord | null>;
  /** Customers ordered by id (creation time). */
  listCustomers(storeId: string, options: ListOptions): Promise<CustomerRecord[]>;
  /** Every declaration of the store, oldest first. */
  listDeclarations(storeId: string): Promise<FieldDeclaration[]>;
  createStore(store: StoreRecord): Promise<void>;
  getStore(storeId: string): Promise<StoreRecord | null>;
  saveToken(token: TokenRecord): Promise<void>;
  /** The token with this SHA-256 hash, or `null`. */
  findToken(hash: string): Promise<TokenRecord | null>;
  /** Resolves when the backend answers; rejects otherwise. Backs `/healthz`. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
