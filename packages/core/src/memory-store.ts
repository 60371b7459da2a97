import type { CustomerRecord, StoreRecord, TokenRecord } from "./customer.js";
import { reviveCustomer } from "./customer.js";
import type { FieldDeclaration } from "./schemas/profile.js";
import type { CustomerStore, ListOptions, UpsertIntent } from "./store.js";
import type { UpsertPlan } from "./upsert.js";

interface TenantState {
  store: StoreRecord;
  customersByEmail: Map<string, CustomerRecord>;
  declarations: Map<string, FieldDeclaration>;
}

/**
 * A store that keeps everything in memory. Each upsert runs synchronously between awaits, which
 * makes it atomic within one JavaScript realm. Useful for tests and throwaway servers.
 *
 * Limitation: nothing survives the process, and two processes never share state.
 */
export class MemoryStore implements CustomerStore {
  readonly #tenants = new Map<string, TenantState>();
  readonly #tokens = new Map<string, TokenRecord>();

  async upsert(intent: UpsertIntent): Promise<UpsertPlan> {
    const tenant = this.#tenant(intent.storeId);
    const current = tenant.customersByEmail.get(intent.email) ?? null;
    const plan = intent.plan(current && clone(current), {
      declared: tenant.declarations,
      count: tenant.declarations.size,
    });
    if (plan.kind === "write") {
      tenant.customersByEmail.set(intent.email, clone(plan.customer));
      for (const declaration of plan.newDeclarations) {
        tenant.declarations.set(declaration.name, { ...declaration });
      }
    }
    return plan;
  }

  async getCustomer(storeId: string, email: string): Promise<CustomerRecord | null> {
    const customer = this.#tenants.get(storeId)?.customersByEmail.get(email);
    return customer ? clone(customer) : null;
  }

  async listCustomers(storeId: string, options: ListOptions): Promise<CustomerRecord[]> {
    const customers = [...(this.#tenants.get(storeId)?.customersByEmail.values() ?? [])];
    return customers
      .filter((customer) => options.afterId === undefined || customer.id > options.afterId)
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .slice(0, options.limit)
      .map(clone);
  }

  async listDeclarations(storeId: string): Promise<FieldDeclaration[]> {
    return [...(this.#tenants.get(storeId)?.declarations.values() ?? [])].map((d) => ({ ...d }));
  }

  async createStore(store: StoreRecord): Promise<void> {
    this.#tenants.set(store.id, {
      store: { ...store },
      customersByEmail: new Map(),
      declarations: new Map(),
    });
  }

  async getStore(storeId: string): Promise<StoreRecord | null> {
    const tenant = this.#tenants.get(storeId);
    return tenant ? { ...tenant.store } : null;
  }

  async saveToken(token: TokenRecord): Promise<void> {
    this.#tokens.set(token.hash, { ...token });
  }

  async findToken(hash: string): Promise<TokenRecord | null> {
    const token = this.#tokens.get(hash);
    return token ? { ...token } : null;
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}

  #tenant(storeId: string): TenantState {
    const tenant = this.#tenants.get(storeId);
    if (!tenant) throw new Error(`Unknown store ${storeId}`);
    return tenant;
  }
}

/** Copies a record so callers can never mutate what the store holds. */
function clone(customer: CustomerRecord): CustomerRecord {
  return reviveCustomer(JSON.parse(JSON.stringify(customer)));
}
