import { createStore, issueToken } from "@patron/core";
import { afterEach, describe, expect, it } from "vitest";
import { serve } from "./serve.js";
import { SqliteStore } from "./sqlite-store.js";
import { tempFolder } from "./test-helpers.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function openShop() {
  const folder = tempFolder("serve-options");
  const store = SqliteStore.open(`${folder.path}/patron.db`);
  const shop = await createStore(store, "Options shop");
  const token = await issueToken(store, shop.id);
  cleanups.push(folder.remove);
  return { store, shop, token };
}

describe("serve() options", () => {
  it("answers browser preflights for the configured origins only", async () => {
    const { store, shop } = await openShop();
    const server = await serve({
      store,
      port: 0,
      shutdownSignals: false,
      corsOrigins: ["http://shop.test"],
    });
    cleanups.push(() => server.close());
    const preflight = (origin: string) =>
      fetch(`${server.url}/v2.2/stores/${shop.id}/customers`, {
        method: "OPTIONS",
        headers: { Origin: origin, "Access-Control-Request-Method": "PUT" },
      });
    const allowed = await preflight("http://shop.test");
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get("access-control-allow-origin")).toBe("http://shop.test");
    const other = await preflight("http://elsewhere.test");
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("serves an integration's handler around Patron's app and closes the store", async () => {
    const { store, shop, token } = await openShop();
    const server = await serve({
      store,
      port: 0,
      shutdownSignals: false,
      handler: (patron) => (request) =>
        new URL(request.url).pathname === "/hello"
          ? new Response("hello from the integration")
          : patron.fetch(request),
    });
    expect(await (await fetch(`${server.url}/hello`)).text()).toBe("hello from the integration");
    const response = await fetch(`${server.url}/v2.2/stores/${shop.id}/customers`, {
      method: "PUT",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ email: "wrapped@example.com" }),
    });
    expect(response.status).toBe(201);
    await server.close();
    await expect(store.getCustomer(shop.id, "wrapped@example.com")).rejects.toThrow();
  });
});
