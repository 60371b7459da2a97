import type Database from "better-sqlite3";

/**
 * The schema, one step per version. `PRAGMA user_version` records how many steps a database has
 * taken, so opening a file applies only the steps it lacks. Steps are append-only: a released step
 * is never edited, a change is a new step.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE stores (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
  ) STRICT;

  CREATE TABLE tokens (
    hash TEXT PRIMARY KEY,
    store_id TEXT NOT NULL REFERENCES stores (id),
    created_at TEXT NOT NULL
  ) STRICT;

  -- The whole record is one JSON document: core owns its shape, the table owns the keys.
  CREATE TABLE customers (
    store_id TEXT NOT NULL REFERENCES stores (id),
    email TEXT NOT NULL,
    id TEXT NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY (store_id, email)
  ) STRICT;
  CREATE UNIQUE INDEX customers_by_id ON customers (store_id, id);

  -- A rowid table on purpose: rowid order is insertion order, which is "oldest first".
  CREATE TABLE declarations (
    store_id TEXT NOT NULL REFERENCES stores (id),
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (store_id, name)
  ) STRICT;
  `,
];

/** The schema version this build of Patron writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings a database up to {@link SCHEMA_VERSION}. Runs in one write transaction, so two processes
 * opening a new file at once cannot both migrate it, and a failed step leaves the file as it was.
 * Idempotent: an up-to-date database is left untouched.
 */
export function migrate(db: Database.Database): void {
  const apply = db.transaction(() => {
    const version = db.pragma("user_version", { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new Error(
        `The database has schema version ${version}; this Patron knows up to ${SCHEMA_VERSION}. ` +
          "Upgrade Patron to open it.",
      );
    }
    for (let step = version; step < SCHEMA_VERSION; step++) db.exec(MIGRATIONS[step]!);
    if (version !== SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
  });
  apply.immediate();
}
