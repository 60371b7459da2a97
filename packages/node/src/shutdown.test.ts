import { join } from "node:path";
import { createStore, issueToken } from "@patron/core";
import { afterAll, expect, it } from "vitest";
import { SqliteStore } from "./sqlite-store.js";
import { sendJson, startServer, tempFolder } from "./test-helpers.js";

const folder = tempFolder("shutdown");
afterAll(() => folder.remove());

it("keeps every acknowledged write when SIGTERM arrives during a burst, and exits 0", async () => {
  const database = join(folder.path, "patron.db");
  const setup = SqliteStore.open(database);
  const shop = await createStore(setup, "Shutdown shop");
  const token = await issueToken(setup, shop.id);
  await setup.close();

  const server = await startServer(["--db", database]);
  const customers = `${server.url}/v2.2/stores/${shop.id}/customers`;
  const acknowledged: string[] = [];
  let failed = 0;
  let sent = 0;
  let signalled = false;

  // 40 workers send upserts of distinct emails until the server stops answering.
  const worker = async (id: number) => {
    for (let i = 0; i < 10_000; i++) {
      const email = `burst-${id}-${i}@example.com`;
      sent++;
      const result = await sendJson("PUT", customers, token, { email, firstName: "Burst" });
      if (result.status === 201) acknowledged.push(email);
      else if (signalled) {
        failed++;
        return;
      } else throw new Error(`status ${result.status} before the signal`);
      if (acknowledged.length === 300 && !signalled) {
        signalled = true;
        server.child.kill("SIGTERM");
      }
    }
  };
  await Promise.all(Array.from({ length: 40 }, (_, id) => worker(id)));

  expect(await server.exited).toBe(0);
  expect(signalled).toBe(true);
  expect(acknowledged.length).toBeGreaterThanOrEqual(300);
  expect(failed).toBeGreaterThan(0);

  const reopened = SqliteStore.open(database);
  try {
    for (const email of acknowledged) {
      expect(await reopened.getCustomer(shop.id, email), email).not.toBeNull();
    }
    const stored = await reopened.listCustomers(shop.id, { limit: 100_000 });
    // Nothing half-written either: every stored customer is one a request created.
    expect(stored.length).toBeGreaterThanOrEqual(acknowledged.length);
    expect(stored.length).toBeLessThanOrEqual(sent);
  } finally {
    await reopened.close();
  }
  const lines = server.logLines.map((line) => JSON.parse(line) as { msg: string });
  expect(lines.at(-1)?.msg).toBe("stopped");
});
