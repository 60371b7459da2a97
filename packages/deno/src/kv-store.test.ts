import { runStoreContract } from "@patron/core/testing";
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
