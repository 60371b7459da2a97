import type pg from "pg";
import { withTransaction } from "./transaction.js";

/**
 * The schema, one step per version, all inside the `patron` schema so Patron can share a database
 * with other applications. Steps are append-only: a released step is never edited, a change is a
 * new step. `patron.schema_migrations` records which steps a database has taken.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE patron.stores (
    id text PRIMARY KEY,
    name text NOT NULL,
    created_at text NOT NULL,
    -- Kept beside the declarations so that adding one takes this row's lock: concurrent writers
    -- that declare fields in the same store queue here, and the cap below is checked on the
    -- latest count. It repeats the contract's limit (LIMITS.declarationsPerStore in core); a test
    -- pins the two together.
    declaration_count integer NOT NULL DEFAULT 0 CHECK (declaration_count <= 1000)
  );

  CREATE TABLE patron.tokens (
    hash text PRIMARY KEY,
    store_id text NOT NULL REFERENCES patron.stores (id),
    created_at text NOT NULL
  );

  -- The whole record is one JSON document: core owns its shape, the table owns the keys. json,
  -- not jsonb, so a record reads back byte for byte (custom field order included).
  CREATE TABLE patron.customers (
    store_id text NOT NULL REFERENCES patron.stores (id),
    email text NOT NULL,
    id text NOT NULL,
    -- Bumped by every write; an update names the version it read and fails if it moved.
    version bigint NOT NULL,
    record json NOT NULL,
    PRIMARY KEY (store_id, email)
  );
  CREATE UNIQUE INDEX customers_by_id ON patron.customers (store_id, id);

  CREATE TABLE patron.declarations (
    store_id text NOT NULL REFERENCES patron.stores (id),
    name text NOT NULL,
    type text NOT NULL,
    created_at text NOT NULL,
    -- Insertion order, which is "oldest first" for listings.
    position bigint GENERATED ALWAYS AS IDENTITY,
    PRIMARY KEY (store_id, name)
  );
  `,
];

/** The schema version this build of Patron writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** The database was migrated by a newer Patron; opening it with this one could corrupt it. */
export class NewerSchemaError extends Error {
  constructor(version: number) {
    super(
      `The database has Patron schema version ${version}; this Patron knows up to ` +
        `${SCHEMA_VERSION}. Upgrade Patron to open it.`,
    );
    this.name = "NewerSchemaError";
  }
}

/**
 * Any constant works as long as every Patron agrees on it; this one is "patron" in ASCII
 * (0x706174726f6e), written in decimal because hex literals need PostgreSQL 16. The lock is
 * transaction-scoped, so COMMIT, ROLLBACK and a dropped connection all release it.
 */
const MIGRATION_LOCK_KEY = "123563867795310";

/**
 * Brings a database up to {@link SCHEMA_VERSION} in one transaction that holds an advisory lock,
 * so servers starting at the same moment migrate one after the other: the first applies the
 * steps, the others find nothing left to do. A failed step leaves the database as it was.
 */
export async function migrate(pool: pg.Pool): Promise<void> {
  await withTransaction(pool, async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
    await client.query(`
      CREATE SCHEMA IF NOT EXISTS patron;
      CREATE TABLE IF NOT EXISTS patron.schema_migrations (
        version integer PRIMARY KEY,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const applied = await client.query<{ version: number | null }>(
      "SELECT max(version) AS version FROM patron.schema_migrations",
    );
    const version = applied.rows[0]?.version ?? 0;
    if (version > SCHEMA_VERSION) throw new NewerSchemaError(version);
    for (let step = version; step < SCHEMA_VERSION; step++) {
      await client.query(MIGRATIONS[step]!);
      await client.query("INSERT INTO patron.schema_migrations (version) VALUES ($1)", [step + 1]);
    }
  });
}
