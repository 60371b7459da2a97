import { createStore, issueToken } from "@patron/core";
import type { NodeStore } from "@patron/node";

/** The name of the store the demo creates, and looks for on later runs. */
export const DEMO_STORE_NAME = "Demo storefront";

/** The demo store and a token for it, issued by this run. */
export interface DemoStore {
  storeId: string;
  /** Shown once at startup; the pages never receive it. */
  token: string;
  /** True when this run created the store (the database had none). */
  createdStore: boolean;
}

/** What the demo prints at startup, as text or, with `--json`, as one JSON line. */
export interface DemoSummary extends DemoStore {
  url: string;
  database: string;
  /** A ready-to-paste `curl` that creates (then updates) a customer through Patron's API. */
  upsert: string;
  /** A `curl` that reads that customer back. */
  get: string;
}

/** A customer like the ones the sign-up form sends, with custom fields of the same types. */
const SAMPLE_CUSTOMER = {
  email: "jane@example.com",
  firstName: "Jane",
  lastName: "Smith",
  phoneNumber: "+12065550100",
  location: { city: "Seattle", state: "Washington", countryCode: "US" },
  customFields: {
    marketing_opt_in: true,
    loyalty_points: 1250,
    birthday: "1990-05-17T00:00:00.000Z",
  },
};

/**
 * Makes sure the database has the demo store and issues a fresh token for it. Later runs find
 * the store by name and issue another token, because a token is shown only once and only its
 * hash is stored.
 *
 * Limitation: every start adds a token and none is ever revoked, since Patron has no revocation
 * yet. A demo database collects one valid token per run; delete `.patron/demo.db` to start over.
 */
export async function prepareDemoStore(store: NodeStore): Promise<DemoStore> {
  const existing = (await store.listStores?.())?.find((found) => found.name === DEMO_STORE_NAME);
  const demo = existing ?? (await createStore(store, DEMO_STORE_NAME));
  const token = await issueToken(store, demo.id);
  return { storeId: demo.id, token, createdStore: existing === undefined };
}

/** The startup facts and commands for a demo listening at `url`. */
export function demoSummary(url: string, location: string, demo: DemoStore): DemoSummary {
  const customers = `${url}/v2.2/stores/${demo.storeId}/customers`;
  const auth = `-H 'Authorization: Bearer ${demo.token}'`;
  // The sample contains no single quote, so it is safe inside a single-quoted shell word.
  const upsert = [
    `curl -i -X PUT '${customers}'`,
    `  ${auth}`,
    `  -H 'Content-Type: application/json'`,
    `  --data '${JSON.stringify(SAMPLE_CUSTOMER)}'`,
  ].join(" \\\n");
  const get = `curl -s '${customers}?email=${SAMPLE_CUSTOMER.email}' ${auth}`;
  // A database URL loses its password before it is printed.
  const database = location.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, "$1:***@");
  return { url, database, ...demo, upsert, get };
}

/** The banner written to stderr at startup, in the style of `patron serve --demo`. */
export function demoBanner(summary: DemoSummary): string {
  const origin = summary.createdStore
    ? "Created a demo store"
    : "Found the demo store and issued it a new token";
  return [
    "",
    `Patron demo is running at ${summary.url}`,
    "  (the storefront sign-up; its header links to the customer admin)",
    "",
    `Database ${summary.database}`,
    `${origin}:`,
    `  store id  ${summary.storeId}`,
    `  token     ${summary.token}   (shown once; only its hash is stored)`,
    "",
    "The pages never see this token. To use the API yourself, create or update a customer",
    "(run it twice: 201, then 200):",
    "",
    summary.upsert,
    "",
    "Read it back:",
    "",
    `  ${summary.get}`,
    "",
    "Press Ctrl+C to stop.",
    "",
  ].join("\n");
}
