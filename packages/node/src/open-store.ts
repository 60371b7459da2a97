import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { CustomerStore, StoreRecord } from "@patron/core";
import { PostgresStore, type PostgresStoreOptions } from "./postgres-store.js";
import { SqliteStore } from "./sqlite-store.js";

/** Where `patron` keeps its database when neither `--db` nor `PATRON_DATABASE_URL` says. */
export const DEFAULT_DATABASE = ".patron/patron.db";

/**
 * A store as the Node package uses it: the core contract plus two optional abilities that the
 * CLI uses when a backend has them.
 */
export interface NodeStore extends CustomerStore {
  /** Runs `work` in one transaction (see {@link SqliteStore.batch}); speeds up imports. */
  batch?<T>(work: () => Promise<T>): Promise<T>;
  /** Every store (tenant), oldest first. */
  listStores?(): Promise<StoreRecord[]>;
}

/** What a database location string names. */
export type StoreLocation =
  | { kind: "sqlite"; filename: string }
  | { kind: "postgres"; url: string }
  | { kind: "unsupported"; scheme: string };

/**
 * Picks the database location: an explicit `--db`, else `PATRON_DATABASE_URL`, else
 * {@link DEFAULT_DATABASE} under `cwd`.
 */
export function resolveLocation(
  explicit: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): string {
  if (explicit) return explicit;
  if (env.PATRON_DATABASE_URL) return env.PATRON_DATABASE_URL;
  return resolve(cwd, DEFAULT_DATABASE);
}

/**
 * Reads a location string: `postgres://` and `postgresql://` URLs name PostgreSQL, a `file:` URL,
 * a plain path or `:memory:` names SQLite, any other `scheme://` is unsupported.
 */
export function parseLocation(location: string): StoreLocation {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(location)?.[1]?.toLowerCase();
  if (scheme === "postgres" || scheme === "postgresql") return { kind: "postgres", url: location };
  if (scheme === "file") return { kind: "sqlite", filename: fileURLToPath(location) };
  // One-letter "schemes" are Windows drive letters such as C:\data\patron.db.
  if (scheme && scheme.length > 1 && location.startsWith(`${scheme}://`)) {
    return { kind: "unsupported", scheme };
  }
  return { kind: "sqlite", filename: location };
}

/** Settings that apply only to some backends; the others ignore them. */
export interface OpenStoreOptions {
  /** Pool size, statement timeout and so on for a PostgreSQL location. */
  postgres?: Omit<PostgresStoreOptions, "connectionString">;
}

/**
 * Opens the store a location names, the one place where the backend is chosen. A SQLite file is
 * created, with its folder, when missing; either database is migrated to the current schema.
 */
export async function openStore(
  location: string,
  options: OpenStoreOptions = {},
): Promise<NodeStore> {
  const parsed = parseLocation(location);
  switch (parsed.kind) {
    case "sqlite":
      if (parsed.filename !== ":memory:") {
        mkdirSync(dirname(resolve(parsed.filename)), { recursive: true });
      }
      return SqliteStore.open(parsed.filename);
    case "postgres":
      return PostgresStore.open({ ...options.postgres, connectionString: parsed.url });
    case "unsupported":
      throw new Error(`Unsupported database URL scheme "${parsed.scheme}:"`);
  }
}
