import type { UpsertRequestInput, UpsertResponse } from "@patron/core";
import { PatronClientError } from "@patron/core/client";
import type { Outbox, OutboxEntry, OutboxFailure, RejectedEntry, SentEntry } from "./outbox.js";

/** A change to the outbox. Every tab using the same outbox hears every event. */
export type OutboxEvent =
  | { type: "queued"; entry: OutboxEntry }
  | { type: "sent"; entry: SentEntry; body: UpsertRequestInput }
  /** A try failed in a way that may pass later; `entry.retryAt` says when it is next due. */
  | { type: "failed"; entry: OutboxEntry; error: OutboxFailure }
  | { type: "rejected"; entry: RejectedEntry }
  | { type: "cleared"; ids: string[] };

/** What a replay needs from its surroundings; the browser client provides it. */
export interface ReplayContext {
  outbox: Outbox;
  /** Sends one upsert, once: no retries of its own. */
  send(body: UpsertRequestInput): Promise<UpsertResponse>;
  /** The Web Lock that keeps two tabs from sending the same entry at the same time. */
  lockName: string;
  announce(event: OutboxEvent): Promise<void>;
  minRetryDelayMs: number;
  maxRetryDelayMs: number;
  /**
   * Set when the browser just came back online: an entry waiting only because the network was
   * down is sent now. A wait the server asked for (429, 5xx) is always honoured.
   */
  networkReturned?: boolean;
}

/**
 * Sends pending entries oldest first until the queue is empty or an attempt fails in a way that
 * may pass later. Runs under an exclusive Web Lock, so across all tabs of the origin one replay
 * at a time reads the head of the queue. The head blocks the rest while it waits out a backoff,
 * so entries always arrive in the order they were queued. Returns the delay before the next
 * attempt, or `null` when the queue is empty.
 *
 * An entry whose response was lost (the tab closed mid-request) is sent again by the next replay;
 * that is safe because an upsert repeated is the same upsert.
 */
export function replay(context: ReplayContext): Promise<number | null> {
  return withLock(context.lockName, async () => {
    for (;;) {
      const entry = await context.outbox.head();
      if (!entry) return null;
      const waitMs = entry.retryAt ? Date.parse(entry.retryAt) - Date.now() : 0;
      const wasNetwork = entry.lastError?.status === 0;
      if (waitMs > 0 && !(context.networkReturned && wasNetwork)) return waitMs;

      let result: UpsertResponse;
      try {
        result = await context.send(entry.body);
      } catch (error) {
        const failure = toFailure(error);
        if (error instanceof PatronClientError && error.retryable) {
          const delay = error.retryAfterMs ?? backoff(entry.attempts + 1, context);
          const retryAt = new Date(Date.now() + delay).toISOString();
          const failed = await context.outbox.markFailed(entry, failure, retryAt);
          await context.announce({ type: "failed", entry: failed, error: failure });
          return delay;
        }
        const rejected = await context.outbox.markRejected(entry, failure);
        await context.announce({ type: "rejected", entry: rejected });
        continue;
      }
      const sent = await context.outbox.markSent(entry, result);
      await context.announce({ type: "sent", entry: sent, body: entry.body });
    }
  });
}

/** Exponential backoff with jitter: about `min × 2^(attempts-1)`, never above `max`. */
export function backoff(
  attempts: number,
  limits: { minRetryDelayMs: number; maxRetryDelayMs: number },
): number {
  const ceiling = Math.min(limits.maxRetryDelayMs, limits.minRetryDelayMs * 2 ** (attempts - 1));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

/** Turns whatever a send threw into a failure record that can be stored and broadcast. */
export function toFailure(error: unknown): OutboxFailure {
  const at = new Date().toISOString();
  if (error instanceof PatronClientError) {
    return { status: error.status, problem: { ...error.problem }, at };
  }
  // Not an HTTP outcome: a body the client could not send. Retrying would fail the same way.
  const detail = error instanceof Error ? error.message : String(error);
  const problem = {
    type: "https://patron.dev/problems/client",
    title: "Request not sent",
    status: 0,
    detail,
  };
  return { status: 0, problem, at };
}

const localLocks = new Map<string, Promise<unknown>>();

/**
 * Runs `task` while holding the named exclusive lock. Uses Web Locks when the browser has them;
 * otherwise falls back to a lock that only covers this page.
 *
 * Limitation: without `navigator.locks` (insecure contexts, old browsers) two tabs may replay the
 * same entry at the same time. The server still ends in the same state, since upserts are
 * idempotent, but both tabs report it as sent.
 */
function withLock<T>(name: string, task: () => Promise<T>): Promise<T> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (locks) return locks.request(name, { mode: "exclusive" }, task) as Promise<T>;
  const previous = localLocks.get(name) ?? Promise.resolve();
  const next = previous.then(task, task);
  localLocks.set(
    name,
    next.catch(() => undefined),
  );
  return next;
}
