import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createStore, getCustomerProfile, upsertCustomer } from "@patron/core";
import { runStoreContract, SEED_REQUEST } from "@patron/core/testing";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { SqliteStore } from "./sqlite-store.js";

const folder = mkdtempSync(join(tmpdir(), "patron-sqlite-"));
let files = 0;
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** A fresh database file for each case: the suite runs against real files, not `:memory:`. */
function freshFile(): string {
  return join(folder, `store-${++files}.db`);
}

describe("the store contract on a SQLite file", () => {
  runStoreContract(it, async () => SqliteStore.open(freshFile()));
});

describe("SqliteStore", () => {
  it("keeps every customer when the file is reopened", async () => {
    const filename = freshFile();
    const first = SqliteStore.open(filename);
    const tenant = await createStore(first, "Reopened shop");
    const emails = Array.from({ length: 50 }, (_, i) => `keep${i}@example.com`);
    for (const email of emails) await upsertCustomer(first, tenant.id, { ...SEED_REQUEST, email });
    await first.close();

    const second = SqliteStore.open(filename);
    for (const email of emails) {
      const profile = await getCustomerProfile(second, tenant.id, email);
      expect(profile.customFields).toEqual(SEED_REQUEST.customFields);
    }
    expect((await second.listDeclarations(tenant.id)).length).toBe(5);
    await second.close();
  });

  it("commits one tick's upserts together; a failing one rolls back only itself", async () => {
    const filename = freshFile();
    const store = SqliteStore.open(filename);
    const tenant = await createStore(store, "Group shop");
    const results = await Promise.allSettled([
      upsertCustomer(store, tenant.id, { email: "first@example.com", customFields: { a: 1 } }),
      // No such store: the foreign key fails inside the shared transaction.
      upsertCustomer(store, "0123456789abcdef01234567", { email: "lost@example.com" }),
      upsertCustomer(store, tenant.id, { email: "third@example.com", customFields: { b: true } }),
    ]);
    expect(results.map((result) => result.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    await store.close();

    // Read back through another connection: what resolved was committed.
    const reopened = SqliteStore.open(filename);
    const first = await getCustomerProfile(reopened, tenant.id, "first@example.com");
    const third = await getCustomerProfile(reopened, tenant.id, "third@example.com");
    expect([first.customFields, third.customFields]).toEqual([{ a: 1 }, { b: true }]);
    expect((await reopened.listDeclarations(tenant.id)).map((d) => d.name)).toEqual(["a", "b"]);
    expect(await reopened.getCustomer("0123456789abcdef01234567", "lost@example.com")).toBeNull();
    await reopened.close();
  });

  it("migrates idempotently and records the schema version", async () => {
    const filename = freshFile();
    await SqliteStore.open(filename).close();
    await SqliteStore.open(filename).close();
    const store = SqliteStore.open(filename);
    await store.createStore({ id: "0123456789abcdef01234567", name: "x", createdAt: "now" });
    expect(await store.listStores()).toHaveLength(1);
    await store.close();
  });

  it("answers store_unavailable when another process holds the write lock too long", async () => {
    const filename = freshFile();
    const store = SqliteStore.open(filename, { busyTimeoutMs: 50 });
    const tenant = await createStore(store, "Busy shop");
    const holder = new Database(filename);
    holder.exec("BEGIN IMMEDIATE");
    try {
      await expect(upsertCustomer(store, tenant.id, SEED_REQUEST)).rejects.toMatchObject({
        code: "store_unavailable",
        status: 503,
      });
    } finally {
      holder.exec("ROLLBACK");
      holder.close();
    }
    expect((await upsertCustomer(store, tenant.id, SEED_REQUEST)).created).toBe(true);
    await store.close();
  });

  it("refuses a file that is not a database", async () => {
    const filename = freshFile();
    writeFileSync(filename, "this is not sqlite, just some text that is long enough ".repeat(40));
    expect(() => SqliteStore.open(filename)).toThrow(/not a database/);
  });

  it("commits a batch of upserts at once and rolls back a failed inner batch only", async () => {
    const store = SqliteStore.open(freshFile());
    const tenant = await createStore(store, "Batch shop");
    await store.batch(async () => {
      await upsertCustomer(store, tenant.id, { email: "a@example.com" });
      await expect(
        store.batch(async () => {
          await upsertCustomer(store, tenant.id, { email: "b@example.com" });
          throw new Error("inner failure");
        }),
      ).rejects.toThrow("inner failure");
      await expect(upsertCustomer(store, tenant.id, { email: "not an email" })).rejects.toThrow();
      await upsertCustomer(store, tenant.id, { email: "c@example.com" });
    });
    const emails = (await store.listCustomers(tenant.id, { limit: 10 })).map((c) => c.email);
    expect(emails).toEqual(["a@example.com", "c@example.com"]);

    await expect(
      store.batch(async () => {
        await upsertCustomer(store, tenant.id, { email: "d@example.com" });
        throw new Error("outer failure");
      }),
    ).rejects.toThrow("outer failure");
    expect(await store.getCustomer(tenant.id, "d@example.com")).toBeNull();
    await store.close();
  });
});
