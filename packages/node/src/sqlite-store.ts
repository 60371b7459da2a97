import {
  type CustomerRecord,
  type CustomerStore,
  type FieldDeclaration,
  type ListOptions,
  PatronError,
  reviveCustomer,
  type StoreRecord,
  type TokenRecord,
  type UpsertIntent,
  type UpsertPlan,
} from "@patron/core";
import Database from "better-sqlite3";
import { migrate } from "./sqlite/schema.js";

/** Options for {@link SqliteStore.open}. */
export interface SqliteStoreOptions {
  /**
   * How long a write waits for another process's write lock before failing with
   * `SQLITE_BUSY`. Defaults to 5,000 ms.
   */
  busyTimeoutMs?: number;
}

const DEFAULT_BUSY_TIMEOUT_MS = 5_000;

/**
 * A {@link CustomerStore} in one SQLite file, through better-sqlite3. The file is put in WAL mode,
 * so readers never wait for the writer, and migrated to the current schema when opened.
 *
 * Upserts run in short `BEGIN IMMEDIATE` transactions; those that arrive in the same turn of the
 * event loop share one, each in its own savepoint (group commit). better-sqlite3 is synchronous,
 * so the read, the plan and the write all happen while this connection holds the database's write
 * lock: no other writer, in this process or another, can slip in between, and the plan never
 * needs to run twice.
 *
 * Limitation: a write waits for another process's write lock by blocking the event loop (up to
 * `busyTimeoutMs`), so several servers on one file serialize their writes and stall each other's
 * reads meanwhile. One process per file is the intended use; PostgreSQL serves the rest.
 *
 * Limitation: the file uses `synchronous = NORMAL`, WAL's usual setting: a crash of the process
 * loses nothing, but a power cut or OS crash may lose the last few committed transactions.
 */
export class SqliteStore implements CustomerStore {
  /** The file this store reads and writes (`:memory:` for a private in-memory database). */
  readonly filename: string;
  readonly #db: Database.Database;
  readonly #statements: ReturnType<typeof prepareStatements>;
  readonly #upsertTransaction: (intent: UpsertIntent) => UpsertPlan;
  readonly #groupTransaction: (group: PendingUpsert[]) => Settled[];
  /** Upserts waiting for the next group commit; see {@link SqliteStore.upsert}. */
  #pending: PendingUpsert[] = [];
  /** How many {@link SqliteStore.batch} calls are open; names their savepoints. */
  #batchDepth = 0;

  private constructor(db: Database.Database) {
    this.#db = db;
    this.filename = db.name;
    this.#statements = prepareStatements(db);
    const single = db.transaction((intent: UpsertIntent) => this.#upsertNow(intent));
    this.#upsertTransaction = single.immediate as (intent: UpsertIntent) => UpsertPlan;
    // Inside the group's transaction, `single` runs as a savepoint: one upsert that throws rolls
    // back only itself.
    this.#groupTransaction = db.transaction((group: PendingUpsert[]) =>
      group.map((pending): Settled => {
        try {
          return { plan: single(pending.intent) };
        } catch (error) {
          return { error };
        }
      }),
    ).immediate as (group: PendingUpsert[]) => Settled[];
  }

  /**
   * Opens (creating when missing) the database file at `filename` and migrates it. The folder must
   * exist. Throws better-sqlite3's `SqliteError` when the file is not a database
   * (`SQLITE_NOTADB`), is corrupt, or stays locked longer than the busy timeout (`SQLITE_BUSY`).
   */
  static open(filename: string, options: SqliteStoreOptions = {}): SqliteStore {
    const db = new Database(filename);
    try {
      db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS}`);
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = NORMAL");
      db.pragma("foreign_keys = ON");
      migrate(db);
      return new SqliteStore(db);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /**
   * Upserts that arrive in the same turn of the event loop share one transaction (group commit):
   * each runs in its own savepoint, so each stays atomic on its own, and every promise settles
   * only after the shared commit. One commit per burst instead of one per request is what keeps
   * SQLite's write cost flat under concurrent load.
   */
  upsert(intent: UpsertIntent): Promise<UpsertPlan> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ intent, resolve, reject });
      if (this.#pending.length === 1) setImmediate(() => this.#commitPending());
    });
  }

  #commitPending(): void {
    const group = this.#pending;
    this.#pending = [];
    if (group.length === 1) {
      const [only] = group as [PendingUpsert];
      try {
        only.resolve(whenNotBusy(() => this.#upsertTransaction(only.intent)));
      } catch (error) {
        only.reject(error);
      }
      return;
    }
    let settled: Settled[];
    try {
      settled = whenNotBusy(() => this.#groupTransaction(group));
    } catch (error) {
      for (const pending of group) pending.reject(error);
      return;
    }
    settled.forEach((outcome, index) => {
      const pending = group[index]!;
      if ("plan" in outcome) pending.resolve(outcome.plan);
      else pending.reject(outcome.error);
    });
  }

  /**
   * Runs `work` inside one transaction, so many upserts share a single commit: the import command
   * uses it to load thousands of rows per fsync. Each upsert inside still runs in its own
   * savepoint and stays atomic on its own; a nested `batch` becomes a savepoint too, so a failing
   * inner batch rolls back only itself. If `work` rejects, everything it wrote is rolled back.
   *
   * Limitation: while `work` awaits, any other call on this store object joins the open
   * transaction. Use it from a single writer (such as an import), not from a serving process.
   */
  async batch<T>(work: () => Promise<T>): Promise<T> {
    const nested = this.#db.inTransaction;
    const savepoint = `patron_batch_${++this.#batchDepth}`;
    this.#db.exec(nested ? `SAVEPOINT ${savepoint}` : "BEGIN IMMEDIATE");
    try {
      const result = await work();
      this.#db.exec(nested ? `RELEASE ${savepoint}` : "COMMIT");
      return result;
    } catch (error) {
      if (this.#db.inTransaction) {
        this.#db.exec(nested ? `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}` : "ROLLBACK");
      }
      throw error;
    } finally {
      this.#batchDepth--;
    }
  }

  async getCustomer(storeId: string, email: string): Promise<CustomerRecord | null> {
    const record = this.#statements.customerByEmail.get(storeId, email) as string | undefined;
    return record === undefined ? null : parseCustomer(record);
  }

  async listCustomers(storeId: string, options: ListOptions): Promise<CustomerRecord[]> {
    const records = this.#statements.customersAfter.all(
      storeId,
      options.afterId ?? "",
      options.limit,
    ) as string[];
    return records.map(parseCustomer);
  }

  async listDeclarations(storeId: string): Promise<FieldDeclaration[]> {
    return this.#statements.declarations.all(storeId) as FieldDeclaration[];
  }

  async createStore(store: StoreRecord): Promise<void> {
    whenNotBusy(() => this.#statements.insertStore.run(store.id, store.name, store.createdAt));
  }

  async getStore(storeId: string): Promise<StoreRecord | null> {
    return (this.#statements.storeById.get(storeId) as StoreRecord | undefined) ?? null;
  }

  /** Every store (tenant), oldest first. Not part of `CustomerStore`; the CLI lists stores. */
  async listStores(): Promise<StoreRecord[]> {
    return this.#statements.stores.all() as StoreRecord[];
  }

  async saveToken(token: TokenRecord): Promise<void> {
    whenNotBusy(() => this.#statements.insertToken.run(token.hash, token.storeId, token.createdAt));
  }

  async findToken(hash: string): Promise<TokenRecord | null> {
    return (this.#statements.tokenByHash.get(hash) as TokenRecord | undefined) ?? null;
  }

  async ping(): Promise<void> {
    this.#statements.ping.get();
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }

  /** The body of the upsert transaction: read, plan, write, with the write lock held. */
  #upsertNow(intent: UpsertIntent): UpsertPlan {
    const statements = this.#statements;
    const record = statements.customerByEmail.get(intent.storeId, intent.email) as
      | string
      | undefined;
    const declared = new Map<string, FieldDeclaration>();
    if (intent.fieldNames.length > 0) {
      const rows = statements.declarationsNamed.all(
        intent.storeId,
        JSON.stringify(intent.fieldNames),
      ) as FieldDeclaration[];
      for (const row of rows) declared.set(row.name, row);
    }
    const count = statements.declarationCount.get(intent.storeId) as number;

    const plan = intent.plan(record === undefined ? null : parseCustomer(record), {
      declared,
      count,
    });

    if (plan.kind === "write") {
      const { customer } = plan;
      statements.saveCustomer.run(
        intent.storeId,
        customer.email,
        customer.id,
        JSON.stringify(customer),
      );
      for (const declaration of plan.newDeclarations) {
        statements.insertDeclaration.run(
          intent.storeId,
          declaration.name,
          declaration.type,
          declaration.createdAt,
        );
      }
    }
    return plan;
  }
}

/** An upsert waiting for the next group commit. */
interface PendingUpsert {
  intent: UpsertIntent;
  resolve(plan: UpsertPlan): void;
  reject(error: unknown): void;
}

/** How one upsert of a group ended, known only once the group has committed. */
type Settled = { plan: UpsertPlan } | { error: unknown };

/**
 * Runs a write, turning "another process kept the write lock past the busy timeout" into core's
 * `store_unavailable` (HTTP 503, which clients retry) rather than an internal error.
 */
function whenNotBusy<T>(write: () => T): T {
  try {
    return write();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("SQLITE_BUSY")) {
      throw new PatronError("store_unavailable", {
        detail: "The database is locked by another writer; try again shortly",
        cause: error,
      });
    }
    throw error;
  }
}

function parseCustomer(record: string): CustomerRecord {
  return reviveCustomer(JSON.parse(record) as CustomerRecord);
}

/** Every statement the store runs, prepared once per connection. */
function prepareStatements(db: Database.Database) {
  return {
    customerByEmail: db
      .prepare("SELECT record FROM customers WHERE store_id = ? AND email = ?")
      .pluck(),
    customersAfter: db
      .prepare("SELECT record FROM customers WHERE store_id = ? AND id > ? ORDER BY id LIMIT ?")
      .pluck(),
    saveCustomer: db.prepare(
      `INSERT INTO customers (store_id, email, id, record) VALUES (?, ?, ?, ?)
       ON CONFLICT (store_id, email) DO UPDATE SET record = excluded.record`,
    ),
    declarations: db.prepare(
      `SELECT name, type, created_at AS createdAt FROM declarations
       WHERE store_id = ? ORDER BY rowid`,
    ),
    declarationsNamed: db.prepare(
      `SELECT name, type, created_at AS createdAt FROM declarations
       WHERE store_id = ? AND name IN (SELECT value FROM json_each(?))`,
    ),
    declarationCount: db.prepare("SELECT count(*) FROM declarations WHERE store_id = ?").pluck(),
    insertDeclaration: db.prepare(
      "INSERT INTO declarations (store_id, name, type, created_at) VALUES (?, ?, ?, ?)",
    ),
    insertStore: db.prepare("INSERT INTO stores (id, name, created_at) VALUES (?, ?, ?)"),
    storeById: db.prepare("SELECT id, name, created_at AS createdAt FROM stores WHERE id = ?"),
    stores: db.prepare("SELECT id, name, created_at AS createdAt FROM stores ORDER BY rowid"),
    insertToken: db.prepare("INSERT INTO tokens (hash, store_id, created_at) VALUES (?, ?, ?)"),
    tokenByHash: db.prepare(
      "SELECT hash, store_id AS storeId, created_at AS createdAt FROM tokens WHERE hash = ?",
    ),
    ping: db.prepare("SELECT 1"),
  };
}
