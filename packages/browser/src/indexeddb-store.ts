import type {
  CustomerRecord,
  CustomerStore,
  FieldDeclaration,
  ListOptions,
  StoreRecord,
  TokenRecord,
  UpsertIntent,
  UpsertPlan,
} from "@patron/core/records";
import { reviveCustomer } from "@patron/core/records";
import { type DBSchema, type IDBPDatabase, openDB } from "idb";

/** A customer as kept in IndexedDB: the record plus the store it belongs to. */
type StoredCustomer = CustomerRecord & { storeId: string };

/** A declaration as kept in IndexedDB; `position` keeps declarations in the order they came. */
type StoredDeclaration = FieldDeclaration & { storeId: string; position: number };

interface PatronSchema extends DBSchema {
  stores: { key: string; value: StoreRecord };
  tokens: { key: string; value: TokenRecord };
  customers: {
    key: [string, string];
    value: StoredCustomer;
    indexes: { byId: [string, string] };
  };
  declarations: {
    key: [string, string];
    value: StoredDeclaration;
    indexes: { byPosition: [string, number] };
  };
}

/** The database name {@link IndexedDBStore.open} uses when none is given. */
export const DEFAULT_DATABASE_NAME = "patron";

const SCHEMA_VERSION = 1;

/**
 * A key range covering every `[storeId, …]` key of one store. Arrays sort after strings and
 * numbers in IndexedDB, so `[storeId, []]` is above every `[storeId, name]` and `[storeId, n]`.
 */
function tenantRange(storeId: string): IDBKeyRange {
  return IDBKeyRange.bound([storeId], [storeId, []]);
}

/**
 * A {@link CustomerStore} on IndexedDB, for pages and Service Workers. Each upsert is one
 * readwrite transaction over customers and declarations: IndexedDB runs transactions with
 * overlapping scopes one after another, so concurrent upserts of the same email (from this tab,
 * other tabs or a Service Worker) each plan on the state the previous one left.
 *
 * Limitation: the data lives in one browser profile on one origin, and the browser may evict it
 * under storage pressure unless the page was granted `navigator.storage.persist()`.
 */
export class IndexedDBStore implements CustomerStore {
  readonly #db: IDBPDatabase<PatronSchema>;

  private constructor(db: IDBPDatabase<PatronSchema>) {
    this.#db = db;
  }

  /**
   * Opens (creating when needed) the database called `name`.
   *
   * @example
   * const store = await IndexedDBStore.open();
   * await upsertCustomer(store, storeId, { email: "jane@example.com" });
   */
  static async open(name: string = DEFAULT_DATABASE_NAME): Promise<IndexedDBStore> {
    const db = await openDB<PatronSchema>(name, SCHEMA_VERSION, {
      upgrade(database) {
        database.createObjectStore("stores", { keyPath: "id" });
        database.createObjectStore("tokens", { keyPath: "hash" });
        const customers = database.createObjectStore("customers", {
          keyPath: ["storeId", "email"],
        });
        customers.createIndex("byId", ["storeId", "id"], { unique: true });
        const declarations = database.createObjectStore("declarations", {
          keyPath: ["storeId", "name"],
        });
        declarations.createIndex("byPosition", ["storeId", "position"], { unique: true });
      },
      // A newer version opened in another tab waits for this connection; closing lets it proceed.
      blocking() {
        db.close();
      },
    });
    return new IndexedDBStore(db);
  }

  async upsert(intent: UpsertIntent): Promise<UpsertPlan> {
    const tx = this.#db.transaction(["customers", "declarations"], "readwrite");
    const customers = tx.objectStore("customers");
    const declarations = tx.objectStore("declarations");

    const [stored, count, ...found] = await Promise.all([
      customers.get([intent.storeId, intent.email]),
      declarations.count(tenantRange(intent.storeId)),
      ...intent.fieldNames.map((name) => declarations.get([intent.storeId, name])),
    ]);
    const declared = new Map<string, FieldDeclaration>();
    for (const declaration of found) {
      if (declaration) declared.set(declaration.name, toDeclaration(declaration));
    }

    // Planning is synchronous, so the transaction cannot commit underneath it.
    const plan = intent.plan(stored ? toCustomer(stored) : null, { declared, count });
    const writes: Promise<unknown>[] = [];
    try {
      if (plan.kind === "write") {
        writes.push(customers.put({ ...plan.customer, storeId: intent.storeId }));
        for (const [index, declaration] of plan.newDeclarations.entries()) {
          const position = count + index;
          writes.push(declarations.put({ ...declaration, storeId: intent.storeId, position }));
        }
      }
    } catch (error) {
      // A put that throws (a value IndexedDB cannot clone) must not leave the others committed.
      tx.abort();
      await Promise.allSettled([...writes, tx.done]);
      throw error;
    }
    await Promise.all([...writes, tx.done]);
    return plan;
  }

  async getCustomer(storeId: string, email: string): Promise<CustomerRecord | null> {
    const stored = await this.#db.get("customers", [storeId, email]);
    return stored ? toCustomer(stored) : null;
  }

  async listCustomers(storeId: string, options: ListOptions): Promise<CustomerRecord[]> {
    const afterId = options.afterId;
    const range =
      afterId === undefined
        ? tenantRange(storeId)
        : IDBKeyRange.bound([storeId, afterId], [storeId, []], true);
    const stored = await this.#db.getAllFromIndex("customers", "byId", range, options.limit);
    return stored.map(toCustomer);
  }

  async listDeclarations(storeId: string): Promise<FieldDeclaration[]> {
    const stored = await this.#db.getAllFromIndex(
      "declarations",
      "byPosition",
      tenantRange(storeId),
    );
    return stored.map(toDeclaration);
  }

  async createStore(store: StoreRecord): Promise<void> {
    await this.#db.put("stores", { ...store });
  }

  async getStore(storeId: string): Promise<StoreRecord | null> {
    return (await this.#db.get("stores", storeId)) ?? null;
  }

  /**
   * Every store (tenant) in this database. Not part of `CustomerStore`: the Service Worker uses
   * it to find the local store it created earlier.
   */
  listStores(): Promise<StoreRecord[]> {
    return this.#db.getAll("stores");
  }

  async saveToken(token: TokenRecord): Promise<void> {
    await this.#db.put("tokens", { ...token });
  }

  async findToken(hash: string): Promise<TokenRecord | null> {
    return (await this.#db.get("tokens", hash)) ?? null;
  }

  async ping(): Promise<void> {
    await this.#db.count("stores");
  }

  async close(): Promise<void> {
    this.#db.close();
  }
}

function toCustomer(stored: StoredCustomer): CustomerRecord {
  const { storeId: _storeId, ...customer } = stored;
  return reviveCustomer(customer);
}

function toDeclaration(stored: StoredDeclaration): FieldDeclaration {
  return { name: stored.name, type: stored.type, createdAt: stored.createdAt };
}
