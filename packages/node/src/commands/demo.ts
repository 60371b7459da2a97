import { createStore, issueToken, type StoreRecord } from "@patron/core";
import { SEED_REQUEST } from "@patron/core/testing";
import type { NodeStore } from "../open-store.js";

/** The name `patron serve --demo` gives the store it creates, and looks for on later runs. */
export const DEMO_STORE_NAME = "Demo store";

/** What the demo prints: where to send requests and with which token. */
export interface DemoAccess {
  storeId: string;
  token: string;
  /** True when this run created the demo store (the database had none). */
  createdStore: boolean;
}

/**
 * Makes sure the database has a demo store and issues a fresh token for it. The first run
 * creates the store; later runs find it by name and issue another token, because a token is
 * shown only once and cannot be printed again.
 */
export async function prepareDemo(
  store: NodeStore,
  storeName: string = DEMO_STORE_NAME,
): Promise<DemoAccess> {
  const stores: StoreRecord[] = (await store.listStores?.()) ?? [];
  const existing = stores.find((candidate) => candidate.name === storeName);
  const demo = existing ?? (await createStore(store, storeName));
  const token = await issueToken(store, demo.id);
  return { storeId: demo.id, token, createdStore: existing === undefined };
}

/**
 * The ready-to-paste `curl` commands: an upsert of `body` (the seed's request by default), then
 * reading that customer back. `body` must contain no single quote.
 */
export function demoCommands(
  url: string,
  access: DemoAccess,
  body: { email: string } = SEED_REQUEST,
): { upsert: string; get: string } {
  const customers = `${url}/v2.2/stores/${access.storeId}/customers`;
  const auth = `-H 'Authorization: Bearer ${access.token}'`;
  // Without single quotes the body is safe inside a single-quoted shell word.
  const upsert = [
    `curl -i -X PUT '${customers}'`,
    `  ${auth}`,
    `  -H 'Content-Type: application/json'`,
    `  --data '${JSON.stringify(body)}'`,
  ].join(" \\\n");
  const get = `curl -s '${customers}?email=${body.email}' ${auth}`;
  return { upsert, get };
}

/** The banner `patron serve --demo` writes to stderr. */
export function demoBanner(url: string, access: DemoAccess): string {
  const commands = demoCommands(url, access);
  const origin = access.createdStore
    ? "Created a demo store"
    : "Found the demo store and issued it a new token";
  return [
    "",
    `Patron is running at ${url}`,
    `${origin}:`,
    `  store id  ${access.storeId}`,
    `  token     ${access.token}   (shown once; only its hash is stored)`,
    "",
    "Create or update a customer (run it twice: 201, then 200):",
    "",
    commands.upsert,
    "",
    "Read it back:",
    "",
    `  ${commands.get}`,
    "",
    "Press Ctrl+C to stop.",
    "",
  ].join("\n");
}
