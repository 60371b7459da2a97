import type { Problem, UpsertRequestInput, UpsertResponse } from "@patron/core";
import { type DBSchema, type IDBPDatabase, openDB } from "idb";

/** Why an attempt to send an entry failed, in a form that survives IndexedDB and postMessage. */
export interface OutboxFailure {
  /** HTTP status, or 0 when no response arrived (offline, network error, timeout). */
  status: number;
  /** The server's problem document, or one the client made up for a network error. */
  problem: Problem;
  /** When the attempt failed (ISO 8601). */
  at: string;
}

/** An upsert waiting in the outbox. */
export interface OutboxEntry {
  /** The id the app got back when the upsert was queued. */
  id: string;
  /** Queue position: entries are sent in ascending order. */
  seq: number;
  /** The request body, exactly as it will be sent. */
  body: UpsertRequestInput;
  queuedAt: string;
  /** Failed attempts so far. */
  attempts: number;
  lastError?: OutboxFailure;
  /** Not to be sent again before this time (ISO 8601): the backoff or the server's Retry-After. */
  retryAt?: string;
}

/** An entry the server refused with a 4xx other than 429. It is never retried by itself. */
export interface RejectedEntry extends OutboxEntry {
  rejectedAt: string;
  error: OutboxFailure;
}

/** An entry the server accepted, kept for a while so its outcome can be looked up by id. */
export interface SentEntry {
  id: string;
  seq: number;
  sentAt: string;
  result: UpsertResponse;
}

/** What became of an entry, looked up by its id. */
export type EntryOutcome =
  | { status: "pending"; entry: OutboxEntry }
  | { status: "sent"; entry: SentEntry }
  | { status: "rejected"; entry: RejectedEntry }
  /** Never queued here, cleared by the app, or sent so long ago that its result was dropped. */
  | { status: "unknown" };

interface OutboxSchema extends DBSchema {
  entries: { key: number; value: OutboxEntry; indexes: { byId: string } };
  rejected: { key: string; value: RejectedEntry; indexes: { bySeq: number } };
  sent: { key: string; value: SentEntry; indexes: { bySeq: number } };
}

/**
 * How many sent results are kept for {@link Outbox.outcome}.
 *
 * Limitation: the outcome of an older sent entry reads as `unknown`; an app that needs every
 * result should keep it when the `sent` event arrives.
 */
export const SENT_RESULTS_KEPT = 500;

/**
 * The durable queue behind the browser client: pending upserts, the server's refusals and recent
 * results, in one IndexedDB database shared by every tab of the origin. It only stores; sending,
 * locking and scheduling live in `replay.ts`.
 */
export class Outbox {
  readonly #db: IDBPDatabase<OutboxSchema>;

  private constructor(db: IDBPDatabase<OutboxSchema>) {
    this.#db = db;
  }

  /** Opens (creating when needed) the outbox database called `name`. */
  static async open(name: string): Promise<Outbox> {
    const db = await openDB<OutboxSchema>(name, 1, {
      upgrade(database) {
        const entries = database.createObjectStore("entries", {
          keyPath: "seq",
          autoIncrement: true,
        });
        entries.createIndex("byId", "id", { unique: true });
        database.createObjectStore("rejected", { keyPath: "id" }).createIndex("bySeq", "seq");
        database.createObjectStore("sent", { keyPath: "id" }).createIndex("bySeq", "seq");
      },
      blocking() {
        db.close();
      },
    });
    return new Outbox(db);
  }

  /** Appends an upsert to the queue and returns the stored entry. */
  async add(body: UpsertRequestInput): Promise<OutboxEntry> {
    const draft = { id: newEntryId(), body, queuedAt: new Date().toISOString(), attempts: 0 };
    // The key path is autoIncrement: IndexedDB fills in `seq`, so the draft goes in without it.
    const seq = await this.#db.add("entries", draft as OutboxEntry);
    return { ...draft, seq };
  }

  /** The oldest pending entry: the next one to send. */
  async head(): Promise<OutboxEntry | undefined> {
    const cursor = await this.#db.transaction("entries").store.openCursor();
    return cursor?.value;
  }

  /** Every pending entry, oldest first. */
  pending(): Promise<OutboxEntry[]> {
    return this.#db.getAll("entries");
  }

  /** Every rejected entry, in the order they were queued. */
  rejected(): Promise<RejectedEntry[]> {
    return this.#db.getAllFromIndex("rejected", "bySeq");
  }

  /** How many entries are pending and rejected, and the last error of the queue's head. */
  async counts(): Promise<{ pending: number; rejected: number; lastError: OutboxFailure | null }> {
    const [pending, rejected, head] = await Promise.all([
      this.#db.count("entries"),
      this.#db.count("rejected"),
      this.head(),
    ]);
    return { pending, rejected, lastError: head?.lastError ?? null };
  }

  /** Records a failed attempt that may succeed later; the entry stays at its place. */
  async markFailed(
    entry: OutboxEntry,
    error: OutboxFailure,
    retryAt: string,
  ): Promise<OutboxEntry> {
    const updated = { ...entry, attempts: entry.attempts + 1, lastError: error, retryAt };
    await this.#db.put("entries", updated);
    return updated;
  }

  /** Moves an entry out of the queue into the recent results, dropping the oldest results. */
  async markSent(entry: OutboxEntry, result: UpsertResponse): Promise<SentEntry> {
    const sent: SentEntry = { id: entry.id, seq: entry.seq, sentAt: now(), result };
    const tx = this.#db.transaction(["entries", "sent"], "readwrite");
    const sentStore = tx.objectStore("sent");
    const writes: Promise<unknown>[] = [tx.objectStore("entries").delete(entry.seq)];
    writes.push(sentStore.put(sent));
    const excess = (await sentStore.count()) - SENT_RESULTS_KEPT;
    if (excess > 0) {
      let cursor = await sentStore.index("bySeq").openCursor();
      for (let dropped = 0; cursor && dropped < excess; dropped++) {
        writes.push(cursor.delete());
        cursor = await cursor.continue();
      }
    }
    await Promise.all([...writes, tx.done]);
    return sent;
  }

  /** Moves an entry out of the queue into the rejected list. */
  async markRejected(entry: OutboxEntry, error: OutboxFailure): Promise<RejectedEntry> {
    const rejected: RejectedEntry = { ...entry, rejectedAt: now(), error };
    const tx = this.#db.transaction(["entries", "rejected"], "readwrite");
    await Promise.all([
      tx.objectStore("entries").delete(entry.seq),
      tx.objectStore("rejected").put(rejected),
      tx.done,
    ]);
    return rejected;
  }

  /** Removes rejected entries: the ones named, or all of them. Returns the ids removed. */
  async clearRejected(ids?: readonly string[]): Promise<string[]> {
    const tx = this.#db.transaction("rejected", "readwrite");
    const removed = ids ?? (await tx.store.getAllKeys());
    await Promise.all([...removed.map((id) => tx.store.delete(id)), tx.done]);
    return [...removed];
  }

  /**
   * Puts a rejected entry back at the end of the queue under the same id, for example after the
   * app fixed a token that the server refused. Returns the new pending entry, or `undefined`.
   */
  async requeue(id: string): Promise<OutboxEntry | undefined> {
    const tx = this.#db.transaction(["entries", "rejected"], "readwrite");
    const rejected = await tx.objectStore("rejected").get(id);
    if (!rejected) {
      await tx.done;
      return undefined;
    }
    const draft = { id, body: rejected.body, queuedAt: now(), attempts: 0 };
    const [, seq] = await Promise.all([
      tx.objectStore("rejected").delete(id),
      tx.objectStore("entries").add(draft as OutboxEntry),
      tx.done,
    ]);
    return { ...draft, seq };
  }

  /** Where an entry is now: pending, sent (with the server's answer), rejected, or unknown. */
  async outcome(id: string): Promise<EntryOutcome> {
    const tx = this.#db.transaction(["entries", "sent", "rejected"]);
    const [pending, sent, rejected] = await Promise.all([
      tx.objectStore("entries").index("byId").get(id),
      tx.objectStore("sent").get(id),
      tx.objectStore("rejected").get(id),
    ]);
    if (pending) return { status: "pending", entry: pending };
    if (sent) return { status: "sent", entry: sent };
    if (rejected) return { status: "rejected", entry: rejected };
    return { status: "unknown" };
  }

  /** Closes the database connection; the queue stays on disk. */
  close(): void {
    this.#db.close();
  }
}

function now(): string {
  return new Date().toISOString();
}

/** 128 random bits in hex; `crypto.randomUUID` would need a secure context. */
function newEntryId(): string {
  let hex = "";
  for (const byte of crypto.getRandomValues(new Uint8Array(16))) {
    hex += byte.toString(16).padStart(2, "0");
  }
  return hex;
}
