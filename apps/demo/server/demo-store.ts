import { type DemoAccess, demoCommands, type NodeStore, prepareDemo } from "@patron/node";

/** The name of the store the demo creates, and looks for on later runs. */
export const DEMO_STORE_NAME = "Demo storefront";

/** The demo store and a token for it, issued by this run; the pages never receive the token. */
export type DemoStore = DemoAccess;

/** What the demo prints at startup, as text or, with `--json`, as one JSON line. */
export interface DemoSummary extends DemoStore {
  url: string;
  database: string;
  /** A ready-to-paste `curl` that creates (then updates) a customer through Patron's API. */
  upsert: string;
  /** A `curl` that reads that customer back. */
  get: string;
}

/**
 * Makes sure the database has the demo store and issues a fresh token for it, as
 * `patron serve --demo` does, under the demo's own store name.
 *
 * Limitation: every start adds a token and none is ever revoked, since Patron has no revocation
 * yet. A demo database collects one valid token per run; delete `.patron/demo.db` to start over.
 */
export function prepareDemoStore(store: NodeStore): Promise<DemoStore> {
  return prepareDemo(store, DEMO_STORE_NAME);
}

/** The startup facts and commands for a demo listening at `url`. */
export function demoSummary(url: string, location: string, demo: DemoStore): DemoSummary {
  // The seed request from Redo's documentation, exactly as `patron serve --demo` prints it.
  const { upsert, get } = demoCommands(url, demo);
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
