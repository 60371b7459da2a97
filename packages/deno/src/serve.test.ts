import { assert, assertEqual } from "@patron/core/testing";
import { KvStore } from "./kv-store.ts";
import { serve } from "./serve.ts";

/** A KV store whose health check waits for a gate: a request that is still running on demand. */
class GatedKvStore extends KvStore {
  readonly gate = Promise.withResolvers<void>();
  readonly pinged = Promise.withResolvers<void>();
  closed = false;

  override async ping(): Promise<void> {
    this.pinged.resolve();
    await this.gate.promise;
    await super.ping();
  }

  override async close(): Promise<void> {
    this.closed = true;
    await super.close();
  }
}

Deno.test("close() lets an in-flight request finish, then closes the store", async () => {
  const store = new GatedKvStore(await Deno.openKv(":memory:"));
  const lines: Record<string, unknown>[] = [];
  const server = await serve({
    store,
    port: 0,
    shutdownSignals: false,
    logger: (level, msg, fields) => lines.push({ level, msg, ...fields }),
  });

  const inFlight = fetch(`${server.url}/healthz`);
  await store.pinged.promise;
  let closed = false;
  const closing = server.close().then(() => {
    closed = true;
  });
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert(!closed && !store.closed, "shutdown waits for the request");
  store.gate.resolve();

  const response = await inFlight;
  assertEqual(response.status, 200, "the in-flight request is answered");
  await response.body?.cancel();
  await closing;
  await server.finished;
  assert(store.closed, "the store is closed after the server stopped");
  assertEqual(
    lines.map((line) => line.msg),
    ["listening", "request", "stopped"],
    "listening, the request, and the stop are logged",
  );
  assertEqual(server.close(), server.close(), "closing again returns the same promise");
});

Deno.test("serve listens on 127.0.0.1 unless told otherwise", async () => {
  const store = new KvStore(await Deno.openKv(":memory:"));
  const server = await serve({ store, port: 0, shutdownSignals: false, logger: () => {} });
  try {
    assertEqual(server.host, "127.0.0.1", "loopback by default");
    assertEqual(server.url, `http://127.0.0.1:${server.port}`, "the URL names the real port");
    const health = await fetch(`${server.url}/healthz`);
    assertEqual([health.status, await health.json()], [200, { status: "ok" }], "healthy");
  } finally {
    await server.close();
  }
});
