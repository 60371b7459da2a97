/**
 * The script of the test page. It exposes the browser package on `window.Patron` so tests can
 * drive it with `page.evaluate`, and keeps every outbox event the page hears.
 */
import { createClient } from "@patron/core/client";
import {
  type BrowserClient,
  type BrowserClientOptions,
  createBrowserClient,
  type OutboxEvent,
  type OutboxState,
  registerPatronServiceWorker,
} from "../src/index.js";

let client: BrowserClient | undefined;
const events: OutboxEvent[] = [];

const pageApi = {
  events,
  createClient,
  registerPatronServiceWorker,

  /** Creates this page's browser client and starts recording its events. */
  async start(options: BrowserClientOptions): Promise<void> {
    client = await createBrowserClient(options);
    client.outbox.subscribe((event) => events.push(event));
  },

  get client(): BrowserClient {
    if (!client) throw new Error("call Patron.start first");
    return client;
  },

  /** Resolves once nothing is pending, checking after every outbox change. */
  drained(): Promise<OutboxState> {
    const current = pageApi.client;
    return new Promise((resolve) => {
      const check = async () => {
        const state = await current.outbox.getState();
        if (state.pending > 0) return;
        unsubscribe();
        resolve(state);
      };
      const unsubscribe = current.outbox.subscribe(() => void check());
      void check();
    });
  },
};

declare global {
  var Patron: typeof pageApi;
}

globalThis.Patron = pageApi;
