import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createApp, createStore, issueToken, MemoryStore } from "@patron/core";

/** A Patron server on 127.0.0.1 with one store, and a token for it. */
export interface PatronServer {
  origin: string;
  storeId: string;
  token: string;
  close(): Promise<void>;
}

/** Serves core's app on a memory store, the way a runtime adapter does. */
export async function startPatronServer(): Promise<PatronServer> {
  const store = new MemoryStore();
  const { id: storeId } = await createStore(store, "Browser tests");
  const token = await issueToken(store, storeId);
  const app = createApp({ store });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () =>
      resolve(started),
    );
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    storeId,
    token,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
