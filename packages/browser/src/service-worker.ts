/**
 * `@patron/browser/service-worker`: the Patron API served by a Service Worker from IndexedDB, so
 * a page can use the ordinary client with no server at all. The page side is
 * `registerPatronServiceWorker` from `@patron/browser`.
 */
import { createApp, createStore, hashToken, issueToken, type PatronApp } from "@patron/core";
import { DEFAULT_DATABASE_NAME, IndexedDBStore } from "./indexeddb-store.js";
import {
  BOOTSTRAP_MESSAGE,
  type BootstrapReply,
  type BootstrapRequest,
  DEFAULT_BASE_PATH,
} from "./protocol.js";

/** Options for {@link servePatron}. */
export interface ServePatronOptions {
  /** Path under the worker's origin where the API answers; `/patron` by default. */
  basePath?: string;
  /** IndexedDB database of the store; `patron` by default, shared with `IndexedDBStore.open()`. */
  databaseName?: string;
  /** Called with every error that became a 5xx, as the core app reports it. */
  onError?: (error: unknown) => void;
}

/** The parts of `ServiceWorkerGlobalScope` this module uses, so it needs no WebWorker lib. */
export interface ServiceWorkerScope {
  readonly location: { readonly origin: string };
  readonly clients: { claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  addEventListener(type: string, listener: (event: never) => void): void;
}

interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}

interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Promise<Response>): void;
}

interface ExtendableMessageEvent extends ExtendableEvent {
  readonly data: unknown;
  readonly ports: readonly MessagePort[];
}

/**
 * Makes the worker answer every request under `basePath` with the Patron app on IndexedDB, and
 * answer the bootstrap message the page helper sends. Call it once at the top of the worker:
 *
 * @example
 * // sw.ts, bundled to /sw.js
 * import { servePatron } from "@patron/browser/service-worker";
 * servePatron(self as unknown as ServiceWorkerScope);
 *
 * The worker takes control of open pages as soon as it activates, so the page that registered it
 * can call the API right away.
 *
 * Limitation: a Service Worker only sees requests from pages in its scope on its own origin;
 * requests from other origins, and from pages outside the scope, still go to the network.
 */
export function servePatron(scope: ServiceWorkerScope, options: ServePatronOptions = {}): void {
  const basePath = (options.basePath ?? DEFAULT_BASE_PATH).replace(/\/+$/, "");
  let opened: Promise<{ store: IndexedDBStore; app: PatronApp }> | undefined;
  let bootstraps: Promise<unknown> = Promise.resolve();

  const open = () => {
    opened ??= IndexedDBStore.open(options.databaseName ?? DEFAULT_DATABASE_NAME).then(
      (store) => ({ store, app: createApp({ store, onError: options.onError }) }),
      (error) => {
        // Let the next request try again rather than keep a failed open forever.
        opened = undefined;
        throw error;
      },
    );
    return opened;
  };

  scope.addEventListener("install", () => void scope.skipWaiting());
  scope.addEventListener("activate", (event: ExtendableEvent) => {
    event.waitUntil(scope.clients.claim());
  });

  scope.addEventListener("fetch", (event: FetchEvent) => {
    const url = new URL(event.request.url);
    if (url.origin !== scope.location.origin) return;
    if (url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`)) return;
    event.respondWith(answer(event.request, url, basePath, open));
  });

  scope.addEventListener("message", (event: ExtendableMessageEvent) => {
    const request = event.data as BootstrapRequest | undefined;
    const port = event.ports[0];
    if (request?.type !== BOOTSTRAP_MESSAGE || !port) return;
    // One at a time, so two tabs starting together still share one local store.
    const reply = bootstraps.then(async () => bootstrap(request, (await open()).store));
    bootstraps = reply.catch(() => undefined);
    event.waitUntil(
      reply.then(
        (answer) => port.postMessage(answer),
        (error: unknown) => port.postMessage({ ok: false, error: String(error) }),
      ),
    );
  });
}

/** Hands the request to the app with the base path removed. */
async function answer(
  request: Request,
  url: URL,
  basePath: string,
  open: () => Promise<{ app: PatronApp }>,
): Promise<Response> {
  const target = new URL(url);
  target.pathname = url.pathname.slice(basePath.length) || "/";
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  const forwarded = new Request(target, {
    method: request.method,
    headers: request.headers,
    body: hasBody ? await request.arrayBuffer() : undefined,
  });
  const { app } = await open();
  return app.fetch(forwarded);
}

/**
 * Finds or creates the local store called `request.storeName` and returns a token for it: the
 * page's own token when it is still valid, else a new one.
 */
async function bootstrap(
  request: BootstrapRequest,
  store: IndexedDBStore,
): Promise<BootstrapReply> {
  const existing = (await store.listStores()).find((record) => record.name === request.storeName);
  const storeId = existing?.id ?? (await createStore(store, request.storeName)).id;
  if (request.token) {
    const known = await store.findToken(await hashToken(request.token));
    if (known?.storeId === storeId) return { ok: true, storeId, token: request.token };
  }
  return { ok: true, storeId, token: await issueToken(store, storeId) };
}
