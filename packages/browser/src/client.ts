/**
 * `@patron/browser/client`: the Patron client for pages, with a durable outbox. Upserts that
 * cannot reach the server wait in IndexedDB and are sent in order when it can be reached again.
 */
import type { UpsertRequestInput, UpsertResponse } from "@patron/core";
import { type ClientOptions, createClient, type PatronClient } from "@patron/core/client";
import {
  type EntryOutcome,
  Outbox,
  type OutboxEntry,
  type OutboxFailure,
  type RejectedEntry,
} from "./outbox.js";
import { type OutboxEvent, replay } from "./replay.js";

export type {
  EntryOutcome,
  OutboxEntry,
  OutboxFailure,
  RejectedEntry,
  SentEntry,
} from "./outbox.js";
export type { OutboxEvent } from "./replay.js";

/** Options for {@link createBrowserClient}: the core client's, plus the outbox's. */
export interface BrowserClientOptions extends ClientOptions {
  /** The IndexedDB database of the outbox. Defaults to one per base URL and store. */
  outboxName?: string;
  /** Delay before the first retry of a failed replay; doubles per failure. 1 second by default. */
  minRetryDelayMs?: number;
  /** Longest delay between retries. 5 minutes by default. */
  maxRetryDelayMs?: number;
}

/** What {@link BrowserClient.upsertCustomer} did with a request. */
export type UpsertOutcome =
  /** The server took it now: its `{ id, email, created }`. */
  | { status: "sent"; entryId: string; result: UpsertResponse }
  /** It waits in the outbox; a `sent` or `rejected` event for `entryId` follows later. */
  | { status: "queued"; entryId: string; error?: OutboxFailure }
  /** The server refused it (a 4xx other than 429); it is in the rejected list. */
  | { status: "rejected"; entryId: string; error: OutboxFailure };

/** A snapshot of the outbox as this tab sees it. */
export interface OutboxState {
  /** Entries waiting to be sent. */
  pending: number;
  /** Entries the server refused, waiting for the app to read and clear them. */
  rejected: number;
  /** Why the oldest pending entry failed last, or `null`. */
  lastError: OutboxFailure | null;
  /** When this tab will try again on its own, or `null` when no retry is planned. */
  nextAttemptAt: string | null;
}

/** Called for every outbox change from any tab, with the state after it. */
export type OutboxListener = (event: OutboxEvent, state: OutboxState) => void;

/** The outbox of a {@link BrowserClient}: observe it, read it and tidy it. */
export interface OutboxHandle {
  getState(): Promise<OutboxState>;
  /** Calls `listener` on every change; returns the function that unsubscribes. */
  subscribe(listener: OutboxListener): () => void;
  /** Pending entries, oldest first. */
  pending(): Promise<OutboxEntry[]>;
  /** Entries the server refused. They stay until cleared. */
  rejected(): Promise<RejectedEntry[]>;
  /** Removes the named rejected entries, or all of them. */
  clearRejected(ids?: readonly string[]): Promise<void>;
  /** Queues a rejected entry again, at the end, keeping its id. */
  retryRejected(id: string): Promise<void>;
  /** What became of an entry: pending, sent with the server's answer, rejected, or unknown. */
  outcome(entryId: string): Promise<EntryOutcome>;
  /**
   * Tries to send pending entries now. Skips the backoff after network errors, but still waits
   * out a `Retry-After` or 5xx backoff the server asked for.
   */
  flush(): Promise<void>;
}

/** The core client's reads, an upsert that never loses a write, and the outbox. */
export interface BrowserClient extends Omit<PatronClient, "upsertCustomer"> {
  /**
   * Queues the upsert durably, then sends the queue in order unless the browser is offline.
   * Resolves with `sent`, `queued` or `rejected`; rejects only when the outbox cannot be written
   * or the body cannot be encoded as JSON.
   */
  upsertCustomer(body: UpsertRequestInput): Promise<UpsertOutcome>;
  readonly outbox: OutboxHandle;
  /** Stops timers and listeners and closes the outbox. Pending entries stay for next time. */
  close(): void;
}

/**
 * Creates a client whose upserts survive network loss, server errors and page reloads. Pending
 * upserts are sent when the browser comes online, when the page becomes visible, on a backoff
 * timer that honours `Retry-After`, and when a client is created on a page with pending entries.
 * The outbox keeps request bodies, never the token: a reloaded page supplies it again.
 *
 * Limitation: a server on another origin than the page must answer CORS preflights for `PUT`
 * with `Authorization`. Patron's servers add no CORS headers, so serve the page and the API from
 * one origin (or put a proxy in front) until they do.
 *
 * Limitation: `upsertCustomer` waits its turn while another tab is sending the queue, which can
 * take up to one request timeout per entry ahead of it.
 *
 * @example
 * const client = await createBrowserClient({ baseUrl, token, storeId });
 * const outcome = await client.upsertCustomer({ email: "jane@example.com" });
 * if (outcome.status === "queued") showPending(outcome.entryId);
 * client.outbox.subscribe((event) => {
 *   if (event.type === "sent") showDone(event.entry.id, event.entry.result.created);
 * });
 */
export async function createBrowserClient(options: BrowserClientOptions): Promise<BrowserClient> {
  const server = options.baseUrl.replace(/\/+$/, "").replace(/\/v2\.2$/, "");
  const outboxName = options.outboxName ?? `patron-outbox:${server}:${options.storeId}`;
  const outbox = await Outbox.open(outboxName);
  const reader = createClient(options);
  // The outbox does the retrying, so its sender makes exactly one attempt per replay.
  const sender = createClient({ ...options, retries: 0 });
  const listeners = new Set<OutboxListener>();
  const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel(outboxName) : null;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let nextAttemptAt: string | null = null;
  let closed = false;

  const getState = async (): Promise<OutboxState> => ({
    ...(await outbox.counts()),
    nextAttemptAt,
  });

  const notify = async (event: OutboxEvent): Promise<void> => {
    if (listeners.size === 0) return;
    const state = await getState();
    for (const listener of listeners) listener(event, state);
  };

  const announce = async (event: OutboxEvent): Promise<void> => {
    channel?.postMessage(event);
    await notify(event);
  };

  const schedule = (delayMs: number | null): void => {
    clearTimeout(retryTimer);
    retryTimer = undefined;
    nextAttemptAt = delayMs === null ? null : new Date(Date.now() + delayMs).toISOString();
    if (delayMs !== null && !closed) retryTimer = setTimeout(() => flushSoon(), delayMs);
  };

  const flush = async (networkReturned = false): Promise<void> => {
    if (closed || !isOnline()) return;
    const delayMs = await replay({
      networkReturned,
      outbox,
      send: (body) => sender.upsertCustomer(body),
      lockName: outboxName,
      announce,
      minRetryDelayMs: options.minRetryDelayMs ?? 1_000,
      maxRetryDelayMs: options.maxRetryDelayMs ?? 300_000,
    });
    schedule(delayMs);
  };

  // Triggers run in the background; a failure there must not surface as an unhandled rejection.
  const flushSoon = (networkReturned = false): void => {
    flush(networkReturned).catch(() => schedule(options.minRetryDelayMs ?? 1_000));
  };
  const onOnline = (): void => flushSoon(true);
  const onVisible = (): void => {
    if (globalThis.document?.visibilityState === "visible") flushSoon();
  };
  const onRemoteEvent = (message: MessageEvent<OutboxEvent>): void => void notify(message.data);
  globalThis.addEventListener?.("online", onOnline);
  globalThis.document?.addEventListener("visibilitychange", onVisible);
  channel?.addEventListener("message", onRemoteEvent);

  const handle: OutboxHandle = {
    getState,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    pending: () => outbox.pending(),
    rejected: () => outbox.rejected(),
    async clearRejected(ids) {
      const removed = await outbox.clearRejected(ids);
      if (removed.length > 0) await announce({ type: "cleared", ids: removed });
    },
    async retryRejected(id) {
      const entry = await outbox.requeue(id);
      if (!entry) return;
      await announce({ type: "queued", entry });
      await flush();
    },
    outcome: (entryId) => outbox.outcome(entryId),
    flush: () => flush(true),
  };

  // A page that reloads with entries still queued sends them without waiting for an upsert.
  flushSoon();

  return {
    getCustomer: reader.getCustomer,
    listCustomers: reader.listCustomers,
    listCustomFields: reader.listCustomFields,
    outbox: handle,

    async upsertCustomer(body) {
      // Storing the JSON form rejects what could never be sent and drops `undefined` values.
      const entry = await outbox.add(JSON.parse(JSON.stringify(body)));
      await announce({ type: "queued", entry });
      await flush().catch(() => schedule(options.minRetryDelayMs ?? 1_000));

      const outcome = await outbox.outcome(entry.id);
      if (outcome.status === "sent") {
        return { status: "sent", entryId: entry.id, result: outcome.entry.result };
      }
      if (outcome.status === "rejected") {
        return { status: "rejected", entryId: entry.id, error: outcome.entry.error };
      }
      const error = outcome.status === "pending" ? outcome.entry.lastError : undefined;
      return error
        ? { status: "queued", entryId: entry.id, error }
        : { status: "queued", entryId: entry.id };
    },

    close() {
      closed = true;
      schedule(null);
      globalThis.removeEventListener?.("online", onOnline);
      globalThis.document?.removeEventListener("visibilitychange", onVisible);
      channel?.close();
      listeners.clear();
      outbox.close();
    },
  };
}

/** `navigator.onLine` is only trusted when it says offline; `true` may still mean no route. */
function isOnline(): boolean {
  return (globalThis.navigator as Navigator | undefined)?.onLine !== false;
}
