import { createStore } from "../service.js";
import type { CustomerStore } from "../store.js";
import type { ContractCase } from "./case.js";
import { customFieldCases } from "./custom-field-cases.js";
import { profileCases } from "./profile-cases.js";
import { storeCases } from "./store-cases.js";

export type { ContractCase } from "./case.js";
export { SEED_REQUEST } from "./seed.js";

/** Opens a fresh, empty backend for one test case. The suite closes it when the case ends. */
export type OpenStore = () => Promise<CustomerStore>;

/** Registers one named test: vitest's `it` and Deno's `test` function both fit. */
export type RegisterTest = (name: string, fn: () => Promise<void>) => unknown;

/** Every case of the store contract, in a stable order. */
export const contractCases: ContractCase[] = [...profileCases, ...customFieldCases, ...storeCases];

/**
 * Registers every contract case with a test runner. Each case gets a fresh store from
 * `openStore` with one tenant created in it, and the store is closed afterwards.
 *
 * Under `deno test`, pass Deno's `test` function where vitest takes `it`.
 *
 * @example
 * runStoreContract(it, async () => new MemoryStore());
 */
export function runStoreContract(test: RegisterTest, openStore: OpenStore): void {
  for (const contractCase of contractCases) {
    test(contractCase.name, async () => {
      const store = await openStore();
      try {
        const tenant = await createStore(store, "Contract test shop");
        await contractCase.run(store, tenant.id);
      } finally {
        await store.close();
      }
    });
  }
}
