import {
  BOOTSTRAP_MESSAGE,
  type BootstrapReply,
  type BootstrapRequest,
  DEFAULT_BASE_PATH,
} from "./protocol.js";

/** Options for {@link registerPatronServiceWorker}. */
export interface RegisterOptions {
  /** The worker script, which calls `servePatron(self)`; or the prebuilt `patron-sw.js`. */
  scriptUrl: string | URL;
  /** The registration scope; the page must be inside it. The script's folder by default. */
  scope?: string;
  /** `"module"` for a worker built as an ES module; classic by default. */
  type?: WorkerType;
  /** The local store to use, created on first use. `"Local store"` by default. */
  storeName?: string;
  /** Must match the worker's `basePath`; `/patron` by default. */
  basePath?: string;
  /** How long to wait for the worker to take control of the page. 10 seconds by default. */
  timeoutMs?: number;
}

/** What a page needs to talk to the worker: pass it to `createClient` or `createBrowserClient`. */
export interface LocalPatron {
  baseUrl: string;
  storeId: string;
  token: string;
  registration: ServiceWorkerRegistration;
}

/**
 * Registers the Patron Service Worker, waits until it controls the page, and asks it for a local
 * store and a token. The token is kept in `localStorage` so later visits reuse it; the worker
 * keeps only its hash, like a server does.
 *
 * @example
 * const local = await registerPatronServiceWorker({ scriptUrl: "/patron-sw.js" });
 * const client = createClient(local); // from "@patron/core/client"
 * await client.upsertCustomer({ email: "jane@example.com" }); // answered inside the browser
 *
 * Limitation: the token in `localStorage` is readable by any script on the origin. It guards the
 * same data that script could read from IndexedDB directly, so it adds no new exposure, but it is
 * no protection either.
 */
export async function registerPatronServiceWorker(options: RegisterOptions): Promise<LocalPatron> {
  const container = navigator.serviceWorker;
  if (!container) throw new Error("Service Workers are not available (insecure context?)");
  const registration = await container.register(options.scriptUrl, {
    scope: options.scope,
    type: options.type,
  });
  const worker = await controllingWorker(container, options.timeoutMs ?? 10_000);

  const storeName = options.storeName ?? "Local store";
  const tokenKey = `patron:service-worker:${storeName}`;
  const request: BootstrapRequest = { type: BOOTSTRAP_MESSAGE, storeName };
  const kept = globalThis.localStorage?.getItem(tokenKey);
  if (kept) request.token = kept;
  const reply = await ask(worker, request);
  if (!reply.ok) throw new Error(`The Patron Service Worker could not start: ${reply.error}`);
  globalThis.localStorage?.setItem(tokenKey, reply.token);

  const basePath = (options.basePath ?? DEFAULT_BASE_PATH).replace(/\/+$/, "");
  const baseUrl = new URL(basePath, location.origin).href;
  return { baseUrl, storeId: reply.storeId, token: reply.token, registration };
}

/** The worker controlling this page, once there is one. The worker claims pages on activate. */
function controllingWorker(
  container: ServiceWorkerContainer,
  timeoutMs: number,
): Promise<ServiceWorker> {
  if (container.controller) return Promise.resolve(container.controller);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      container.removeEventListener("controllerchange", onChange);
      reject(new Error("The Service Worker did not take control; is the page in its scope?"));
    }, timeoutMs);
    const onChange = () => {
      if (!container.controller) return;
      clearTimeout(timer);
      container.removeEventListener("controllerchange", onChange);
      resolve(container.controller);
    };
    container.addEventListener("controllerchange", onChange);
  });
}

function ask(worker: ServiceWorker, request: BootstrapRequest): Promise<BootstrapReply> {
  const channel = new MessageChannel();
  const reply = new Promise<BootstrapReply>((resolve) => {
    channel.port1.onmessage = (event: MessageEvent<BootstrapReply>) => resolve(event.data);
  });
  worker.postMessage(request, [channel.port2]);
  return reply;
}
