import { PatronError } from "@patron/core";
import pg from "pg";

/**
 * SQLSTATEs that mean "another writer got there first": the statement was undone as a whole, so
 * reading again and planning again is safe.
 */
const RETRYABLE_STATES = new Set([
  "23505", // unique_violation: the customer or a declaration was created meanwhile
  "23514", // check_violation: the store's declaration cap was reached meanwhile
  "40001", // serialization_failure
  "40P01", // deadlock_detected
]);

/**
 * SQLSTATE classes that mean the database cannot serve right now: 08 connection exception,
 * 53 insufficient resources (too many connections, disk full), 57 operator intervention (shutdown,
 * starting up, statement timeout).
 */
const UNAVAILABLE_CLASSES = new Set(["08", "53", "57"]);

/** Thrown when a guarded update matched no row: the customer changed since it was read. */
export class StaleRead extends Error {
  constructor() {
    super("The customer changed between the read and the write");
    this.name = "StaleRead";
  }
}

/** Whether an upsert that failed with `error` should read again and plan again. */
export function isWriteConflict(error: unknown): boolean {
  if (error instanceof StaleRead) return true;
  return error instanceof pg.DatabaseError && RETRYABLE_STATES.has(error.code ?? "");
}

/**
 * Turns a failure to reach the database into `PatronError("store_unavailable")`, which the app
 * answers with a 503 problem, keeping the original as `cause`. Anything that is not a
 * `DatabaseError` comes from the socket or the pool (refused, reset, timed out, terminated), so
 * it counts as unavailable too. Other database errors are returned unchanged and become 500s.
 */
export function toStoreError(error: unknown): unknown {
  if (error instanceof PatronError) return error;
  if (
    error instanceof pg.DatabaseError &&
    !UNAVAILABLE_CLASSES.has(error.code?.slice(0, 2) ?? "")
  ) {
    return error;
  }
  return new PatronError("store_unavailable", {
    detail: "The database is not answering; try again shortly.",
    cause: error,
  });
}
