import { getCustomerProfile } from "../service.js";
import type { CustomerStore } from "../store.js";

/** One behaviour every backend must show. */
export interface ContractCase {
  name: string;
  run(store: CustomerStore, storeId: string): Promise<void>;
}

/** Reads a profile through the same path `GET ?email=` takes. */
export const profile = (store: CustomerStore, storeId: string, email: string) =>
  getCustomerProfile(store, storeId, email);
