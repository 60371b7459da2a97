/**
 * The messages between a page and the Patron Service Worker. Shared by both sides and free of
 * dependencies, so the page helper stays small.
 */

/** Where the worker answers the API unless told otherwise. */
export const DEFAULT_BASE_PATH = "/patron";

/** The `type` of the message that asks the worker for a local store and a token. */
export const BOOTSTRAP_MESSAGE = "patron:bootstrap";

/** Sent by the page, with a `MessagePort` for the reply. */
export interface BootstrapRequest {
  type: typeof BOOTSTRAP_MESSAGE;
  /** Which local store: the worker creates it the first time it hears the name. */
  storeName: string;
  /** A token the page kept from an earlier bootstrap; reused when it is still valid. */
  token?: string;
}

/** The worker's answer. */
export type BootstrapReply =
  | { ok: true; storeId: string; token: string }
  | { ok: false; error: string };
