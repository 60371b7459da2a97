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
import pg from "pg";
import { isWriteConflict, StaleRead, toStoreError } from "./postgres/errors.js";
import { migrate, NewerSchemaError } from "./postgres/schema.js";
import * as sql from "./postgres/statements.js";
import { withTransaction } from "./postgres/transaction.js";

/** Options for {@link PostgresStore.open}. */
export interface PostgresStoreOptions {
  /** A `postgres://user:password@host:port/database` URL; `?sslmode=` and the like work too. */
  connectionString: string;
  /** Connections this process keeps at most. Defaults to 10. */
  poolSize?: number;
  /** The server cancels any statement running longer than this. Defaults to 10,000 ms. */
  statementTimeoutMs?: number;
  /** How long a request waits to connect (or for a free connection). Defaults to 5,000 ms. */
  connectionTimeoutMs?: number;
  /**
   * Called when an idle pooled connection fails, for example while the server restarts. The pool
   * has already dropped it and connects afresh on the next query; this hook is only for logging.
   */
  onIdleError?: (error: Error) => void;
}

/** How many times an upsert reads, plans and writes before giving up on a hot customer. */
const MAX_ATTEMPTS = 20;

/** One consistent read of what planning an upsert needs. */
interface UpsertState {
  current: CustomerRecord | null;
  /** The row version read, or "0" for a customer that does not exist yet. */
  version: string;
  declared: Map<string, FieldDeclaration>;
  count: number;
}

/**
 * A {@link CustomerStore} in PostgreSQL, so several stateless Patron servers can share one
 * database. It uses node-postgres (`pg`): pure JavaScript (no native build), with a connection
 * pool that reconnects by itself, and the most widely used Postgres driver for Node.
 *
 * An upsert costs two round trips: one statement reads the customer, its version, the named
 * declarations and the count; a second statement writes the customer and any new declarations
 * and commits on its own. Writes are guarded by the database, not by locks in this process: a
 * new customer is a plain INSERT (a unique violation if another server created it first), an
 * update names the version it read, a new declaration is a plain INSERT under the store row's
 * lock. When a guard trips, nothing was written, and the upsert plans again; from the second try
 * on it locks the customer row (`SELECT … FOR UPDATE` in a transaction: four round trips), so
 * writers of one hot customer queue instead of retrying in a loop. A request that changes nothing,
 * or is refused with a 422, costs one round trip.
 *
 * Limitation: the largest number of custom field declarations per store (1,000) is repeated as a
 * CHECK constraint in the schema; changing core's limit takes a new migration.
 *
 * Limitation: there is no `batch`, so `patron import` commits every upsert on its own: slower
 * than one transaction per batch, and an import row replayed as several upserts (a profile with
 * several phone numbers) can be left half applied if the database fails between them.
 *
 * Limitation: opening needs the database. `open` (and so `patron serve`) fails when PostgreSQL is
 * unreachable at start; only a store that is already open rides out an outage by itself.
 */
export class PostgresStore implements CustomerStore {
  readonly #pool: pg.Pool;

  private constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  /**
   * Connects and migrates the database to the current schema (see `postgres/schema.ts`). Throws
   * `PatronError("store_unavailable")` when the server cannot be reached, and a
   * `NewerSchemaError` when a newer Patron has migrated the database.
   */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      statement_timeout: options.statementTimeoutMs ?? 10_000,
      connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
      application_name: "patron",
    });
    // Without a listener, an idle connection dropped by a server restart would crash the process.
    pool.on("error", (error) => options.onIdleError?.(error));
    try {
      await migrate(pool);
    } catch (error) {
      await pool.end();
      if (error instanceof NewerSchemaError) throw error;
      throw describeOpenFailure(toStoreError(error));
    }
    return new PostgresStore(pool);
  }

  async upsert(intent: UpsertIntent): Promise<UpsertPlan> {
    for (let attempt = 1; ; attempt++) {
      try {
        return attempt === 1
          ? await this.#upsertOptimistic(intent)
          : await this.#upsertLocked(intent);
      } catch (error) {
        if (!isWriteConflict(error)) throw error;
        if (attempt === MAX_ATTEMPTS) {
          throw new PatronError("store_unavailable", {
            detail: "Too many concurrent writes to this customer; try again shortly.",
            cause: error,
          });
        }
      }
    }
  }

  async getCustomer(storeId: string, email: string): Promise<CustomerRecord | null> {
    const result = await this.#query<{ record: CustomerRecord }>(sql.CUSTOMER_BY_EMAIL, [
      storeId,
      email,
    ]);
    const row = result.rows[0];
    return row ? reviveCustomer(row.record) : null;
  }

  async listCustomers(storeId: string, options: ListOptions): Promise<CustomerRecord[]> {
    const result = await this.#query<{ record: CustomerRecord }>(sql.CUSTOMERS_AFTER, [
      storeId,
      options.afterId ?? "",
      options.limit,
    ]);
    return result.rows.map((row) => reviveCustomer(row.record));
  }

  async listDeclarations(storeId: string): Promise<FieldDeclaration[]> {
    return (await this.#query<FieldDeclaration>(sql.DECLARATIONS, [storeId])).rows;
  }

  async createStore(store: StoreRecord): Promise<void> {
    await this.#query(sql.INSERT_STORE, [store.id, store.name, store.createdAt]);
  }

  async getStore(storeId: string): Promise<StoreRecord | null> {
    return (await this.#query<StoreRecord>(sql.STORE_BY_ID, [storeId])).rows[0] ?? null;
  }

  /** Every store (tenant), oldest first. Not part of `CustomerStore`; the CLI lists stores. */
  async listStores(): Promise<StoreRecord[]> {
    return (await this.#query<StoreRecord>(sql.STORES, [])).rows;
  }

  async saveToken(token: TokenRecord): Promise<void> {
    await this.#query(sql.INSERT_TOKEN, [token.hash, token.storeId, token.createdAt]);
  }

  async findToken(hash: string): Promise<TokenRecord | null> {
    return (await this.#query<TokenRecord>(sql.TOKEN_BY_HASH, [hash])).rows[0] ?? null;
  }

  async ping(): Promise<void> {
    await this.#query({ text: "SELECT 1" }, []);
  }

  async close(): Promise<void> {
    if (!this.#pool.ended) await this.#pool.end();
  }

  /** Read and write as two autocommitted statements; the write's guards catch any interleaving. */
  async #upsertOptimistic(intent: UpsertIntent): Promise<UpsertPlan> {
    const state = await this.#readForUpsert(this.#pool, intent, false);
    return this.#planAndWrite(this.#pool, intent, state);
  }

  /** Read and write in one transaction that holds the customer's row lock throughout. */
  async #upsertLocked(intent: UpsertIntent): Promise<UpsertPlan> {
    return withTransaction(this.#pool, async (client) => {
      const state = await this.#readForUpsert(client, intent, true);
      return this.#planAndWrite(client, intent, state);
    });
  }

  async #readForUpsert(
    db: pg.Pool | pg.PoolClient,
    intent: UpsertIntent,
    lock: boolean,
  ): Promise<UpsertState> {
    const query = lock ? sql.READ_FOR_UPSERT_LOCKED : sql.READ_FOR_UPSERT;
    const result = await this.#query<{
      version: string | null;
      record: CustomerRecord | null;
      declaration_count: number;
      declared: FieldDeclaration[] | null;
    }>(query, [intent.storeId, intent.email, intent.fieldNames], db);
    const row = result.rows[0];
    if (!row)
      throw new PatronError("not_found", { detail: `No store has the id ${intent.storeId}` });
    return {
      current: row.record ? reviveCustomer(row.record) : null,
      version: row.version ?? "0",
      declared: new Map((row.declared ?? []).map((declaration) => [declaration.name, declaration])),
      count: row.declaration_count,
    };
  }

  async #planAndWrite(
    db: pg.Pool | pg.PoolClient,
    intent: UpsertIntent,
    state: UpsertState,
  ): Promise<UpsertPlan> {
    const plan = intent.plan(state.current, { declared: state.declared, count: state.count });
    if (plan.kind !== "write") return plan;

    const { customer, newDeclarations } = plan;
    const values: unknown[] = [
      intent.storeId,
      customer.email,
      customer.id,
      JSON.stringify(customer),
      state.version,
    ];
    if (newDeclarations.length > 0) {
      values.push(
        newDeclarations.map((declaration) => declaration.name),
        newDeclarations.map((declaration) => declaration.type),
        newDeclarations.map((declaration) => declaration.createdAt),
      );
    }
    const query = sql.writeUpsert(plan.created, newDeclarations.length > 0);
    const result = await this.#query<{ written: number }>(query, values, db);
    if (result.rows[0]?.written !== 1) throw new StaleRead();
    return plan;
  }

  /** Runs one statement, turning a failure to reach the database into `store_unavailable`. */
  async #query<Row extends pg.QueryResultRow>(
    query: pg.QueryConfig,
    values: unknown[],
    db: pg.Pool | pg.PoolClient = this.#pool,
  ): Promise<pg.QueryResult<Row>> {
    try {
      return await db.query<Row>({ ...query, values });
    } catch (error) {
      throw toStoreError(error);
    }
  }
}

/**
 * Says which connection failed and how, for the operator starting a server; a failure while
 * serving keeps the short detail, since that one reaches HTTP clients.
 */
function describeOpenFailure(error: unknown): unknown {
  if (!(error instanceof PatronError) || error.code !== "store_unavailable") return error;
  const cause = error.cause as { message?: string; code?: string } | undefined;
  const reason = cause?.message?.split("\n")[0] || cause?.code || "no answer";
  return new PatronError("store_unavailable", {
    detail: `Cannot reach PostgreSQL: ${reason}`,
    cause,
  });
}
