import { runStoreContract } from "@patron/core/testing";
import { deleteDB } from "idb";
import { afterAll, it } from "vitest";
import { IndexedDBStore } from "./indexeddb-store.js";

const opened: string[] = [];

// Each case gets its own database, so a failing case cannot leak state into the next one.
runStoreContract(it, async () => {
  const name = `patron-contract-${opened.length}-${crypto.randomUUID()}`;
  opened.push(name);
  return IndexedDBStore.open(name);
});

afterAll(async () => {
  await Promise.all(opened.map((name) => deleteDB(name)));
});
