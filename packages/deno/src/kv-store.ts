import {
  type CustomerRecord,
  type CustomerStore,
  type CustomFieldValue,
  type FieldDeclaration,
  type ListOptions,
  PatronError,
  type StoreRecord,
  type TokenRecord,
  type UpsertIntent,
  type UpsertPlan,
} from "@patron/core";
import {
  type CustomerCore,
  DECLARATIONS_PER_CHUNK,
  flattenChunks,
  fromEntries,
  KvLayout,
  toCore,
} from "./kv-layout.ts";

/** Options for {@link KvStore} and {@link openKvStore}. */
export interface KvStoreOptions {
  /** The key prefix of every Patron entry; `["patron"]` unless set. */
  prefix?: Deno.KvKey;
  /** How many times an upsert re-reads and re-plans after losing a race; 100 unless set. */
  maxAttempts?: number;
}

/** Reads that see a concurrent write start over; this many times at most. */
const MAX_READ_ATTEMPTS = 20;

/**
 * A {@link CustomerStore} on Deno KV: a local SQLite file, `:memory:`, or Deno Deploy's
 * replicated KV. Upserts are optimistic: read, plan, and commit one atomic operation whose
 * `check`s fail if the customer or the declarations changed meanwhile, then read and plan again.
 * The key layout is described in `kv-layout.ts`.
 *
 * Limitation: one upsert is one KV atomic operation, which holds at most 800 KiB of keys and
 * values. A request whose changed custom field values add up to more than about 800 KiB (for
 * example 100 new ASCII strings of 10,000 characters) is refused with `payload_too_large` (413)
 * and changes nothing; the same values written over two or more requests are stored.
 *
 * Limitation: a customer's entry without custom fields must stay under KV's 64 KiB per value,
 * which caps one customer at about 3,000 phone numbers; beyond that the upsert is refused with
 * `payload_too_large`.
 */
export class KvStore implements CustomerStore {
  readonly #kv: Deno.Kv;
  readonly #keys: KvLayout;
  readonly #maxAttempts: number;
  /** The tail of each customer's queue of writers in this process, by store and email. */
  readonly #writeQueues = new Map<string, Promise<void>>();

  /** Wraps an open database; {@link KvStore.close} closes it. */
  constructor(kv: Deno.Kv, options: KvStoreOptions = {}) {
    this.#kv = kv;
    this.#keys = new KvLayout(options.prefix ?? ["patron"]);
    this.#maxAttempts = options.maxAttempts ?? 100;
  }

  async upsert(intent: UpsertIntent): Promise<UpsertPlan> {
    // Writers of one customer in this process take turns instead of racing: n optimistic writers
    // of one key cost O(n²) reads and retries. Other processes are still caught by the
    // versionstamp check in each attempt.
    const queueKey = `${intent.storeId}\u0000${intent.email}`;
    const previous = this.#writeQueues.get(queueKey) ?? Promise.resolve();
    const result = previous.then(() => this.#upsertWithRetries(intent));
    const settled = result.then(
      () => undefined,
      () => undefined,
    );
    this.#writeQueues.set(queueKey, settled);
    void settled.then(() => {
      if (this.#writeQueues.get(queueKey) === settled) this.#writeQueues.delete(queueKey);
    });
    return result;
  }

  /** Read, plan and commit, again after a lost race, up to the attempt limit. */
  async #upsertWithRetries(intent: UpsertIntent): Promise<UpsertPlan> {
    for (let attempt = 0; attempt < this.#maxAttempts; attempt++) {
      // A database file locked by another process is one more lost race.
      const outcome = await this.#tryUpsert(intent).catch(nullWhenBusy);
      if (outcome) return outcome;
      await backOff(attempt);
    }
    throw new PatronError("store_unavailable", {
      detail: "Too many concurrent writes to this customer; try again.",
    });
  }

  /** One read-plan-commit round; `null` when another writer got there first. */
  async #tryUpsert(intent: UpsertIntent): Promise<UpsertPlan | null> {
    const chunkKeys = this.#keys.declarationChunks(intent.storeId);
    const customerKey = this.#keys.customer(intent.storeId, intent.email);
    // One getMany is one snapshot: the customer and every declaration agree with each other.
    const [coreEntry, ...chunks] = await this.#kv.getMany<unknown[]>([customerKey, ...chunkKeys]);
    const core = coreEntry!.value as CustomerCore | null;
    // Field entries are read after the customer entry, so a write landing in between moves the
    // customer's versionstamp and the check below fails.
    const fields = core ? await this.#fieldEntries(intent.storeId, core.id) : [];
    const current = core ? fromEntries(core, fields) : null;
    const declarations = flattenChunks(chunks as Deno.KvEntryMaybe<FieldDeclaration[]>[]);
    const declared = new Map(declarations.map((declaration) => [declaration.name, declaration]));

    const plan = intent.plan(current, { declared, count: declarations.length });
    if (plan.kind !== "write") return plan;

    const operation = this.#kv.atomic().check(coreEntry!);
    operation.set(customerKey, toCore(plan.customer));
    if (plan.created) {
      operation.set(this.#keys.customerId(intent.storeId, plan.customer.id), intent.email);
    }
    this.#writeFields(operation, intent.storeId, plan.customer, current);
    if (plan.newDeclarations.length > 0) {
      const all = [...declarations, ...plan.newDeclarations];
      const first = Math.floor(declarations.length / DECLARATIONS_PER_CHUNK);
      const last = Math.floor((all.length - 1) / DECLARATIONS_PER_CHUNK);
      for (let chunk = first; chunk <= last; chunk++) {
        const start = chunk * DECLARATIONS_PER_CHUNK;
        operation.check(chunks[chunk]!);
        operation.set(chunkKeys[chunk]!, all.slice(start, start + DECLARATIONS_PER_CHUNK));
      }
    }
    return (await commit(operation)).ok ? plan : null;
  }

  /** Adds the field entries that differ between the stored customer and the planned one. */
  #writeFields(
    operation: Deno.AtomicOperation,
    storeId: string,
    next: CustomerRecord,
    current: CustomerRecord | null,
  ): void {
    const stored = current?.customFields ?? {};
    for (const [name, value] of Object.entries(next.customFields)) {
      if (!Object.hasOwn(stored, name) || !Object.is(stored[name], value)) {
        operation.set(this.#keys.field(storeId, next.id, name), value);
      }
    }
    for (const name of Object.keys(stored)) {
      if (!Object.hasOwn(next.customFields, name)) {
        operation.delete(this.#keys.field(storeId, next.id, name));
      }
    }
  }

  async getCustomer(storeId: string, email: string): Promise<CustomerRecord | null> {
    return await whileBusy(() => this.#readCustomer(storeId, email));
  }

  async listCustomers(storeId: string, options: ListOptions): Promise<CustomerRecord[]> {
    return await whileBusy(() => this.#listCustomers(storeId, options));
  }

  async #listCustomers(storeId: string, options: ListOptions): Promise<CustomerRecord[]> {
    const prefix = this.#keys.customerIds(storeId);
    const selector = options.afterId ? { prefix, start: [...prefix, options.afterId] } : { prefix };
    const customers: CustomerRecord[] = [];
    for await (const entry of this.#kv.list<string>(selector, { limit: options.limit + 1 })) {
      if (entry.key[entry.key.length - 1] === options.afterId) continue;
      const customer = await this.#readCustomer(storeId, entry.value);
      if (customer) customers.push(customer);
      if (customers.length === options.limit) break;
    }
    return customers;
  }

  async listDeclarations(storeId: string): Promise<FieldDeclaration[]> {
    const keys = this.#keys.declarationChunks(storeId);
    const chunks = await whileBusy(() => this.#kv.getMany<FieldDeclaration[][]>(keys));
    return flattenChunks(chunks);
  }

  async createStore(store: StoreRecord): Promise<void> {
    await whileBusy(() => this.#kv.set(this.#keys.store(store.id), { ...store }));
  }

  async getStore(storeId: string): Promise<StoreRecord | null> {
    return (await whileBusy(() => this.#kv.get<StoreRecord>(this.#keys.store(storeId)))).value;
  }

  async saveToken(token: TokenRecord): Promise<void> {
    await whileBusy(() => this.#kv.set(this.#keys.token(token.hash), { ...token }));
  }

  async findToken(hash: string): Promise<TokenRecord | null> {
    return (await whileBusy(() => this.#kv.get<TokenRecord>(this.#keys.token(hash)))).value;
  }

  async ping(): Promise<void> {
    await this.#kv.get(this.#keys.ping());
  }

  async close(): Promise<void> {
    this.#kv.close();
  }

  /**
   * Reads a customer and its fields. The fields take more than one read, so the customer entry is
   * read again afterwards: every write moves its versionstamp, and an unchanged one proves the
   * fields belong to the same version.
   */
  async #readCustomer(storeId: string, email: string): Promise<CustomerRecord | null> {
    const customerKey = this.#keys.customer(storeId, email);
    for (let attempt = 0; attempt < MAX_READ_ATTEMPTS; attempt++) {
      const before = await this.#kv.get<CustomerCore>(customerKey);
      if (!before.value) return null;
      const fields = await this.#fieldEntries(storeId, before.value.id);
      const after = await this.#kv.get<CustomerCore>(customerKey);
      if (after.versionstamp === before.versionstamp) return fromEntries(before.value, fields);
    }
    throw new PatronError("store_unavailable", {
      detail: "This customer changed too often to be read; try again.",
    });
  }

  async #fieldEntries(storeId: string, customerId: string) {
    const prefix = this.#keys.fields(storeId, customerId);
    return await Array.fromAsync(this.#kv.list<CustomFieldValue>({ prefix }, { batchSize: 500 }));
  }
}

/**
 * Opens a KV database and wraps it in a {@link KvStore}. `path` is a file, `":memory:"`, or
 * absent for the default database (on Deno Deploy, the project's replicated KV).
 *
 * @example
 * const store = await openKvStore("./patron.kv");
 */
export async function openKvStore(path?: string, options: KvStoreOptions = {}): Promise<KvStore> {
  return new KvStore(await Deno.openKv(path), options);
}

/**
 * Commits, turning KV's size limits into a client error: such a request can never succeed, and
 * it must not look like a server fault.
 */
async function commit(
  operation: Deno.AtomicOperation,
): Promise<Deno.KvCommitResult | { ok: false }> {
  try {
    return await operation.commit();
  } catch (error) {
    if (error instanceof TypeError && /too large|Too many/.test(error.message)) {
      throw new PatronError("payload_too_large", {
        detail: `This change is too large for one Deno KV write (${error.message}).`,
        cause: error,
      });
    }
    throw error;
  }
}

/** Attempts for a single read or write that finds the database file locked. */
const BUSY_ATTEMPTS = 50;

/**
 * Runs `work` again while the database file is locked. SQLite-backed KV answers "database is
 * locked" at once when another process holds the write lock, instead of waiting for it.
 */
async function whileBusy<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isBusy(error)) throw error;
      if (attempt + 1 >= BUSY_ATTEMPTS) {
        throw new PatronError("store_unavailable", {
          detail: "The database stayed locked by another process; try again.",
          cause: error,
        });
      }
    }
    await backOff(attempt);
  }
}

function isBusy(error: unknown): boolean {
  return error instanceof TypeError && /database is (locked|busy)/i.test(error.message);
}

function nullWhenBusy(error: unknown): null {
  if (isBusy(error)) return null;
  throw error;
}

/** A random pause that grows with the attempt, so competing writers do not collide again. */
function backOff(attempt: number): Promise<void> {
  const milliseconds = Math.random() * Math.min(50, 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
