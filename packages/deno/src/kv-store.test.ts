import { createStore, getCustomerProfile, type PatronError, upsertCustomer } from "@patron/core";
import {
  assert,
  assertEqual,
  assertRejects,
  runStoreContract,
  SEED_REQUEST,
} from "@patron/core/testing";
import { KvStore, openKvStore } from "./kv-store.ts";

/** A store on a fresh database file that deletes its folder when closed. */
async function openTempFileStore(): Promise<KvStore> {
  const dir = await Deno.makeTempDir({ prefix: "patron-kv-" });
  const kv = await Deno.openKv(`${dir}/patron.kv`);
  return new (class extends KvStore {
    override async close(): Promise<void> {
      await super.close();
      await Deno.remove(dir, { recursive: true });
    }
  })(kv);
}

runStoreContract((name, fn) => Deno.test(`kv file: ${name}`, fn), openTempFileStore);
runStoreContract(
  (name, fn) => Deno.test(`kv memory: ${name}`, fn),
  () => openKvStore(":memory:"),
);

Deno.test("a profile larger than one KV value is stored over requests and read back", async () => {
  await using store = await openDisposableStore();
  const storeId = (await createStore(store, "Big")).id;
  const email = "big@example.com";
  const fields = (from: number) =>
    Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`f${from + i}`, "x".repeat(10_000)]));

  await upsertCustomer(store, storeId, { email, customFields: fields(0) });
  await upsertCustomer(store, storeId, { email, customFields: fields(50) });

  const profile = await getCustomerProfile(store, storeId, email);
  const values = Object.values(profile.customFields ?? {});
  assertEqual(values.length, 100, "every field kept");
  assert(
    values.every((value) => value === "x".repeat(10_000)),
    "every value whole",
  );
});

Deno.test("a request too large for one KV commit gets 413 and changes nothing", async () => {
  await using store = await openDisposableStore();
  const storeId = (await createStore(store, "Huge")).id;
  const email = "huge@example.com";
  await upsertCustomer(store, storeId, { email, firstName: "Before" });
  const customFields = Object.fromEntries(
    Array.from({ length: 100 }, (_, i) => [`f${i}`, "x".repeat(10_000)]),
  );

  const error = (await assertRejects(
    upsertCustomer(store, storeId, { email, firstName: "After", customFields }),
    "payload_too_large",
    "1 MB of new values in one request",
  )) as PatronError;

  assertEqual(error.status, 413, "a client error, not a server fault");
  const profile = await getCustomerProfile(store, storeId, email);
  assertEqual([profile.firstName, profile.customFields], ["Before", undefined], "unchanged");
  assertEqual(await store.listDeclarations(storeId), [], "no declaration written");
});

Deno.test("1,000 declarations with the longest multi-byte names fit KV's limits", async () => {
  await using store = await openDisposableStore();
  const storeId = (await createStore(store, "Wide")).id;
  // 128 characters of three bytes each in UTF-8 and two bytes in V8's serializer.
  const longName = (n: number) => `${n}`.padStart(4, "0") + "€".repeat(124);

  for (let batch = 0; batch < 10; batch++) {
    const customFields = Object.fromEntries(
      Array.from({ length: 100 }, (_, i) => [longName(batch * 100 + i), batch * 100 + i]),
    );
    await upsertCustomer(store, storeId, { email: "wide@example.com", customFields });
  }

  const declarations = await store.listDeclarations(storeId);
  assertEqual(declarations.length, 1000, "every declaration kept");
  assertEqual(declarations[999]!.name, longName(999), "oldest first");
  const profile = await getCustomerProfile(store, storeId, "wide@example.com");
  assertEqual(Object.keys(profile.customFields ?? {}).length, 1000, "every value kept");
});

Deno.test("customers survive closing and reopening the database file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "patron-kv-" });
  try {
    const first = await openKvStore(`${dir}/patron.kv`);
    const storeId = (await createStore(first, "Durable")).id;
    await upsertCustomer(first, storeId, SEED_REQUEST);
    await first.close();

    const second = await openKvStore(`${dir}/patron.kv`);
    const profile = await getCustomerProfile(second, storeId, SEED_REQUEST.email);
    await second.close();
    assertEqual(profile.customFields, SEED_REQUEST.customFields, "custom fields read back");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("two key prefixes keep two Patron instances apart in one database", async () => {
  const kv = await Deno.openKv(":memory:");
  const blue = new KvStore(kv, { prefix: ["blue"] });
  const green = new KvStore(kv, { prefix: ["green"] });
  const store = {
    id: "0123456789abcdef01234567",
    name: "Shared",
    createdAt: "2026-01-01T00:00:00Z",
  };
  await blue.createStore(store);

  await upsertCustomer(blue, store.id, { email: "a@example.com", customFields: { n: 1 } });

  assertEqual(await green.getStore(store.id), null, "the other prefix sees no store");
  assertEqual(await green.getCustomer(store.id, "a@example.com"), null, "nor the customer");
  assertEqual(await green.listDeclarations(store.id), [], "nor the declarations");
  kv.close();
});

/** A `:memory:` store that `await using` closes at the end of the test. */
async function openDisposableStore(): Promise<KvStore & AsyncDisposable> {
  const store = await openKvStore(":memory:");
  return Object.assign(store, { [Symbol.asyncDispose]: () => store.close() });
}
